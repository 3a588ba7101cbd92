"""docs/backup.schema.json describes what the exporter writes, checked on real exports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from circleback.accounts.models import User
from circleback.db.tests.once import rolled_back_afterwards
from circleback.operations.backup.services import backup_export
from circleback.operations.backup.tests.conftest import FIXTURES, full_account

SCHEMA = Path(__file__).resolve().parents[5] / "docs" / "backup.schema.json"


@pytest.fixture(scope="module")
def _whole_account(django_db_setup: Any, django_db_blocker: Any) -> Iterator[int]:
    """The whole account made once for this module's tests, which only export it (each
    test's changes are rolled back; see circleback.db.tests.once)."""
    with rolled_back_afterwards(django_db_blocker):
        with django_db_blocker.unblock():
            owner = User.objects.create(username="whole", time_zone="Europe/London")
            full_account(owner)
        yield owner.pk


@pytest.fixture
def account(db: None, _whole_account: int) -> User:
    return User.objects.get(pk=_whole_account)


def _validator() -> Any:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _errors(document: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in _validator().iter_errors(document)]


def test_a_whole_accounts_backup_matches_the_schema(account: User) -> None:
    document = json.loads(backup_export(owner=account))
    assert _errors(document) == []


def test_an_empty_accounts_backup_matches_the_schema(alice: User) -> None:
    assert _errors(json.loads(backup_export(owner=alice))) == []


def test_a_version_1_backup_matches_the_schema() -> None:
    assert _errors(json.loads((FIXTURES / "backup-v1.json").read_text())) == []


@pytest.mark.parametrize(
    ("section", "change", "where"),
    [
        ("meetings", {"colour": "red"}, "$.meetings[0]"),
        ("leads", {"state": "lost"}, "$.leads[0].state"),
        ("favours", {"occurred_on": "31/2/2026"}, "$.favours[0].occurred_on"),
        ("loop_steps", {"person": "Ada"}, "$.loop_steps[0].person"),
    ],
)
def test_the_schema_refuses_what_the_exporter_never_writes(
    account: User, section: str, change: dict[str, Any], where: str
) -> None:
    document = json.loads(backup_export(owner=account))
    document[section][0].update(change)
    assert any(error.startswith(where) for error in _errors(document))


def test_a_version_2_backup_must_have_every_section(account: User) -> None:
    document = json.loads(backup_export(owner=account))
    del document["loop_steps"]
    assert any("loop_steps" in error for error in _errors(document))
