"""Big imports run beside the request that confirmed them, so the page can show progress.

A confirmed upload of more than BACKGROUND_BYTES is marked "importing" and imported by a
thread of the same app process, in one transaction as always. Its progress is kept here for
the pages this process serves, and on PostgreSQL also written to the upload's row through a
second connection, so any app process can show it. SQLite lets only one connection write at
a time, and the import is that writer until it commits: there the row learns the outcome
only, and the pages read progress from here (a SQLite deployment is one process).

If the process stops mid-import the transaction rolls back: nothing was written. The upload
then stays "importing" with a stale progress time; `progress_of` sees that and puts it back
to its preview, saying what happened, so it can be confirmed again.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.db import connection, connections
from django.utils import timezone

from circleback.interchange.models import ImportUpload
from circleback.interchange.records import InterchangeError
from circleback.interchange.services import STAGES, upload_import

# Smaller files import within the confirming request: well under a second, no page needed.
BACKGROUND_BYTES = 256 * 1024
# An import that has said nothing for this long, run by no thread here, has stopped.
STALE_AFTER = dt.timedelta(minutes=2)
_WRITE_EVERY_S = 0.5


@dataclass(frozen=True)
class Progress:
    stage: str
    done: int
    total: int

    @property
    def label(self) -> str:
        return STAGES.get(self.stage, "Starting")

    @property
    def step(self) -> int:
        """Which of the stages this is, counting from 1."""
        return list(STAGES).index(self.stage) + 1 if self.stage in STAGES else 1

    @property
    def steps(self) -> int:
        return len(STAGES)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


_lock = threading.Lock()
_running: dict[int, Progress] = {}  # upload pk -> its latest progress, while it runs here
_threads: dict[int, threading.Thread] = {}


def start(upload: ImportUpload, *, skip_bad: bool) -> threading.Thread:
    """Import `upload` (already marked importing, and committed) in a thread of its own."""
    with _lock:
        _running[upload.pk] = Progress("", 0, 0)
        thread = threading.Thread(
            target=_run, args=(upload.pk, skip_bad), name=f"import-{upload.pk}", daemon=False
        )
        _threads[upload.pk] = thread
    thread.start()
    return thread


def wait(upload: ImportUpload, timeout: float | None = None) -> None:
    """Until this process's import of `upload` has ended (for tests and shutdown)."""
    thread = _threads.get(upload.pk)
    if thread is not None:
        thread.join(timeout)


def _run(upload_pk: int, skip_bad: bool) -> None:
    side = connections.create_connection("default") if connection.vendor != "sqlite" else None
    last_write = 0.0

    def report(stage: str, done: int, total: int) -> None:
        nonlocal last_write
        with _lock:
            _running[upload_pk] = Progress(stage, done, total)
        now = time.monotonic()
        if side is not None and now - last_write >= _WRITE_EVERY_S:
            last_write = now
            with side.cursor() as cursor:
                cursor.execute(
                    "UPDATE interchange_importupload SET progress_stage = %s, progress_done = %s, "
                    "progress_total = %s, progress_at = %s WHERE id = %s",
                    [stage, done, total, timezone.now(), upload_pk],
                )

    try:
        upload = ImportUpload.objects.select_related("owner").get(pk=upload_pk)
        try:
            upload_import(upload=upload, skip_bad=skip_bad, progress=report)
        except InterchangeError:
            pass  # recorded on the upload, shown with its preview
        except Exception as exc:
            ImportUpload.objects.filter(pk=upload_pk).update(
                status=ImportUpload.Status.PREVIEWED,
                error=f"The import failed ({type(exc).__name__}); nothing was written.",
            )
            raise
    finally:
        with _lock:
            _running.pop(upload_pk, None)
        if side is not None:
            side.close()
        connections.close_all()


def progress_of(upload: ImportUpload) -> Progress | None:
    """How far the import of `upload` has got, or None if it is not importing (any more)."""
    if upload.status != ImportUpload.Status.IMPORTING:
        return None
    with _lock:
        here = _running.get(upload.pk)
    if here is not None:
        return here
    if upload.progress_at is None or timezone.now() - upload.progress_at > STALE_AFTER:
        stopped = ImportUpload.objects.filter(
            pk=upload.pk, status=ImportUpload.Status.IMPORTING, progress_at=upload.progress_at
        ).update(
            status=ImportUpload.Status.PREVIEWED,
            error="The import stopped before it finished (the app was restarted?); nothing "
            "was written. Import it again.",
        )
        if stopped:
            upload.refresh_from_db()
            return None
    return Progress(upload.progress_stage, upload.progress_done, upload.progress_total)
