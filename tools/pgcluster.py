"""Run a command against a throwaway PostgreSQL cluster: `python tools/pgcluster.py -- CMD ...`.

Starts a fresh cluster from the server binaries on this machine (PostgreSQL 15+), listening
only on a Unix socket in a temporary directory, exports DATABASE_URL for the command, and
removes everything afterwards. As root it runs the server as the `postgres` user, because
PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote


def _bindir() -> Path:
    explicit = os.environ.get("PG_BINDIR")
    if explicit:
        return Path(explicit)
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent  # /usr/local/bin/initdb may be a symlink
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if not candidates:
        sys.exit(
            "pgcluster: no PostgreSQL server binaries (initdb) found. "
            "Install them (Debian: apt-get install postgresql-15) or set PG_BINDIR."
        )
    return Path(candidates[0]).parent


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        sys.exit("usage: python tools/pgcluster.py -- COMMAND [ARGS...]")
    command = argv[argv.index("--") + 1 :]
    bindir = _bindir()
    as_root = os.geteuid() == 0
    prefix: list[str] = ["runuser", "-u", "postgres", "--"] if as_root else []
    base = Path(tempfile.mkdtemp(prefix="circleback-pg-"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    if as_root:
        entry = pwd.getpwnam("postgres")
        for path in (base, sockets):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    log = base / "server.log"
    # A run stopped from outside (a CI timeout, `kill`) still stops its server and removes
    # its files: the signal becomes an exit, so the `finally` below runs.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _exit_on_signal)
    try:
        subprocess.run(
            [
                *prefix,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{sockets}' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=50 -c shared_buffers=128MB"
        )
        subprocess.run(
            [
                *prefix,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-o",
                options,
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # The database DATABASE_URL names; tests create their own test_circleback beside it.
        subprocess.run(
            [*prefix, str(bindir / "createdb"), "-h", str(sockets), "-U", "postgres", "circleback"],
            check=True,
        )
        env = dict(os.environ)
        env["DATABASE_URL"] = f"postgres://postgres@{quote(str(sockets), safe='')}/circleback"
        return subprocess.run(command, env=env).returncode
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
