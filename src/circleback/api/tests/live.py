"""A real `circleback serve` process for API tests (started by circleback.cli.tests.processes):
on a migrated database of the suite's kind, two accounts (alice, charlie) made with the real
`circleback user create`, tokens with the real `circleback token create`, and requests sent
with urllib as curl would."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from circleback.cli.tests.processes import Program, Server, on_suite_database


@dataclass
class LiveServer:
    program: Program
    server: Server

    @property
    def base(self) -> str:
        return self.server.url

    @property
    def env(self) -> dict[str, str]:
        return self.program.env

    @property
    def log(self) -> Path:
        """The server's error output so far (its tracebacks, if any)."""
        return self.server.stderr_path

    def tracebacks(self, last: int = 3) -> str:
        """The server's last `last` tracebacks (a 500's own account of itself), or ""."""
        text = self.server.output()  # stdout, then stderr: the tracebacks are in the latter
        parts = text.split("Traceback")[1:][-last:]
        return "".join("\n--- server traceback ---\nTraceback" + p[:6000] for p in parts)

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        result = self.program.run(*args, stdin=stdin)
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
        # A server error fails the test at once, with the server's traceback beside it: a
        # 500 that did not recur is otherwise a mystery (one POST /people was, once).
        assert status < 500, f"{method} {path} answered {status}: {text}{self.tracebacks()}"
        return status, got, json.loads(text) if text.startswith(("{", "[")) else text


@contextmanager
def live_server(home: Path, **extra: str) -> Iterator[LiveServer]:
    """`circleback serve` with `extra` settings, answering (it has built the API's OpenAPI
    document) when the block begins, stopped when it ends; the server's `finished` output then
    says how it stopped. Its error output is kept as `home`/server.log, and printed when the
    block fails (pytest shows it under the failure): a failure far from the request that
    caused it still has the server's account of it."""
    with on_suite_database(home, prefix="circleback_live", COLUMNS="200", **extra) as program:
        # The API's document is built on its first request: ready when that has answered.
        # The server starts while the accounts are made (the database is migrated already).
        server = program.serve(ready="/api/v1/openapi.json").launch()
        failed = False
        try:
            for user in ("alice", "charlie"):
                program.account(user, "a long password 1")
            yield LiveServer(program, server.ready_within())
        except BaseException:
            failed = True
            raise
        finally:
            finished = server.stop()
            (home / "server.log").write_text(finished.err)
            if failed:
                print(f"--- the server's error output ({home / 'server.log'}) ---\n{finished.err}")
