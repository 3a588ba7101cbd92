"""The worker: runs the tasks queued in the database, the schedule, and recovery.

Built on django-tasks-db's worker (its claim: a row locked and marked running, one worker
only), with what a deployment needs beside it:

- a heartbeat row, written by a thread every few seconds, so the app can say whether a
  worker is running and so that other workers can tell when one has died;
- recovery: a task still "running" under a worker whose heartbeat has expired (killed,
  machine lost) is put back on the queue, so it is retried, never stuck; each task decides
  what a retry means (an import gives up after its third start and says so);
- the schedule (see `schedule.py`): periodic jobs claimed by one conditional update, so with
  several workers each runs once.

SIGTERM or Ctrl-C lets the task in hand finish, then the worker stops; a second one stops it
at once: the task's own transaction rolls back and the task goes back on the queue, to run
again when a worker next looks (this one restarted, or another). A worker that is killed
instead (SIGKILL, a lost machine) leaves its task "running", and recovery puts it back on
the queue. Either way a task may run again after it did its work but before that was
recorded, so every task is written to make a second run harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
import time
from types import FrameType

from django.core.exceptions import SuspiciousOperation
from django.db import close_old_connections, connection, connections, transaction
from django.db.utils import DatabaseError, OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from circleback.reminders import failpoints, schedule
from circleback.reminders.models import WorkerHeartbeat

logger = logging.getLogger("circleback.worker")

HEARTBEAT_S = 5.0
# A worker silent for this many heartbeats is dead. Generous, because on SQLite an import
# holds the only write lock for a few seconds and the heartbeat has to wait for it.
MISSED_BEATS = 6


class StopNow(KeyboardInterrupt):
    """A second SIGTERM or Ctrl-C while a task runs: leave it at once, to run again later.

    A KeyboardInterrupt, so that psycopg, interrupted while it waits for the server, cancels
    the statement in flight rather than leaving the connection busy."""


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


class Worker(DatabaseWorker):
    def __init__(
        self,
        *,
        interval: float = 1.0,
        heartbeat: float = HEARTBEAT_S,
        batch: bool = False,
        max_tasks: int | None = None,
        worker_id: str | None = None,
        parent_pid: int | None = None,
        scheduler: bool = True,
    ) -> None:
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id or new_worker_id(),
            excluded_queue_names=[],
        )
        self.heartbeat_s = heartbeat
        self.parent_pid = parent_pid
        self.scheduler = scheduler
        self._beating = threading.Event()
        self._beat_in_loop = False
        self._beat_thread: threading.Thread | None = None
        self._last_recovery = 0.0
        self._sleeping = False
        self._abandoned = False

    # --- heartbeat -----------------------------------------------------------------------

    def _beat(self, *, first: bool = False) -> None:
        now = timezone.now()
        expires = now + dt.timedelta(seconds=self.heartbeat_s * MISSED_BEATS)
        if first:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={
                    "hostname": socket.gethostname()[:255],
                    "pid": os.getpid(),
                    "started_at": now,
                    "seen_at": now,
                    "expires_at": expires,
                    "stopped_at": None,
                },
            )
        else:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
                seen_at=now, expires_at=expires
            )

    def _beat_loop(self) -> None:
        try:
            while not self._beating.wait(self.heartbeat_s):
                # This thread's own connection, looked after as the loop looks after the main
                # thread's: one the server dropped (a restart, a failover, an idle timeout)
                # is replaced here, or every beat from then on would fail on it, and the
                # worker would be taken for dead while it works.
                close_old_connections()
                try:
                    self._beat()
                except DatabaseError as exc:  # SQLite busy beyond its timeout, a lost server
                    logger.warning("heartbeat not written: %s", exc)
        finally:
            connections.close_all()

    def start_heartbeat(self) -> None:
        self._beat(first=True)
        # Inside a caller's transaction (run_pending in a test) another connection could
        # not see this worker's row, nor write while the caller holds SQLite's lock: beat
        # from the loop itself instead.
        self._beat_in_loop = connection.in_atomic_block
        if self._beat_in_loop:
            return
        self._beat_thread = threading.Thread(target=self._beat_loop, name="heartbeat", daemon=True)
        self._beat_thread.start()

    def stop_heartbeat(self) -> None:
        self._beating.set()
        if self._beat_thread is not None:
            self._beat_thread.join(timeout=5)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(stopped_at=timezone.now())

    # --- stopping ----------------------------------------------------------------------

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        """SIGTERM or Ctrl-C sets a flag the loop reads between steps, so the task in hand
        finishes; only from the loop's sleep, with nothing in hand, does the worker leave at
        once. A second signal while a task runs abandons the task (see `run_task`); with none
        in hand, it stops the worker as django-tasks-db's does.

        (django-tasks-db's handler raised SystemExit wherever the loop was when no task was
        running: just after a claim committed, that left the task marked running under a
        worker that then recorded a clean stop, so no recovery would ever run it.)"""
        if self.running and not self._sleeping:
            logger.warning(
                "Received %s - stopping after the work in hand (again to stop at once).",
                signal.strsignal(signum),
            )
            self.running = False
            return
        if self.running_task and not self._abandoned:
            logger.warning(
                "Received %s again - stopping now; the task in hand goes back on the queue.",
                signal.strsignal(signum),
            )
            self._abandoned = True
            self.reset_signals()
            raise StopNow
        super().shutdown(signum, frame)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run one claimed task and record how it ended, as django-tasks-db's worker does,
        with one difference: a task abandoned by a second signal goes back on the queue. It
        is not recorded (nor logged) as failed: being told to stop is not the task's failure,
        and its transaction rolled back, so nothing of it was kept. A signal that comes as
        the end is being recorded leaves the task done, or queued again: a task that did
        its work and runs again does no harm."""
        self.running_task = True
        try:
            self._run_and_record(db_task_result)
        except StopNow:
            DBTaskResult.objects.filter(
                id=db_task_result.id,
                status__in=[TaskResultStatus.RUNNING, TaskResultStatus.FAILED],
            ).update(
                status=TaskResultStatus.READY,
                run_after=timezone.now(),
                finished_at=None,
                exception_class_path="",
                traceback="",
            )
            logger.warning("task %s is back on the queue", db_task_result.id)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _run_and_record(self, db_task_result: DBTaskResult) -> None:
        try:
            task = db_task_result.task
            result = db_task_result.task_result
            task_started.send(sender=type(task.get_backend()), task_result=result)
            context = (TaskContext(task_result=result),) if task.takes_context else ()
            value = task.call(*context, *result.args, **result.kwargs)
            # Recorded inside the handling, so that failing to record it (a return value
            # JSON can't hold) is recorded as the task's failure.
            db_task_result.set_successful(value)
        except StopNow:
            raise
        except BaseException as exc:  # the task's own failure, whatever it is
            db_task_result.set_failed(exc)
        try:
            backend = type(db_task_result.task.get_backend())
        except (ImportError, SuspiciousOperation):  # its code is gone: said in the record
            logger.exception("task %s failed: its code cannot be loaded", db_task_result.id)
            return
        task_finished.send(sender=backend, task_result=db_task_result.task_result)

    def _sleep(self) -> None:
        self._sleeping = True
        try:
            if self.running:  # a signal just before this line found the loop awake
                time.sleep(self.interval)
        finally:
            self._sleeping = False

    # --- the loop ------------------------------------------------------------------------

    def run(self) -> None:
        logger.info("worker %s started", self.worker_id)
        self.start_heartbeat()
        try:
            self._loop()
        finally:
            self.stop_heartbeat()
            logger.info("worker %s stopped", self.worker_id)

    def _refresh_connections(self) -> None:
        # As Django does around each request; never inside a transaction the caller holds
        # (a test's, or run_pending's caller's), where it would close that connection.
        if not connection.in_atomic_block:
            close_old_connections()

    def _loop(self) -> None:
        while self.running:
            self._refresh_connections()
            if self.parent_pid is not None and os.getppid() != self.parent_pid:
                logger.warning("the server that started this worker is gone; stopping")
                return
            self._housekeeping()
            if not self.running:  # told to stop while looking after the others: claim nothing
                return
            task_result, looked = self._claim_next()
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and looked and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            self._refresh_connections()
            if self.running and task_result is None:
                self._sleep()

    def _claim_next(self) -> tuple[DBTaskResult | None, bool]:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None, False
            raise
        return task_result, True

    def _housekeeping(self) -> None:
        """Recovery and the schedule, at most once a heartbeat (they are cheap, not free)."""
        if self._beat_in_loop:
            self._beat()
        now = time.monotonic()
        if now - self._last_recovery < min(self.heartbeat_s, 5.0) and not self.batch:
            return
        self._last_recovery = now
        try:
            recover_dead_workers(asking=self.worker_id)
            if self.scheduler:
                schedule.run_due(worker_id=self.worker_id)
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise


