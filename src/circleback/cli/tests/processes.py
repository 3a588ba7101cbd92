"""The real `circleback` program in tests: commands, the server and the worker as processes.

The one way a test starts the program as a user's shell, `make run` or a deployment does:

- `Program` is the program on one database: a data directory (`home`) and the environment a
  process gets (production settings, none of the test run's own). `program.run(*args)` runs a
  command to its end; `program.ok(*args)` also insists it succeeded and gives its output.
  `run_program(home, *args)` is the same for a one-off command.
- Where the database comes from: `Program(home)` starts on an empty data directory (a first
  start: the program migrates it). `Program.migrated(home)` copies the database the program
  migrated once for this test process (see "A migrated database, made once" below).
  `on_suite_database(home)` gives a migrated copy on the suite's kind of database: a new
  PostgreSQL database when the suite runs on PostgreSQL (dropped afterwards), else SQLite in
  `home`; a test that uses it runs on both databases' runs (see conftest.py).
- `program.serve(*args)` is `circleback serve` (waitress) on a free port, answering when
  `start()` returns; `program.worker(*args)` is `circleback worker`. Both write their output to
  files, not pipes (a full pipe nobody reads stops a process), and `stop()` gives it back
  (`Finished`). A server that exits or doesn't answer in time fails the test with its output.
- `Browser(server.url)` visits the server as one person's browser without JavaScript (it keeps
  cookies, fills in forms with their CSRF token, signs in).
- `wait_for(check, what)` polls until `check()` holds, failing with `what` (and any process's
  output) when it doesn't in time.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PASSWORD = "a long enough password"
# How long a command may take: generous, for a loaded machine.
COMMAND_TIMEOUT = 300.0
_SQLITE_NAME = "circleback.sqlite3"


def program_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment for a real `circleback` process: production settings, a private
    data directory (SQLite unless `extra` names a DATABASE_URL), none of the test run's own
    settings or account."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
        and not k.startswith("CIRCLEBACK_")
    }
    env.update({"CIRCLEBACK_HOME": str(home), "COLUMNS": "120"})
    env.update(extra)
    return env


def run_program(
    home: Path,
    *args: str,
    stdin: str | None = None,
    timeout: float = COMMAND_TIMEOUT,
    **extra: str,
) -> subprocess.CompletedProcess[str]:
    """`circleback *args` as a separate process, with `stdin` typed in and `extra` settings."""
    return _run(program_env(home, **extra), args, stdin=stdin, timeout=timeout)


def _run(
    env: dict[str, str],
    args: tuple[str, ...],
    *,
    stdin: str | None,
    timeout: float,
    preexec_fn: Callable[[], Any] | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "circleback", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec_fn,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(
    check: Callable[[], bool],
    what: str,
    seconds: float = 60,
    interval: float = 0.1,
    output: Callable[[], str] | None = None,
) -> None:
    """Poll `check()` every `interval` seconds until it holds; fail saying `what` was
    awaited (and `output()`, e.g. a process's stderr) when `seconds` pass first."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            told = f"\n--- output ---\n{output()}" if output is not None else ""
            raise AssertionError(f"timed out after {seconds:g} s waiting for {what}{told}")
        time.sleep(interval)


@dataclass(frozen=True)
class Finished:
    """How a long-running process ended: its exit code and what it wrote."""

    returncode: int
    out: str
    err: str


class _Running:
    """A long-running `circleback` process whose output goes to files (a pipe nobody reads
    fills up and stops the process)."""

    def __init__(self, env: dict[str, str], args: tuple[str, ...]) -> None:
        self.env = env
        self.args = args
        self.process: subprocess.Popen[bytes] | None = None
        self.finished: Finished | None = None
        self._logs = Path(tempfile.mkdtemp(prefix="circleback-process-"))

    @property
    def stdout_path(self) -> Path:
        return self._logs / "stdout"

    @property
    def stderr_path(self) -> Path:
        return self._logs / "stderr"

    def _start(self) -> None:
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "circleback", *self.args],
                env=self.env,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
            )

    def output(self) -> str:
        """What the process has written so far (stdout, then stderr)."""
        if self.finished is not None:
            return self.finished.out + self.finished.err
        return _read(self.stdout_path) + _read(self.stderr_path)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait(self, timeout: float = COMMAND_TIMEOUT) -> Finished:
        """Wait for the process to end by itself."""
        assert self.process is not None, "never started"
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"`circleback {' '.join(self.args)}` still ran after {timeout:g} s\n"
                f"--- output ---\n{self.output()}"
            ) from None
        return self._finish()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> Finished:
        """Send `sig` (SIGTERM, or SIGINT as Ctrl-C does), wait for the process to end; a
        process still running after `timeout` is killed."""
        if self.finished is not None:
            return self.finished
        assert self.process is not None, "never started"
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self._finish()

    def kill(self) -> Finished:
        """SIGKILL: no chance to tidy up."""
        return self.stop(signal.SIGKILL)

    def _finish(self) -> Finished:
        assert self.process is not None
        self.finished = Finished(
            self.process.returncode, _read(self.stdout_path), _read(self.stderr_path)
        )
        shutil.rmtree(self._logs, ignore_errors=True)
        return self.finished


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode(errors="replace")
    except FileNotFoundError:
        return ""


