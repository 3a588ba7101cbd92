"""An import as the web app and the API run it: upload → preview (a dry run, a read, kept
with the file) → confirm (now, or in the background for a big file) → progress. One definition for
both interfaces and both kinds of file — contacts (`services.import_file`) and a job tracker's
applications (`applications.applications_import`, format "job-tracker-csv"); the import
itself is `services.upload_import`."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Sequence
from typing import IO

from django.db import transaction

from circleback.accounts.models import User
from circleback.interchange import background
from circleback.interchange.applications import FORMAT as APPLICATIONS
from circleback.interchange.applications import applications_import
from circleback.interchange.models import ImportUpload
from circleback.interchange.records import InterchangeError
from circleback.interchange.services import import_file, upload_import
from circleback.interchange.upload_files import upload_discard, upload_keep, upload_open


def upload_preview(
    *,
    owner: User,
    filename: str,
    data: bytes | IO[bytes],
    format: str = "auto",
    contact_list: str = "",
    tags: Sequence[str] = (),
) -> ImportUpload:
    """Work out what importing the file would do (a dry run: a read, which locks no one
    out) and keep the file with that report for confirmation. `data` is the file's bytes or
    a file (an upload the web server spooled to disk): it is copied to a file of its own in
    the data folder (upload_files) and the preview reads that, a buffer at a time. Raises
    InterchangeError (not a readable file) or ValidationError, keeping nothing."""
    key = uuid.uuid4()
    size = upload_keep(key, data)
    try:
        file = upload_open(key)
        assert file is not None
        with file:
            if format == APPLICATIONS:
                report = applications_import(
                    owner=owner, data=file.read(), dry_run=True, skip_bad=True
                )
            else:
                report = import_file(
                    owner=owner,
                    data=file,
                    format=format,
                    contact_list=contact_list or None,
                    tags=list(tags),
                    dry_run=True,
                    # The preview shows broken records too; confirming then asks to skip them.
                    skip_bad=True,
                )
        return ImportUpload.objects.create(
            owner=owner,
            uuid=key,
            filename=filename[:255],
            size=size,
            format=report.format,
            contact_list=contact_list,
            tags=list(tags),
            report=report.as_json(),
        )
    except BaseException:
        upload_discard(key)
        raise


def upload_confirm(*, upload: ImportUpload, skip_bad: bool = False) -> bool:
    """Import a previewed upload: at once, or in the background for a big file (its progress
    is on the upload). False if it was not waiting for confirmation (already imported)."""
    with transaction.atomic():
        upload = ImportUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.status != ImportUpload.Status.PREVIEWED:
            return False
        if upload.size > background.BACKGROUND_BYTES:
            # Marked importing and queued in this transaction: both, or neither.
            background.start(upload, skip_bad=skip_bad)
            return True
        # A file that fails is recorded on the upload and shown with its preview.
        with contextlib.suppress(InterchangeError):
            upload_import(upload=upload, skip_bad=skip_bad)
    return True
