"""PostgreSQL's full-text indexes hold each account's words apart: "17.quill", not "quill".

0008 put the owner beside the words in one GIN index, but a prefix search ("qui") still
gathered the matches of every account's words starting with "qui" before keeping the owner's.
On an organisation's database (bench/org.py: 100 accounts, 500,000 people) that made one
account's people search 5.5 times slower in the database than the same account alone (9.2 ms
against 0.95 ms for "ana"), though it read barely more pages. Here every word in the index
starts with its owner's id, so the prefix "17.qui" reads only account 17's words.

The owner stays the index's first column: the planner estimates the owner's share of the
matches from it (without it, it expected seven times the rows and chose a parallel plan).

`search_owned_words` makes a document's words, `search_owned_query` the matching query:
both immutable, so a query's words are made once, when it is planned. They break text into
words as the old index did ('simple': lower case, no stemming); search/queries.py uses
them. SQLite's FTS5 tables are unchanged: an organisation runs on PostgreSQL.
"""

import importlib

from django.db import migrations

_fts = importlib.import_module("circleback.search.migrations.0004_fulltext_per_kind")
# (the index this makes, the 0008 index it replaces, the kind both cover)
_KINDS = (
    ("search_people_words", "search_people_fts", "person"),
    ("search_journal_words", "search_journal_fts", "interaction"),
)

# Schema-qualified throughout: an index's functions run with an empty search_path when a
# pg_dump is restored.
_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION search_owned_words(owner bigint, title text, body text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT pg_catalog.array_to_tsvector(ARRAY(
            SELECT owner::text || '.' || w.lexeme
            FROM pg_catalog.unnest(
                pg_catalog.to_tsvector('pg_catalog.simple', title || ' ' || body)
            ) AS w
        ))
    $$""",
    # A NULL owner gives the words alone, to match a vector made without one.
    """CREATE OR REPLACE FUNCTION search_owned_query(owner bigint, words text)
    RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT pg_catalog.string_agg(
            pg_catalog.quote_literal(COALESCE(owner::text || '.', '') || w.lexeme) || ':*',
            ' & '
        )::pg_catalog.tsquery
        FROM pg_catalog.unnest(pg_catalog.to_tsvector('pg_catalog.simple', words)) AS w
    $$""",
]

# Built and dropped CONCURRENTLY, outside a transaction: a plain CREATE INDEX would hold the
# table's lock for its whole build (70 s for the 1.5 million documents of bench/org.py), and
# every search and every save of a person or journal entry would wait. A build that failed
# half way leaves an invalid index behind, which a second run drops first.
POSTGRES_UP = [
    *_FUNCTIONS,
    *(
        statement
        for name, old, kind in _KINDS
        for statement in (
            f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
            f"CREATE INDEX CONCURRENTLY {name} ON search_searchdocument "
            f"USING GIN (owner_id, search_owned_words(owner_id, title, body)) "
            f"WHERE kind = '{kind}'",
            f"DROP INDEX CONCURRENTLY IF EXISTS {old}",
        )
    ),
]
POSTGRES_DOWN = [
    *(
        statement
        for name, old, kind in _KINDS
        for statement in (
            f"DROP INDEX CONCURRENTLY IF EXISTS {old}",
            f"CREATE INDEX CONCURRENTLY {old} ON search_searchdocument "
            f"USING GIN (owner_id, {_fts._VECTOR}) WHERE kind = '{kind}'",
            f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
        )
    ),
    "DROP FUNCTION IF EXISTS search_owned_query(bigint, text)",
    "DROP FUNCTION IF EXISTS search_owned_words(bigint, text, text)",
]


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY can't run in a transaction
    dependencies = [("search", "0009_person_vector_stored")]

    operations = [
        migrations.RunPython(
            _fts._run({"postgresql": POSTGRES_UP}), _fts._run({"postgresql": POSTGRES_DOWN})
        )
    ]
