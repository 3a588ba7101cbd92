"""A restore reads the backup as it goes, section by section: whatever order the sections
come in, a file cut short, or a broken record found after the people are written, the
outcome is the one a whole read would give — all of it, or nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from circleback.accounts.models import User
from circleback.interchange.records import InterchangeError
from circleback.interchange.services import BrokenRecordsError
from circleback.journal.models import Interaction
from circleback.operations.backup.services import backup_export, backup_restore
from circleback.operations.backup.tests.conftest import comparable, wipe
from circleback.people.models import Person, Tie

pytestmark = pytest.mark.django_db


def _fresh(name: str = "restored") -> User:
    return get_user_model().objects.create(username=name)


def test_sections_in_another_order_restore_the_same_account(account: User) -> None:
    """Written backwards (the format and version last, the journal before the people it
    names), each section is read again from the start when its turn comes."""
    data = backup_export(owner=account)
    document = json.loads(data)
    backwards = dict(reversed(list(document.items())))
    assert list(backwards)[-1] == "format"
    wipe(account)
    restored = _fresh()
    report = backup_restore(owner=restored, data=json.dumps(backwards).encode())
    assert not report.broken
    # The demo's job club stays behind (a restore joins no group; see test_restore.py).
    original, again = comparable(data), comparable(backup_export(owner=restored))
    assert original.pop("groups") and again.pop("groups") == []
    assert again == original


class _CountedFile(io.FileIO):
    """A real file on disk that remembers the largest read asked of it and how much was read."""

    largest = 0
    total = 0

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        self.largest = max(self.largest, len(data))
        self.total += len(data)
        return data

    def readinto(self, buffer: Any, /) -> int:
        n = super().readinto(buffer)
        self.largest = max(self.largest, n or 0)
        self.total += n or 0
        return n


def test_a_backup_restores_from_its_file_a_buffer_at_a_time(account: User, tmp_path: Path) -> None:
    """Given the open file, the restore reads it a buffer at a time — never the whole file —
    even when a section has to be read again from the start (written backwards, the people
    come after the journal that names them), and restores what the bytes would."""
    data = backup_export(owner=account)
    backwards = dict(reversed(list(json.loads(data).items())))
    # Big enough that a whole read would show: the notes of one person padded out.
    backwards["people"][0]["notes"] = "x" * 3_000_000
    path = tmp_path / "backup.json"
    path.write_bytes(json.dumps(backwards).encode())
    size = path.stat().st_size
    expected = comparable(data)
    expected["people"][0]["notes"] = "x" * 3_000_000
    wipe(account)
    restored = _fresh()
    with _CountedFile(path) as file:
        report = backup_restore(owner=restored, data=file)
        assert not report.broken
        assert file.largest <= 1024 * 1024 < size  # a megabyte at most, of 3
        assert file.total > size  # the people were read again from the start
    # The demo's job club stays behind (a restore joins no group; see test_restore.py).
    again = comparable(backup_export(owner=restored))
    assert expected.pop("groups") and again.pop("groups") == []
    assert again == expected


def test_a_backup_cut_short_is_refused_and_nothing_is_written(account: User) -> None:
    data = backup_export(owner=account)
    wipe(account)
    restored = _fresh()
    # Cut in the journal: the people before it were already written when the end came.
    cut = data[: data.index(b'"interactions"') + 2000]
    with pytest.raises(InterchangeError, match="not valid JSON"):
        backup_restore(owner=restored, data=cut)
    assert Person.objects.filter(owner=restored).count() == 0
    assert Tie.objects.filter(owner=restored).count() == 0


def test_a_broken_entry_after_the_people_refuses_it_all_unless_skipped(alice: User) -> None:
    people = [
        {"uuid": "9b2f6b7e-3f51-4e0e-9d1b-6d3c2a1f0a01", "full_name": "Ada Quill"},
        {"uuid": "9b2f6b7e-3f51-4e0e-9d1b-6d3c2a1f0a02", "full_name": "Bart Nguyen"},
    ]
    entries = [
        {
            "uuid": "4f0e2b7e-3f51-4e0e-9d1b-6d3c2a1f0d01",
            "occurred_at": "2026-11-20T10:00:00+00:00",
            "summary": "Coffee with Ada",
            "people": [people[0]["uuid"]],
        },
        {"uuid": "4f0e2b7e-3f51-4e0e-9d1b-6d3c2a1f0d02", "summary": "When was this?"},
    ]
    for version in (1, 2):
        document = {
            "format": "circleback-backup",
            "version": version,
            "people": people,
            "interactions": entries,
        }
        data = json.dumps(document).encode()
        with pytest.raises(BrokenRecordsError) as refused:
            backup_restore(owner=alice, data=data)
        assert "journal entry 2 (“When was this?”)" in str(refused.value)
        assert "occurred_at" in str(refused.value)
        assert Person.objects.filter(owner=alice).count() == 0
        with pytest.raises(BrokenRecordsError, match="journal entry 2"):
            backup_restore(owner=alice, data=data, dry_run=True)
        assert Person.objects.filter(owner=alice).count() == 0
    report = backup_restore(owner=alice, data=data, skip_bad=True)
    assert report.created == 2 and report.interactions_created == 1
    assert Interaction.objects.get(owner=alice).summary == "Coffee with Ada"
    assert [s.where for s in report.broken] == ["journal entry 2 (“When was this?”)"]