def recover_dead_workers(now: dt.datetime | None = None, *, asking: str = "") -> int:
    """Put back on the queue the tasks of workers whose heartbeat has expired; returns how many.

    Never those of the worker `asking`: it is running, whatever its row says. (On SQLite its
    heartbeat waits for the write lock a long import holds; when the import ends, this
    check can come before the next beat, and the worker would declare itself dead: saying
    "no worker is running" from then on, its digests open to another's claim.)

    A worker is declared dead by one conditional update (stopped_at from empty), so when
    several live workers notice at once, one of them requeues its tasks. The declaration and
    the requeue commit together: a dead worker's tasks are looked for only while it is not
    yet declared, so a recovery stopped between the two would leave them running forever."""
    now = now or timezone.now()
    requeued = 0
    dead = WorkerHeartbeat.objects.filter(stopped_at__isnull=True, expires_at__lt=now).exclude(
        worker_id=asking
    )
    for worker_id in list(dead.values_list("worker_id", flat=True)[:50]):
        with transaction.atomic():
            declared = WorkerHeartbeat.objects.filter(
                worker_id=worker_id, stopped_at__isnull=True
            ).update(stopped_at=now)
            if declared != 1:
                continue
            failpoints.reach("recovery-after-declare")
            logger.warning("worker %s stopped answering; its tasks go back on the queue", worker_id)
            running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
            for task in running.only("id", "worker_ids"):
                if task.worker_ids and task.worker_ids[-1] == worker_id:
                    requeued += DBTaskResult.objects.filter(
                        id=task.id, status=TaskResultStatus.RUNNING
                    ).update(status=TaskResultStatus.READY, run_after=now)
    return requeued


def run_pending(*, max_tasks: int | None = None) -> int:
    """Run every task that is ready now in this thread, then return how many ran (tests,
    `circleback worker --once`)."""
    worker = Worker(batch=True, max_tasks=max_tasks, interval=0)
    worker.run()
    return worker._run_tasks
