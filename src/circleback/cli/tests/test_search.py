"""`circleback search`."""

from __future__ import annotations

from typing import Any

import pytest

from circleback.accounts.models import User
from circleback.cli.tests.support import Run, as_json, one_line_error
from circleback.journal.services import interaction_log


@pytest.fixture
def network(alice: User, make_person: Any) -> None:
    ada = make_person(alice, "Ada Quill", organisation="Hooli", tags=["mentor"])
    make_person(alice, "Chloé Durand", title="Recruiter")
    interaction_log(owner=alice, summary="Quilting fair", notes="Met a recruiter", people=[ada])


def test_it_finds_people_and_journal_entries(cli: Run, network: None) -> None:
    result = cli("search", "qui")
    assert result.exit_code == 0, result.output
    assert "Ada Quill" in result.stdout and "Quilting fair" in result.stdout
    data = as_json(cli("search", "qui", "--json"))
    assert [p["full_name"] for p in data["people"]] == ["Ada Quill"]
    assert data["people"][0]["organization"] == "Hooli"
    assert [e["summary"] for e in data["journal"]] == ["Quilting fair"]
    assert data["journal"][0]["people"][0]["full_name"] == "Ada Quill"


def test_it_ignores_case_and_accents(cli: Run, network: None) -> None:
    data = as_json(cli("search", "CHLOE", "--json"))
    assert [p["full_name"] for p in data["people"]] == ["Chloé Durand"]


def test_it_narrows_to_people_or_journal(cli: Run, network: None) -> None:
    people_only = as_json(cli("search", "recruiter", "--people-only", "--json"))
    assert [p["full_name"] for p in people_only["people"]] == ["Chloé Durand"]
    assert people_only["journal"] == []
    journal_only = as_json(cli("search", "recruiter", "--journal-only", "--json"))
    assert journal_only["people"] == []
    assert [e["summary"] for e in journal_only["journal"]] == ["Quilting fair"]


def test_it_says_when_nothing_matches(cli: Run, network: None) -> None:
    result = cli("search", "zebra")
    assert result.exit_code == 0
    assert "Nothing matches 'zebra'" in result.stdout
    assert as_json(cli("search", "zebra", "--json")) == {"people": [], "journal": []}


def test_it_never_finds_another_accounts_people(
    cli: Run, network: None, charlie: User, make_person: Any
) -> None:
    secret = make_person(charlie, "Quincy Secret")
    interaction_log(owner=charlie, summary="Quiet meeting", people=[secret])
    data = as_json(cli("--user", "alice", "search", "qui", "--json"))
    assert [p["full_name"] for p in data["people"]] == ["Ada Quill"]
    assert [e["summary"] for e in data["journal"]] == ["Quilting fair"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["  "], "give some words to search for"),
        (["!!!"], "give some words to search for"),
        (["ada", "--people-only", "--journal-only"], "not both"),
        (["ada", "--limit", "0"], "--limit must be from 1 to 500"),
    ],
)
def test_it_refuses_a_bad_search(cli: Run, alice: User, args: list[str], expected: str) -> None:
    result = cli("search", *args)
    assert result.exit_code == 2
    assert expected in one_line_error(result)
