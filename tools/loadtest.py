"""Load and fault test: several app processes and a worker on one PostgreSQL, simulated
users, one app process killed.

    python tools/loadtest.py [--users 32] [--seconds 40] [--think 0] [--processes 2]
                             [--kill [--stay-down]] [--round-robin] [--threads 4]
                             [--server waitress|gunicorn] [--trace] [--out FILE]

Starts a throwaway PostgreSQL cluster (tools/pgcluster.py), four accounts each with a
1,500-person demo network, N `circleback serve` processes on loopback ports, one
`circleback worker` and a real SMTP server (aiosmtpd) on loopback. Each simulated user signs
in and, until the time is up, mixes page views (home, people, a person, today), searches,
logging an interaction, scheduling a meeting and recording its outcome; one user imports a
3,000-row CSV, big enough to be imported by the worker in the background (the user follows
its progress as the page does), and every account's email digest falls due during the run,
so the worker sends four digests while serving the import. Requests go to the process with
the fewest requests in flight, as the proxy of docs/deploy.md sends them (nginx's
`least_conn`; --round-robin sends them in turn, nginx's default); a process that refuses
connections is taken out of the rotation and the request goes to another one.

--think is each user's mean pause between two requests (seconds, exponentially drawn), as a
person reads a page before the next click. With 0 every user fires its next request the
moment the last one answers: the servers are saturated and latency is mostly queueing (by
Little's law, users / throughput), which measures capacity, not what one person waits.

With --kill, one app process is killed (SIGKILL) half way. Requests it was serving at that
instant are reported as cut (a client would see a dropped connection and could retry); no
other error is allowed. Afterwards every write that was acknowledged (a redirect after a
POST) is looked up in the database: none may be missing. As the supervisor of
docs/deploy.md does (systemd's Restart=always), the killed process is started again on its
port 0.1 s later, and the balancer's health check (/healthz, every second) puts it back in
rotation once it is ready; meanwhile the others serve alone, and must. --stay-down leaves it
down for the rest of the run. The summary's "by_phase" gives p50 and p99 before the kill,
while the others served alone, and after the killed one was back.

With --trace, the app processes add a Server-Timing header to every answer (app, CPU, SQL
and garbage-collection time, and the statement count: ops.middleware.ServerTimingMiddleware),
and the summary gains a "trace" part: by kind, where the time went — "queued" is what the
client waited beyond the app's own time (for a free server thread, then the wire) — and the
slowest requests one by one, with their URLs.

Loopback only, bounded in time. Prints a summary and writes it to --out as JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tools.pgcluster import Cluster  # noqa: E402

from circleback.cli.tests.processes import PASSWORD, Program, Server, free_port  # noqa: E402

ACCOUNTS = 4
PEOPLE_EACH = 1500
IMPORT_ROWS = 3000
RESTART_SEC = 0.1  # systemd's default RestartSec, for the Restart=always of docs/deploy.md
HEALTH_CHECK_S = 1.0  # how often the balancer asks a backend that is down for /healthz

# Every account asks for its daily digest at the hour that has begun, due as the run starts
# (run with Django set up on the load test's database). The worker looks for due digests once
# a minute, its first look as it starts: due "a few seconds in", they missed that look on a
# quiet machine and fell due at the next one, after the run.
DIGESTS_DUE = """
import datetime as dt, sys
from django.utils import timezone
from circleback.accounts.models import User
from circleback.accounts.queries import user_now
from circleback.reminders import services
from circleback.reminders.models import DigestSettings
for name in sys.argv[1:]:
    user = User.objects.get(username=name)
    user.email = f"{name}@example.org"
    user.save(update_fields=["email"])
    hour = user_now(user).replace(minute=0, second=0, microsecond=0)
    services.digest_configure(owner=user, enabled=True, hour=hour.hour)
    services.digest_verify(token=services._verify_token(user, user.email))
    DigestSettings.objects.filter(owner=user).update(
        next_at=timezone.now() - dt.timedelta(seconds=1)
    )
