"""`circleback demo`: the happy path, its JSON, and bad values that leave the database alone."""

from __future__ import annotations

from typing import Any

import pytest

from circleback.accounts.models import User
from circleback.cli.demo import MAX_PEOPLE
from circleback.cli.tests.support import Run, as_json, cli, cli_environment, one_line_error
from circleback.demo import services
from circleback.journal.models import Interaction
from circleback.people.models import Organisation, Person, Tie

__all__ = ["cli", "cli_environment"]


def _counts() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Organisation.objects.count(),
        Tie.objects.count(),
        Interaction.objects.count(),
    )


def test_it_generates_a_network_and_says_what_it_made(cli: Run, alice: User) -> None:
    result = cli("demo", "--people", "40", "--years", "2")
    assert result.exit_code == 0, result.output
    assert "Sample network for alice" in result.stdout
    entries = Interaction.objects.filter(owner=alice).count()
    # Ten entries a person over two years, and those the give and take wrote.
    assert entries > 400 and "Journal entries" in result.stdout and str(entries) in result.stdout
    assert "circleback search" in result.stdout
    assert Person.objects.filter(owner=alice).count() == 40


def test_the_club_stays_out_of_the_way_of_a_single_user(cli: Run, alice: User) -> None:
    """The demo's fellow club members are accounts of their own, but no one signs in to
    them: with no --user, every command is still alice's, and the club is hers to explore."""
    made = cli("demo", "--people", "60", "--years", "1")
    assert made.exit_code == 0, made.output
    assert "Job club" in made.stdout and "group requests --state asked" in made.stdout
    assert User.objects.count() == 4
    assert len(as_json(cli("people", "--json"))) == 60
    shown = as_json(cli("group", "show", "Thursday job club", "--json"))
    assert shown["members"] == len(shown["member_list"]) == 4 and shown["opened"]
    waiting = as_json(cli("group", "requests", "--direction", "asked_of_you", "--json"))
    assert waiting[0]["seeker"] == "Jonas Weber"
    board = as_json(cli("group", "board", "Thursday job club", "--json"))
    assert {p["kind"] for p in board["posts"]} == {"ask", "offer"}
    User.objects.create(username="second-person")  # a real second account: now say which
    assert cli("people", "--json").exit_code == 2


def test_it_reports_as_json(cli: Run, alice: User) -> None:
    report = as_json(cli("demo", "--people", "30", "--seed", "9", "--json"))
    assert report["people"] == 30 and report["seed"] == 9
    assert report["interactions"] == Interaction.objects.filter(owner=alice).count() > 300
    assert report["give_and_take"]["meetings"] > 0
    assert set(report["lists"]) == {"A", "B", "C"}


@pytest.mark.parametrize(
    "args",
    [
        ["--people", "0"],
        ["--people", "-4"],
        ["--people", str(MAX_PEOPLE + 1)],
        ["--years", "0"],
        ["--years", "99"],
        ["--seed", "-1"],
    ],
)
def test_it_rejects_bad_values_and_writes_nothing(cli: Run, alice: User, args: list[str]) -> None:
    result = cli("demo", *args)
    assert result.exit_code == 2
    assert args[0] in one_line_error(result)
    assert _counts() == (0, 0, 0, 0)


def test_it_refuses_an_account_with_people_and_explains_force(
    cli: Run, alice: User, make_person: Any
) -> None:
    make_person(alice, "Ada Quill")
    before = _counts()
    result = cli("demo", "--people", "20")
    assert result.exit_code == 1
    message = one_line_error(result)
    assert "already has 1 person" in message and "--force" in message
    assert _counts() == before
    assert cli("demo", "--people", "20", "--force").exit_code == 0
    assert Person.objects.filter(owner=alice).count() == 21


def test_its_limit_matches_the_service() -> None:
    assert MAX_PEOPLE == services.MAX_PEOPLE
