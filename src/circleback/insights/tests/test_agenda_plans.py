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
