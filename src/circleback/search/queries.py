"""Full-text search over one owner's people and journal, on SQLite (FTS5) or PostgreSQL."""

from __future__ import annotations

from typing import Any, Literal

from django.db import connection

from circleback.text import words

Kind = Literal["person", "interaction"]
_MAX_TERMS = 8
_MAX_TERM_LENGTH = 40


def query_terms(text: str) -> list[str]:
    return [w[:_MAX_TERM_LENGTH] for w in words(text)][:_MAX_TERMS]


# The full-text index of each kind (search/migrations/0004): an FTS5 table on SQLite, a
# partial GIN index on PostgreSQL whose predicate is the kind.
_SQLITE_TABLE: dict[str, str] = {"person": "search_people_fts", "interaction": "search_journal_fts"}

# Must match the expression of the GIN indexes made in search/migrations/0010: each word
# of the index starts with its owner's id ("17.quill"), so a prefix search reads only the
# owner's words. search_owned_query(owner, text) is the matching query, every word a prefix;
# with a NULL owner it matches a vector made without the owner.
_PG_OWNED_WORDS = "search_owned_words(d.owner_id, d.title, d.body)"


def _fts5_match(terms: list[str]) -> str:
    # Terms are \w+ only, so quoting them is enough to keep FTS5 syntax out.
    return " AND ".join(f'"{t}"*' for t in terms)


def _matching(owner_id: int, terms: list[str], kind: Kind) -> tuple[str, list[Any]]:
    """FROM and WHERE for the owner's documents (`d`) of one kind matching every term as a
    prefix, with their parameters."""
    if connection.vendor == "sqlite":
        table = _SQLITE_TABLE[kind]
        return (
            f"FROM {table} JOIN search_searchdocument d ON d.id = {table}.rowid "
            f"WHERE {table} MATCH %s AND d.owner_id = %s",
            [_fts5_match(terms), owner_id],
        )
    # The kind is written into the SQL (it comes from a fixed set) so the planner can match
    # the partial index's predicate. The owner is cast to the column's type: the GIN index's
    # owner column (btree_gin, search/migrations/0008) answers only bigint = bigint. The
    # query function is immutable, so it is made into the query's words once, when the
    # statement is planned.
    return (
        f"FROM search_searchdocument d WHERE {_PG_OWNED_WORDS} @@ search_owned_query(%s, %s) "
        f"AND d.kind = '{kind}' AND d.owner_id = CAST(%s AS bigint)",
        [owner_id, " ".join(terms), owner_id],
    )


def ranked_ids(owner_id: int, terms: list[str], kind: Kind, limit: int) -> list[tuple[int, float]]:
    """(object id, rank) of one kind, best first; every term must match as a prefix.

    People are ranked by relevance, a name match above a notes match. Journal entries come
    newest first (the newest written document first): a journal is read by date, and the
    index can stop after `limit` entries instead of ranking every entry with a common word.
    """
    matching, params = _matching(owner_id, terms, kind)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            table = _SQLITE_TABLE[kind]
            rank, order = (
                (f"bm25({table}, 10.0, 1.0)", "2")
                if kind == "person"
                else ("0.0", f"{table}.rowid DESC")
            )
            cursor.execute(
                f"SELECT COALESCE(d.person_id, d.interaction_id), {rank} {matching} "
                f"ORDER BY {order} LIMIT %s",
                [*params, limit],
            )
            return [(i, float(r)) for i, r in cursor.fetchall()]
        if kind == "person":
            # The rank reads the vector stored beside the document (migration 0009), not
            # one rebuilt from the title and body for every match.
            cursor.execute(
                "SELECT d.person_id, -ts_rank(d.person_vector, search_owned_query(NULL, %s)) "
                f"{matching} ORDER BY 2, 1 LIMIT %s",
                [" ".join(terms), *params, limit],
            )
            return [(i, float(r)) for i, r in cursor.fetchall()]
        return _pg_newest_entries(cursor, owner_id, terms, (matching, params), limit)


