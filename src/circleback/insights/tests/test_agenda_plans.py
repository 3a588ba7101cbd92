"""The reconnects' candidates are index walks: each default-cadence bucket reads its own index
from the longest silent and stops after a few, whatever the size of the network. Their SQL is
written by hand with SQLite's index hints (agenda._candidates_sql); here SQLite's plan for it
is checked, since a timing would say nothing on a test database this small."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circleback.insights.queries.agenda import reconnects_due
from circleback.insights.services import person_snooze
from circleback.insights.tests.conftest import at, contact

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the index hints are SQLite's (`+column`)"
)

NOW = at(2026, 11, 20, 10)


def test_each_bucket_walks_its_own_index_and_none_reads_the_whole_network(alice, added):
    long_ago = at(2024, 1, 1)
    people = [
        added(alice, f"P{i}", long_ago, contact_list="ABC"[i % 3], closeness=1 + i % 5)
        for i in range(30)
    ]
    for i, person in enumerate(people[:24]):
        contact(alice, person, NOW - dt.timedelta(days=40 + 9 * i))
    with time_machine.travel(NOW, tick=False):
        person_snooze(owner=alice, person=people[0], until=dt.date(2026, 12, 1))
        with CaptureQueriesContext(connection) as captured:
            found = reconnects_due(alice)
    assert found
    (union,) = [q["sql"] for q in captured.captured_queries if "UNION ALL" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {union}")
        plan = [row[-1] for row in cursor.fetchall()]
    # The inner circle through (closeness, last contact); each list and strength through
    # (list, last contact), limited there: six walks.
    assert sum("INDEX person_owner_close_last" in step for step in plan) == 1, plan
    assert sum("INDEX person_owner_list_last" in step for step in plan) == 6, plan
    assert not [s for s in plan if "SCAN people_person" in s or "person_owner_id" in s], plan


def test_a_shares_followers_are_found_through_the_owners_own_tags(alice, added, bob):
    """Matched by name alone, a topic's followers were every account's people with a tag of
    that name (make bench-org: 61,149 buffers among other accounts against 318 alone); the
    owner's tags are looked up first, through their (lower(name), owner) index."""
    from circleback.insights.queries.agenda import suggested_gives
    from circleback.loops.services import shares

    ada = added(alice, "Ada Quill", at(2025, 1, 1), closeness=3, tags=["Fintech"])
    added(alice, "Bart N", at(2025, 1, 1), closeness=3, tags=["fintech"])
    added(bob, "Theirs", at(2024, 1, 1), closeness=3, tags=["fintech"])
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        shares.share_log(owner=alice, people=[ada], title="State of fintech", topics="fintech")
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as captured:
        gives = suggested_gives(alice)
    assert [p.full_name for p in gives[0].people] == ["Bart N"]
    (followers,) = [q["sql"] for q in captured.captured_queries if "ROW_NUMBER" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {followers}")
        plan = [row[-1] for row in cursor.fetchall()]
    assert any("INDEX tag_unique_name_per_owner (<expr>=? AND owner_id=?)" in s for s in plan), plan
    # (The window's own subqueries are scanned as they come: "SCAN qualify", "SCAN (subquery-N)".)
    assert not [s for s in plan if s.startswith("SCAN") and "qualify" not in s and "(" not in s]
