"""`circleback person add|show|edit|delete` and `circleback people`."""

from __future__ import annotations

from typing import Any

import pytest

from circleback.accounts.models import User
from circleback.cli.tests.support import Run, as_json, one_line_error
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_log
from circleback.people.models import Email, Organisation, Person, Tag, Tie
from circleback.people.services.ties import tie_set

PERSON_KEYS = {
    "uuid",
    "given_name",
    "family_name",
    "full_name",
    "emails",
    "phones",
    "links",
    "organization",
    "title",
    "list",
    "tags",
    "notes",
    "introduced_by",
    "closeness",
    "cadence_days",
    "is_decision_maker",
    "last_contact_at",
    "location",
    "how_we_met",
    "met_on",
}


def counts() -> tuple[int, int, int, int, int]:
    return (
        Person.objects.count(),
        Organisation.objects.count(),
        Tag.objects.count(),
        Email.objects.count(),
        Tie.objects.count(),
    )


# --- person add -----------------------------------------------------------------------------


def test_it_adds_a_person_with_every_detail(cli: Run, alice: User, make_person: Any) -> None:
    bart = make_person(alice, "Bart Nguyen")
    data = as_json(
        cli(
            "person", "add", "Ada Quill",
            "--email", "ada@x.org", "--email", "ada@quill.dev",
            "--phone", "+44 20 7946 0958",
            "--link", "https://www.linkedin.com/in/adaquill",
            "--org", "Hooli", "--title", "VP Eng", "--list", "b",
            "--tag", "mentor", "--tag", "referrer",
            "--closeness", "3", "--cadence", "60", "--decision-maker",
            "--how-we-met", "Spoke after my talk", "--met-on", "2026-01-05",
            "--introduced-by", "Bart", "--location", "London", "--notes", "Likes tea",
            "--json",
        )
    )  # fmt: skip
    assert set(data) == PERSON_KEYS
    assert data["full_name"] == "Ada Quill"
    assert (data["given_name"], data["family_name"]) == ("Ada", "Quill")
    assert data["emails"] == ["ada@x.org", "ada@quill.dev"]
    assert data["phones"] == ["+44 20 7946 0958"]
    assert data["links"] == ["https://www.linkedin.com/in/adaquill"]
    assert data["organization"] == "Hooli"
    assert data["list"] == "B"
    assert data["tags"] == ["mentor", "referrer"]
    assert data["closeness"] == 3 and data["cadence_days"] == 60
    assert data["is_decision_maker"] is True
    assert data["met_on"] == "2026-01-05"
    assert data["introduced_by"] == str(bart.uuid)
    assert data["location"] == "London" and data["notes"] == "Likes tea"
    assert data["how_we_met"] == "Spoke after my talk"
    assert data["last_contact_at"] is None
    ada = Person.objects.get(uuid=data["uuid"])
    assert ada.owner == alice and ada.organisation.name == "Hooli"