"""


class Mailbox:
    """The SMTP server's side: what it accepted, by recipient and Message-ID."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        found = re.search(rb"^Message-ID:\s*(\S+)", envelope.content, re.MULTILINE | re.I)
        message_id = found.group(1).decode() if found else ""
        for to in envelope.rcpt_tos:
            self.messages.append((to, message_id))
        return "250 2.0.0 Ok"


def _django(env: dict[str, str], code: str, *args: str) -> None:
    script = (
        "import django, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'circleback.settings')\ndjango.setup()\n" + code
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr)


class FormFields(HTMLParser):
    """The fields a browser would submit from the first form with `action` (defaults kept)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.done = action, False, False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and a.get("action", "") in (self.action, ""):
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.setdefault(name, a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in self.fields:
                self.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.setdefault(name, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str, action: str) -> dict[str, str]:
    parser = FormFields(action)
    parser.feed(html)
    return parser.fields


class Cut(Exception):
    """The connection broke after the request was sent: its outcome is unknown."""


TIMING = re.compile(r'(\w+);dur=([0-9.]+)(?:;desc="([0-9/]+)")?')


@dataclass
class Trace:
    """One answer's Server-Timing, beside what the client waited (milliseconds)."""

    kind: str
    method: str
    path: str
    status: int
    client: float
    app: float
    cpu: float
    db: float
    queries: int
    gc: float
    collections: str  # how many while it ran / how many of them of the oldest generation
    at: float  # seconds into the run that it was answered

    @classmethod
    def parse(
        cls, kind: str, method: str, path: str, status: int, client: float, header: str, at: float
    ) -> Trace | None:
        found = {name: (float(ms), desc) for name, ms, desc in TIMING.findall(header)}
        if "app" not in found:
            return None
        return cls(
            kind, method, path, status, round(client * 1000, 1),
            found["app"][0], found["cpu"][0], found["db"][0], int(found["db"][1] or 0),
            found["gc"][0], found["gc"][1], round(at, 1),
        )  # fmt: skip


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    answered: list[tuple[float, float]] = field(default_factory=list)  # (at, seconds)
    traces: list[Trace] = field(default_factory=list)
    started: float = 0.0  # time.monotonic() as the load began
    events: dict[str, float] = field(default_factory=dict)  # seconds into the run
    background_import_s: float | None = None
    errors: list[str] = field(default_factory=list)
    cut: int = 0
    failovers: int = 0
    acknowledged: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float) -> None:
        at = time.monotonic() - self.started
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.answered.append((at, seconds))


class Balancer:
    """Spreads requests over the live backends, as the proxy in front of them does: to the
    one with the fewest requests in flight (nginx's `least_conn`, docs/deploy.md), equal ones
    taking turns; or, with `round_robin`, simply in turn (nginx's default). A backend that
    refuses a connection is dropped until its health check passes again (`up`)."""

    def __init__(self, ports: list[int], *, round_robin: bool = False) -> None:
        self.live = list(ports)
        self.round_robin = round_robin
        self.in_flight: dict[int, int] = dict.fromkeys(ports, 0)
        self.lock = threading.Lock()
        self.turn = 0

    def next(self) -> int:
        """A backend for the next request; `done(port)` when it has been answered."""
        with self.lock:
            if not self.live:
                raise RuntimeError("no app process is left")
            self.turn += 1
            start = self.turn % len(self.live)
            rotated = self.live[start:] + self.live[:start]
            port = rotated[0] if self.round_robin else min(rotated, key=self.in_flight.__getitem__)
            self.in_flight[port] += 1
            return port

    def done(self, port: int) -> None:
        with self.lock:
            self.in_flight[port] -= 1

    def down(self, port: int) -> None:
        with self.lock:
            if port in self.live:
                self.live.remove(port)

    def up(self, port: int) -> None:
        with self.lock:
            if port not in self.live:
                self.live.append(port)
                self.in_flight.setdefault(port, 0)


