"""The worker, `circleback serve` and the reminders' commands as real processes, against a
real database (a fresh SQLite file, or a fresh PostgreSQL database when the suite runs on
one), a real SMTP server and a real calendar client. A worker is killed (SIGKILL, no chance
to tidy up) at the worst moments: nothing is lost and nothing is sent twice."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from circleback.cli.tests.support import migrated_home, migrated_postgresql_database
from circleback.reminders.tests.conftest import SmtpServer, free_port

pytestmark = pytest.mark.django_db(transaction=True)  # our own databases; none of pytest's


def env_for_sqlite(home: Path) -> dict[str, str]:
    """Environment for `circleback` processes on their own SQLite database in `home`."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CIRCLEBACK_USER")
        and not k.startswith("CIRCLEBACK_")
    }
    base.update(CIRCLEBACK_HOME=str(home), COLUMNS="200", CIRCLEBACK_SECRET_KEY="p" * 40)
    return base


@contextlib.contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """`circleback serve` on a free port until the block ends (Ctrl-C); its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "circleback", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return _get(base + "/login/")[0] == 200
        except OSError:
            assert server.poll() is None, server.communicate()
            return False

    try:
        wait_for(up)
        yield base
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    assert "A background worker runs beside it" in out
    assert "Traceback" not in err, err


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for `circleback` processes: a new database of the suite's kind, migrated
    already (a copy of the one the program migrated for this test run)."""
    base = env_for_sqlite(tmp_path)
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        migrated_home(tmp_path)
        yield base
        return
    with migrated_postgresql_database(server_url, "cb_process") as url:
        base["DATABASE_URL"] = url
        yield base


def run(env: dict[str, str], *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "circleback", *args],
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=120,
    )


def django(env: dict[str, str], code: str) -> str:
    """Run Python with Django set up on the process database (to arrange a scene through the
    real services, or read the outcome); its standard output."""
    script = (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'circleback.settings')\n"
        "django.setup()\n"
    )
    script += (
        "from circleback.cli._common import migrate_if_needed\nmigrate_if_needed(quiet=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script + textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


SCENE = """
import datetime as dt
from django.utils import timezone
from circleback.accounts.models import User
from circleback.loops.services.favours import favour_log
from circleback.people.services.people import person_create
from circleback.reminders import services
from circleback.reminders.models import DigestSettings
ada = User.objects.create_user("ada", email="ada@example.org", time_zone="Europe/London")
quill = person_create(owner=ada, full_name="Bart Quill")
favour_log(owner=ada, person=quill, direction="received", note="private")
from circleback.accounts.queries import user_now
# The hour that has just begun in London: due already, so the first worker to look sends it.
local = user_now(ada).replace(minute=0, second=0, microsecond=0)
services.digest_configure(owner=ada, enabled=True, hour=local.hour)
services.digest_verify(token=services._verify_token(ada, ada.email))
DigestSettings.objects.filter(owner=ada).update(next_at=local)
"""


def worker(env: dict[str, str], **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "circleback", "worker", "--interval", "0.1", "--heartbeat", "0.2"],
        env={**env, **extra},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.3)


def stop(process: subprocess.Popen[str]) -> tuple[str, str]:
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return out, err


def query(env: dict[str, str], sql: str) -> list[tuple[Any, ...]]:
    """Rows from the process database, read directly (polling through a command each time
    would cost a process start per look)."""
    if "DATABASE_URL" in env:
        import psycopg

        url = env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
        with psycopg.connect(url) as server:
            return list(server.execute(sql).fetchall())
    import sqlite3

    local = sqlite3.connect(Path(env["CIRCLEBACK_HOME"]) / "circleback.sqlite3", timeout=10)
    try:
        return local.execute(sql).fetchall()
    finally:
        local.close()


def digest_row(env: dict[str, str]) -> tuple[Any, ...]:
    """(status, attempts, message_id) of the one digest there is."""
    (row,) = query(env, "SELECT status, attempts, message_id FROM reminders_digest")
    return row


def digest_status(env: dict[str, str]) -> dict[str, Any]:
    result = run(env, "digest", "status", "--json")
    assert result.returncode == 0, result.stderr
    status: dict[str, Any] = json.loads(result.stdout)
    return status