def test_it_prints_the_new_persons_name_and_uuid(cli: Run, alice: User) -> None:
    result = cli("person", "add", "Ada Quill", "--org", "Hooli")
    assert result.exit_code == 0, result.output
    ada = Person.objects.get()
    assert "Added Ada Quill at Hooli on list B" in result.stdout
    assert str(ada.uuid) in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["   "], "needs a name"),
        (["Ada", "--email", "not-an-email"], "--email: 'not-an-email' is not an email address"),
        (["Ada", "--list", "D"], "--list 'D' is not a list; use A"),
        (["Ada", "--closeness", "9"], "--closeness must be from 1 to 5, not 9"),
        (["Ada", "--cadence", "0"], "--cadence must be from 1 to 3650"),
        (["Ada", "--met-on", "5 January"], "--met-on '5 January' is not a date"),
        (["Ada", "--met-on", "2026-02-30"], "is not a date; use YYYY-MM-DD"),
        (["Ada", "--phone", "x"], "--phone: 'x' is not a phone number"),
        (["Ada", "--link", "not a url"], "--link:"),
        (["Ada", "--tag", "  "], "--tag: A tag can't be empty"),
        (["Ada", "--org", "Hooli", "--email", "bad"], "is not an email address"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(
    cli: Run, alice: User, args: list[str], expected: str
) -> None:
    before = counts()
    result = cli("person", "add", *args)
    assert result.exit_code == 2
    assert expected in one_line_error(result)
    assert counts() == before


def test_it_fails_when_the_introducer_is_not_in_the_network(cli: Run, alice: User) -> None:
    result = cli("person", "add", "Ada", "--introduced-by", "Nobody Known")
    assert result.exit_code == 1
    assert "no one in your network matches 'Nobody Known'" in one_line_error(result)
    assert Person.objects.count() == 0


# --- person show ----------------------------------------------------------------------------


def test_it_shows_a_card_with_details_ties_and_journal(
    cli: Run, alice: User, make_person: Any
) -> None:
    ada = make_person(
        alice, "Ada Quill", organisation="Hooli", title="VP Eng", emails=["ada@x.org"]
    )
    bart = make_person(alice, "Bart Nguyen")
    tie_set(owner=alice, person=ada, other=bart, kind="colleague", strength=4)
    interaction_log(owner=alice, summary="Coffee at Monmouth", people=[ada], kind="meeting")
    result = cli("person", "show", "ada quill")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("Ada Quill", "VP Eng at Hooli", "ada@x.org", "Bart Nguyen", "Colleague"):
        assert text in out
    assert "Coffee at Monmouth" in out and "Meeting" in out
    assert str(ada.uuid) in out


def test_it_shows_a_person_as_json_with_ties_and_the_last_ten_entries(
    cli: Run, alice: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    bart = make_person(alice, "Bart Nguyen")
    tie_set(owner=alice, person=ada, other=bart, kind="mentor", strength=5, notes="PhD advisor")
    for i in range(12):
        interaction_log(owner=alice, summary=f"Call {i}", people=[ada], kind="call")
    data = as_json(cli("person", "show", str(ada.uuid), "--json"))
    assert set(data) >= PERSON_KEYS
    assert data["ties"] == [
        {
            "uuid": data["ties"][0]["uuid"],
            "person": str(bart.uuid),
            "full_name": "Bart Nguyen",
            "kind": "mentor",
            "strength": 5,
            "notes": "PhD advisor",
        }
    ]
    assert len(data["journal"]) == 10
    assert data["journal"][0]["people"] == [{"uuid": str(ada.uuid), "full_name": "Ada Quill"}]


def test_a_card_says_when_there_are_no_ties_or_journal(
    cli: Run, alice: User, make_person: Any
) -> None:
    make_person(alice, "Ada Quill")
    result = cli("person", "show", "Ada")
    assert "No ties yet" in result.stdout
    assert "Nothing in the journal yet" in result.stdout


def test_an_ambiguous_query_lists_the_candidates(cli: Run, alice: User, make_person: Any) -> None:
    first = make_person(alice, "Ada Quill", organisation="Hooli")
    second = make_person(alice, "Ada Lovelace")
    result = cli("person", "show", "Ada")
    assert result.exit_code == 1
    error = one_line_error(result)
    assert "'Ada' matches 2 people" in error
    assert "Ada Quill (Hooli)" in error and str(first.uuid) in error
    assert "Ada Lovelace" in error and str(second.uuid) in error
    assert "fuller name or the UUID" in error


def test_it_says_when_no_one_matches(cli: Run, alice: User) -> None:
    result = cli("person", "show", "Zed")
    assert result.exit_code == 1
    assert "no one in your network matches 'Zed'" in one_line_error(result)


def test_it_never_shows_another_accounts_person(
    cli: Run, alice: User, charlie: User, make_person: Any
) -> None:
    theirs = make_person(charlie, "Secret Contact", emails=["secret@x.org"])
    make_person(alice, "Ada Quill")
    for query in (str(theirs.uuid), "Secret Contact", "secret@x.org"):
        result = cli("--user", "alice", "person", "show", query)
        assert result.exit_code == 1
        assert "Secret" not in result.stdout
    listed = as_json(cli("--user", "alice", "people", "--json"))
    assert [p["full_name"] for p in listed] == ["Ada Quill"]
    assert as_json(cli("--user", "charlie", "people", "--json"))[0]["full_name"] == (
        "Secret Contact"
    )


# --- person edit ----------------------------------------------------------------------------


def test_it_edits_only_what_is_given(cli: Run, alice: User, make_person: Any) -> None:
    ada = make_person(
        alice,
        "Ada Quill",
        organisation="Hooli",
        title="VP Eng",
        tags=["mentor", "python"],
        emails=["ada@x.org"],
        is_decision_maker=True,
        notes="Keep",
    )
    data = as_json(
        cli(
            "person", "edit", "Ada Quill", "--title", "CTO", "--add-tag", "referrer",
            "--remove-tag", "MENTOR", "--email", "ada@new.org", "--not-decision-maker",
            "--list", "c", "--json",
        )
    )  # fmt: skip
    assert data["uuid"] == str(ada.uuid)
    assert data["title"] == "CTO"
    assert data["tags"] == ["python", "referrer"]
    assert data["emails"] == ["ada@new.org"]
    assert data["is_decision_maker"] is False
    assert data["list"] == "C"
    assert data["organization"] == "Hooli" and data["notes"] == "Keep"


def test_it_moves_and_clears_organisation_and_replaces_tags(
    cli: Run, alice: User, make_person: Any
) -> None:
    make_person(alice, "Ada Quill", organisation="Hooli", tags=["a", "b"])
    data = as_json(cli("person", "edit", "Ada", "--org", "Initech", "--tag", "c", "--json"))
    assert data["organization"] == "Initech" and data["tags"] == ["c"]
    data = as_json(cli("person", "edit", "Ada", "--clear-org", "--email", "", "--json"))
    assert data["organization"] is None and data["emails"] == []
    result = cli("person", "edit", "Ada", "--name", "Ada Quill-Smith", "--cadence", "0")
    assert result.exit_code == 0
    assert "Saved Ada Quill-Smith" in result.stdout
    assert Person.objects.get().cadence_days is None


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "nothing to change"),
        (["--email", "nope"], "is not an email address"),
        (["--list", "Z"], "--list 'Z' is not a list"),
        (["--closeness", "0"], "--closeness must be from 1 to 5"),
        (["--name", " "], "needs a name"),
        (["--met-on", "yesterdayish"], "is not a date"),
        (["--org", "X", "--clear-org"], "either --org NAME or --clear-org"),
    ],
)
def test_it_refuses_a_bad_edit_and_changes_nothing(
    cli: Run, alice: User, make_person: Any, args: list[str], expected: str
) -> None:
    ada = make_person(alice, "Ada Quill", emails=["ada@x.org"], title="VP Eng")
    before = counts()
    result = cli("person", "edit", "Ada Quill", *args)
    assert result.exit_code == 2
    assert expected in one_line_error(result)
    ada.refresh_from_db()
    assert (ada.full_name, ada.title, ada.contact_list) == ("Ada Quill", "VP Eng", "B")
    assert list(ada.emails.values_list("address", flat=True)) == ["ada@x.org"]
    assert counts() == before


