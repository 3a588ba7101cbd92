"""Fixtures and helpers for CLI tests: run `circleback …` in-process against the test database.

Other apps' CLI tests reuse them by importing, e.g.
`from circleback.cli.tests.support import Run, as_json, cli, cli_environment, one_line_error`
(import the fixtures too; never list a conftest module in `pytest_plugins`).

`run_program` runs `circleback …` as a separate process instead, as a user's shell does: the
one way every test that starts the real program does it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from typer.testing import CliRunner, Result

from circleback.cli import app

Run = Callable[..., Result]


def program_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment for a real `circleback` process: production settings, a private
    data directory (SQLite), none of the test run's own settings or account."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE") and not k.startswith("CIRCLEBACK_")
    }
    env.update({"CIRCLEBACK_HOME": str(home), "COLUMNS": "120"})
    env.update(extra)
    return env


def run_program(
    home: Path, *args: str, stdin: str | None = None, timeout: float = 120, **extra: str
) -> subprocess.CompletedProcess[str]:
    """`circleback *args` as a separate process, with `stdin` typed in and `extra` settings."""
    return subprocess.run(
        [sys.executable, "-m", "circleback", *args],
        env=program_env(home, **extra),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(autouse=True)
def cli_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("CIRCLEBACK_USER", raising=False)
    yield
    # current_user() activates the account's time zone; don't leak it into other tests.
    timezone.deactivate()


@pytest.fixture
def cli(db: None) -> Run:
    """cli("people", "--json") runs the command as a user would and returns the result."""
    runner = CliRunner()

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
