"""Helpers for insights tests: people added and contacted at given moments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from circleback.cli.tests.support import cli, cli_environment  # noqa: F401  (CLI fixtures)
from circleback.journal.services import interaction_log
from circleback.people.models import Person

UTC = dt.UTC


def at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def added(make_person: Any) -> Any:
    """added(owner, name, when, **fields): a person created at `when` (frozen time)."""
    import time_machine

    def make(owner: Any, name: str, when: dt.datetime, **fields: Any) -> Person:
        with time_machine.travel(when, tick=False):
            return make_person(owner, name, **fields)

    return make


def contact(owner: Any, person: Person, when: dt.datetime, **fields: Any) -> None:
    interaction_log(owner=owner, summary="Caught up", people=[person], occurred_at=when, **fields)
