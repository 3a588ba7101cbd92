"""The search app's migrations 0001_initial to 0007_searchdocument_owner_without_constraint,
squashed: a new database applies this one; a database at any of the replaced migrations goes on
through them. Written by makemigrations from the final state, with the old migrations' own
dependencies on other apps (docs/architecture.md).
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The full-text tables (SQLite) and indexes (PostgreSQL) are not part of any model's
# state: made as migration 0004 makes them, from its own statements.
_fts = importlib.import_module("circleback.search.migrations.0004_fulltext_per_kind")


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("search", "0001_initial"),
        ("search", "0002_fulltext_index"),
        ("search", "0003_refold_letters_without_accents"),
        ("search", "0004_fulltext_per_kind"),
        ("search", "0005_owner_kind_newest_index"),
        ("search", "0006_searchdocument_owner_without_own_index"),
        ("search", "0007_searchdocument_owner_without_constraint"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("journal", "0001_initial"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("person", "Person"), ("interaction", "Journal entry")],
                        max_length=16,
                    ),
                ),
                ("title", models.TextField()),
                ("body", models.TextField(blank=True)),
                (
                    "interaction",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="journal.interaction",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.person",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["owner", "kind", "-id"], name="searchdoc_owner_kind_id")
                ],
            },
        ),
        migrations.RunPython(
            _fts._run({"sqlite": _fts.SQLITE_UP, "postgresql": _fts.POSTGRES_UP}),
            _fts._run(
                {
                    "sqlite": _fts._sqlite_drop("search_people_fts")
                    + _fts._sqlite_drop("search_journal_fts"),
                    "postgresql": [
                        "DROP INDEX IF EXISTS search_people_fts",
                        "DROP INDEX IF EXISTS search_journal_fts",
                    ],
                }
            ),
        ),
    ]
