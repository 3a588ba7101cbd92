"""Fixtures and helpers for CLI tests: run `circleback …` in-process against the test database.

Other apps' CLI tests reuse them by importing, e.g.
`from circleback.cli.tests.support import Run, as_json, cli, cli_environment, one_line_error`
(import the fixtures too; never list a conftest module in `pytest_plugins`).

`run_program` runs `circleback …` as a separate process instead, as a user's shell does: the
one way every test that starts the real program does it. `migrated_home` and
`migrated_postgresql_database` give such a process a database the real program has already
migrated (see "A migrated database, made once" below).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
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


# --- A migrated database, made once ---------------------------------------------------------
#
# A new database takes the program seconds to migrate (over a minute on a loaded machine), and
# most process tests begin with one: `user create` on an empty data directory. So each test
# process (each xdist worker) has the real program migrate one template database, the first
# time a test asks for one, and each such test gets a copy: on SQLite a copy of the file, on
# PostgreSQL `CREATE DATABASE … TEMPLATE`. The program then finds nothing to migrate, as on
# any start after the first. A test about a first start (migrating, the files a new install
# makes, a fresh install's first page) keeps an empty data directory or database instead.

_SQLITE_NAME = "circleback.sqlite3"
# How long the one migration of a template may take: one per test process, so a loaded
# machine may take its time.
_TEMPLATE_TIMEOUT = 600


class _Templates:
    """The templates this test process made, removed at the end of the session."""

    directory: Path | None = None
    postgresql: dict[str, str] = {}  # the server's admin URL → the template's name


def _migrate_with_the_program(env: dict[str, str]) -> None:
    """The real program's first start on an empty database: it migrates it, and lists no one."""
    done = subprocess.run(
        [sys.executable, "-m", "circleback", "user", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=_TEMPLATE_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert "Preparing the database" in done.stderr, done.stderr
    assert json.loads(done.stdout) == []


def sqlite_template() -> Path:
    """The SQLite file of a data directory the program migrated; made once per test process."""
    if _Templates.directory is None:
        directory = Path(tempfile.mkdtemp(prefix="circleback-template-"))
        _migrate_with_the_program(program_env(directory))
        # Everything in the one file: no write-ahead log left beside it to copy.
        connection = sqlite3.connect(directory / _SQLITE_NAME)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        _Templates.directory = directory
    database = _Templates.directory / _SQLITE_NAME
    assert not database.with_name(_SQLITE_NAME + "-wal").exists()
    return database


def migrated_home(home: Path) -> Path:
    """`home` as a data directory whose SQLite database the program has migrated already (a
    copy of the template), for a process test that starts after the first start; `home`."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = home / _SQLITE_NAME
    if database.exists():
        raise ValueError(f"{home} has a database already")
    shutil.copyfile(sqlite_template(), database)
    database.chmod(0o600)
    return home


def _on_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _admin(server_url: str) -> Any:
    import psycopg

    return psycopg.connect(_on_database(server_url, "postgres"), autocommit=True)


def _postgresql_template(server_url: str) -> str:
    admin_url = _on_database(server_url, "postgres")
    if admin_url not in _Templates.postgresql:
        name = f"cb_template_{uuid.uuid4().hex[:12]}"
        with _admin(server_url) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        _Templates.postgresql[admin_url] = name
        with tempfile.TemporaryDirectory(prefix="circleback-template-") as home:
            _migrate_with_the_program(
                program_env(Path(home), DATABASE_URL=_on_database(server_url, name))
            )
    return _Templates.postgresql[admin_url]


@contextlib.contextmanager
def migrated_postgresql_database(server_url: str, prefix: str = "cb") -> Iterator[str]:
    """A new database on the PostgreSQL server `server_url` names, migrated already (a copy
    of the template), dropped afterwards; its URL."""
    from psycopg.errors import ObjectInUse

    template = _postgresql_template(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with _admin(server_url) as admin:
        # The server may not yet have seen off the last session that used the template.
        deadline = time.monotonic() + 30
        while True:
            try:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                break
            except ObjectInUse:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    try:
        yield _on_database(server_url, name)
    finally:
        with _admin(server_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def remove_templates() -> None:
    """Remove the templates this test process made (at the end of the session)."""
    if _Templates.directory is not None:
        shutil.rmtree(_Templates.directory, ignore_errors=True)
        _Templates.directory = None
    for admin_url, name in list(_Templates.postgresql.items()):
        with _admin(admin_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        del _Templates.postgresql[admin_url]


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
