"""Personal data on disk is readable by its owner only, whatever the umask.

The commands run as real processes with umask 022 (files 0644 by default), as on a desktop.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from circleback.ops.tests.servers import PASSWORD, clean_env


def _run(env: dict[str, str], *args: str, input: str | None = None) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "circleback", *args],
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert done.returncode == 0, done.stderr


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_database_key_and_exports_are_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "data"
    env = clean_env(home, None)
    env.pop("CIRCLEBACK_SECRET_KEY", None)
    _run(env, "user", "create", "ada", "--password-file", "-", input=PASSWORD + "\n")
    # An export replacing a readable file (and a readable partial one left by a crash).
    backup = tmp_path / "backup.json"
    partial = tmp_path / ".backup.json.partial"
    for path in (backup, partial):
        path.write_text("old")
        path.chmod(0o644)
    _run(env, "export", "-o", str(backup))
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
    _run(env, "user", "list")
    assert _mode(home) == 0o700
    assert {p.name: _mode(p) for p in home.iterdir()} == dict.fromkeys(files, 0o600)
