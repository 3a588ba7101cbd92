"""`circleback org add|list|show|edit`."""

from __future__ import annotations

from typing import Any

import pytest

from circleback.accounts.models import User
from circleback.cli.tests.support import Run, as_json, one_line_error
from circleback.journal.services import interaction_log
from circleback.people.models import Organisation
from circleback.people.services.organisations import organisation_create

ORG_KEYS = {
    "uuid",
    "name",
    "domain",
    "industry",
    "location",
    "is_target",
    "priority",
    "stage",
    "notes",
}


def test_it_adds_a_target_organisation(cli: Run, alice: User) -> None:
    data = as_json(
        cli(
            "org", "add", "Hooli", "--domain", "Hooli.com", "--industry", "Search",
            "--location", "Palo Alto", "--target", "--priority", "1", "--stage", "Networking",
            "--notes", "Ask Ada", "--json",
        )
    )  # fmt: skip
    assert set(data) == ORG_KEYS
    assert data["name"] == "Hooli" and data["domain"] == "hooli.com"
    assert (data["is_target"], data["priority"], data["stage"]) == (True, 1, "networking")
    assert Organisation.objects.get().owner == alice


def test_a_priority_makes_it_a_target(cli: Run, alice: User) -> None:
    result = cli("org", "add", "Initech", "--priority", "2")
    assert result.exit_code == 0
    assert "Added Initech as a target" in result.stdout
    assert Organisation.objects.get().is_target


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["  "], "an organisation needs a name"),
        (["Hooli", "--priority", "6"], "--priority must be from 1 (most wanted) to 5, not 6"),
        (["Hooli", "--stage", "dreaming"], "--stage 'dreaming' is not a stage; use one of"),
        (["Globex, Inc."], "You already have 'Globex'"),
        (["..."], "has no letters or digits"),
    ],
)
def test_it_refuses_a_bad_organisation_and_writes_nothing(
    cli: Run, alice: User, args: list[str], expected: str
) -> None:
    organisation_create(owner=alice, name="Globex")
    result = cli("org", "add", *args)
    assert result.exit_code == 2
    assert expected in one_line_error(result)
    assert Organisation.objects.count() == 1


def test_it_lists_targets_first_by_priority_then_stage(cli: Run, alice: User) -> None:
    organisation_create(owner=alice, name="Alpha", is_target=True, priority=2, stage="networking")
    organisation_create(owner=alice, name="Beta", is_target=True, priority=1, stage="researching")
    organisation_create(owner=alice, name="Gamma", is_target=True, priority=1, stage="offer")
    organisation_create(owner=alice, name="Delta")
    data = as_json(cli("org", "list", "--json"))
    assert [o["name"] for o in data] == ["Gamma", "Beta", "Alpha", "Delta"]
    assert all(o["people_count"] == 0 for o in data)
    targets = as_json(cli("org", "list", "--targets", "--json"))
    assert [o["name"] for o in targets] == ["Gamma", "Beta", "Alpha"]
    table = cli("org", "list").stdout
    assert "Organisations (4)" in table and "P1" in table and "Offer" in table


def test_org_list_says_how_to_start(cli: Run, alice: User) -> None:
    assert "No organisations yet" in cli("org", "list").stdout
    assert "No target employers yet" in cli("org", "list", "--targets").stdout
    assert as_json(cli("org", "list", "--json")) == []


