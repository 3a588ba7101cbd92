"""Full-text search over one owner's people and journal, on SQLite (FTS5) or PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db import connection

from circleback.journal.models import Interaction
from circleback.people.models import Person
from circleback.text import words

Kind = Literal["person", "interaction"]
_MAX_TERMS = 8
_MAX_TERM_LENGTH = 40


@dataclass(frozen=True)
class SearchHit:
    kind: Kind
    rank: float
    person: Person | None = None
    interaction: Interaction | None = None


def _terms(text: str) -> list[str]:
    return [w[:_MAX_TERM_LENGTH] for w in words(text)][:_MAX_TERMS]


def _ranked_ids(
    owner_id: int, terms: list[str], kinds: tuple[Kind, ...], limit: int
) -> list[tuple[str, int, float]]:
    """(kind, object id, rank) best first; every term must match, the last as a prefix."""
    kind_marks = ", ".join(["%s"] * len(kinds))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Terms are \w+ only, so quoting them is enough to keep FTS5 syntax out.
            match = " AND ".join(f'"{t}"*' for t in terms)
            cursor.execute(
                f"""
                SELECT d.kind, COALESCE(d.person_id, d.interaction_id), bm25(search_fts, 10.0, 1.0)
                FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid
                WHERE search_fts MATCH %s AND d.owner_id = %s AND d.kind IN ({kind_marks})
                ORDER BY 3 LIMIT %s
                """,
                [match, owner_id, *kinds, limit],
            )
            return [(k, i, float(r)) for k, i, r in cursor.fetchall()]
        query = " & ".join(f"{t}:*" for t in terms)
        cursor.execute(
            f"""
            SELECT d.kind, COALESCE(d.person_id, d.interaction_id),
                   ts_rank({_PG_VECTOR}, to_tsquery('simple', %s)) AS rank
            FROM search_searchdocument d
            WHERE {_PG_VECTOR} @@ to_tsquery('simple', %s)
              AND d.owner_id = %s AND d.kind IN ({kind_marks})
            ORDER BY rank DESC LIMIT %s
            """,
            [query, query, owner_id, *kinds, limit],
        )
        return [(k, i, -float(r)) for k, i, r in cursor.fetchall()]


# Must match the expression of the GIN index made in search/migrations/0002.
_PG_VECTOR = (
    "(setweight(to_tsvector('simple', d.title), 'A') || "
    "setweight(to_tsvector('simple', d.body), 'B'))"
)


def search(
    *,
    owner: object,
    text: str,
    kinds: tuple[Kind, ...] = ("person", "interaction"),
    limit: int = 20,
) -> list[SearchHit]:
    """People and journal entries matching every word of `text`, best match first.

    Case- and accent-insensitive; each word matches as a prefix ("qui" finds "Quill").
    Lower rank is better. Returns [] for a query with no words.
    """
    terms = _terms(text)
    if not terms or not kinds:
        return []
    owner_id = owner.pk  # type: ignore[attr-defined]
    ranked = _ranked_ids(owner_id, terms, kinds, limit)
    person_ids = [i for k, i, _ in ranked if k == "person"]
    interaction_ids = [i for k, i, _ in ranked if k == "interaction"]
    people = (
        Person.objects.filter(owner_id=owner_id, pk__in=person_ids)
        .select_related("organisation")
        .in_bulk()
        if person_ids
        else {}
    )
    interactions = (
        Interaction.objects.filter(owner_id=owner_id, pk__in=interaction_ids).in_bulk()
        if interaction_ids
        else {}
    )
    hits: list[SearchHit] = []
    for kind, object_id, rank in ranked:
        if kind == "person" and object_id in people:
            hits.append(SearchHit(kind="person", rank=rank, person=people[object_id]))
        elif kind == "interaction" and object_id in interactions:
            hits.append(
                SearchHit(kind="interaction", rank=rank, interaction=interactions[object_id])
            )
    return hits


def search_people_ids(*, owner: object, text: str, limit: int = 5000) -> list[int]:
    """Ids of the owner's people matching `text`, best first (for filtered lists)."""
    terms = _terms(text)
    if not terms:
        return []
    return [i for _, i, _ in _ranked_ids(owner.pk, terms, ("person",), limit)]  # type: ignore[attr-defined]