class Server(_Running):
    """`circleback serve` on a free port of loopback."""

    def __init__(
        self,
        env: dict[str, str],
        args: tuple[str, ...] = (),
        ready: str = "/healthz",
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        self.ready = ready
        super().__init__(env, ("serve", "--port", str(self.port), *args))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> Server:
        """Start it and wait until `ready` answers (any status: answering, if not yet
        healthy); a server that exits first, or not answering in time, fails with its output."""
        return self.launch().ready_within(timeout)

    def launch(self) -> Server:
        """Start the process without waiting for it (to do something else while it starts:
        then `ready_within()`)."""
        self._start()
        return self

    def ready_within(self, timeout: float = 90) -> Server:
        """Wait until `ready` answers, as start() does."""
        try:
            wait_for(self._answers, f"{self.url}{self.ready} to answer", timeout, 0.05, self.output)
        except BaseException:
            self.stop()
            raise
        return self

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(
                f"`circleback {' '.join(self.args)}` exited {self.process.returncode} "
                f"before answering\n--- output ---\n{self.output()}"
            )
        try:
            with urllib.request.urlopen(self.url + self.ready, timeout=30):
                return True
        except urllib.error.HTTPError:
            return True
        except (OSError, urllib.error.URLError):
            return False

    def __enter__(self) -> Server:
        return self.ready_within() if self.process is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Worker(_Running):
    """`circleback worker`: started at once; stop() is SIGTERM, kill() SIGKILL."""

    def __init__(self, env: dict[str, str], args: tuple[str, ...] = ()) -> None:
        super().__init__(env, ("worker", *args))
        self._start()


@dataclass
class Program:
    """The `circleback` program on one database: its data directory and its environment."""

    home: Path
    extra: dict[str, str] = field(default_factory=dict)  # settings beyond program_env's
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.env = program_env(self.home, **self.extra)

    @classmethod
    def migrated(cls, home: Path, **extra: str) -> Program:
        """`home` as a data directory with a copy of the migrated template (SQLite)."""
        return cls(migrated_home(home), extra)

    @property
    def database_url(self) -> str:
        return self.env.get("DATABASE_URL", "")

    def run(
        self,
        *args: str,
        stdin: str | None = None,
        timeout: float = COMMAND_TIMEOUT,
        umask: int | None = None,
        **extra: str,
    ) -> subprocess.CompletedProcess[str]:
        """`circleback *args` to its end, with `stdin` typed in and `extra` settings."""
        preexec = (lambda: os.umask(umask)) if umask is not None else None
        env = {**self.env, **extra}
        return _run(env, args, stdin=stdin, timeout=timeout, preexec_fn=preexec)

    def ok(self, *args: str, stdin: str | None = None, **extra: Any) -> str:
        """As run(), failing the test with the command's stderr unless it succeeds; stdout."""
        done = self.run(*args, stdin=stdin, **extra)
        assert done.returncode == 0, f"circleback {' '.join(args)}: {done.stderr}"
        return done.stdout

    def account(self, name: str, password: str = PASSWORD) -> None:
        """`circleback user create NAME` with the password typed in."""
        self.ok("user", "create", name, "--password-file", "-", stdin=password + "\n")

    def python(self, code: str) -> str:
        """Python with Django set up as the program sets it up, on its database (to arrange a
        scene through the real services, or read an outcome); its standard output."""
        script = (
            "import django, os\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'circleback.settings')\n"
            "django.setup()\n"
            "from circleback.cli._common import migrate_if_needed\n"
            "migrate_if_needed(quiet=True)\n"
        ) + textwrap.dedent(code)
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Run one SQL statement on the program's database directly and commit; its rows
        (polling through a command would cost a process start per look)."""
        if self.database_url:
            import psycopg

            url = self.database_url.replace("postgres://", "postgresql://", 1)
            with psycopg.connect(url) as server:
                cursor = server.execute(sql)
                return list(cursor.fetchall()) if cursor.description else []
        local = sqlite3.connect(self.home / _SQLITE_NAME, timeout=10)
        try:
            rows = local.execute(sql).fetchall()
            local.commit()
            return rows
        finally:
            local.close()

    def serve(self, *args: str, ready: str = "/healthz", **extra: str) -> Server:
        """`circleback serve *args` (not yet started: `start()`, or use it in a `with`)."""
        return Server({**self.env, **extra}, args, ready)

    def worker(self, *args: str, **extra: str) -> Worker:
        """`circleback worker *args`, started."""
        return Worker({**self.env, **extra}, args)


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


# --- A migrated database, made once ---------------------------------------------------------
#
# A new database takes the program seconds to migrate (over a minute on a loaded machine), and
# most process tests begin with one: `user create` on an empty data directory. So each test
# process (each xdist worker) has the real program migrate one template database, the first
# time a test asks for one, and each such test gets a copy: on SQLite a copy of the file, on
# PostgreSQL `CREATE DATABASE … TEMPLATE`. The program then finds nothing to migrate, as on
# any start after the first. A test about a first start (migrating, the files a new install
# makes, a fresh install's first page) keeps an empty data directory or database instead.

# How long the one migration of a template may take: one per test process, so a loaded
# machine may take its time.
_TEMPLATE_TIMEOUT = 600


class _Templates:
    """The templates this test process made, removed at the end of the session."""

    directory: Path | None = None
    postgresql: dict[str, str] = {}  # the server's admin URL → the template's name


def _migrate_with_the_program(env: dict[str, str]) -> None:
    """The real program's first start on an empty database: it migrates it, and lists no one."""
    done = _run(env, ("user", "list", "--json"), stdin=None, timeout=_TEMPLATE_TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert "Preparing the database" in done.stderr, done.stderr
    assert json.loads(done.stdout) == []


def sqlite_template() -> Path:
    """The SQLite file of a data directory the program migrated; made once per test process."""
    if _Templates.directory is None:
        directory = Path(tempfile.mkdtemp(prefix="circleback-template-"))
        _migrate_with_the_program(program_env(directory))
        # Everything in the one file: no write-ahead log left beside it to copy.
        connection = sqlite3.connect(directory / _SQLITE_NAME)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        _Templates.directory = directory
    database = _Templates.directory / _SQLITE_NAME
    assert not database.with_name(_SQLITE_NAME + "-wal").exists()
    return database


def migrated_home(home: Path) -> Path:
    """`home` as a data directory whose SQLite database the program has migrated already (a
    copy of the template), for a process test that starts after the first start; `home`."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = home / _SQLITE_NAME
    if database.exists():
        raise ValueError(f"{home} has a database already")
    shutil.copyfile(sqlite_template(), database)
    database.chmod(0o600)
    return home


def _on_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _admin(server_url: str) -> Any:
    import psycopg

    return psycopg.connect(_on_database(server_url, "postgres"), autocommit=True)


def _postgresql_template(server_url: str) -> str:
    admin_url = _on_database(server_url, "postgres")
    if admin_url not in _Templates.postgresql:
        name = f"cb_template_{uuid.uuid4().hex[:12]}"
        with _admin(server_url) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        _Templates.postgresql[admin_url] = name
        with tempfile.TemporaryDirectory(prefix="circleback-template-") as home:
            _migrate_with_the_program(
                program_env(Path(home), DATABASE_URL=_on_database(server_url, name))
            )
    return _Templates.postgresql[admin_url]


@contextlib.contextmanager
def postgresql_database(
    server_url: str, prefix: str = "cb", migrated: bool = True
) -> Iterator[str]:
    """A new database on the PostgreSQL server `server_url` names, dropped afterwards; its
    URL. `migrated`: a copy of the template the program migrated, else empty."""
    from psycopg.errors import ObjectInUse

    template = f' TEMPLATE "{_postgresql_template(server_url)}"' if migrated else ""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with _admin(server_url) as admin:
        # The server may not yet have seen off the last session that used the template.
        deadline = time.monotonic() + 30
        while True:
            try:
                admin.execute(f'CREATE DATABASE "{name}"{template}')
                break
            except ObjectInUse:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    try:
        yield _on_database(server_url, name)
    finally:
        with _admin(server_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrated_postgresql_database(server_url: str, prefix: str = "cb") -> Any:
    """A new database on the PostgreSQL server `server_url` names, migrated already (a copy
    of the template), dropped afterwards; its URL."""
    return postgresql_database(server_url, prefix)


def suite_postgresql_url() -> str:
    """The PostgreSQL server the suite runs against ("" on the SQLite run)."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


@contextlib.contextmanager
def on_suite_database(
    home: Path, *, migrated: bool = True, prefix: str = "cb", **extra: str
) -> Iterator[Program]:
    """The program on a new database of the kind the suite runs on: on the PostgreSQL run a
    new database on its server (dropped afterwards), else SQLite in `home`. `migrated`: a copy
    of the template the program migrated (a start after the first), else empty (a first
    start). `extra`: more settings for every process."""
    server = suite_postgresql_url()
    if not server:
        yield Program(migrated_home(home) if migrated else home, extra)
        return
    with postgresql_database(server, prefix, migrated) as url:
        yield Program(home, {**extra, "DATABASE_URL": url})


# conftest.py runs a test on the PostgreSQL run too when its module uses one of these.
ON_SUITE_DATABASE = (on_suite_database,)


def remove_templates() -> None:
    """Remove the templates this test process made (at the end of the session)."""
    if _Templates.directory is not None:
        shutil.rmtree(_Templates.directory, ignore_errors=True)
        _Templates.directory = None
    for admin_url, name in list(_Templates.postgresql.items()):
        with _admin(admin_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        del _Templates.postgresql[admin_url]