def test_it_shows_an_organisation_with_its_people_and_journal(
    cli: Run, alice: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill", organisation="Hooli", is_decision_maker=True)
    make_person(alice, "Bart Nguyen", organisation="Hooli", title="Engineer")
    make_person(alice, "Cleo Park", organisation="Initech")
    interaction_log(owner=alice, summary="Coffee with Ada", people=[ada])
    result = cli("org", "show", "hooli")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "People there (2)" in out
    assert "Ada Quill ★" in out and "Bart Nguyen" in out and "Cleo Park" not in out
    assert "★ decision maker" in out
    assert "Coffee with Ada" in out
    data = as_json(cli("org", "show", "Hooli", "--json"))
    assert set(data) >= ORG_KEYS
    assert data["people_count"] == 2
    assert [p["full_name"] for p in data["people"]] == ["Ada Quill", "Bart Nguyen"]
    assert data["people"][0]["is_decision_maker"] is True
    assert [e["summary"] for e in data["journal"]] == ["Coffee with Ada"]


def test_an_empty_organisation_suggests_adding_someone(cli: Run, alice: User) -> None:
    organisation_create(owner=alice, name="Hooli")
    assert "No one there yet" in cli("org", "show", "Hooli").stdout


def test_it_never_shows_another_accounts_organisation(cli: Run, alice: User, charlie: User) -> None:
    theirs = organisation_create(owner=charlie, name="Secret Corp")
    organisation_create(owner=alice, name="Hooli")
    for query in ("Secret Corp", str(theirs.uuid)):
        result = cli("--user", "alice", "org", "show", query)
        assert result.exit_code == 1
        assert "no organisation matches" in one_line_error(result)
    names = [o["name"] for o in as_json(cli("--user", "alice", "org", "list", "--json"))]
    assert names == ["Hooli"]
    assert cli("--user", "alice", "org", "edit", "Secret Corp", "--stage", "offer").exit_code == 1
    theirs.refresh_from_db()
    assert theirs.stage == "researching"


def test_it_edits_an_organisation(cli: Run, alice: User) -> None:
    organisation_create(owner=alice, name="Hooli")
    data = as_json(
        cli("org", "edit", "Hooli", "--stage", "interviewing", "--priority", "1", "--json")
    )
    assert (data["is_target"], data["priority"], data["stage"]) == (True, 1, "interviewing")
    result = cli("org", "edit", "Hooli", "--name", "Hooli XYZ", "--not-target")
    assert result.exit_code == 0
    assert "Saved Hooli XYZ." in result.stdout
    assert not Organisation.objects.get().is_target


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["Hooli"], 2, "nothing to change"),
        (["Hooli", "--stage", "won"], 2, "--stage 'won' is not a stage"),
        (["Hooli", "--priority", "0"], 2, "--priority must be from 1"),
        (["Hooli", "--name", " "], 2, "--name can't be empty"),
        (["Hooli", "--name", "Initech"], 2, "You already have 'Initech'"),
        (["Nowhere", "--stage", "offer"], 1, "no organisation matches 'Nowhere'"),
    ],
)
def test_it_refuses_a_bad_edit_and_changes_nothing(
    cli: Run, alice: User, args: list[str], code: int, expected: str
) -> None:
    hooli = organisation_create(owner=alice, name="Hooli")
    organisation_create(owner=alice, name="Initech")
    result = cli("org", "edit", *args)
    assert result.exit_code == code
    assert expected in one_line_error(result)
    hooli.refresh_from_db()
    assert (hooli.name, hooli.stage, hooli.priority, hooli.is_target) == (
        "Hooli",
        "researching",
        None,
        False,
    )


def test_an_organisation_card_is_a_fixed_number_of_queries(
    cli: Run, alice: User, make_person: Any, django_assert_max_num_queries: Any
) -> None:
    people = [
        make_person(alice, f"Person {i}", organisation="Hooli", emails=[f"p{i}@x.org"])
        for i in range(20)
    ]
    for i in range(12):
        interaction_log(owner=alice, summary=f"Call {i}", people=people[i : i + 3])
    cli("org", "list")  # settles the once-per-process start-up checks
    with django_assert_max_num_queries(15):
        assert cli("org", "show", "Hooli").exit_code == 0
    with django_assert_max_num_queries(15):
        data = as_json(cli("org", "show", "Hooli", "--json"))
    assert len(data["people"]) == 20 and len(data["journal"]) == 10
