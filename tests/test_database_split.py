"""Which tests the PostgreSQL run repeats (the rule in the root conftest.py): those that reach
a database, through pytest-django or through DATABASE_URL in processes of their own."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import conftest
import pytest


@dataclass
class Item:
    """What the rule reads of a collected test."""

    fixturenames: list[str] = field(default_factory=list)
    markers: dict[str, Any] = field(default_factory=dict)
    module: ModuleType | None = None

    def get_closest_marker(self, name: str) -> Any:
        return self.markers.get(name)


def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


def test_every_test_runs_on_sqlite() -> None:
    assert conftest.runs_on(Item(), "sqlite")


def test_tests_through_pytest_django_run_on_postgresql_too() -> None:
    for item in (
        Item(fixturenames=["db"]),
        Item(fixturenames=["transactional_db"]),
        Item(fixturenames=["live_server"]),
        Item(markers={"django_db": pytest.mark.django_db.mark}),
    ):
        assert conftest.runs_on(item, "postgresql"), item


def test_a_test_that_reaches_no_database_runs_once() -> None:
    plain = Item(fixturenames=["tmp_path", "monkeypatch"], module=_module("tests.test_text"))
    assert not conftest.runs_on(plain, "postgresql")
    # Processes on a SQLite file of their own: DATABASE_URL is taken out, never read.
    own_sqlite = Item(module=_module("circleback.cli.tests.test_process"))
    assert not conftest.runs_on(own_sqlite, "postgresql")
    # Importing the process helpers (which can read DATABASE_URL) is not reaching it.
    commands_only = Item(module=_module("circleback.ops.tests.test_check_deploy"))
    assert not conftest.runs_on(commands_only, "postgresql")


def test_a_test_whose_processes_use_the_suites_database_runs_on_postgresql_too() -> None:
    # It puts the program on the suite's database (processes.on_suite_database) …
    itself = Item(module=_module("circleback.operations.backup.tests.test_process"))
    assert conftest.runs_on(itself, "postgresql")
    # … or a test helper it imports from does (api.tests.live.live_server) …
    helper = Item(module=_module("circleback.api.tests.test_process"))
    assert conftest.runs_on(helper, "postgresql")
    # … or it reads DATABASE_URL itself.
    reads = Item(module=_module("circleback.api.tests.test_schemathesis"))
    assert conftest.runs_on(reads, "postgresql")


def test_only_on_overrides_the_rule_either_way() -> None:
    postgres = Item(
        fixturenames=["db"], markers={"only_on": pytest.mark.only_on("postgresql").mark}
    )
    assert conftest.runs_on(postgres, "postgresql")
    assert not conftest.runs_on(postgres, "sqlite")
    sqlite = Item(fixturenames=["db"], markers={"only_on": pytest.mark.only_on("sqlite").mark})
    assert not conftest.runs_on(sqlite, "postgresql")
