"""Big imports run on the task queue, so the page can show progress while a worker imports.

Confirming an upload of more than BACKGROUND_BYTES marks it "importing" and queues
`import_upload` in the same transaction: either both happen or neither. A worker
(`circleback worker`, or the one `circleback serve` starts on SQLite) imports it in one
transaction as always, and writes its progress where any process can read it:

- on PostgreSQL, to the upload's row, through a second connection (the import's own
  transaction commits only at the end);
- on SQLite, which allows one writer per database file (the import, until it commits), to
  a small progress database in a file of its own beside the main one.

A worker killed mid-import leaves nothing written (the transaction never committed); another
worker notices its silence and runs the task again. After a third start the import gives up
and the upload goes back to its preview, saying so, to be confirmed again.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from django.db import connection, connections, transaction
from django.utils import timezone
from django_tasks import TaskContext, task

from circleback.interchange.models import ImportUpload
from circleback.interchange.records import InterchangeError
from circleback.interchange.services import APPLICATION_STAGES, STAGES, upload_import

# Smaller files import within the confirming request: well under a second, no page needed.
BACKGROUND_BYTES = 256 * 1024
# How often progress is written: often enough for a bar, rarely enough to cost nothing.
_WRITE_EVERY_S = 0.3
# An import started this many times without finishing stops trying.
MAX_STARTS = 3


@dataclass(frozen=True)
class Progress:
    stage: str
    done: int
    total: int
    # The stages of this kind of import (a job tracker's applications have their own).
    stages: tuple[tuple[str, str], ...] = tuple(STAGES.items())

    @property
    def label(self) -> str:
        return dict(self.stages).get(self.stage, "Waiting for the worker")

    @property
    def step(self) -> int:
        """Which of the stages this is, counting from 1."""
        names = [name for name, _ in self.stages]
        return names.index(self.stage) + 1 if self.stage in names else 1

    @property
    def steps(self) -> int:
        return len(self.stages)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


# --- where progress is kept on SQLite -------------------------------------------------------

_board_lock = threading.Lock()
_keepalive: dict[str, sqlite3.Connection] = {}


def _board_address() -> tuple[str, bool]:
    """The progress database beside the main SQLite one: (address, is a URI)."""
    name = str(connection.settings_dict["NAME"])
    if getattr(
        connection, "is_in_memory_db", lambda: False
    )():  # the test suite's: shared by this process's threads
        return "file:circleback-progress?mode=memory&cache=shared", True
    return str(Path(name).with_name(Path(name).name + "-progress")), False


def _board() -> sqlite3.Connection:
    address, uri = _board_address()
    board = sqlite3.connect(address, uri=uri, timeout=5, isolation_level=None)
    board.execute(
        "CREATE TABLE IF NOT EXISTS progress (upload INTEGER PRIMARY KEY, stage TEXT, "
        "done INTEGER, total INTEGER, at TEXT)"
    )
    if uri:
        with _board_lock:  # an in-memory database lives while one connection to it is open
            _keepalive.setdefault(address, sqlite3.connect(address, uri=True))
    return board


def _board_write(upload_pk: int, progress: Progress | None) -> None:
    board = _board()
    try:
        if progress is None:
            board.execute("DELETE FROM progress WHERE upload = ?", [upload_pk])
        else:
            board.execute(
                "INSERT OR REPLACE INTO progress VALUES (?, ?, ?, ?, ?)",
                [
                    upload_pk,
                    progress.stage,
                    progress.done,
                    progress.total,
                    timezone.now().isoformat(),
                ],
            )
    finally:
        board.close()


def _board_read(upload_pk: int) -> Progress | None:
    board = _board()
    try:
        row = board.execute(
            "SELECT stage, done, total FROM progress WHERE upload = ?", [upload_pk]
        ).fetchone()
    finally:
        board.close()
    return Progress(row[0], row[1], row[2]) if row else None


class _Reporter:
    """The import's progress callback: writes at most every _WRITE_EVERY_S."""

    def __init__(self, upload_pk: int) -> None:
        self.upload_pk = upload_pk
        self.sqlite = connection.vendor == "sqlite"
        self.side = None if self.sqlite else connections.create_connection("default")
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < _WRITE_EVERY_S and done < total:
            return
        self.last = now
        if self.sqlite:
            _board_write(self.upload_pk, Progress(stage, done, total))
        else:
            assert self.side is not None
            with self.side.cursor() as cursor:
                cursor.execute(
                    "UPDATE interchange_importupload SET progress_stage = %s, "
                    "progress_done = %s, progress_total = %s, progress_at = %s WHERE id = %s",
                    [stage, done, total, timezone.now(), self.upload_pk],
                )
        from circleback.reminders import failpoints

        failpoints.reach(f"import-{stage}")

    def close(self) -> None:
        if self.sqlite:
            _board_write(self.upload_pk, None)
        elif self.side is not None:
            self.side.close()