# --- person delete --------------------------------------------------------------------------


def test_it_deletes_with_yes(cli: Run, alice: User, make_person: Any) -> None:
    make_person(alice, "Ada Quill")
    result = cli("person", "delete", "Ada Quill", "--yes")
    assert result.exit_code == 0
    assert "Deleted Ada Quill." in result.stdout
    assert Person.objects.count() == 0


def test_it_wont_delete_from_a_script_without_yes(cli: Run, alice: User, make_person: Any) -> None:
    make_person(alice, "Ada Quill")
    result = cli("person", "delete", "Ada Quill")
    assert result.exit_code == 2
    assert "add --yes" in one_line_error(result)
    assert Person.objects.count() == 1


@pytest.mark.parametrize(("answer", "code", "left"), [("y\n", 0, 0), ("n\n", 1, 1)])
def test_it_asks_before_deleting_at_a_terminal(
    cli: Run,
    alice: User,
    make_person: Any,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    code: int,
    left: int,
) -> None:
    monkeypatch.setattr("circleback.cli.people.is_interactive", lambda: True)
    make_person(alice, "Ada Quill")
    result = cli("person", "delete", "Ada Quill", input=answer)
    assert result.exit_code == code
    assert "Delete Ada Quill" in result.stdout
    assert Person.objects.count() == left


# --- people ---------------------------------------------------------------------------------


