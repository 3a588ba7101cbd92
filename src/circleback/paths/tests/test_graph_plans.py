"""On PostgreSQL the graph's cold load reads only its owner's journal: the entries its
participations join are found through the owner, not by hashing every account's journal.
Measured on an organisation's database by bench/org.py (plan_findings); here the plan is
checked, since a timing would say nothing on a test database this small."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from circleback.journal.models import Interaction, Participation
from circleback.paths.graph import load_graph
from circleback.people.models import Person

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's plans for an organisation's journal"
)

JOURNAL = "journal_interaction"


def _journal(owner: Any, entries: int) -> None:
    """`entries` journal entries with one person each, written in bulk."""
    person = Person.objects.create(owner=owner, full_name=f"Busy {owner.username}")
    start = timezone.now() - dt.timedelta(days=400)
    made = Interaction.objects.bulk_create(
        [
            Interaction(
                owner=owner,
                uuid=uuid.uuid4(),
                occurred_at=start + dt.timedelta(hours=n),
                kind="call",
                direction="outgoing" if n % 3 else "incoming",
                summary=f"Call {n}",
            )
            for n in range(entries)
        ],
        batch_size=2000,
    )
    Participation.objects.bulk_create(
        [
            Participation(
                owner=owner, interaction=entry, person=person, occurred_at=entry.occurred_at
            )
            for entry in made
        ],
        batch_size=2000,
    )


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def test_the_cold_load_reads_its_owners_journal_entries_through_the_owner(alice, charlie):
    # Another account with ten times the journal: what a plan that scans it would read.
    _journal(alice, 2_000)
    _journal(charlie, 20_000)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {JOURNAL}")
        cursor.execute("ANALYZE journal_participation")
    with CaptureQueriesContext(connection) as captured:
        graph = load_graph(alice)
    assert int(graph.interactions.sum()) == 2_000  # alice's own, every one
    joins = [q["sql"] for q in captured.captured_queries if JOURNAL in q["sql"]]
    assert joins
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {joins[0]}")
        (plan,) = cursor.fetchone()
    scans = [n for n in _nodes(plan[0]["Plan"]) if n.get("Relation Name") == JOURNAL]
    assert scans
    for scan in scans:
        # Not a scan of every account's entries, but a lookup by the owner.
        assert scan["Node Type"] != "Seq Scan", scan
        condition = scan.get("Index Cond", "") + scan.get("Recheck Cond", "")
        assert "owner_id" in condition, scan