@pytest.mark.parametrize("failpoint", ["digest-after-claim", "digest-after-send"])
def test_a_worker_killed_mid_send_leaves_one_digest_in_the_inbox(
    env: dict[str, str], smtp_server: SmtpServer, failpoint: str
) -> None:
    """GIVEN a digest due, and a worker that is killed (SIGKILL) right after claiming it, or
    right after the server accepted it but before recording that
    WHEN another worker starts THEN the inbox holds exactly one digest for the day."""
    env["CIRCLEBACK_EMAIL_URL"] = smtp_server.url
    django(env, SCENE)
    doomed = worker(env, CIRCLEBACK_FAILPOINTS=failpoint)
    doomed.communicate(timeout=60)
    assert doomed.returncode == -signal.SIGKILL
    deliveries = len(smtp_server.mailbox.messages)
    assert deliveries == (1 if failpoint == "digest-after-send" else 0)
    assert digest_row(env)[0] == "sending"  # claimed by the dead one
    survivor = worker(env)
    try:
        wait_for(lambda: digest_row(env)[0] == "sent")
    finally:
        stop(survivor)
    inbox = smtp_server.mailbox.unique()
    assert len(inbox) == 1
    assert inbox[0]["To"] == "ada@example.org"
    # A retry is the same message (same Message-ID): the mail store keeps it once.
    assert {m["Message-ID"] for m in smtp_server.mailbox.messages} == {inbox[0]["Message-ID"]}
    recent = digest_status(env)["recent"]
    assert len(recent) == 1 and recent[0]["attempts"] == 2
    assert recent[0]["message_id"] == str(inbox[0]["Message-ID"]).strip()


def test_a_worker_killed_mid_import_leaves_nothing_and_the_import_is_retried(
    env: dict[str, str],
) -> None:
    django(
        env,
        """
        from circleback.accounts.models import User
        from circleback.interchange import background
        from circleback.interchange.models import ImportUpload
        from circleback.interchange.tests.test_background import connections_csv
        from circleback.interchange.upload_files import upload_keep
        from django.db import transaction
        ada = User.objects.create_user("ada")
        upload = ImportUpload(owner=ada, filename="Connections.csv", format="linkedin")
        upload.size = upload_keep(upload.uuid, connections_csv(3000))
        upload.save()
        with transaction.atomic():
            background.start(upload, skip_bad=False)
        """,
    )

    def people() -> int:
        return int(query(env, "SELECT count(*) FROM people_person")[0][0])

    doomed = worker(env, CIRCLEBACK_FAILPOINTS="import-people")
    doomed.communicate(timeout=120)
    assert doomed.returncode == -signal.SIGKILL  # killed while adding people
    assert people() == 0  # its transaction never committed
    survivor = worker(env)
    try:
        wait_for(lambda: people() == 3000, 120)
    finally:
        stop(survivor)
    status = django(
        env,
        "from circleback.interchange.models import ImportUpload; "
        "from circleback.interchange.upload_files import upload_path; "
        "u = ImportUpload.objects.get(); "
        "print(u.status, u.size, upload_path(u.uuid).exists(), u.report['created'])",
    )
    assert status.split() == ["imported", "0", "False", "3000"]