def test_it_says_how_to_add_the_first_person(cli: Run, alice: User) -> None:
    result = cli("people")
    assert result.exit_code == 0
    assert "No people yet — add one with `circleback person add" in result.stdout
    assert as_json(cli("people", "--json")) == []


def test_it_lists_and_filters_people(cli: Run, alice: User, make_person: Any) -> None:
    make_person(alice, "Ada Quill", organisation="Hooli", contact_list="B", tags=["mentor"])
    make_person(alice, "Bart Nguyen", organisation="Hooli", contact_list="C")
    make_person(alice, "Cleo Park", organisation="Initech", contact_list="A", tags=["Mentor"])
    result = cli("people")
    assert result.exit_code == 0
    assert "People (3)" in result.stdout
    for name in ("Ada Quill", "Bart Nguyen", "Cleo Park"):
        assert name in result.stdout

    def names(*args: str) -> list[str]:
        return [p["full_name"] for p in as_json(cli("people", "--json", *args))]

    assert names() == ["Ada Quill", "Bart Nguyen", "Cleo Park"]
    assert names("--list", "c") == ["Bart Nguyen"]
    assert names("--tag", "mentor") == ["Ada Quill", "Cleo Park"]
    assert names("--org", "hooli") == ["Ada Quill", "Bart Nguyen"]
    assert names("--search", "cle") == ["Cleo Park"]
    assert names("--sort", "added") == ["Cleo Park", "Bart Nguyen", "Ada Quill"]
    assert names("--limit", "1") == ["Ada Quill"]
    assert names("--limit", "1", "--offset", "1") == ["Bart Nguyen"]
    assert "Showing 1 to 1 of 3 people; see the next ones with --offset 1" in (
        cli("people", "--limit", "1").stderr
    )
    assert "No one matches" in cli("people", "--tag", "nobody").stdout


def test_it_sorts_by_last_contact_longest_without_contact_first(
    cli: Run, alice: User, make_person: Any
) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    make_person(alice, "Cleo Park")
    interaction_log(owner=alice, summary="Old call", people=[ada])
    interaction_log(owner=alice, summary="Newer call", people=[bart])
    Person.objects.filter(pk=ada.pk).update(last_contact_at="2026-01-01T10:00:00Z")
    names = [p["full_name"] for p in as_json(cli("people", "--sort", "last-contact", "--json"))]
    assert names == ["Cleo Park", "Ada Quill", "Bart Nguyen"]


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["--list", "D"], 2, "--list 'D' is not a list"),
        (["--sort", "age"], 2, "--sort 'age' is not a sort order"),
        (["--limit", "0"], 2, "--limit must be from 1"),
        (["--org", "Nowhere"], 1, "no organisation matches 'Nowhere'"),
        (["--search", " "], 2, "--search needs some words"),
    ],
)
def test_people_refuses_bad_options(
    cli: Run, alice: User, args: list[str], code: int, expected: str
) -> None:
    result = cli("people", *args)
    assert result.exit_code == code
    assert expected in one_line_error(result)


def test_the_people_list_is_a_fixed_number_of_queries(
    cli: Run, alice: User, make_person: Any, django_assert_max_num_queries: Any
) -> None:
    introducer = make_person(alice, "Zed Intro")
    for i in range(30):
        make_person(
            alice,
            f"Person {i}",
            organisation=f"Org {i % 3}",
            emails=[f"p{i}@x.org"],
            tags=["t"],
            introduced_by=introducer,
        )
    cli("people", "--limit", "1")  # settles the once-per-process start-up checks
    with django_assert_max_num_queries(10):
        data = as_json(cli("people", "--json"))
    assert len(data) == 31
    assert data[0]["introduced_by"] == str(introducer.uuid)
    with django_assert_max_num_queries(10):
        assert cli("people").exit_code == 0


# --- ties -----------------------------------------------------------------------------------


