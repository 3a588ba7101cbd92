"""On PostgreSQL a search reads only its owner's matches: every word in the full-text index
starts with its owner's id (search migration 0010), the owner is the index's first column
(btree_gin), and the query asks for both. Measured on an organisation's database by
bench/org.py; here the plan is checked, since a timing would say nothing on a test database
of a few rows."""

from __future__ import annotations

import importlib
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
    full_text = [q["sql"] for q in captured.captured_queries if "search_owned_words(" in q["sql"]]
    assert len(full_text) == 2  # people, then journal entries
    words = []  # the conditions the full-text index was asked
    with connection.cursor() as cursor:
        for sql in full_text:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            (plan,) = cursor.fetchone()
            words += [c for c in _index_conditions(plan[0]["Plan"]) if "@@" in c]
    # Asked with the owner, and for the owner's words only ('7.zanzibar':*, its quotes
    # doubled in the plan's text), not for every account's matches to be filtered afterwards.
    assert len(words) == 2 and all("owner_id" in c for c in words), words
    owned = [f"''{alice.pk}.{word}'':*" for word in text.split()]
    assert all(all(w in c for w in owned) for c in words), words
    assert not any(f"''{charlie.pk}." in c for c in words), words


def test_a_people_search_ranks_by_the_stored_vector_that_follows_every_edit(alice):
    """ts_rank reads the vector stored beside each person's document (search migration
    0009), not one rebuilt from the title and body for every match: the stored one must be
    exactly the index's, after creates, edits and renames; journal entries store none."""
    from circleback.people.services.people import person_update
    from circleback.search.queries import search_people_ids

    stored = importlib.import_module("circleback.search.migrations.0004_fulltext_per_kind")._VECTOR

    cy = person_create(owner=alice, full_name="Cy Stone", notes="met Quill", if_exists="new")
    bo = person_create(owner=alice, full_name="Bo Stone", if_exists="new")
    ana = person_create(owner=alice, full_name="Ana Quill", if_exists="new")
    interaction_log(owner=alice, summary="Lunch with Ana", people=[ana])
    person_update(person=bo, full_name="Bo Quillon")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind, person_vector IS NULL, person_vector = {stored} "
            "FROM search_searchdocument d WHERE owner_id = %s ORDER BY kind",
            [alice.pk],
        )
        rows = cursor.fetchall()
    assert rows == [("interaction", True, None)] + [("person", False, True)] * 3
    with CaptureQueriesContext(connection) as captured:
        ranked = search_people_ids(owner=alice, text="quil", limit=10)
    # Names (renamed Bo's new one included) above a notes match.
    assert set(ranked[:2]) == {ana.pk, bo.pk} and ranked[2:] == [cy.pk]
    assert any("ts_rank(d.person_vector" in q["sql"] for q in captured.captured_queries)


@pytest.mark.parametrize(
    ("document_owner", "query_owner", "text", "found"),
    [
        (1, 1, "ada qu", True),
        (1, 1, "quill ada", True),  # any order, every word a prefix
        (1, 1, "ada zed", False),  # every word must match
        (1, 11, "ada", False),  # "11.ada" doesn't start with "1.ada"...
        (11, 1, "ada", False),  # ...and "1.ada" doesn't start with "11.ada"
        (1, 1, "", None),  # no words: no query, so no match
    ],
)
@pytest.mark.django_db
def test_owned_words_match_only_their_owners_query(document_owner, query_owner, text, found):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_owned_words(%s, 'Ada Quill', 'notes') @@ search_owned_query(%s, %s)",
            [document_owner, query_owner, text],
        )
        assert cursor.fetchone()[0] is found


def _filters(plan: dict[str, Any]) -> list[str]:
    found = [plan.get("Filter", "")]
    for child in plan.get("Plans", []):
        found += _filters(child)
    return [f for f in found if f]


@pytest.mark.django_db(transaction=True)
def test_the_people_lists_search_reads_the_full_text_index_even_for_a_page_of_one(alice, charlie):
    """Left to itself, PostgreSQL answers a page of one match (LIMIT 1) by reading people in
    name order and remaking each one's words to test them: a second in 20,000 people. The
    list's search gathers its matches from the GIN index first (search/queries.py).

    Committed and vacuumed, as autovacuum leaves a table in use: inside a test's transaction,
    after a few thousand other tests' rolled-back rows, the tables' sizes the planner read
    were not these rows' (CI once saw no index used; this file's other plans don't hinge on
    a page of one)."""
    from circleback.people.queries import PeopleFilter, people_list

    for owner in (alice, charlie):
        for n in range(30):
            person_create(owner=owner, full_name=f"Ana Person{n}", if_exists="new")
        person_create(owner=owner, full_name="Ana Zanzibar", if_exists="new")
        _filler(owner, 3000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE search_searchdocument")
        cursor.execute("VACUUM ANALYZE people_person")
    people = people_list(owner=alice, filters=PeopleFilter(query="zanzibar"))
    assert [p.full_name for p in people[:1]] == ["Ana Zanzibar"] and people.count() == 1
    with CaptureQueriesContext(connection) as captured:
        list(people[:1])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {captured.captured_queries[-1]['sql']}")
        (plan,) = cursor.fetchone()
    words = [c for c in _index_conditions(plan[0]["Plan"]) if "@@" in c]
    assert len(words) == 1 and f"''{alice.pk}.zanzibar'':*" in words[0], plan
    assert not any("search_owned_words" in f for f in _filters(plan[0]["Plan"])), plan
