"""A search document's owner is its person's or journal entry's: no constraint of its own.

The documents are derived from people and journal entries, whose foreign keys (and theirs to
the owner) already guarantee the owner exists; PostgreSQL checked this constraint again for
every document an import wrote, at commit. Dropped on PostgreSQL. On SQLite dropping it would
rebuild the table, and with it the full-text triggers, for a check that costs little there,
so SQLite keeps it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "search_searchdocument"


def _owner_constraint(cursor: object) -> str | None:
    cursor.execute(  # type: ignore[attr-defined]
        "SELECT c.conname FROM pg_constraint c JOIN pg_attribute a "
        "ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
        "WHERE c.conrelid = %s::regclass AND c.contype = 'f' AND a.attname = 'owner_id'",
        [TABLE],
    )
    row = cursor.fetchone()  # type: ignore[attr-defined]
    return row[0] if row else None


def drop_constraint(apps: object, schema_editor: object) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        name = _owner_constraint(cursor)
        if name:
            cursor.execute(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT "{name}"')


def add_constraint(apps: object, schema_editor: object) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if _owner_constraint(cursor) is None:
            cursor.execute(
                f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_owner_id_fk_accounts_user_id" '
                'FOREIGN KEY ("owner_id") REFERENCES "accounts_user" ("id") '
                "DEFERRABLE INITIALLY DEFERRED"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_searchdocument_owner_without_own_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="searchdocument",
                    name="owner",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_constraint, add_constraint)],
        ),
    ]
