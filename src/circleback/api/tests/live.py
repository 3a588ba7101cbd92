"""A real `circleback serve` process for API tests: its own data directory (SQLite), or a
fresh database on the PostgreSQL server the suite runs against, an account and tokens made
with the real `circleback user create` and `circleback token create` commands."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from circleback.cli.tests.support import migrated_home, migrated_postgresql_database


@dataclass
class LiveServer:
    base: str
    env: dict[str, str]
    log: Path | None = None

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "circleback", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result

    def token(self, user: str, name: str, *flags: str) -> str:
        out = self.cli("--user", user, "token", "create", name, "--json", *flags).stdout
        return str(json.loads(out)["token"])

    def request(
        self,
        method: str,
        path: str,
        token: str | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                raw = response.read()
                status, got = response.status, dict(response.headers)
        except urllib.error.HTTPError as exc:
            raw, status, got = exc.read(), exc.code, dict(exc.headers)
        text = raw.decode()
        return status, got, json.loads(text) if text.startswith(("{", "[")) else text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _database(home: Path) -> Iterator[dict[str, str]]:
    """Environment choosing the server's database, migrated already (a copy of the one the
    program migrated for this test run): on the suite's PostgreSQL server when it runs on one
    (a new database, dropped afterwards), else SQLite in `home`."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        migrated_home(home)
        yield {}
        return
    with migrated_postgresql_database(url, "circleback_live") as database_url:
        yield {"DATABASE_URL": database_url}


@contextmanager
def live_server(home: Path, **extra: str) -> Iterator[LiveServer]:
    with _database(home) as db_env:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CIRCLEBACK_USER")
            and not k.startswith("CIRCLEBACK_")
        }
        env.update(CIRCLEBACK_HOME=str(home), COLUMNS="200", **db_env, **extra)
        port = _free_port()
        server = LiveServer(base=f"http://127.0.0.1:{port}", env=env)
        for user in ("alice", "charlie"):
            server.cli("user", "create", user, "--password-file", "-", stdin="a long password 1\n")
        # Its output goes to a file: a pipe nobody reads fills up and stops the server.
        log = (home / "server.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "circleback", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        server.log = home / "server.log"
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, server.log.read_text()
                try:
                    urllib.request.urlopen(server.base + "/api/v1/openapi.json", timeout=30)
                    break
                # A busy machine may take longer than a read's timeout to build the document.
                except (OSError, urllib.error.URLError):
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
