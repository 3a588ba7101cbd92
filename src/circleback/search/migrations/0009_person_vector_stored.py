"""PostgreSQL keeps each person's search vector, so ranking a search reads it.

A people search ranks every match (a name match above a notes match) with ts_rank, which
needs the document's vector. The GIN index finds the matches from its own copy of the words,
but ts_rank rebuilt each match's vector from its title and body: a two-letter search in a
network of 1,500 matched 600 people and spent 6 ms of the database's 6.2 ms on it. A stored
generated column (computed on write, as the index is) makes the ranking read the vector
instead. People only: journal entries are listed newest first, not ranked, so theirs is NULL.
SQLite's FTS5 tables rank from their own index and are unchanged.
"""

import importlib

from django.db import migrations

_fts = importlib.import_module("circleback.search.migrations.0004_fulltext_per_kind")

POSTGRES_UP = [
    "ALTER TABLE search_searchdocument ADD COLUMN person_vector tsvector "
    f"GENERATED ALWAYS AS (CASE WHEN kind = 'person' THEN {_fts._VECTOR} END) STORED"
]
POSTGRES_DOWN = ["ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS person_vector"]


class Migration(migrations.Migration):
    dependencies = [("search", "0008_fulltext_owner_first")]

    operations = [
        migrations.RunPython(
            _fts._run({"postgresql": POSTGRES_UP}), _fts._run({"postgresql": POSTGRES_DOWN})
        )
    ]
