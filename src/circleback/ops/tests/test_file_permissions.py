"""Personal data on disk is readable by its owner only, whatever the umask.

The commands run as real processes with umask 022 (files 0644 by default), as on a desktop.
"""

from __future__ import annotations

import stat
from pathlib import Path

from circleback.cli.tests.processes import PASSWORD, Program


def _run(program: Program, *args: str, input: str | None = None) -> None:
    program.ok(*args, stdin=input, umask=0o022)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_database_key_and_exports_are_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "data"
    program = Program(home)  # a first start: no database, no secret key yet
    _run(program, "user", "create", "ada", "--password-file", "-", input=PASSWORD + "\n")
    # An export replacing a readable file (and a readable partial one left by a crash).
    backup = tmp_path / "backup.json"
    partial = tmp_path / ".backup.json.partial"
    for path in (backup, partial):
        path.write_text("old")
        path.chmod(0o644)
    _run(program, "export", "-o", str(backup))
    assert _mode(home) == 0o700
    files = {p.name: _mode(p) for p in home.iterdir()}
    assert "circleback.sqlite3" in files and "secret_key" in files, files
    assert set(files.values()) == {0o600}, files
    assert backup.read_text().startswith("{") and _mode(backup) == 0o600
    assert not partial.exists()

    # An install left readable by an older version is tightened at the next start.
    home.chmod(0o755)
    for path in home.iterdir():
        path.chmod(0o644)
    _run(program, "user", "list")
    assert _mode(home) == 0o700
    assert {p.name: _mode(p) for p in home.iterdir()} == dict.fromkeys(files, 0o600)