class User:
    def __init__(
        self, name: str, number: int, people: list[str], balancer: Balancer, stats: Stats
    ) -> None:
        self.name, self.people, self.balancer, self.stats = name, people, balancer, stats
        self.cookies: dict[str, str] = {}
        self.think = 0.0
        self.connections: dict[int, http.client.HTTPConnection] = {}
        # One stream per simulated user. (Seeded by the account's name and the thread that
        # built the users, every user of one account drew the same pauses and clicks: eight
        # clones firing the same request together, which made bursts and lock waits that no
        # real users make.)
        self.random = random.Random(f"{name}-{number}")

    def _send(
        self, port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], str]:
        connection = self.connections.get(port)
        if connection is None:
            connection = self.connections[port] = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=30
            )
        headers = {**headers, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        try:
            connection.request(method, path, body=body, headers=headers)
        except (ConnectionRefusedError, ConnectionResetError, BrokenPipeError) as exc:
            connection.close()
            del self.connections[port]
            raise ConnectionRefusedError from exc
        try:
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (ConnectionError, http.client.HTTPException, TimeoutError) as exc:
            connection.close()
            del self.connections[port]
            raise Cut(str(exc)) from exc
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            del self.connections[port]
        return response.status, dict(response.headers), text

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        data: dict[str, str] | None = None,
        *,
        files: tuple[str, bytes] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> tuple[int, dict[str, str], str]:
        headers: dict[str, str] = {}
        body = None
        if files is not None:
            boundary = uuid.uuid4().hex
            head = f"--{boundary}\r\nContent-Disposition: form-data; "
            parts = [f'{head}name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in (data or {}).items()]
            parts.append(
                f'{head}name="file"; filename="{files[0]}"\r\n'
                "Content-Type: text/csv\r\n\r\n".encode()
                + files[1]
                + b"\r\n"
            )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        while True:
            port = self.balancer.next()
            started = time.perf_counter()
            try:
                status, response_headers, text = self._send(port, method, path, body, headers)
            except ConnectionRefusedError:
                self.balancer.down(port)
                with self.stats.lock:
                    self.stats.failovers += 1
                continue
            finally:
                self.balancer.done(port)
            waited = time.perf_counter() - started
            self.stats.record(kind, waited)
            timing = response_headers.get("Server-Timing")
            if timing:
                at = time.monotonic() - self.stats.started
                trace = Trace.parse(kind, method, path, status, waited, timing, at)
                if trace is not None:
                    with self.stats.lock:
                        self.stats.traces.append(trace)
            if status not in expect:
                with self.stats.lock:
                    said = re.findall(r'class="[^"]*error[^"]*"[^>]*>\s*(?:<p>)?([^<]+)', text)
                    self.stats.errors.append(
                        f"{kind} {method} {path}: HTTP {status} {'; '.join(said)[:300]}"
                    )
            return status, response_headers, text

    def token(self, path: str) -> tuple[str, str]:
        _, _, page = self.request("form page", "GET", path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return (found.group(1) if found else ""), page

    def sign_in(self) -> None:
        token, _ = self.token("/login/")
        self.request(
            "sign in",
            "POST",
            "/login/",
            {"csrfmiddlewaretoken": token, "username": self.name, "password": PASSWORD},
            expect=(302,),
        )

    # --- what a user does ---------------------------------------------------------------

    def log(self) -> None:
        person = self.random.choice(self.people)
        token, page = self.token(f"/people/{person}/")
        summary = f"load-{uuid.uuid4().hex}"
        fields = form_fields(page, f"/people/{person}/log/")
        fields.update({"csrfmiddlewaretoken": token, "log-summary": summary, "log-kind": "call"})
        status, _, _ = self.request(
            "log an interaction", "POST", f"/people/{person}/log/", fields, expect=(302,)
        )
        if status == 302:
            with self.stats.lock:
                self.stats.acknowledged.append(summary)

    def meeting(self) -> None:
        person = self.random.choice(self.people)
        token, page = self.token("/meetings/new/")
        fields = form_fields(page, "")
        when = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 86400))
        fields.update(
            csrfmiddlewaretoken=token, person=person, scheduled_for=when, purposes="advice"
        )
        status, headers, _ = self.request(
            "schedule a meeting", "POST", "/meetings/new/", fields, expect=(302,)
        )
        found = re.search(r"/meetings/([0-9a-f-]{36})/", headers.get("Location", ""))
        if status != 302 or not found:
            return
        log_path = f"/meetings/{found.group(1)}/log/"
        token, page = self.token(log_path)
        fields = form_fields(page, "")
        fields.update(
            csrfmiddlewaretoken=token, learned="How their team hires", outcome="Two names to call"
        )
        self.request("record a meeting's outcome", "POST", log_path, fields, expect=(302,))

    def import_csv(self) -> None:
        # Over 256 KB, so the worker imports it once confirmed (interchange.background).
        rows = ["Name,Given Name,Family Name,E-mail 1 - Value,Organization 1 - Name,Notes"]
        for n in range(IMPORT_ROWS):
            rows.append(
                f"Load Person {n},Load,Person {n},load{n}.{self.name}@example.org,"
                f"Loadco {n % 97},Met at the load test's job fair; follow up about the role"
            )
        token, page = self.token("/import/")
        fields = form_fields(page, "")
        fields.pop("file", None)
        fields["csrfmiddlewaretoken"] = token
        status, headers, _ = self.request(
            "upload an import",
            "POST",
            "/import/",
            fields,
            files=("contacts.csv", ("\n".join(rows) + "\n").encode()),
            expect=(302,),
        )
        location = headers.get("Location", "")
        if status != 302 or "/import/" not in location:
            return
        token, page = self.token(location)
        fields = form_fields(page, location + "confirm/")
        fields["csrfmiddlewaretoken"] = token
        confirmed = time.monotonic()
        self.stats.events["import confirmed"] = round(confirmed - self.stats.started, 1)
        self.request("confirm an import", "POST", location + "confirm/", fields, expect=(302,))
        # Follow it as the import page does, until the worker has imported it.
        while time.monotonic() - confirmed < 120:
            _, _, text = self.request("import progress", "GET", location + "status/")
            if json.loads(text).get("status") == "imported":
                self.stats.background_import_s = round(time.monotonic() - confirmed, 1)
                self.stats.events["import seen done"] = round(
                    time.monotonic() - self.stats.started, 1
                )
                return
            time.sleep(1)
        with self.stats.lock:
            self.stats.errors.append("the background import did not finish within 120 s")

    def step(self) -> None:
        if self.think:
            time.sleep(self.random.expovariate(1 / self.think))
        roll = self.random.random()
        if roll < 0.22:
            self.request("home", "GET", "/")
        elif roll < 0.38:
            self.request("people", "GET", "/people/")
        elif roll < 0.58:
            prefix = self.random.choice("abcdeghijklmnoprstw") + self.random.choice("aeiou")
            self.request("search", "GET", f"/people/?q={prefix}")
        elif roll < 0.76:
            self.request("person", "GET", f"/people/{self.random.choice(self.people)}/")
        elif roll < 0.84:
            self.request("today", "GET", "/today/")
        elif roll < 0.96:
            self.log()
        else:
            self.meeting()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _phases(answered: list[tuple[float, float]], events: dict[str, float]) -> dict[str, Any]:
    """p50/p99 of the requests answered before the kill, while the survivors served alone,
    and once the killed process was back in rotation (only the phases the run had)."""
    killed = events.get("process killed")
    back = events.get("back in rotation")
    bounds = [("all processes", 0.0, killed if killed is not None else float("inf"))]
    if killed is not None:
        alone_until = back if back is not None else float("inf")
        bounds.append(("one killed, the rest serving", killed, alone_until))
        if back is not None:
            bounds.append(("the killed one back", back, float("inf")))
    phases: dict[str, Any] = {}
    for name, start, end in bounds:
        some = [seconds for at, seconds in answered if start <= at < end]
        phases[name] = {
            "from_s": round(start, 1),
            "n": len(some),
            "p50_ms": round(1000 * _percentile(some, 0.50), 1),
            "p99_ms": round(1000 * _percentile(some, 0.99), 1),
        }
    return phases


def _healthy(port: int) -> bool:
    """The balancer's health check: /healthz answers 200."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


def trace_summary(traces: list[Trace], slowest: int = 25) -> dict[str, Any]:
    """Where each kind's time went (p50 and p95 of each part) and the slowest requests."""

    def ms(values: list[float], q: float) -> float:
        return round(_percentile(values, q), 1)

    by_kind: dict[str, list[Trace]] = {}
    for t in traces:
        by_kind.setdefault(t.kind, []).append(t)
    kinds: dict[str, Any] = {}
    for kind, some in sorted(by_kind.items()):
        parts = {
            "client": [t.client for t in some],
            "app": [t.app for t in some],
            "cpu": [t.cpu for t in some],
            "db": [t.db for t in some],
            "gc": [t.gc for t in some],
            "queued": [max(0.0, t.client - t.app) for t in some],
            # In the app but neither on CPU nor in SQL: waiting for the interpreter lock
            # while other threads ran.
            "gil_wait": [max(0.0, t.app - t.cpu - t.db) for t in some],
        }
        kinds[kind] = {
            "n": len(some),
            "queries": sorted({t.queries for t in some}),
            **{f"{name}_p50_ms": ms(v, 0.5) for name, v in parts.items()},
            **{f"{name}_p95_ms": ms(v, 0.95) for name, v in parts.items()},
        }
    ordered = sorted(traces, key=lambda t: t.client, reverse=True)[:slowest]
    return {
        "gc_ms_total_seen": round(sum(t.gc for t in traces), 1),
        "by_kind": kinds,
        "slowest": [
            f"{t.at:5.1f} s: {t.client:.0f} ms {t.method} {t.path} ({t.kind}, {t.status}): "
            f"app {t.app:.0f} = cpu {t.cpu:.0f} + sql {t.db:.0f} ({t.queries} statements) "
            f"+ other; gc {t.gc:.0f} ({t.collections} collections/full); "
            f"queued {max(0.0, t.client - t.app):.0f}"
            for t in ordered
        ],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds a user pauses between requests"
    )
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per app process (serve's default)"
    )
    parser.add_argument(
        "--trace", action="store_true", help="report where each request's time went"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the app processes and worker, e.g. CIRCLEBACK_GC_FREEZE=0",
    )
    parser.add_argument("--server", choices=["waitress", "gunicorn"], default="waitress")
    parser.add_argument("--kill", action="store_true", help="kill one app process half way")
    parser.add_argument(
        "--stay-down",
        action="store_true",
        help="with --kill: leave the killed process down (no supervisor starts it again)",
    )
    parser.add_argument(
        "--round-robin",
        action="store_true",
        help="send requests to the app processes in turn (nginx's default), not to the one "
        "with the fewest in flight (least_conn)",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    from aiosmtpd.controller import Controller

    cluster = Cluster()
    servers: list[Server] = []
    worker: subprocess.Popen[str] | None = None
    home = cluster.base / "home"
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        url = cluster.start_primary()
        program = Program(
            home,
            {
                "DATABASE_URL": url,
                "CIRCLEBACK_EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}?from=digest@circleback.test",
                **({"CIRCLEBACK_SERVER_TIMING": "1"} if args.trace else {}),
                **dict(item.partition("=")[::2] for item in args.set),
            },
        )
        env = program.env
        names = [f"member{n}" for n in range(ACCOUNTS)]
        people: dict[str, list[str]] = {}
        print(f"Preparing {ACCOUNTS} accounts of {PEOPLE_EACH:,} people…", flush=True)
        for name in names:
            program.account(name)
            done = program.run(
                "--user",
                name,
                "demo",
                "--people",
                str(PEOPLE_EACH),
                "--seed",
                str(len(people)),
            )
            assert done.returncode == 0, done.stderr
            listed = program.run("--user", name, "people", "--json", "--limit", "300")
            people[name] = [p["uuid"] for p in json.loads(listed.stdout)]
        _django(env, DIGESTS_DUE, *names)
        # Statistics for the planner, as autovacuum keeps them on a server that has been
        # running (and as anyone should after a bulk load: `vacuumdb --analyze-only`). Just
        # loaded and never analysed, PostgreSQL guesses: a people search then read every
        # person of the account through the (owner, kind) index and rebuilt each one's words
        # (57 ms) instead of asking the full-text index (0.7 ms).
        cluster.psql(url, "ANALYZE")
        # To a file, not a pipe no one reads: a worker that logs more than a pipe holds would
        # stop at its next line.
        worker_log = cluster.base / "worker.log"
        worker = subprocess.Popen(
            [sys.executable, "-m", "circleback", "worker"],
            env=env,
            stdout=worker_log.open("w"),
            stderr=subprocess.STDOUT,
            text=True,
        )

        def start_server(port: int | None = None) -> Server:
            if args.server == "waitress":
                return Server(env, args=("--threads", str(args.threads)), port=port).start()
            return _gunicorn(Server(env, port=port), args.threads)

        for _ in range(args.processes):
            servers.append(start_server())
        balancer = Balancer([s.port for s in servers], round_robin=args.round_robin)
        stats = Stats()
        users = [
            User(names[i % ACCOUNTS], i, people[names[i % ACCOUNTS]], balancer, stats)
            for i in range(args.users)
        ]
        for user in users:
            user.think = args.think
            user.sign_in()
        stats.latencies.clear()
        stats.answered.clear()
        stats.traces.clear()
        load_before = round(os.getloadavg()[0], 2)
        deadline = time.monotonic() + args.seconds
        started = stats.started = time.monotonic()
        client_cpu = time.process_time()

        def run(user: User, importer: bool) -> None:
            imported = False
            while time.monotonic() < deadline:
                try:
                    # Early, so the worker's import is done before the kill half way.
                    if importer and not imported and time.monotonic() - started > args.seconds / 8:
                        imported = True
                        user.import_csv()
                    else:
                        user.step()
                except Cut:
                    with stats.lock:
                        stats.cut += 1
                except Exception as exc:  # a bug in the load test itself must show
                    with stats.lock:
                        stats.errors.append(f"{type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=run, args=(u, i == 0)) for i, u in enumerate(users)]
        for thread in threads:
            thread.start()
        killed_at = None
        survivors = servers[1:]
        if args.kill:
            time.sleep(args.seconds / 2)
            killed = servers[0]
            killed.process.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
            killed_at = time.monotonic() - started
            stats.events["process killed"] = round(killed_at, 1)
            if not args.stay_down:
                # What the deployment's supervisor does (systemd's Restart=always, after its
                # RestartSec of 0.1 s): start it again, on its port. The balancer's health
                # check sends it requests again once /healthz says it is ready.
                time.sleep(RESTART_SEC)
                try:
                    servers.append(start_server(killed.port))
                except Exception as exc:  # reported as the run's error
                    stats.errors.append(f"the killed process did not start again: {exc}")
                else:
                    stats.events["process restarted"] = round(time.monotonic() - started, 1)
                    while time.monotonic() < deadline and not _healthy(killed.port):
                        time.sleep(HEALTH_CHECK_S)
                    balancer.up(killed.port)
                    stats.events["back in rotation"] = round(time.monotonic() - started, 1)
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        client_cpu = time.process_time() - client_cpu
        # The survivors served alone until the killed process was back.
        after_kill_ok = all(s.process.poll() is None for s in survivors)  # type: ignore[union-attr]

        found = set(
            cluster.psql(
                url, "SELECT summary FROM journal_interaction WHERE summary LIKE 'load-%'"
            ).split()
        )
        lost = [s for s in stats.acknowledged if s not in found]
        # Give the worker a little longer for digests that fell due late in the run.
        wait_until = time.monotonic() + 30
        while len({to for to, _ in mailbox.messages}) < ACCOUNTS and time.monotonic() < wait_until:
            time.sleep(0.5)
        worker_alive = worker.poll() is None
        digests = {f"{name}@example.org" for name in names}
        received = {to for to, _ in mailbox.messages}
        duplicates = len(mailbox.messages) - len(set(mailbox.messages))
        if received != digests:
            stats.errors.append(f"digests missing for {sorted(digests - received)}")
            stats.errors.append("the worker's last lines: " + worker_log.read_text()[-1500:])
        if len({(to, m) for to, m in mailbox.messages}) != len(received):
            stats.errors.append("an account got two different digests")
        every = [x for values in stats.latencies.values() for x in values]
        load = os.getloadavg()
        summary: dict[str, Any] = {
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_average_before": load_before,
            "load_average_after_1_5_15": [round(x, 2) for x in load],
            "think_s": args.think,
            "server": args.server,
            "processes": args.processes,
            "balancing": "round-robin" if args.round_robin else "least-conn",
            "threads_per_process": args.threads,
            "settings": args.set,
            "users": args.users,
            "seconds": round(elapsed, 1),
            "requests": len(every),
            "requests_per_s": round(len(every) / elapsed, 1),
            # The simulated users' own CPU (this process), taken from the same two cores.
            "load_generator_cpu_s": round(client_cpu, 1),
            "p50_ms": round(1000 * _percentile(every, 0.50), 1),
            "p95_ms": round(1000 * _percentile(every, 0.95), 1),
            "p99_ms": round(1000 * _percentile(every, 0.99), 1),
            "max_ms": round(1000 * max(every, default=0.0), 1),
            "errors": len(stats.errors),
            "error_samples": stats.errors[:5],
            "killed_at_s": round(killed_at, 1) if killed_at else None,
            "cut_by_the_kill": stats.cut,
            "failovers": stats.failovers,
            "acknowledged_writes": len(stats.acknowledged),
            "acknowledged_writes_lost": len(lost),
            "survivor_kept_serving": after_kill_ok,
            "worker_kept_running": worker_alive,
            "background_import_rows": IMPORT_ROWS,
            "background_import_s": stats.background_import_s,
            "digests_sent": len(received),
            "digest_resends_same_message_id": duplicates,
            "by_phase": _phases(stats.answered, stats.events),
            "by_kind": {
                kind: {
                    "n": len(v),
                    "p50_ms": round(1000 * statistics.median(v), 1),
                    "p95_ms": round(1000 * _percentile(v, 0.95), 1),
                    "p99_ms": round(1000 * _percentile(v, 0.99), 1),
                }
                for kind, v in sorted(stats.latencies.items())
            },
        }
        if args.trace:
            summary["trace"] = {"events_s": stats.events, **trace_summary(stats.traces)}
        print(json.dumps(summary, indent=2))
        if args.out:
            args.out.write_text(json.dumps(summary, indent=2) + "\n")
        ok = not stats.errors and not lost and after_kill_ok and worker_alive
        return 0 if ok else 1
    finally:
        for server in servers:
            if server.process is not None and server.process.poll() is None:
                server.stop()
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.communicate()
        smtp.stop()
        cluster.remove()


def _gunicorn(server: Server, workers: int) -> Server:
    """The same app under gunicorn's pre-forked sync workers (for comparison only)."""
    env = dict(server.env)
    # To the server's log files, as `circleback serve`'s output goes: a pipe no one reads
    # would stop gunicorn once it filled.
    with server.stdout_path.open("wb") as out, server.stderr_path.open("wb") as err:
        server.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "circleback.wsgi:application",
             "-b", f"127.0.0.1:{server.port}", "-w", str(workers), "--log-level", "warning"],
            env=env, stdout=out, stderr=err,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
