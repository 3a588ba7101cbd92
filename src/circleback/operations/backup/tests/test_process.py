"""The demo network's backup, through the `circleback` program run as real processes: made on
SQLite, restored into a fresh database (PostgreSQL when the suite runs on it, else another
SQLite file) and back into SQLite; every list command counts the same everywhere and every
export is the same file but for its time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from circleback.cli.tests.support import migrated_home, migrated_postgresql_database

LIST_COMMANDS = [
    ["people"],
    ["org", "list"],
    ["journal"],
    ["meeting", "list"],
    ["loop", "list"],
    ["favour", "list"],
    ["favour", "offers"],
    ["intro", "list"],
    ["share", "list"],
    ["permission", "list"],
    ["pitch", "list"],
]
PASSWORD = "a long enough password\n"


class Place:
    """One database the program runs against: a data directory, and maybe a DATABASE_URL."""

    def __init__(self, home: Path, database_url: str = "") -> None:
        self.home = home
        self.database_url = database_url

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
            and not k.startswith("CIRCLEBACK_")
        }
        env.update(CIRCLEBACK_HOME=str(self.home), COLUMNS="120")
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "circleback", *args],
            env=self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def ok(self, *args: str, stdin: str | None = None) -> str:
        result = self.run(*args, stdin=stdin)
        assert result.returncode == 0, f"{args}: {result.stderr}"
        return result.stdout

    def account(self) -> None:
        self.ok("user", "create", "ada", "--password-file", "-", stdin=PASSWORD)

    def counts(self) -> dict[str, int]:
        """How many rows each list command gives (all of them, with --json).

        One process runs every list command in turn, through the program's own command
        line (one start instead of eleven; each command still opens the database and
        prints its JSON as it does when run alone)."""
        script = (
            "import json, sys\n"
            "from typer.testing import CliRunner\n"
            "from circleback.cli import app\n"
            "runner = CliRunner()\n"
            "out = {}\n"
            "for command in json.loads(sys.argv[1]):\n"
            "    result = runner.invoke(app, [*command, '--json', '--limit', '10000'])\n"
            "    assert result.exit_code == 0, (command, result.output, result.exception)\n"
            "    out[' '.join(command)] = json.loads(result.stdout)\n"
            "print(json.dumps(out))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script, json.dumps(LIST_COMMANDS)],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return {command: _rows(output) for command, output in json.loads(result.stdout).items()}


def _rows(output: Any) -> int:
    if isinstance(output, list):
        return len(output)
    lists = [v for v in output.values() if isinstance(v, list)]
    assert len(lists) == 1, output
    return len(lists[0])


def _backup(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_bytes())
    document.pop("exported_at")
    return document


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[Place]:
    """An empty database of the kind the suite runs on, migrated already (a copy of the one
    the program migrated for this test run): a new PostgreSQL database in the suite's
    cluster, or a new SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield Place(migrated_home(tmp_path / "target"))
        return
    with migrated_postgresql_database(url, "backup") as database_url:
        yield Place(tmp_path / "target", database_url)


def test_the_demo_networks_backup_restores_identically_across_databases(
    tmp_path: Path, fresh_database: Place
) -> None:
    source = Place(migrated_home(tmp_path / "source"))
    source.account()
    source.ok("demo", "--people", "90", "--years", "1")
    counts = source.counts()
    # Every list command has something to show.
    assert all(counts.values()), counts
    first = tmp_path / "first.json"
    source.ok("export", "--format", "json", "-o", str(first))

    target = fresh_database
    target.account()
    preview = target.ok("import", str(first), "--dry-run")
    assert "Dry run" in preview and "Also would restore:" in preview and "meetings" in preview
    restored = target.ok("import", str(first))
    assert "Added 90 people" in restored and "Also restored:" in restored, restored
    assert target.counts() == counts
    second = tmp_path / "second.json"
    target.ok("export", "--format", "json", "-o", str(second))
    # A restore joins no group (the demo's job club stays on its server); the rest is equal.
    before, after = _backup(first), _backup(second)
    assert [g["name"] for g in before.pop("groups")] == ["Thursday job club"]
    assert after.pop("groups") == []
    assert after == before

    # Restoring again changes nothing.
    again = target.ok("import", str(first))
    assert "Added 0 people" in again and "already here" in again, again

    # And back the other way, into SQLite.
    back = Place(migrated_home(tmp_path / "back"))
    back.account()
    back.ok("import", str(second))
    third = tmp_path / "third.json"
    back.ok("export", "--format", "json", "-o", str(third))
    assert _backup(third) == _backup(second)
