"""On PostgreSQL a search reads only its owner's matches: the owner is a column of the
full-text index (btree_gin), and the query compares it so that the index can answer it.
Measured on an organisation's database by bench/org.py; here the plan is checked, since a
timing would say nothing on a test database of a few rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circleback.journal.queries import search
from circleback.journal.services import interaction_log
from circleback.people.services.people import person_create

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's full-text index"
)


def _index_conditions(plan: dict[str, Any]) -> list[str]:
    found = [plan.get("Index Cond", "")]
    for child in plan.get("Plans", []):
        found += _index_conditions(child)
    return [c for c in found if c]


def _filler(owner: Any, count: int) -> None:
    """Documents of other words, so the planner has a reason to prefer the full-text index."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_searchdocument (owner_id, kind, title, body) "
            "SELECT %s, kind, 'filler ' || n, 'notes about meeting ' || n "
            "FROM generate_series(1, %s) n, (VALUES ('person'), ('interaction')) k(kind)",
            [owner.pk, count],
        )


@pytest.mark.parametrize("text", ["zanzibar", "zanzibar lunch"])
def test_it_asks_the_full_text_index_for_the_owners_matches_only(alice, charlie, text):
    for owner in (alice, charlie):
        ana = person_create(owner=owner, full_name="Ana Zanzibar", if_exists="new")
        interaction_log(owner=owner, summary="Zanzibar lunch with Ana", people=[ana])
        _filler(owner, 3000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
    with CaptureQueriesContext(connection) as captured:
        search(owner=alice, text=text)
    full_text = [q["sql"] for q in captured.captured_queries if "to_tsquery" in q["sql"]]
    assert full_text
    words = []  # the conditions the full-text index was asked
    with connection.cursor() as cursor:
        for sql in full_text:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            (plan,) = cursor.fetchone()
            words += [c for c in _index_conditions(plan[0]["Plan"]) if "@@" in c]
    # Asked with the owner, not for every account's matches to be filtered afterwards.
    assert words and all("owner_id" in c for c in words), words


def test_a_people_search_ranks_by_the_stored_vector_that_follows_every_edit(alice):
    """ts_rank reads the vector stored beside each person's document (search migration
    0009), not one rebuilt from the title and body for every match: the stored one must be
    exactly the index's, after creates, edits and renames; journal entries store none."""
    from circleback.people.services.people import person_update
    from circleback.search.queries import _PG_VECTOR, search_people_ids

    cy = person_create(owner=alice, full_name="Cy Stone", notes="met Quill", if_exists="new")
    bo = person_create(owner=alice, full_name="Bo Stone", if_exists="new")
    ana = person_create(owner=alice, full_name="Ana Quill", if_exists="new")
    interaction_log(owner=alice, summary="Lunch with Ana", people=[ana])
    person_update(person=bo, full_name="Bo Quillon")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind, person_vector IS NULL, person_vector = {_PG_VECTOR} "
            "FROM search_searchdocument d WHERE owner_id = %s ORDER BY kind",
            [alice.pk],
        )
        rows = cursor.fetchall()
    assert rows == [("interaction", True, None)] + [("person", False, True)] * 3
    with CaptureQueriesContext(connection) as captured:
        ranked = search_people_ids(owner=alice, text="quil")
    # Names (renamed Bo's new one included) above a notes match.
    assert set(ranked[:2]) == {ana.pk, bo.pk} and ranked[2:] == [cy.pk]
    assert any("ts_rank(d.person_vector" in q["sql"] for q in captured.captured_queries)
