"""The worker, `circleback serve` and the reminders' commands as real processes, against a
real database (a fresh SQLite file, or a fresh PostgreSQL database when the suite runs on
one), a real SMTP server and a real calendar client. A worker is killed (SIGKILL, no chance
to tidy up) at the worst moments: nothing is lost and nothing is sent twice."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from circleback.cli.tests.processes import Program, Worker, wait_for
from circleback.reminders.tests.conftest import SmtpServer, free_port

pytestmark = pytest.mark.django_db(transaction=True)  # our own databases; none of pytest's


@contextlib.contextmanager
def serving(program: Program) -> Iterator[str]:
    """`circleback serve` on a free port until the block ends (Ctrl-C); its base URL. It
    stopped cleanly, having said a worker runs beside it."""
    server = program.serve(ready="/login/").start()
    try:
        yield server.url
    finally:
        finished = server.stop(signal.SIGINT)
    assert finished.returncode == 0, finished.err
    assert "A background worker runs beside it" in finished.out
    assert "Traceback" not in finished.err, finished.err


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


def worker(program: Program, **extra: str) -> Worker:
    return program.worker("--interval", "0.1", "--heartbeat", "0.2", **extra)


def stop(worker: Worker) -> None:
    """SIGTERM: the worker finishes what it is doing and exits cleanly."""
    finished = worker.stop()
    assert finished.returncode == 0, finished.err


def digest_row(program: Program) -> tuple[Any, ...]:
    """(status, attempts, message_id) of the one digest there is."""
    (row,) = program.query("SELECT status, attempts, message_id FROM reminders_digest")
    return row


def digest_status(program: Program) -> dict[str, Any]:
    status: dict[str, Any] = json.loads(program.ok("digest", "status", "--json"))
    return status


@pytest.mark.parametrize("failpoint", ["digest-after-claim", "digest-after-send"])
def test_a_worker_killed_mid_send_leaves_one_digest_in_the_inbox(
    program: Program, smtp_server: SmtpServer, failpoint: str
) -> None:
    """GIVEN a digest due, and a worker that is killed (SIGKILL) right after claiming it, or
    right after the server accepted it but before recording that
    WHEN another worker starts THEN the inbox holds exactly one digest for the day."""
    program.env["CIRCLEBACK_EMAIL_URL"] = smtp_server.url
    program.python(SCENE)
    doomed = worker(program, CIRCLEBACK_FAILPOINTS=failpoint).wait(60)
    assert doomed.returncode == -signal.SIGKILL, doomed.err
    deliveries = len(smtp_server.mailbox.messages)
    assert deliveries == (1 if failpoint == "digest-after-send" else 0)
    assert digest_row(program)[0] == "sending"  # claimed by the dead one
    survivor = worker(program)
    try:
        wait_for(
            lambda: digest_row(program)[0] == "sent", "the digest sent", output=survivor.output
        )
    finally:
        stop(survivor)
    inbox = smtp_server.mailbox.unique()
    assert len(inbox) == 1
    assert inbox[0]["To"] == "ada@example.org"
    # A retry is the same message (same Message-ID): the mail store keeps it once.
    assert {m["Message-ID"] for m in smtp_server.mailbox.messages} == {inbox[0]["Message-ID"]}
    recent = digest_status(program)["recent"]
    assert len(recent) == 1 and recent[0]["attempts"] == 2
    assert recent[0]["message_id"] == str(inbox[0]["Message-ID"]).strip()


def queue_an_import(program: Program) -> None:
    """A confirmed import of 3,000 LinkedIn connections, queued for the worker."""
    program.python(
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


def people(program: Program) -> int:
    return int(program.query("SELECT count(*) FROM people_person")[0][0])


def import_ends_with_everyone(program: Program) -> None:
    """A worker started now imports all 3,000 people, and the upload says so."""
    survivor = worker(program)
    try:
        wait_for(
            lambda: people(program) == 3000, "3000 people imported", 120, output=survivor.output
        )
    finally:
        stop(survivor)
    status = program.python(
        "from circleback.interchange.models import ImportUpload; "
        "from circleback.interchange.upload_files import upload_path; "
        "u = ImportUpload.objects.get(); "
        "print(u.status, u.size, upload_path(u.uuid).exists(), u.report['created'])",
    )
    assert status.split() == ["imported", "0", "False", "3000"]


def test_a_worker_killed_mid_import_leaves_nothing_and_the_import_is_retried(
    program: Program,
) -> None:
    queue_an_import(program)
    doomed = worker(program, CIRCLEBACK_FAILPOINTS="import-people").wait(120)
    assert doomed.returncode == -signal.SIGKILL, doomed.err  # killed while adding people
    assert people(program) == 0  # its transaction never committed
    import_ends_with_everyone(program)


def test_a_second_sigterm_stops_the_worker_at_once_and_the_import_goes_back_on_the_queue(
    program: Program,
) -> None:
    """GIVEN a worker part way through an import
    WHEN it is sent SIGTERM, which lets the import finish, and then SIGTERM again
    THEN it stops at once, the import's people are not kept, the task is queued again
    (not failed), and the next worker imports everyone."""
    queue_an_import(program)
    held = worker(program, CIRCLEBACK_FAILPOINTS="import-people=hold")
    assert held.process is not None
    wait_for(lambda: "import-people: holding" in held.output(), "the import under way",
             output=held.output)  # fmt: skip
    held.process.send_signal(signal.SIGTERM)
    wait_for(lambda: "stopping after the work in hand" in held.output(), "the first SIGTERM",
             output=held.output)  # fmt: skip
    assert held.running()  # waiting for the import
    finished = held.stop(signal.SIGTERM, timeout=30)
    assert finished.returncode == 0, finished.err
    assert "the task in hand goes back on the queue" in finished.err
    assert "Traceback" not in finished.err, finished.err
    assert people(program) == 0
    ((status, workers, failure),) = program.query(
        "SELECT status, worker_ids, exception_class_path FROM django_tasks_database_dbtaskresult"
        " WHERE task_path LIKE '%import_upload'"
    )
    assert (status, failure) == ("READY", "")
    assert len(json.loads(workers) if isinstance(workers, str) else workers) == 1
    import_ends_with_everyone(program)


def test_the_commands_as_a_user_runs_them(program: Program, smtp_server: SmtpServer) -> None:
    program.account("ada")
    run = program.run
    no_mail = run("digest", "on")
    assert no_mail.returncode == 1 and "no mail server is configured" in no_mail.stderr
    assert "CIRCLEBACK_EMAIL_URL" in no_mail.stderr
    program.env["CIRCLEBACK_EMAIL_URL"] = smtp_server.url
    turned_on = run("digest", "on", "--hour", "8", "--email", "ada@example.org")
    assert turned_on.returncode == 0, turned_on.stderr
    assert "A link to verify ada@example.org is on its way" in turned_on.stdout
    assert "/reminders/verify/" in smtp_server.mailbox.messages[0].get_content()
    status = run("digest", "status")
    assert "waiting for ada@example.org to be verified" in status.stdout
    assert "No worker is running" in status.stdout
    tested = run("digest", "test", "--to", "me@example.org")
    assert tested.returncode == 0, tested.stderr
    assert "The server said: 250 2.0.0 Ok: queued as CB42" in tested.stdout
    assert smtp_server.mailbox.messages[-1]["To"] == "me@example.org"
    refused = run("digest", "test", CIRCLEBACK_EMAIL_URL=f"smtp://127.0.0.1:{free_port()}")
    assert refused.returncode == 1 and "connection refused" in refused.stderr
    bad = run("digest", "status", CIRCLEBACK_EMAIL_URL="smtp://host:port")
    assert bad.returncode == 1 and "CIRCLEBACK_EMAIL_URL" in bad.stderr
    assert run("digest", "off").stdout.strip() == "The digest is off."
    first = run("calendar", "url")
    assert first.returncode == 0 and "/calendar/" in first.stdout
    again = run("calendar", "url")
    assert again.returncode == 1 and "--reset" in again.stderr
    reset = run("calendar", "url", "--reset", "--json")
    assert json.loads(reset.stdout)["url"].endswith(".ics")
    assert "stopped" in run("calendar", "revoke").stdout
    once = run("worker", "--once")
    assert once.returncode == 0 and "Ran " in once.stdout, once.stderr


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_serve_runs_a_worker_and_a_calendar_client_subscribes(
    program: Program, tmp_path: Path
) -> None:
    """`circleback serve` on the embedded database works with a worker beside it; vdirsyncer
    (a real calendar client) reads the feed; a reset address answers 404 at once."""
    if program.database_url:
        pytest.skip("serve starts its own worker only on the embedded SQLite database")
    token = program.python(
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
    with serving(program) as base:
        url = f"{base}/calendar/{token}.ics"
        assert _get(url)[0] == 200
        wait_for(
            lambda: bool(program.query("SELECT 1 FROM reminders_workerheartbeat")),
            "the worker's first heartbeat",
        )
        assert digest_status(program)["worker_running"] is True
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
        program.ok("calendar", "url", "--reset")
        assert _get(url)[0] == 404
    # The worker stopped with the server.
    assert digest_status(program)["worker_running"] is False
