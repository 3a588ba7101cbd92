"""Real `circleback serve` processes for tests, each on its own port, on a database of their own.

`fresh_database()` gives a database URL that no test shares: on the PostgreSQL run a new
database on the same server (dropped afterwards), on SQLite None (each server's data
directory then holds it). `migrated_database(home)` is the same, migrated already, for tests
that are not about a first start. `Server` starts one process, waits until it answers, stops it.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from circleback.cli.tests.support import migrated_home, migrated_postgresql_database

PASSWORD = "a long enough password"


def clean_env(home: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    """Production settings, a private data directory, the given database."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DATABASE_URL",
            "DJANGO_SETTINGS_MODULE",
            "CIRCLEBACK_USER",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
        and not k.startswith("CIRCLEBACK_")
    }
    env.update(CIRCLEBACK_HOME=str(home), COLUMNS="120", **extra)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _admin_conninfo(url: str) -> str:
    return _with_database(url, "postgres")


@contextlib.contextmanager
def fresh_database() -> Iterator[str | None]:
    """A new, empty PostgreSQL database on the run's server (None on the SQLite run)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    name = f"cb_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_conninfo(url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(url, name)
    finally:
        with psycopg.connect(_admin_conninfo(url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def migrated_database(home: Path) -> Iterator[str | None]:
    """As `fresh_database()`, but migrated already (a copy of the database the program
    migrated for this test run): on SQLite the copy is put in the data directory `home`."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        migrated_home(home)
        yield None
        return
    with migrated_postgresql_database(url) as database_url:
        yield database_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cli(
    env: dict[str, str], *args: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "circleback", *args],
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
    )


def create_account(env: dict[str, str], name: str) -> None:
    made = cli(env, "user", "create", name, "--password-file", "-", input=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr


@dataclass
class Server:
    """One `circleback serve` process."""

    env: dict[str, str]
    args: tuple[str, ...] = ()
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> Server:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "circleback", "serve", "--port", str(self.port), *self.args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                raise AssertionError(f"serve exited {self.process.returncode}: {out}\n{err}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5):
                    return self
            except urllib.error.HTTPError:
                return self  # answering, if not yet healthy
            except (ConnectionError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> tuple[str, str]:
        if self.process is None:
            return "", ""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            out, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        return out, err

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.communicate()


class Browser:
    """A cookie-keeping HTTP client, as one visitor's browser (no JavaScript)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(
        self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode()

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], str]:
        return self.request(path, headers=headers)

    def csrf_token(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert found, body[:500]
        return found.group(1)

    def post(
        self, path: str, data: dict[str, str], **headers: str
    ) -> tuple[int, dict[str, str], str]:
        return self.request(path, data=data, headers=headers)

    def post_form(self, path: str, data: dict[str, Any]) -> tuple[int, dict[str, str], str]:
        """GET the page for its CSRF token, then POST the form."""
        token = self.csrf_token(path)
        return self.post(path, {"csrfmiddlewaretoken": token, **data})

    def sign_in(self, username: str, password: str = PASSWORD) -> int:
        status, _, _ = self.post_form("/login/", {"username": username, "password": password})
        return status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
