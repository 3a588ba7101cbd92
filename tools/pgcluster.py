"""Run a command against a throwaway PostgreSQL cluster: `python tools/pgcluster.py -- CMD ...`.

Starts a fresh cluster from the server binaries on this machine (PostgreSQL 15+), listening
only on a Unix socket in a temporary directory, exports DATABASE_URL for the command, and
removes everything afterwards. As root it runs the server as the `postgres` user, because
PostgreSQL refuses to run as root.

`--replica` also starts a streaming replica of it (`pg_basebackup -R` from the same binaries)
and exports DATABASE_REPLICA_URL. Tests use `Cluster` directly for a primary and replica of
their own (see circleback.ops.tests).
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
import time
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


class Cluster:
    """A primary in a temporary directory, and optionally streaming replicas of it."""

    def __init__(self, base: Path | None = None) -> None:
        self.bindir = _bindir()
        self.as_root = os.geteuid() == 0
        self.prefix: list[str] = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        self.base = base or Path(tempfile.mkdtemp(prefix="circleback-pg-"))
        self.servers: list[Path] = []  # data directories started, the primary first

    def _own(self, *paths: Path) -> None:
        if self.as_root:
            entry = pwd.getpwnam("postgres")
            for path in paths:
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def _run(self, *args: str) -> None:
        subprocess.run([*self.prefix, *args], check=True, stdout=subprocess.DEVNULL)

    def _sockets(self, name: str) -> Path:
        sockets = self.base / f"{name}-run"
        sockets.mkdir(exist_ok=True)
        self._own(self.base, sockets)
        return sockets

    def _start(self, data: Path, sockets: Path) -> None:
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{sockets}' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=100 -c shared_buffers=128MB"
        )
        log = self.base / f"{data.name}.log"
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-o",
            options,
            "-w",
            "start",
        )
        self.servers.append(data)

    @staticmethod
    def url(sockets: Path, database: str = "circleback") -> str:
        return f"postgres://postgres@{quote(str(sockets), safe='')}/{database}"

    def start_primary(self) -> str:
        """initdb, start, create the `circleback` database; returns its URL."""
        data, sockets = self.base / "primary", self._sockets("primary")
        self._run(
            str(self.bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self._start(data, sockets)
        self.primary_sockets = sockets
        # The database DATABASE_URL names; tests create their own test_circleback beside it.
        self._run(str(self.bindir / "createdb"), "-h", str(sockets), "-U", "postgres", "circleback")
        return self.url(sockets)

    def start_replica(self, name: str = "replica") -> str:
        """A hot standby streaming from the primary, as `pg_basebackup -R` sets one up."""
        data, sockets = self.base / name, self._sockets(name)
        self._run(
            str(self.bindir / "pg_basebackup"), "-h", str(self.primary_sockets), "-U", "postgres",
            "-D", str(data), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync",
        )  # fmt: skip
        self._start(data, sockets)
        return self.url(sockets)

    def psql(self, url: str, sql: str) -> str:
        """Run SQL as the superuser; returns the unaligned output."""
        done = subprocess.run(
            [*self.prefix, str(self.bindir / "psql"), "-XAtq", "-d", url, "-c", sql],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return done.stdout.strip()

    def wait_for_replay(self, primary: str, replica: str, timeout: float = 30) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        target = self.psql(primary, "SELECT pg_current_wal_insert_lsn()")
        deadline = time.monotonic() + timeout
        while self.psql(replica, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") != "t":
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica did not reach {target} in {timeout} s")
            time.sleep(0.05)

    def stop(self, data: Path | None = None) -> None:
        for server in [data] if data else reversed(self.servers):
            subprocess.run(
                [
                    *self.prefix,
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(server),
                    "-m",
                    "immediate",
                    "stop",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        sys.exit("usage: python tools/pgcluster.py [--replica] -- COMMAND [ARGS...]")
    options, command = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    cluster = Cluster()
    # A run stopped from outside (a CI timeout, `kill`) still stops its servers and removes
    # its files: the signal becomes an exit, so the `finally` below runs.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _exit_on_signal)
    try:
        env = dict(os.environ)
        env["DATABASE_URL"] = cluster.start_primary()
        if "--replica" in options:
            env["DATABASE_REPLICA_URL"] = cluster.start_replica()
        return subprocess.run(command, env=env).returncode
    finally:
        cluster.remove()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