# --- the task --------------------------------------------------------------------------------


def start(upload: ImportUpload, *, skip_bad: bool) -> None:
    """Mark `upload` importing and queue its import: call inside the confirming transaction."""
    upload.status = ImportUpload.Status.IMPORTING
    upload.progress_stage, upload.progress_done, upload.progress_total = "", 0, 0
    upload.progress_at = timezone.now()
    upload.error = ""
    upload.save(
        update_fields=[
            "status",
            "progress_stage",
            "progress_done",
            "progress_total",
            "progress_at",
            "error",
        ]
    )
    import_upload.enqueue(upload.pk, skip_bad)


@task(takes_context=True)
def import_upload(context: TaskContext, upload_pk: int, skip_bad: bool) -> str:
    """Import a confirmed upload; what became of it (imported, refused, gave up, nothing)."""
    upload = ImportUpload.objects.select_related("owner").filter(pk=upload_pk).first()
    if upload is None or upload.status != ImportUpload.Status.IMPORTING:
        return "nothing to do"  # imported already, or deleted: running twice is harmless
    if context.attempt > MAX_STARTS:
        ImportUpload.objects.filter(pk=upload_pk, status=ImportUpload.Status.IMPORTING).update(
            status=ImportUpload.Status.PREVIEWED,
            error=f"The import stopped {MAX_STARTS} times before it finished (the worker was "
            "stopped or ran out of memory?); nothing was written. Import it again.",
        )
        return "gave up"
    reporter = _Reporter(upload_pk)
    try:
        with transaction.atomic():
            upload_import(upload=upload, skip_bad=skip_bad, progress=reporter)
    except InterchangeError as exc:
        # Recorded by upload_import inside the transaction that just rolled back: again.
        ImportUpload.objects.filter(pk=upload_pk).update(
            status=ImportUpload.Status.PREVIEWED, error=str(exc)
        )
        return "refused"
    except Exception as exc:
        ImportUpload.objects.filter(pk=upload_pk).update(
            status=ImportUpload.Status.PREVIEWED,
            error=f"The import failed ({type(exc).__name__}); nothing was written.",
        )
        raise
    finally:
        reporter.close()
    return "imported"


def progress_of(upload: ImportUpload) -> Progress | None:
    """How far the import of `upload` has got, or None if it is not importing (any more)."""
    if upload.status != ImportUpload.Status.IMPORTING:
        return None
    found = None
    if connection.vendor == "sqlite":
        found = _board_read(upload.pk)
    if found is None:
        found = Progress(upload.progress_stage, upload.progress_done, upload.progress_total)
    if upload.format == "job-tracker-csv":
        return replace(found, stages=tuple(APPLICATION_STAGES.items()))
    return found


def waiting_for_worker(upload: ImportUpload, now: dt.datetime | None = None) -> bool:
    """An import queued, not started, and no worker running to start it."""
    from circleback.reminders.queries import worker_running

    progress = progress_of(upload)
    return progress is not None and progress.stage == "" and not worker_running(now)
