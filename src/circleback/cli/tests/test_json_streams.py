"""`people --json` and `journal --json` read plain rows with a few set-based queries a batch:
the same JSON, to the byte, as the model-based serializers wrote, in a number of queries that
does not grow with the rows."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circleback.accounts.models import User
from circleback.cli import _paging
from circleback.cli.journal import interaction_to_dict
from circleback.cli.tests.support import Run, as_json, cli  # noqa: F401  (the fixture)
from circleback.journal.queries import journal_list
from circleback.journal.services import interaction_log
from circleback.people.queries import people_list, with_details
from circleback.people.serializers import people_to_dicts


@pytest.fixture
def network(alice: User, charlie: User, make_person: Any) -> list[Any]:
    """People with every kind of detail (and none), introducers, namesakes; entries with none,
    one and several people; another owner's who must not show."""
    people: list[Any] = []
    for i in range(23):
        people.append(
            make_person(
                alice,
                f"Person {i:02}" if i % 5 else "Ada Quill",
                organisation=f"Org {i % 4}" if i % 3 else None,
                title="CTO" if i % 2 else "",
                emails=[f"p{i}@example.org", f"p{i}.b@example.com"][: i % 3],
                phones=["+44 20 7946 0958", "+1 425 555 0100"][: i % 3],
                links=[f"https://www.linkedin.com/in/p-{i}"][: i % 2],
                tags=["mentor", "Data", "event"][: i % 4],
                notes=f"Notes “{i}”\nline two" if i % 2 else "",
                contact_list="ABC"[i % 3],
                closeness=1 + i % 5,
                cadence_days=30 if i % 4 == 0 else None,
                is_decision_maker=i % 6 == 0,
                birthday_month=1 + i % 12,
                birthday_day=1 + i % 28,
                met_on=dt.date(2024, 1, 1) + dt.timedelta(days=i) if i % 2 else None,
                introduced_by=people[i - 1] if i % 4 == 1 else None,
                location="London" if i % 3 == 0 else "",
            )
        )
    make_person(charlie, "Theirs Only", emails=["theirs@example.org"], tags=["secret"])
    for i in range(31):
        with_ = people[i % 23 : i % 23 + i % 4]
        interaction_log(
            owner=alice,
            summary=f"Entry {i}",
            people=with_,
            kind=["call", "meeting", "note", "email"][i % 4],
            notes="with notes" if i % 2 else "",
            occurred_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC) + dt.timedelta(hours=i),
        )
    return people


def _old_people(owner: User) -> list[dict[str, Any]]:
    return people_to_dicts(with_details(people_list(owner=owner)))


def _by_uuid(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Who took part in an entry had no order before (a prefetch's); now it is the order they
    were added. Compare entries with their people sorted."""
    return [{**e, "people": sorted(e["people"], key=lambda p: p["uuid"])} for e in entries]


def test_people_json_is_what_the_serializer_wrote(cli: Run, alice: User, network: Any) -> None:  # noqa: F811
    listed = as_json(cli("--user", "alice", "people", "--json"))
    assert listed == _old_people(alice)
    assert len(listed) == 23
    assert "theirs@example.org" not in json.dumps(listed)
    # Byte for byte the same text as the whole list written at once.
    assert (
        cli("--user", "alice", "people", "--json").stdout
        == json.dumps(listed, ensure_ascii=False, indent=2) + "\n"
    )


def test_people_json_filters_and_pages_as_the_table_does(
    cli: Run,  # noqa: F811
    alice: User,
    network: Any,
) -> None:
    old = {d["uuid"]: d for d in _old_people(alice)}
    for options in (
        ["--list", "B"],
        ["--tag", "mentor"],
        ["--org", "Org 1"],
        ["--sort", "added"],
        ["--sort", "last-contact"],
        ["--search", "ada"],
        ["--limit", "4", "--offset", "3"],
    ):
        listed = as_json(cli("--user", "alice", "people", "--json", *options))
        assert listed, options
        assert listed == [old[item["uuid"]] for item in listed], options
    assert {
        p["full_name"]
        for p in as_json(cli("--user", "alice", "people", "--json", "--search", "ada"))
    } == {"Ada Quill"}


def test_journal_json_is_what_the_serializer_wrote(cli: Run, alice: User, network: Any) -> None:  # noqa: F811
    listed = as_json(cli("--user", "alice", "journal", "--json"))
    old = [interaction_to_dict(e) for e in journal_list(owner=alice)]
    assert len(listed) == 31
    assert _by_uuid(listed) == _by_uuid(old)
    several = next(e for e in listed if e["summary"] == "Entry 3")
    assert [p["full_name"] for p in several["people"]] == ["Person 03", "Person 04", "Ada Quill"]
    narrowed = as_json(
        cli("--user", "alice", "journal", "--json", "--person", "Person 04", "--limit", "2")
    )
    assert [e["summary"] for e in narrowed] == [
        e["summary"] for e in listed if any(p["full_name"] == "Person 04" for p in e["people"])
    ][:2]


@pytest.mark.parametrize(("command", "total"), [(["people"], 23), (["journal"], 31)])
def test_the_queries_do_not_grow_with_the_rows(
    cli: Run,  # noqa: F811
    network: Any,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    total: int,
) -> None:
    """Batches of 5 rows: 23 people are 5 batches, each a fixed handful of queries."""
    monkeypatch.setattr(_paging, "BATCH", 5)
    monkeypatch.setattr(_paging.batches, "__defaults__", (5,))
    with CaptureQueriesContext(connection) as small:
        assert len(as_json(cli("--user", "alice", *command, "--json", "--limit", "5"))) == 5
    with CaptureQueriesContext(connection) as everyone:
        assert len(as_json(cli("--user", "alice", *command, "--json"))) == total
    batches = -(-total // 5)
    per_batch = len(small.captured_queries)
    # Each further batch adds its own few (details or who took part), never one per row.
    assert len(everyone.captured_queries) <= per_batch * batches
    assert len(everyone.captured_queries) < total
