"""One full-text index per kind of document: people, and journal entries.

With one index for both, a people-only search for a short prefix ("th") still matched every
journal entry containing it (100,000 of 220,000 documents) and threw them away: 74 ms. Now
each search reads only its own kind. On SQLite two FTS5 tables share the document table as
external content, each fed by triggers for its kind; on PostgreSQL two partial GIN indexes.
"""

from django.db import migrations

_FTS5 = (
    "USING fts5(title, body, content='search_searchdocument', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
)


def _sqlite_table(table: str, kind: str) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE {table} {_FTS5}",
        f"""CREATE TRIGGER {table}_insert AFTER INSERT ON search_searchdocument
            WHEN new.kind = '{kind}' BEGIN
            INSERT INTO {table}(rowid, title, body) VALUES (new.id, new.title, new.body);
        END""",
        f"""CREATE TRIGGER {table}_delete AFTER DELETE ON search_searchdocument
            WHEN old.kind = '{kind}' BEGIN
            INSERT INTO {table}({table}, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        END""",
        # One trigger for both halves of an update, so the old tokens always go first.
        f"""CREATE TRIGGER {table}_update AFTER UPDATE ON search_searchdocument BEGIN
            INSERT INTO {table}({table}, rowid, title, body)
            SELECT 'delete', old.id, old.title, old.body WHERE old.kind = '{kind}';
            INSERT INTO {table}(rowid, title, body)
            SELECT new.id, new.title, new.body WHERE new.kind = '{kind}';
        END""",
        f"""INSERT INTO {table}(rowid, title, body)
            SELECT id, title, body FROM search_searchdocument WHERE kind = '{kind}'""",
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_update",
        f"DROP TRIGGER IF EXISTS {table}_delete",
        f"DROP TRIGGER IF EXISTS {table}_insert",
        f"DROP TABLE IF EXISTS {table}",
    ]


_VECTOR = (
    "(setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B'))"
)

SQLITE_UP = [
    *_sqlite_drop("search_fts"),
    *_sqlite_table("search_people_fts", "person"),
    *_sqlite_table("search_journal_fts", "interaction"),
]
SQLITE_DOWN = [
    *_sqlite_drop("search_people_fts"),
    *_sqlite_drop("search_journal_fts"),
    # 0002's single table, rebuilt from every document.
    f"CREATE VIRTUAL TABLE search_fts {_FTS5}",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
POSTGRES_UP = [
    "DROP INDEX IF EXISTS search_document_fts",
    f"CREATE INDEX search_people_fts ON search_searchdocument USING GIN ({_VECTOR}) "
    "WHERE kind = 'person'",
    f"CREATE INDEX search_journal_fts ON search_searchdocument USING GIN ({_VECTOR}) "
    "WHERE kind = 'interaction'",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS search_people_fts",
    "DROP INDEX IF EXISTS search_journal_fts",
    f"CREATE INDEX search_document_fts ON search_searchdocument USING GIN ({_VECTOR})",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_refold_letters_without_accents")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