# How many of the newest journal entries to try before asking the full-text index.
_PG_RECENT_WINDOW = 400


def _pg_newest_entries(
    cursor: Any,
    owner_id: int,
    terms: list[str],
    matching: tuple[str, list[Any]],
    limit: int,
) -> list[tuple[int, float]]:
    """The newest journal entries matching every term as a prefix (`matching`: `_matching`'s
    FROM and WHERE for them), in two steps.

    PostgreSQL can't read a GIN index in id order, and its estimate for a prefix query is
    the same whatever the word, so left to itself it walks every entry newest first,
    computing each one's vector: instant for "th", 1.5 s for a surname that appears nowhere.
    A common word fills the page from the newest few hundred entries; anything rarer is
    fetched whole from the GIN index (few rows, since it is rare) and sorted. The first step
    reads the words without the owner's id (the entries are the owner's already), which costs
    half as much to make for each of the few hundred.
    """
    cursor.execute(
        f"""
        SELECT d.interaction_id, 0.0 FROM (
            SELECT * FROM search_searchdocument
            WHERE owner_id = %s AND kind = 'interaction'
            ORDER BY id DESC LIMIT {_PG_RECENT_WINDOW}
        ) d
        WHERE to_tsvector('simple', d.title || ' ' || d.body) @@ search_owned_query(NULL, %s)
        ORDER BY d.id DESC LIMIT %s
        """,
        [owner_id, " ".join(terms), limit],
    )
    rows = cursor.fetchall()
    if len(rows) < limit:
        sql, params = matching
        cursor.execute(
            f"""
            WITH hits AS MATERIALIZED (SELECT d.id, d.interaction_id {sql})
            SELECT interaction_id, 0.0 FROM hits ORDER BY id DESC LIMIT %s
            """,
            [*params, limit],
        )
        rows = cursor.fetchall()
    return [(i, float(r)) for i, r in rows]


def search_people_ids(*, owner: object, text: str, limit: int) -> list[int]:
    """Ids of the owner's people matching `text`, best first, at most `limit` of them (for
    pickers and lookups that want the best few; a list of everyone who matches filters by
    `people_matching` instead)."""
    terms = query_terms(text)
    if not terms:
        return []
    return [i for i, _ in ranked_ids(owner.pk, terms, "person", limit)]  # type: ignore[attr-defined]


def people_matching(*, owner_id: int, text: str) -> tuple[str, list[Any]] | None:
    """A SELECT of the ids of the owner's people matching every word of `text` as a prefix,
    with its parameters, for a list to filter by (`id IN (...)`) however many match; None
    when `text` has no words to look for.

    The database keeps the matches: no ids come back to Python, and none is left out.
    Either way the full-text index is read first, once, and the list joined to what it
    found. SQLite without statistics (as the app leaves it) would otherwise walk every
    document of the owner's and ask FTS5 about each: CROSS JOIN keeps the FTS5 table the
    outer loop. PostgreSQL estimates a prefix's matches the same whatever the word, so for
    a page of a few rows (LIMIT 1 when one person matches) it reads people in name order and
    tests each one's words, remade from their document: a second for a word no one has. The
    materialised CTE has it gather the matches from the GIN index instead.
    """
    terms = query_terms(text)
    if not terms:
        return None
    if connection.vendor == "sqlite":
        table = _SQLITE_TABLE["person"]
        return (
            f"SELECT d.person_id FROM {table} "
            f"CROSS JOIN search_searchdocument d ON d.id = {table}.rowid "
            f"WHERE {table} MATCH %s AND d.owner_id = %s",
            [_fts5_match(terms), owner_id],
        )
    matching, params = _matching(owner_id, terms, "person")
    return (
        f"WITH hits AS MATERIALIZED (SELECT d.person_id {matching}) SELECT person_id FROM hits",
        params,
    )
