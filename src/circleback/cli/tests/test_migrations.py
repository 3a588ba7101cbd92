"""Every command applies pending migrations first, and learns there are none cheaply."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

import circleback.insights.migrations as insights_migrations
from circleback.cli._common import migrate_if_needed, unapplied_migration_files

NEW_MIGRATION = """
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("insights", "{latest}")]
    operations = []
"""


@pytest.mark.django_db
def test_a_migrated_database_has_nothing_to_apply() -> None:
    assert unapplied_migration_files() == set()
    assert migrate_if_needed(quiet=True) == 0


@pytest.mark.django_db
def test_a_migration_the_database_has_no_record_of_is_noticed() -> None:
    MigrationRecorder(connection).migration_qs.filter(
        app="people", name="0002_updated_at_and_graph_indexes"
    ).delete()
    assert unapplied_migration_files() == {("people", "0002_updated_at_and_graph_indexes")}


@pytest.mark.django_db(transaction=True)
def test_a_new_migration_file_is_noticed_and_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """GIVEN the insights app's migrations with one more file beside them
    WHEN a command starts THEN that migration is applied, and the next start finds none."""
    package = tmp_path / "more_insights_migrations"
    shutil.copytree(Path(insights_migrations.__file__).parent, package)
    latest = max(p.stem for p in package.glob("0*.py"))
    (package / "9999_one_more.py").write_text(NEW_MIGRATION.format(latest=latest))
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.MIGRATION_MODULES = {"insights": "more_insights_migrations"}
    try:
        assert unapplied_migration_files() == {("insights", "9999_one_more")}
        assert migrate_if_needed(quiet=True) == 1
        assert unapplied_migration_files() == set()
    finally:
        MigrationRecorder(connection).record_unapplied("insights", "9999_one_more")
