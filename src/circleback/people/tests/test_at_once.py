"""Two requests adding the same organisation, tag or tie at the same moment both succeed and
make one of it. Each looks first and inserts if it found nothing; on PostgreSQL the second
looks before the first commits, finds nothing, and its insert meets the first's row: it was
an IntegrityError (a 500 through the API). SQLite's writers take turns (BEGIN IMMEDIATE): the
second only starts once the first is done, so there is no race there to test (and the
suite's in-memory SQLite can't hold one thread's write open while another waits on it).

Deterministic, not a timing race: the first holds its transaction open until the second is
seen waiting on it (PostgreSQL's pg_locks), then commits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from circleback.people.models import Organisation, Tag, Tie
from circleback.people.services.organisations import organisation_get_or_create
from circleback.people.services.tags import tags_get_or_create
from circleback.people.services.ties import tie_set

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.only_on("postgresql", reason="SQLite's writers take turns: no race to test"),
]


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return bool(cursor.fetchone()[0])


def _at_once(first: Callable[[], Any], second: Callable[[], Any]) -> None:
    """`first` in a transaction left open until `second`, in another thread, is waiting on
    it; then both finish. Fails with what `second` raised."""
    holding, done = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                first()
                holding.set()
                done.wait(30)
        finally:
            connection.close()

    def run() -> None:
        try:
            second()
        except BaseException as exc:  # reported by the test, not lost in the thread
            failures.append(exc)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(30)
    runner = threading.Thread(target=run)
    runner.start()
    deadline = time.monotonic() + 30
    while not _waiting_on_a_lock():
        assert time.monotonic() < deadline, "the second never reached the first's row"
        time.sleep(0.01)
    done.set()
    holder.join(30)
    runner.join(30)
    assert not failures, failures


def test_two_requests_adding_one_organisation_at_once_make_one(alice: Any) -> None:
    got: list[Organisation] = []
    _at_once(
        lambda: organisation_get_or_create(owner=alice, name="Hooli"),
        lambda: got.append(organisation_get_or_create(owner=alice, name="Hooli, Inc.")),
    )
    [organisation] = Organisation.objects.filter(owner=alice)
    assert got == [organisation] and organisation.name == "Hooli"


def test_two_requests_adding_one_tag_at_once_make_one(alice: Any) -> None:
    got: list[list[Tag]] = []
    _at_once(
        lambda: tags_get_or_create(owner=alice, names=["mentor"]),
        lambda: got.append(tags_get_or_create(owner=alice, names=["Mentor", "fintech"])),
    )
    tags = {t.name: t for t in Tag.objects.filter(owner=alice)}
    assert set(tags) == {"mentor", "fintech"}
    assert got == [[tags["mentor"], tags["fintech"]]]


def test_two_requests_tying_one_pair_at_once_make_one_tie(alice: Any, make_person: Any) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    _at_once(
        lambda: tie_set(owner=alice, person=ada, other=bart, kind="colleague"),
        lambda: tie_set(owner=alice, person=bart, other=ada, kind="friend", strength=4),
    )
    [tie] = Tie.objects.filter(owner=alice)
    assert (tie.kind, tie.strength) == ("friend", 4)  # the second changed the first's
