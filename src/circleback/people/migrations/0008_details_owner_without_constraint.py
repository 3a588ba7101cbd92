"""An email, phone or link's owner is its person's: no foreign-key constraint of its own.

The owner column is a copy of the person's, kept so dedupe finds a value in one index
(owner, normalized). The person's foreign key, and the person's own owner key, already
guarantee the owner exists, so this constraint checked nothing more, yet PostgreSQL checked it
for every row an import wrote (at commit: a tenth of importing 30,000 people). Dropped on
PostgreSQL; on SQLite dropping it would copy each table, for a check that costs little
there, so SQLite keeps it until a later change rebuilds the table anyway.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLES = ("people_email", "people_phone", "people_link")


def _owner_constraint(cursor: object, table: str) -> str | None:
    cursor.execute(  # type: ignore[attr-defined]
        "SELECT c.conname FROM pg_constraint c JOIN pg_attribute a "
        "ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
        "WHERE c.conrelid = %s::regclass AND c.contype = 'f' AND a.attname = 'owner_id'",
        [table],
    )
    row = cursor.fetchone()  # type: ignore[attr-defined]
    return row[0] if row else None


def drop_constraints(apps: object, schema_editor: object) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in TABLES:
            name = _owner_constraint(cursor, table)
            if name:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')


def add_constraints(apps: object, schema_editor: object) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in TABLES:
            if _owner_constraint(cursor, table) is None:
                cursor.execute(
                    f'ALTER TABLE "{table}" ADD CONSTRAINT "{table}_owner_id_fk_accounts_user_id" '
                    'FOREIGN KEY ("owner_id") REFERENCES "accounts_user" ("id") '
                    "DEFERRABLE INITIALLY DEFERRED"
                )


def _owner() -> models.ForeignKey:
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to=settings.AUTH_USER_MODEL,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_fewer_person_and_detail_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name=model, name="owner", field=_owner())
                for model in ("email", "phone", "link")
            ],
            database_operations=[migrations.RunPython(drop_constraints, add_constraints)],
        ),
    ]
