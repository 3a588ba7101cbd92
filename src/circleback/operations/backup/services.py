"""The whole-account backup's two operations, for the CLI, the web app and tests.

Both go through interchange: the export is `export --format json` (its other sections come
from `sections.export_sections`), and a restore is an import of the file (its other sections
go through `restore.restore_sections`, in the same transaction), so the preview, dry run and
background import work for backups as for any file.
"""

from __future__ import annotations

from typing import IO

from circleback.accounts.models import User
from circleback.interchange.exports import export, export_to
from circleback.interchange.formats.circleback_json import restored_summary
from circleback.interchange.services import ImportReport, import_file

__all__ = ["backup_export", "backup_export_to", "backup_restore", "restored_summary"]


def backup_export(*, owner: User) -> bytes:
    """The owner's whole account as a version-2 backup (docs/backup.schema.json)."""
    return export(owner=owner, format="json")


def backup_export_to(stream: IO[bytes], *, owner: User) -> int:
    return export_to(stream, owner=owner, format="json")


def backup_restore(
    *, owner: User, data: bytes | IO[bytes], dry_run: bool = False, skip_bad: bool = False
) -> ImportReport:
    """Restore a backup (version 1 or 2) into the owner's account: into an empty account
    exactly; into a populated one merged as an import is. The backup's ids decide who is who.
    `data` is the backup's bytes or, for a big one, a binary file open on it: read from the
    file as it is restored, never held whole."""
    return import_file(owner=owner, data=data, format="json", dry_run=dry_run, skip_bad=skip_bad)
