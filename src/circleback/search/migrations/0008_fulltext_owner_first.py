"""PostgreSQL's full-text indexes lead with the owner, as every other list's index does.

0004's GIN indexes held the words of every account's documents alone, so a search found the
matches of all accounts first and then threw away the ones not the searcher's: on an
organisation's database (bench/org.py: 100 accounts, 500,000 people) that was most of the
work. With btree_gin the owner is a column of the same GIN index, and a search reads only
its owner's matches. btree_gin ships with PostgreSQL (contrib) and is a trusted extension,
so the database's owner may create it. SQLite's FTS5 tables are unchanged.
"""

import importlib

from django.db import migrations

_fts = importlib.import_module("circleback.search.migrations.0004_fulltext_per_kind")
_VECTOR = _fts._VECTOR
_KINDS = (("search_people_fts", "person"), ("search_journal_fts", "interaction"))

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    *(f"DROP INDEX IF EXISTS {name}" for name, _ in _KINDS),
    *(
        f"CREATE INDEX {name} ON search_searchdocument USING GIN (owner_id, {_VECTOR}) "
        f"WHERE kind = '{kind}'"
        for name, kind in _KINDS
    ),
]
POSTGRES_DOWN = [
    *(f"DROP INDEX IF EXISTS {name}" for name, _ in _KINDS),
    *(
        f"CREATE INDEX {name} ON search_searchdocument USING GIN ({_VECTOR}) WHERE kind = '{kind}'"
        for name, kind in _KINDS
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_squashed_0007_searchdocument_owner_without_constraint"),
    ]

    operations = [
        migrations.RunPython(
            _fts._run({"postgresql": POSTGRES_UP}), _fts._run({"postgresql": POSTGRES_DOWN})
        )
    ]
