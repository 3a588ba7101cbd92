"""The demo network's backup, through the `circleback` program run as real processes: made on
SQLite, restored into a fresh database (PostgreSQL when the suite runs on it, else another
SQLite file) and back into SQLite; every list command counts the same everywhere and every
export is the same file but for its time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from circleback.cli.tests.processes import Program, on_suite_database

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


def counts(program: Program) -> dict[str, int]:
    """How many rows each list command gives (all of them, with --json).

    One process runs every list command in turn, through the program's own command line (one
    start instead of eleven; each command still opens the database and prints its JSON as it
    does when run alone)."""
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
        env=program.env,
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


def test_the_demo_networks_backup_restores_identically_across_databases(tmp_path: Path) -> None:
    """On SQLite, restored into a new database of the suite's kind (PostgreSQL on its run, an
    empty migrated SQLite file otherwise), and back into SQLite."""
    source = Program.migrated(tmp_path / "source")
    source.account("ada")
    source.ok("demo", "--people", "90", "--years", "1")
    counts_before = counts(source)
    # Every list command has something to show.
    assert all(counts_before.values()), counts_before
    first = tmp_path / "first.json"
    source.ok("export", "--format", "json", "-o", str(first))

    with on_suite_database(tmp_path / "target", prefix="backup") as target:
        target.account("ada")
        preview = target.ok("import", str(first), "--dry-run")
        assert "Dry run" in preview and "Also would restore:" in preview
        assert "meetings" in preview
        restored = target.ok("import", str(first))
        assert "Added 90 people" in restored and "Also restored:" in restored, restored
        assert counts(target) == counts_before
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
    back = Program.migrated(tmp_path / "back")
    back.account("ada")
    back.ok("import", str(second))
    third = tmp_path / "third.json"
    back.ok("export", "--format", "json", "-o", str(third))
    assert _backup(third) == _backup(second)
