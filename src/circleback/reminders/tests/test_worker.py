"""The worker's own parts: the heartbeat /healthz reads, recovery of a dead worker's tasks,
the schedule that runs each job once however many workers look, and the clean-up."""

from __future__ import annotations

import datetime as dt
import os
import signal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from circleback.accounts.models import User
from circleback.cli.tests.processes import wait_for
from circleback.interchange.models import ImportUpload
from circleback.reminders import failpoints, schedule, services, tasks
from circleback.reminders.models import ScheduledJob, WorkerHeartbeat
from circleback.reminders.queries import worker_last_seen, worker_running
from circleback.reminders.worker import Worker, recover_dead_workers, run_pending

UTC = dt.UTC


def _heartbeat(worker_id: str, *, expires_in: dt.timedelta) -> WorkerHeartbeat:
    """A worker's last beat, just now; it is dead once `expires_in` has passed (negative:
    already)."""
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="h",
        pid=1,
        started_at=now,
        seen_at=now,
        expires_at=now + expires_in,
    )


def test_a_worker_says_when_it_was_last_seen(db: None) -> None:
    assert worker_last_seen() is None and not worker_running()
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False):
        run_pending()
    assert worker_last_seen() == dt.datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert not worker_running()  # it stopped, and said so


def test_the_tasks_of_a_worker_that_stopped_answering_go_back_on_the_queue(db: None) -> None:
    _heartbeat("dead", expires_in=dt.timedelta(seconds=-1))
    _heartbeat("alive", expires_in=dt.timedelta(minutes=1))
    orphan = tasks.clean_up.enqueue()
    healthy = tasks.clean_up.enqueue()
    DBTaskResult.objects.filter(id=orphan.id).update(status="RUNNING", worker_ids=["dead"])
    DBTaskResult.objects.filter(id=healthy.id).update(status="RUNNING", worker_ids=["alive"])
    assert recover_dead_workers() == 1
    assert recover_dead_workers() == 0  # declared dead once
    assert DBTaskResult.objects.get(id=orphan.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(id=healthy.id).status == TaskResultStatus.RUNNING
    assert WorkerHeartbeat.objects.get(worker_id="dead").stopped_at is not None


def test_a_recovery_stopped_half_way_leaves_the_dead_workers_tasks_to_the_next(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a dead worker's running task WHEN the worker recovering it stops (SIGTERM's
    exit, a kill) right after declaring it dead THEN that declaration is undone with the
    rest, and the next recovery puts the task back on the queue."""
    _heartbeat("dead", expires_in=dt.timedelta(seconds=-1))
    orphan = tasks.clean_up.enqueue()
    DBTaskResult.objects.filter(id=orphan.id).update(status="RUNNING", worker_ids=["dead"])

    def stop_at(name: str) -> None:
        if name == "recovery-after-declare":
            raise SystemExit(0)

    monkeypatch.setattr(failpoints, "reach", stop_at)
    with pytest.raises(SystemExit):
        recover_dead_workers()
    assert WorkerHeartbeat.objects.get(worker_id="dead").stopped_at is None
    monkeypatch.undo()
    assert recover_dead_workers() == 1
    assert DBTaskResult.objects.get(id=orphan.id).status == TaskResultStatus.READY


def test_a_worker_whose_beats_were_held_up_does_not_declare_itself_dead(db: None) -> None:
    """GIVEN a worker whose heartbeat has expired while it worked (on SQLite a long import
    holds the lock its beats wait for) WHEN it looks for dead workers before its next beat
    THEN it does not count itself among them."""
    worker = Worker(interval=0)
    worker._beat(first=True)
    WorkerHeartbeat.objects.filter(worker_id=worker.worker_id).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    worker._housekeeping()
    assert WorkerHeartbeat.objects.get(worker_id=worker.worker_id).stopped_at is None


def test_sigterm_just_after_a_claim_lets_the_claimed_task_run_first(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a worker that has just claimed a task (marked it running, committed) and not yet
    started it WHEN SIGTERM comes THEN it runs that task, then stops: the task is not left
    running under a worker that says it stopped, where no recovery would look for it."""
    queued = tasks.clean_up.enqueue()
    worker = Worker(interval=0, scheduler=False)
    claim = worker._claim_next

    def claim_then_sigterm() -> Any:
        claimed = claim()
        if claimed[0] is not None:
            os.kill(os.getpid(), signal.SIGTERM)  # its handler runs before the next line
        return claimed

    monkeypatch.setattr(worker, "_claim_next", claim_then_sigterm)
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    worker.configure_signals()
    try:
        worker.run()
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
    assert DBTaskResult.objects.get(id=queued.id).status == TaskResultStatus.SUCCESSFUL
    assert worker._run_tasks == 1 and not worker.running


def test_a_task_that_fails_is_recorded_failed_and_one_whose_code_is_gone_too(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a task that raises, and a task whose code no longer exists (a task queued by an
    older version) WHEN a worker runs them THEN each is recorded as failed, with why, and
    the worker goes on; neither goes back on the queue (only a stopped worker's do)."""
    broken = tasks.clean_up.enqueue()
    gone = tasks.clean_up.enqueue()
    DBTaskResult.objects.filter(id=gone.id).update(task_path="circleback.reminders.tasks.gone")

    def refuse() -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "clean_up", refuse)
    worker = Worker(batch=True, interval=0, scheduler=False)
    worker.run()
    assert worker._run_tasks == 2
    failed = DBTaskResult.objects.get(id=broken.id)
    assert failed.status == TaskResultStatus.FAILED
    assert "the disk is full" in failed.traceback
    lost = DBTaskResult.objects.get(id=gone.id)
    assert lost.status == TaskResultStatus.FAILED
    assert lost.exception_class_path.endswith(("ImportError", "AttributeError"))


def test_each_scheduled_job_is_started_by_one_worker(db: None) -> None:
    now = timezone.now()
    first = schedule.run_due(worker_id="one", now=now)
    second = schedule.run_due(worker_id="two", now=now)
    assert first == ["digests", "clean-up"] and second == []
    assert DBTaskResult.objects.count() == 2
    later = schedule.run_due(worker_id="two", now=now + dt.timedelta(minutes=1))
    assert later == ["digests"]
    assert ScheduledJob.objects.get(name="digests").last_worker == "two"


def test_previews_nobody_confirmed_are_deleted_after_a_day(alice: User) -> None:
    """A preview nobody confirmed goes after a day, its waiting file with it; so does a file
    no upload waits for (a preview that failed half way); a fresh preview's file stays."""
    import os

    from circleback.interchange.upload_files import upload_keep, upload_path

    def preview(name: str, data: bytes, age: dt.timedelta) -> ImportUpload:
        upload = ImportUpload(owner=alice, filename=name)
        upload.size = upload_keep(upload.uuid, data)
        upload.save()
        ImportUpload.objects.filter(pk=upload.pk).update(created_at=timezone.now() - age)
        then = (timezone.now() - age).timestamp()
        os.utime(upload_path(upload.uuid), (then, then))
        return upload

    stale = preview("old.csv", b"x" * 1000, dt.timedelta(days=2))
    fresh = preview("new.csv", b"y", dt.timedelta(minutes=5))
    orphan = upload_path("00000000-0000-4000-8000-000000000001")
    upload_keep(orphan.name.split(".")[0], b"left behind")
    two_days_ago = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(orphan, (two_days_ago, two_days_ago))
    done = ImportUpload.objects.create(
        owner=alice, filename="done.csv", status=ImportUpload.Status.IMPORTED
    )
    ImportUpload.objects.filter(pk=done.pk).update(created_at=timezone.now() - dt.timedelta(days=9))
    assert services.clean_up()["previews"] == 1
    assert set(ImportUpload.objects.values_list("pk", flat=True)) == {fresh.pk, done.pk}
    assert not upload_path(stale.uuid).exists() and not orphan.exists()
    assert upload_path(fresh.uuid).read_bytes() == b"y"


def test_a_worker_stops_when_the_server_that_started_it_is_gone(db: None) -> None:
    worker = Worker(interval=0, parent_pid=-1)  # no process has that id: it is gone
    worker.run()
    assert worker._run_tasks == 0
    assert WorkerHeartbeat.objects.get(worker_id=worker.worker_id).stopped_at is not None


@pytest.mark.only_on("postgresql", reason="the server ends a connection; SQLite has no server")
@pytest.mark.django_db(transaction=True)  # the heartbeat's thread reads what this one wrote
def test_the_heartbeat_goes_on_after_the_server_drops_its_connection() -> None:
    """GIVEN a worker beating from its own thread WHEN the server ends that thread's
    connection (a restart, a failover, an idle-session timeout) THEN its next beats are
    written all the same, on a new connection: a live worker is not taken for a dead one."""
    worker = Worker(heartbeat=0.05)
    worker.start_heartbeat()
    assert worker._beat_thread is not None

    def seen() -> dt.datetime:
        return WorkerHeartbeat.objects.get(worker_id=worker.worker_id).seen_at

    try:
        started = seen()
        wait_for(lambda: seen() > started, "the heartbeat thread's first beat", 30, 0.02)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchall(), "no heartbeat connection to end"
        dropped = seen()
        wait_for(lambda: seen() > dropped, "a beat after the connection was dropped", 30, 0.02)
    finally:
        worker.stop_heartbeat()
    assert not worker._beat_thread.is_alive()
