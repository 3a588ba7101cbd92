from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from circleback.journal.models import Interaction
from circleback.journal.queries import search
from circleback.journal.services import (
    interaction_delete,
    interaction_log,
    search_index_new_interactions,
)
from circleback.operations.erase import person_erase
from circleback.people.services.organisations import organisation_update
from circleback.people.services.people import person_create, person_update


def _names(hits):
    return [str(h.person or h.interaction) for h in hits]


def test_it_finds_accented_names_without_accents(alice):
    person_create(owner=alice, full_name="Chloé Dupont")
    assert _names(search(owner=alice, text="chloe")) == ["Chloé Dupont"]
    assert _names(search(owner=alice, text="CHLOÉ")) == ["Chloé Dupont"]


def test_it_matches_prefixes(alice):
    person_create(owner=alice, full_name="Ada Quill")
    assert _names(search(owner=alice, text="qui")) == ["Ada Quill"]
    assert _names(search(owner=alice, text="ada qu")) == ["Ada Quill"]


def test_it_searches_title_organisation_emails_tags_and_notes(alice):
    person_create(
        owner=alice,
        full_name="Ada Quill",
        title="Director of Payments",
        organisation="Globex",
        emails=["ada@quill.example"],
        tags=["sailing"],
        notes="Knows the CFO at Initech",
    )
    for text in ["payments", "globex", "quill.example", "sailing", "initech"]:
        assert _names(search(owner=alice, text=text)) == ["Ada Quill"], text


def test_it_ranks_a_name_match_above_a_notes_match(alice):
    person_create(owner=alice, full_name="Bart Nguyen", notes="Introduced me to Morgan")
    person_create(owner=alice, full_name="Morgan Lee")
    assert _names(search(owner=alice, text="morgan")) == ["Morgan Lee", "Bart Nguyen"]


def test_it_searches_the_journal(alice):
    ada = person_create(owner=alice, full_name="Ada Quill")
    entry = interaction_log(
        owner=alice, summary="Coffee", notes="Talked about fintech", people=[ada]
    )
    assert _names(search(owner=alice, text="fintech")) == ["Coffee"]
    assert _names(search(owner=alice, text="fintech", kinds=("person",))) == []
    interaction_delete(interaction=entry)
    assert search(owner=alice, text="fintech") == []


def test_it_hides_other_owners_people(alice, charlie):
    person_create(owner=charlie, full_name="Ada Quill")
    assert search(owner=alice, text="ada") == []


def test_it_follows_edits_renames_and_deletes(alice):
    ada = person_create(owner=alice, full_name="Ada Quill", organisation="Hooli")
    person_update(person=ada, full_name="Ada Lovelace")
    assert search(owner=alice, text="quill") == []
    assert _names(search(owner=alice, text="lovelace")) == ["Ada Lovelace"]
    organisation_update(organisation=ada.organisation, name="Globex")
    assert _names(search(owner=alice, text="globex")) == ["Ada Lovelace"]
    person_erase(person=ada)
    assert search(owner=alice, text="lovelace") == []


def test_it_survives_query_syntax_and_empty_queries(alice):
    person_create(owner=alice, full_name="Ada Quill")
    for text in [
        '"',
        "*",
        "ada OR",
        "NEAR(",
        "a:b",
        "'; DROP TABLE x; --",
        "",
        "   ",
        "---",
        "ada)",
    ]:
        hits = search(owner=alice, text=text)
        assert all(h.person and h.person.full_name == "Ada Quill" for h in hits), text


def test_it_folds_letters_that_have_no_accent_to_strip(alice):
    for name in ("Søren Kierkegaard", "Łukasz Nowak", "Ægir Þórsson", "Đorđe Đoković"):
        person_create(owner=alice, full_name=name)
    assert _names(search(owner=alice, text="soren")) == ["Søren Kierkegaard"]
    assert _names(search(owner=alice, text="lukasz")) == ["Łukasz Nowak"]
    assert _names(search(owner=alice, text="aegir thor")) == ["Ægir Þórsson"]
    assert _names(search(owner=alice, text="dorde")) == ["Đorđe Đoković"]
    assert _names(search(owner=alice, text="Søren")) == ["Søren Kierkegaard"]


def _journal(owner, summaries: list[str]) -> None:
    """Journal entries in bulk, oldest first, indexed as the importers index them."""
    now = timezone.now()
    entries = Interaction.objects.bulk_create(
        Interaction(owner=owner, occurred_at=now, summary=summary) for summary in summaries
    )
    search_index_new_interactions(entries=[(owner.pk, e.pk, e.summary, "") for e in entries])


def test_journal_hits_come_newest_first_for_common_and_rare_words_alike(alice, charlie):
    # More entries than PostgreSQL's recent window holds, so a rare word is found past it.
    _journal(alice, ["Zebra crossing chat"] + [f"Lunch number {n}" for n in range(450)])
    _journal(charlie, ["Zebra talk", "Lunch"])
    lunches = search(owner=alice, text="lunch", kinds=("interaction",), limit=5)
    assert _names(lunches) == [f"Lunch number {n}" for n in (449, 448, 447, 446, 445)]
    assert _names(search(owner=alice, text="zeb", kinds=("interaction",))) == [
        "Zebra crossing chat"
    ]
    assert _names(search(owner=alice, text="number 1", kinds=("interaction",), limit=2)) == [
        "Lunch number 199",
        "Lunch number 198",
    ]
    assert _names(search(owner=alice, text="number 12", kinds=("interaction",), limit=20)) == [
        f"Lunch number {n}" for n in (129, 128, 127, 126, 125, 124, 123, 122, 121, 120, 12)
    ]


def test_words_joined_by_marks_are_found_whole_and_by_each_part(alice):
    person_create(owner=alice, full_name="Jean-Luc O'Brien", notes="team_lead for v2 launch")
    for text in ("jean-luc", "jean", "luc", "o'brien", "brien", "team_lead", "lead", "v2"):
        assert _names(search(owner=alice, text=text)) == ["Jean-Luc O'Brien"], text


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")
def test_the_people_lists_matches_are_read_from_fts5_first(alice):
    """Without statistics (the app never analyses its SQLite database) a plain JOIN walks
    every document of the owner's and asks FTS5 about each one: 3 s for a rare surname in
    20,000 people. The list's subquery keeps FTS5 the outer loop."""
    from circleback.search.queries import people_matching

    ada = person_create(owner=alice, full_name="Ada Quill")
    matching = people_matching(owner_id=alice.pk, text="qui")
    assert matching is not None
    sql, params = matching
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [row[-1] for row in cursor.fetchall()]
        cursor.execute(sql, params)
        assert cursor.fetchall() == [(ada.pk,)]
    assert steps[0].startswith("SCAN search_people_fts VIRTUAL TABLE"), steps
