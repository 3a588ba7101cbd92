"""Where an uploaded file waits between its preview and its import: a file of its own in the
data folder's `uploads` directory (settings.IMPORT_UPLOADS_DIR), owner-only, never bytes in
the database. The preview and the import read it from there a buffer at a time (a 127 MB
backup is not held whole); it is removed once imported, and with a preview nobody confirmed.

Every process that previews or imports (app processes, workers) must see the same folder:
on one machine it is the data folder; several machines share it (docs/deploy.md).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid as uuid_module
from pathlib import Path
from typing import IO

from django.conf import settings

from circleback.conf import make_private

_SUFFIX = ".upload"
_COPY_BUFFER = 1 << 20


def uploads_dir() -> Path:
    """The owner-only folder the waiting files are in (made when first needed)."""
    folder = Path(settings.IMPORT_UPLOADS_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(folder)
    return folder


def upload_path(key: uuid_module.UUID | str) -> Path:
    return uploads_dir() / f"{key}{_SUFFIX}"


def upload_keep(key: uuid_module.UUID | str, source: bytes | IO[bytes]) -> int:
    """Write the upload (its bytes, or a file read a megabyte at a time) to its own file,
    0600 from the start; returns its size. Written under a temporary name and renamed, so
    a file found under the upload's name is always whole."""
    final = upload_path(key)
    partial = final.with_name(final.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(source, bytes | bytearray):
                out.write(source)
            else:
                if hasattr(source, "seek"):
                    source.seek(0)
                shutil.copyfileobj(source, out, _COPY_BUFFER)
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final.stat().st_size


def upload_open(key: uuid_module.UUID | str) -> IO[bytes] | None:
    """The waiting file, open for reading; None when it is gone."""
    try:
        return upload_path(key).open("rb")
    except FileNotFoundError:
        return None


def upload_discard(key: uuid_module.UUID | str) -> None:
    upload_path(key).unlink(missing_ok=True)


def uploads_sweep(*, keep: set[str], older_than: dt.datetime) -> int:
    """Remove the files of uploads not in `keep` (uuids as text) last written before
    `older_than`: left by a preview that failed half way, or a process stopped mid-upload.
    Returns how many went."""
    folder = Path(settings.IMPORT_UPLOADS_DIR)
    if not folder.is_dir():
        return 0
    cutoff = older_than.timestamp()
    removed = 0
    for path in folder.iterdir():
        key = path.name.split(".", 1)[0]
        if key in keep:
            continue
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
