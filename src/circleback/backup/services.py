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
from circleback.interchange.services import ImportReport, import_file


def backup_export(*, owner: User) -> bytes:
    """The owner's whole account as a version-2 backup (docs/backup.schema.json)."""
    return export(owner=owner, format="json")


def backup_export_to(stream: IO[bytes], *, owner: User) -> int:
    return export_to(stream, owner=owner, format="json")


def backup_restore(
    *, owner: User, data: bytes, dry_run: bool = False, skip_bad: bool = False
) -> ImportReport:
    """Restore a backup (version 1 or 2) into the owner's account: into an empty account
    exactly; into a populated one merged as an import is. The backup's ids decide who is who."""
    return import_file(owner=owner, data=data, format="json", dry_run=dry_run, skip_bad=skip_bad)


_PLURALS = {
    "settings": ("setting", "settings"),
    "tags": ("tag", "tags"),
    "pitches": ("pitch version", "pitch versions"),
    "pitch_practices": ("pitch practice", "pitch practices"),
    "meetings": ("meeting", "meetings"),
    "leads": ("lead", "leads"),
    "shares": ("share", "shares"),
    "introductions": ("introduction", "introductions"),
    "favours": ("favour", "favours"),
    "standing_offers": ("standing offer", "standing offers"),
    "name_permissions": ("permission to use a name", "permissions to use a name"),
    "loop_steps": ("loop step", "loop steps"),
    "snoozes": ("snooze", "snoozes"),
    "kept_apart": ("pair kept apart", "pairs kept apart"),
}


def restored_summary(restored: dict[str, int]) -> str:
    """'8 meetings, 7 leads, 50 loop steps…' for what a backup restored besides people and
    the journal; empty when it restored none (a version-1 backup, or all already there)."""
    parts = []
    for key, (one, many) in _PLURALS.items():
        count = restored.get(key, 0)
        if count:
            parts.append(f"{count:,} {one if count == 1 else many}")
    return ", ".join(parts)