def test_it_ties_two_people_and_updates_the_tie(cli: Run, alice: User, make_person: Any) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    result = cli("tie", "Ada Quill", "Bart Nguyen", "--kind", "colleague", "--strength", "3")
    assert result.exit_code == 0, result.output
    assert "Tied Ada Quill ↔ Bart Nguyen (colleague, strength 3)." in result.stdout
    data = as_json(
        cli("tie", "Bart", "Ada", "--kind", "former-colleague", "--strength", "1", "--json")
    )
    assert {data["person_a"], data["person_b"]} == {str(ada.uuid), str(bart.uuid)}
    assert (data["kind"], data["strength"]) == ("former_colleague", 1)
    assert Tie.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["Ada Quill", "Ada Quill"], "a tie joins two different people"),
        (["Ada", "Bart", "--strength", "6"], "--strength must be from 1 to 5, not 6"),
        (["Ada", "Bart", "--strength", "0"], "--strength must be from 1 to 5, not 0"),
        (["Ada", "Bart", "--kind", "lover"], "--kind 'lover' is not a kind of tie; use one of"),
    ],
)
def test_it_refuses_a_bad_tie_and_writes_nothing(
    cli: Run, alice: User, make_person: Any, args: list[str], expected: str
) -> None:
    make_person(alice, "Ada Quill")
    make_person(alice, "Bart Nguyen")
    result = cli("tie", *args)
    assert result.exit_code == 2
    assert expected in one_line_error(result)
    assert Tie.objects.count() == 0


def test_it_cannot_tie_to_someone_elses_person(
    cli: Run, alice: User, charlie: User, make_person: Any
) -> None:
    make_person(alice, "Ada Quill")
    theirs = make_person(charlie, "Bart Nguyen")
    result = cli("--user", "alice", "tie", "Ada Quill", str(theirs.uuid))
    assert result.exit_code == 1
    assert Tie.objects.count() == 0


def test_it_unties(cli: Run, alice: User, make_person: Any) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    tie_set(owner=alice, person=ada, other=bart)
    result = cli("untie", "Bart", "Ada")
    assert result.exit_code == 0
    assert "Removed the tie between Bart Nguyen and Ada Quill." in result.stdout
    assert Tie.objects.count() == 0
    again = cli("untie", "Bart", "Ada")
    assert again.exit_code == 1
    assert "have no tie to remove" in one_line_error(again)


def test_deleting_a_person_keeps_entries_with_others_and_says_what_went(
    cli: Run, alice: User, make_person: Any
) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    interaction_log(owner=alice, summary="Coffee", people=[ada])
    interaction_log(owner=alice, summary="Lunch with Ada Quill", people=[ada, bart])
    result = cli("person", "delete", "Ada", "--yes")
    assert result.exit_code == 0
    assert (
        "Deleted Ada Quill, with 1 journal entries with only them (deleted); 1 journal entries "
        "with others (they are taken off)" in " ".join(result.stdout.split())
    )
    assert [i.summary for i in Interaction.objects.all()] == ["Lunch with someone"]


def test_deleting_a_person_asks_first_saying_what_goes(
    cli: Run, alice: User, make_person: Any, monkeypatch: Any
) -> None:
    import circleback.cli.people as people_cli

    ada = make_person(alice, "Ada Quill", emails=["ada@x.org"])
    interaction_log(owner=alice, summary="Coffee", people=[ada])
    monkeypatch.setattr(people_cli, "is_interactive", lambda: True)
    result = cli("person", "delete", "Ada", input="n\n")
    assert "with 1 contact details (emails, phones, links); 1 journal entries" in " ".join(
        result.stdout.split()
    )
    assert Person.objects.filter(pk=ada.pk).exists()


def test_a_card_is_a_fixed_number_of_queries(
    cli: Run, alice: User, make_person: Any, django_assert_max_num_queries: Any
) -> None:
    ada = make_person(alice, "Ada Quill", organisation="Hooli", emails=["ada@x.org"], tags=["x"])
    for i in range(15):
        other = make_person(alice, f"Friend {i}", organisation=f"Org {i}")
        tie_set(owner=alice, person=ada, other=other)
        interaction_log(owner=alice, summary=f"Call {i}", people=[ada, other], kind="call")
    cli("people", "--limit", "1")  # settles the once-per-process start-up checks
    with django_assert_max_num_queries(15):
        assert cli("person", "show", "Ada Quill").exit_code == 0
    with django_assert_max_num_queries(15):
        data = as_json(cli("person", "show", "Ada Quill", "--json"))
    assert len(data["ties"]) == 15 and len(data["journal"]) == 10
