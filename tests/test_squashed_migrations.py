"""Each area's migrations are squashed (docs/architecture.md): a new database applies the
squashed ones, and a database at any released state upgrades through the old ones, which stay.

These tests take the test database back to before our apps' migrations, build it the old way
(every replaced migration, as a database made before the squash has them), then migrate it as
an upgrade would, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

Key = tuple[str, str]
OURS = {config.label for config in apps.get_app_configs() if config.name.startswith("circleback.")}


def _squashes() -> dict[Key, list[Key]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {
        key: list(migration.replaces)
        for key, migration in loader.disk_migrations.items()
        if migration.replaces and key[0] in OURS
    }


def _schema() -> dict[str, Any]:
    """Our tables' columns and what each index and constraint covers (names aside).

    On SQLite an upgraded database keeps a few foreign-key constraints a new one is made
    without (people 0008, search 0007: dropping them there would copy whole tables, for a
    check that costs little), so there foreign keys are left out of the comparison."""
    keep_foreign_keys = connection.vendor != "sqlite"
    out: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if not table.startswith(tuple(f"{app}_" for app in OURS)):
                continue
            description = connection.introspection.get_table_description(cursor, table)
            constraints = sorted(
                (
                    tuple(str(column) for column in c["columns"] or ()),
                    bool(c["unique"]),
                    bool(c["primary_key"]),
                    bool(c["index"]),
                    str(c["foreign_key"]),
                )
                for c in connection.introspection.get_constraints(cursor, table).values()
                if keep_foreign_keys or not c["foreign_key"]
            )
            out[table] = (sorted(c.name for c in description), constraints)
    return out


def _old_executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader = MigrationLoader(connection, replace_migrations=False)
    return executor


def _to_zero() -> None:
    """The database before our first release: every table of our apps (and of any app whose
    migrations depend on theirs) dropped, their migrations unrecorded. Unapplying the
    migrations one by one ends the same way, at several times the cost (Django renders the
    project's state before each one); the test is about what comes after."""
    plan = MigrationExecutor(connection).migration_plan([(app, None) for app in sorted(OURS)])
    labels = {migration.app_label for migration, _ in plan} | OURS
    prefixes = tuple(f"{label}_" for label in labels)
    with connection.cursor() as cursor:
        tables = [
            info
            for info in connection.introspection.get_table_list(cursor)
            if info.name.startswith(prefixes) and info.type == "t"
        ]
        if connection.vendor == "sqlite":
            # Full-text tables first: dropping one drops its shadow tables with it.
            cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")
            virtual = [name for (name,) in cursor.fetchall() if name.startswith(prefixes)]
            cursor.execute("PRAGMA foreign_keys = OFF")
            for name in virtual:
                cursor.execute(f'DROP TABLE IF EXISTS "{name}"')
            for info in tables:
                cursor.execute(f'DROP TABLE IF EXISTS "{info.name}"')
            cursor.execute("PRAGMA foreign_keys = ON")
        else:
            for info in tables:
                cursor.execute(f'DROP TABLE IF EXISTS "{info.name}" CASCADE')
    MigrationRecorder(connection).migration_qs.filter(app__in=labels).delete()


def _leaves() -> list[Key]:
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] in OURS]


@pytest.mark.django_db(transaction=True)
def test_a_new_database_applies_a_handful_of_migrations() -> None:
    squashes = _squashes()
    assert squashes, "no squashed migrations"
    nodes = {key for key in MigrationExecutor(connection).loader.graph.nodes if key[0] in OURS}
    replaced = {old for olds in squashes.values() for old in olds}
    assert set(squashes) <= nodes
    assert not nodes & replaced, "a new database would run replaced migrations"
    assert len(nodes) <= 2 * len(OURS)


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_the_squash_upgrades() -> None:
    """GIVEN a database at each app's first migration (the first release)
    WHEN it migrates THEN it goes on through the old migrations (a squash can't be used half
    way), ends with the tables a new database has, and counts the squashes as applied; a
    database at the last old migrations, made before the squashes existed, then sees them
    applied too and has nothing to do."""
    squashes = _squashes()
    fresh = _schema()  # the test database was made new, through the squashed migrations
    _to_zero()
    old = MigrationExecutor(connection)
    old.loader = MigrationLoader(connection, replace_migrations=False)
    old.migrate([olds[0] for olds in squashes.values()])

    upgrade = MigrationExecutor(connection)
    leaves = upgrade.loader.graph.leaf_nodes()
    plan = [migration for migration, _ in upgrade.migration_plan(leaves)]
    assert plan, "nothing to apply from the first release"
    assert not any(migration.replaces for migration in plan), "a squash ran half way"
    upgrade.migrate(leaves)
    assert _schema() == fresh
    assert set(squashes) <= set(MigrationRecorder(connection).applied_migrations())

    # As a database upgraded before the squashes were written: every old one applied, no squash.
    for app, name in squashes:
        MigrationRecorder.Migration.objects.filter(app=app, name=name).delete()
    later = MigrationExecutor(connection)
    assert later.migration_plan(later.loader.graph.leaf_nodes()) == []
    later.migrate(later.loader.graph.leaf_nodes())
    assert set(squashes) <= set(MigrationRecorder(connection).applied_migrations())