def test_the_commands_as_a_user_runs_them(env: dict[str, str], smtp_server: SmtpServer) -> None:
    created = subprocess.run(
        [sys.executable, "-m", "circleback", "user", "create", "ada", "--password-file", "-"],
        input="a long enough password\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    no_mail = run(env, "digest", "on")
    assert no_mail.returncode == 1 and "no mail server is configured" in no_mail.stderr
    assert "CIRCLEBACK_EMAIL_URL" in no_mail.stderr
    env["CIRCLEBACK_EMAIL_URL"] = smtp_server.url
    turned_on = run(env, "digest", "on", "--hour", "8", "--email", "ada@example.org")
    assert turned_on.returncode == 0, turned_on.stderr
    assert "A link to verify ada@example.org is on its way" in turned_on.stdout
    assert "/reminders/verify/" in smtp_server.mailbox.messages[0].get_content()
    status = run(env, "digest", "status")
    assert "waiting for ada@example.org to be verified" in status.stdout
    assert "No worker is running" in status.stdout
    tested = run(env, "digest", "test", "--to", "me@example.org")
    assert tested.returncode == 0, tested.stderr
    assert "The server said: 250 2.0.0 Ok: queued as CB42" in tested.stdout
    assert smtp_server.mailbox.messages[-1]["To"] == "me@example.org"
    refused = run(env, "digest", "test", CIRCLEBACK_EMAIL_URL=f"smtp://127.0.0.1:{free_port()}")
    assert refused.returncode == 1 and "connection refused" in refused.stderr
    bad = run(env, "digest", "status", CIRCLEBACK_EMAIL_URL="smtp://host:port")
    assert bad.returncode == 1 and "CIRCLEBACK_EMAIL_URL" in bad.stderr
    assert run(env, "digest", "off").stdout.strip() == "The digest is off."
    first = run(env, "calendar", "url")
    assert first.returncode == 0 and "/calendar/" in first.stdout
    again = run(env, "calendar", "url")
    assert again.returncode == 1 and "--reset" in again.stderr
    reset = run(env, "calendar", "url", "--reset", "--json")
    assert json.loads(reset.stdout)["url"].endswith(".ics")
    assert "stopped" in run(env, "calendar", "revoke").stdout
    once = run(env, "worker", "--once")
    assert once.returncode == 0 and "Ran " in once.stdout, once.stderr


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_serve_runs_a_worker_and_a_calendar_client_subscribes(
    env: dict[str, str], tmp_path: Path
) -> None:
    """`circleback serve` on the embedded database works with a worker beside it; vdirsyncer
    (a real calendar client) reads the feed; a reset address answers 404 at once."""
    if "DATABASE_URL" in env:
        pytest.skip("serve starts its own worker only on the embedded SQLite database")
    token = django(
        env,
        """
        import datetime as dt
        from django.utils import timezone
        from circleback.accounts.models import User
        from circleback.loops.services.meetings import meeting_schedule
        from circleback.people.services.people import person_create
        from circleback.reminders.services import calendar_token_reset
        ada = User.objects.create_user("ada", time_zone="Europe/Paris")
        quill = person_create(owner=ada, full_name="Bart Quill")
        meeting_schedule(owner=ada, person=quill,
                         scheduled_for=timezone.now() + dt.timedelta(days=2))
        print(calendar_token_reset(owner=ada))
        """,
    ).strip()
    with serving(env) as base:
        url = f"{base}/calendar/{token}.ics"
        assert _get(url)[0] == 200
        wait_for(lambda: bool(query(env, "SELECT 1 FROM reminders_workerheartbeat")))
        assert digest_status(env)["worker_running"] is True
        config = tmp_path / "vdirsyncer.conf"
        local = tmp_path / "calendar"
        local.mkdir()
        config.write_text(
            textwrap.dedent(
                f"""
                [general]
                status_path = "{tmp_path / "status"}"

                [pair circleback]
                a = "circleback_feed"
                b = "circleback_local"
                collections = null
                conflict_resolution = "a wins"

                [storage circleback_feed]
                type = "http"
                url = "{url}"

                [storage circleback_local]
                type = "filesystem"
                path = "{local}"
                fileext = ".ics"
                """
            )
        )
        vdirsyncer = Path(sys.executable).with_name("vdirsyncer")
        for step in ("discover", "sync"):
            done = subprocess.run(
                [str(vdirsyncer), "-c", str(config), step],
                capture_output=True,
                text=True,
                timeout=120,
                input="",
            )
            assert done.returncode == 0, done.stdout + done.stderr
        items = [p.read_text() for p in local.glob("*.ics")]
        assert any("SUMMARY:Meeting with Bart Quill" in item for item in items), items
        assert any("TZID=Europe/Paris" in item for item in items)
        reset = run(env, "calendar", "url", "--reset")
        assert reset.returncode == 0, reset.stderr
        assert _get(url)[0] == 404
    # The worker stopped with the server.
    assert digest_status(env)["worker_running"] is False
