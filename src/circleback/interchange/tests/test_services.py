"""The import service: dedupe, merge, one transaction, dry runs, and the backup round trip."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest

from circleback.accounts.models import User
from circleback.interchange.exports import backup_document, export_json
from circleback.interchange.models import PossibleDuplicate
from circleback.interchange.records import InterchangeError
from circleback.interchange.services import BrokenRecordsError, import_file
from circleback.journal.models import Interaction, Participation
from circleback.journal.services import interaction_log
from circleback.people.models import Email, Link, Organisation, Person, Phone, Photo, Tag, Tie
from circleback.people.services.ties import tie_set
from circleback.search.queries import search_people_ids

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def counts() -> dict[str, int]:
    models: list[Any] = [
        Person,
        Email,
        Phone,
        Link,
        Photo,
        Organisation,
        Tag,
        Tie,
        Interaction,
        Participation,
        PossibleDuplicate,
        Person.tags.through,
    ]
    return {m.__name__: m.objects.count() for m in models}


def test_it_imports_a_linkedin_export(alice: User) -> None:
    report = import_file(owner=alice, data=load("linkedin_connections_2024.csv"), tags=["li"])
    assert (report.format, report.created, report.merged) == ("linkedin", 4, 0)
    ada = Person.objects.get(owner=alice, full_name="Ada Quill")
    assert ada.organisation is not None and ada.organisation.name == "Hooli, Inc."
    assert ada.source == "linkedin" and ada.contact_list == "B"
    assert str(ada.met_on) == "2024-03-05"
    assert [t.name for t in ada.tags.all()] == ["li"]
    assert ada.links.get().kind == "linkedin"
    # "Hooli, Inc." and "Hooli" are one organisation.
    bart = Person.objects.get(owner=alice, full_name="Bart Nguyen")
    assert bart.organisation_id == ada.organisation_id
    assert [s.where for s in report.skipped] == ["row 8"]
    assert search_people_ids(owner=alice, text="quill", limit=10)


def test_importing_the_same_file_twice_changes_nothing(alice: User) -> None:
    for name in (
        "linkedin_connections_2024.csv",
        "linkedin_connections_2018_excel.csv",
        "vcard30_apple.vcf",
        "vcard21_outlook_android.vcf",
        "google_contacts.csv",
        "outlook_desktop.csv",
    ):
        import_file(owner=alice, data=load(name), skip_bad=True)
        before = counts()
        again = import_file(owner=alice, data=load(name), skip_bad=True)
        assert again.created == 0 and again.merged == 0, name
        assert counts() == before, name


def test_it_merges_people_with_the_same_email_across_files(alice: User) -> None:
    import_file(owner=alice, data=load("linkedin_connections_2024.csv"))
    report = import_file(owner=alice, data=load("linkedin_connections_2018_excel.csv"))
    assert report.created == 2 and report.merged == 1
    ada = Person.objects.get(owner=alice, full_name="Ada Quill")
    # The older export's title is kept, not lost (nor taken as a new role: all its dates are
    # before the first import); the earliest connection date wins.
    assert ada.title == "VP Engineering" and report.role_changes == []
    assert "title: Director of Engineering" in ada.notes
    assert str(ada.met_on) == "2021-04-04"


def test_a_shared_phone_only_offers_a_possible_duplicate(alice: User, make_person: Any) -> None:
    """A phone number is not an identity (offices and families share them): someone with the
    same number, written differently, is offered for review with that reason, not merged."""
    mueller = make_person(alice, "Juergen Mueller", phones=["+49301234567"])
    report = import_file(owner=alice, data=load("vcard21_outlook_android.vcf"))
    assert report.merged == 0 and report.created == 2
    juergen = Person.objects.get(owner=alice, full_name="Jürgen Müller")
    assert juergen.phones.count() == 2
    assert Photo.objects.get(person=juergen).content_type == "image/png"
    [pair] = PossibleDuplicate.objects.filter(owner=alice)
    assert {pair.person_a_id, pair.person_b_id} == {mueller.pk, juergen.pk}
    assert pair.reason == "share the phone number +49301234567"
    assert report.possible_duplicates[0]["reason"] == pair.reason


def test_it_never_merges_into_another_owners_people(alice: User, charlie: User) -> None:
    import_file(owner=charlie, data=load("linkedin_connections_2024.csv"))
    report = import_file(owner=alice, data=load("linkedin_connections_2024.csv"))
    assert report.created == 4 and report.merged == 0
    assert Person.objects.filter(owner=charlie).count() == 4
    assert Person.objects.filter(owner=alice).count() == 4
    assert not Email.objects.filter(owner=alice, person__owner=charlie).exists()


def test_a_merge_fills_empty_fields_and_leaves_the_unchanged_alone(alice: User) -> None:
    import_file(owner=alice, data=load("linkedin_connections_2024.csv"))
    ada = Person.objects.get(owner=alice, full_name="Ada Quill")
    Person.objects.filter(pk=ada.pk).update(title="")
    untouched = Person.objects.exclude(pk=ada.pk).filter(owner=alice)
    stamps = dict(untouched.values_list("pk", "updated_at"))
    report = import_file(owner=alice, data=load("linkedin_connections_2024.csv"))
    assert (report.created, report.merged, report.unchanged) == (0, 1, 3)
    ada.refresh_from_db()
    assert ada.title and ada.updated_at > ada.created_at
    assert dict(untouched.values_list("pk", "updated_at")) == stamps


def test_a_dry_run_writes_nothing(alice: User) -> None:
    before = counts()
    report = import_file(owner=alice, data=load("vcard30_apple.vcf"), dry_run=True)
    assert report.dry_run and report.created == 1
    assert counts() == before


def test_broken_records_import_nothing_unless_skipped(alice: User) -> None:
    before = counts()
    for dry_run in (True, False):
        with pytest.raises(BrokenRecordsError, match="card 2"):
            import_file(owner=alice, data=load("vcard_truncated.vcf"), dry_run=dry_run)
    assert counts() == before
    assert gc.isenabled(), "the garbage collector, paused for the import, runs again"
    report = import_file(owner=alice, data=load("vcard_truncated.vcf"), skip_bad=True)
    assert report.created == 1 and [s.broken for s in report.skipped] == [True]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"colour,shape\nred,round\n", "can't tell what this file is"),
        (load("vcard_truncated.vcf"), "cut off"),
        (b"", "empty"),
    ],
)
def test_it_refuses_a_file_that_is_not_what_it_claims(
    alice: User, data: bytes, message: str
) -> None:
    before = counts()
    with pytest.raises(InterchangeError, match=message):
        import_file(owner=alice, data=data)
    assert counts() == before


def test_it_refuses_a_file_of_the_wrong_format_when_told_the_format(alice: User) -> None:
    with pytest.raises(InterchangeError, match="expected a vCard"):
        import_file(owner=alice, data=load("google_contacts.csv"), format="vcard")


def test_it_refuses_files_over_50_mb(alice: User) -> None:
    with pytest.raises(InterchangeError, match="at most 50 MB"):
        import_file(owner=alice, data=b"x" * (50 * 1024 * 1024 + 1))


def test_it_turns_groups_into_tags_and_company_cards_into_organisations(alice: User) -> None:
    import_file(owner=alice, data=load("vcard30_apple.vcf"))
    hana = Person.objects.get(owner=alice)
    assert [t.name for t in hana.tags.all()] == ["Mentors"]
    assert hana.birthday_month == 4 and hana.birthday_year is None
    assert hana.emails.get().label == "Work"
    assert Organisation.objects.filter(owner=alice, name="Vandelay Industries").exists()


def test_it_lists_similar_names_at_one_organisation_as_possible_duplicates(
    alice: User, make_person: Any
) -> None:
    make_person(alice, "Robert Nguyen", organisation="Hooli")
    data = (
        b"First Name,Last Name,URL,Company,Position,Connected On\n"
        b"Rob,Nguyen,https://linkedin.com/in/rob-ng,Hooli Inc,CTO,01 Jan 2024\n"
    )
    report = import_file(owner=alice, data=data)
    assert report.created == 1
    [pair] = report.possible_duplicates
    assert {pair["a"], pair["b"]} == {"Robert Nguyen", "Rob Nguyen"}
    assert PossibleDuplicate.objects.filter(owner=alice, status="open").count() == 1
    # Kept apart, the pair is not proposed again, even when a third Nguyen arrives.
    PossibleDuplicate.objects.update(status="kept_apart")
    again = import_file(
        owner=alice,
        data=data + b"Roberta,Nguyen,https://linkedin.com/in/roberta,Hooli,CFO,02 Jan 2024\n",
    )
    assert again.created == 1
    assert {frozenset((p["a"], p["b"])) for p in again.possible_duplicates} == {
        frozenset(("Robert Nguyen", "Roberta Nguyen")),
        frozenset(("Rob Nguyen", "Roberta Nguyen")),
    }


def test_it_logs_linkedin_messages_with_the_people_in_them_once(alice: User) -> None:
    import_file(owner=alice, data=load("linkedin_connections_2024.csv"))
    report = import_file(owner=alice, data=load("linkedin_messages.csv"))
    assert report.interactions_created == 2
    assert [s.reason for s in report.skipped] == ["nobody in your network took part"]
    ada = Person.objects.get(owner=alice, full_name="Ada Quill")
    entries = Interaction.objects.filter(owner=alice).order_by("occurred_at")
    assert [e.direction for e in entries] == ["incoming", "outgoing"]
    assert ada.last_contact_at == entries.last().occurred_at
    again = import_file(owner=alice, data=load("linkedin_messages.csv"))
    assert again.interactions_created == 0 and again.interactions_unchanged == 2
    invitations = import_file(owner=alice, data=load("linkedin_invitations.csv"))
    assert invitations.interactions_created == 2


def _network(owner: User, make_person: Any) -> None:
    import_file(owner=owner, data=load("vcard30_apple.vcf"))
    import_file(owner=owner, data=load("vcard40.vcf"))
    import_file(owner=owner, data=load("linkedin_connections_2024.csv"), contact_list="C")
    ada = Person.objects.get(owner=owner, full_name="Ada Quill")
    bart = Person.objects.get(owner=owner, full_name="Bart Nguyen")
    eve = make_person(owner, "Eve Adams", introduced_by=ada, closeness=5, cadence_days=30)
    tie_set(owner=owner, person=ada, other=bart, kind="colleague", strength=4)
    interaction_log(owner=owner, summary="Coffee with Ada and Eve", people=[ada, eve])


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "exported_at"}


def test_export_then_import_into_a_new_account_gives_the_same_data(
    alice: User, make_person: Any, django_user_model: Any
) -> None:
    _network(alice, make_person)
    original = backup_document(owner=alice)
    data = export_json(owner=alice)
    # A new database: the same uuids are free once alice's rows are gone.
    Person.objects.filter(owner=alice).delete()
    Organisation.objects.filter(owner=alice).delete()
    Interaction.objects.filter(owner=alice).delete()
    Tag.objects.filter(owner=alice).delete()
    fresh = django_user_model.objects.create(username="restored")
    report = import_file(owner=fresh, data=data)
    assert report.created == len(original["people"]) and not report.skipped
    restored = backup_document(owner=fresh)
    assert _comparable(restored) == _comparable(original)


def test_restoring_a_backup_over_itself_changes_nothing(alice: User, make_person: Any) -> None:
    _network(alice, make_person)
    data = export_json(owner=alice)
    before = counts()
    report = import_file(owner=alice, data=data)
    assert report.created == 0 and report.merged == 0
    assert counts() == before


def test_a_backup_restores_into_another_populated_account(
    alice: User, charlie: User, make_person: Any
) -> None:
    _network(alice, make_person)
    make_person(charlie, "Ada Quill", emails=["ada@quill.example"])
    data = export_json(owner=alice)
    report = import_file(owner=charlie, data=data)
    assert report.merged == 1
    assert (
        Person.objects.filter(owner=charlie).count() == Person.objects.filter(owner=alice).count()
    )
    assert Tie.objects.filter(owner=charlie).count() == 1
    assert Interaction.objects.filter(owner=charlie).count() == 1
    # alice's rows are untouched and the uuids are not shared.
    alice_uuids = set(Person.objects.filter(owner=alice).values_list("uuid", flat=True))
    charlie_uuids = set(Person.objects.filter(owner=charlie).values_list("uuid", flat=True))
    assert not alice_uuids & charlie_uuids
    before = counts()
    import_file(owner=charlie, data=data)
    assert counts() == before


def test_the_backup_documents_every_person_field(alice: User, make_person: Any) -> None:
    _network(alice, make_person)
    document = json.loads(export_json(owner=alice))
    hana = next(p for p in document["people"] if p["full_name"] == "Hana Tanaka")
    for key in (
        "uuid",
        "given_name",
        "family_name",
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
        "location",
        "how_we_met",
        "met_on",
        "birthday",
        "source",
        "created_at",
        "last_contact_at",
        "photo",
    ):
        assert key in hana
    assert hana["birthday"] == "--04-15"
    assert hana["photo"]["content_type"] == "image/png"
    eve = next(p for p in document["people"] if p["full_name"] == "Eve Adams")
    ada = next(p for p in document["people"] if p["full_name"] == "Ada Quill")
    assert eve["introduced_by"] == ada["uuid"]
    assert document["version"] == 2 and len(document["ties"]) == 1
