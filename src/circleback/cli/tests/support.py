"""Fixtures and helpers for CLI tests: run `circleback …` in-process against the test database.

Other apps' CLI tests reuse them by importing, e.g.
`from circleback.cli.tests.support import Run, as_json, cli, cli_environment, one_line_error`
(import the fixtures too; never list a conftest module in `pytest_plugins`).

The program as a separate process (a command, the server, the worker) is
circleback.cli.tests.processes; `run_program`, `program_env` and `migrated_home` are
importable from here too.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
import typer.main
import typer.testing
from django.utils import timezone
from typer.testing import CliRunner, Result

from circleback.cli import app

# The program as a process, importable from here as before.
from circleback.cli.tests.processes import migrated_home as migrated_home
from circleback.cli.tests.processes import program_env as program_env
from circleback.cli.tests.processes import run_program as run_program

Run = Callable[..., Result]


class Runner(CliRunner):
    """typer's CliRunner, making the app into its click command once for the whole test run
    instead of at every invoke (0.04 s of CPU each, hundreds of times a run). The program
    makes it once per process too, and a click command may be run any number of times."""

    def invoke(self, app: Any, *args: Any, **kwargs: Any) -> Result:
        with mock.patch.object(typer.testing, "_get_command", _command):
            return super().invoke(app, *args, **kwargs)


@functools.cache
def _command(app: typer.Typer) -> Any:
    return typer.main.get_command(app)


@pytest.fixture(autouse=True)
def cli_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("CIRCLEBACK_USER", raising=False)
    yield
    # current_user() activates the account's time zone; don't leak it into other tests.
    timezone.deactivate()


@pytest.fixture
def cli(db: None) -> Run:
    """cli("people", "--json") runs the command as a user would and returns the result."""
    runner = Runner()

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return run


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def one_line_error(result: Result) -> str:
    """The error a command printed: exactly one line on stderr, starting 'circleback:'."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("circleback: "), lines[0]
    assert "Traceback" not in result.output
    return lines[0]
