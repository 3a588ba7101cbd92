"""The second writer of imports: order, failures, and how much it lets pile up."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from circleback.accounts.models import User
from circleback.db import bulk
from circleback.people.models import Tag


def tag_names(owner: User) -> list[str]:
    return list(Tag.objects.filter(owner=owner).order_by("pk").values_list("name", flat=True))


def test_writes_land_in_the_order_queued(alice: User) -> None:
    with bulk.WriteBehind() as writer:
        for n in range(5):
            writer.insert_rows(
                Tag, ("owner_id", "name"), [(alice.pk, f"t{n}a"), (alice.pk, f"t{n}b")]
            )
        writer.flush()
        assert len(tag_names(alice)) == 10
        writer.insert_rows(Tag, ("owner_id", "name"), [(alice.pk, "last")])
    assert tag_names(alice) == [*(f"t{n}{x}" for n in range(5) for x in "ab"), "last"]


def test_a_failed_write_is_raised_and_the_rest_are_not_attempted(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempted: list[int] = []
    real = bulk.WriteBehind._write

    def counting(self: bulk.WriteBehind, job: tuple[Any, ...]) -> None:
        attempted.append(len(attempted))
        real(self, job)

    monkeypatch.setattr(bulk.WriteBehind, "_write", counting)
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.WriteBehind() as writer:
        writer.insert_rows(Tag, ("owner_id", "name"), [(alice.pk, "one")])
        writer.insert_rows(Tag, ("owner_id", "name"), [(alice.pk, "One")])  # the same tag
        writer.insert_rows(Tag, ("owner_id", "name"), [(alice.pk, "never")])
    assert attempted == [0, 1]
    assert tag_names(alice) == []


def test_a_producer_faster_than_the_database_waits(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a database that has not finished the first write
    THEN no more than QUEUED_WRITES further writes wait in memory: the next one blocks its
    caller until the database catches up, and then everything is written."""
    release = threading.Event()
    real = bulk.WriteBehind._write

    def slow(self: bulk.WriteBehind, job: tuple[Any, ...]) -> None:
        release.wait(timeout=30)
        real(self, job)

    monkeypatch.setattr(bulk.WriteBehind, "_write", slow)
    total = bulk.QUEUED_WRITES + 3
    with bulk.WriteBehind() as writer:

        def produce() -> None:
            for n in range(total):
                writer.insert_rows(Tag, ("owner_id", "name"), [(alice.pk, f"tag {n:02d}")])

        producer = threading.Thread(target=produce)
        producer.start()
        while writer._jobs.qsize() < bulk.QUEUED_WRITES:
            producer.join(timeout=0.01)
        # The writer holds one, QUEUED_WRITES wait, and the producer has more to give.
        assert producer.is_alive()
        assert writer._jobs.qsize() == bulk.QUEUED_WRITES
        release.set()
        producer.join(timeout=30)
        assert not producer.is_alive()
    assert tag_names(alice) == [f"tag {n:02d}" for n in range(total)]


def test_threads_take_turns_promptly_only_while_a_writer_runs(alice: User) -> None:
    before = sys.getswitchinterval()
    with bulk.WriteBehind():
        during = sys.getswitchinterval()
        with bulk.WriteBehind():
            assert sys.getswitchinterval() == during
        assert sys.getswitchinterval() == during  # the outer writer still runs
    assert during == min(bulk._SWITCH_INTERVAL, before)
    assert sys.getswitchinterval() == before


def _pragma(name: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return int(cursor.fetchone()[0])


def test_an_import_has_room_in_sqlites_cache_and_gives_it_back(alice: User) -> None:
    """A restore's transaction gets a big page cache (a 2 MB one wrote and re-read the same
    pages: 31 GB of I/O for a 127 MB backup), read here while it runs, and the connection's
    own settings afterwards."""
    from django.db import connection

    from circleback.interchange.services import import_file

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache")
    before = _pragma("cache_size")
    during: list[int] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "read":  # before the writing starts: the connection is this thread's
            during.append(_pragma("cache_size"))

    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Quill\r\nEND:VCARD\r\n"
    import_file(owner=alice, data=card, progress=progress)
    assert during == [-bulk.ROOMY_CACHE_KIB]
    assert _pragma("cache_size") == before != -bulk.ROOMY_CACHE_KIB
