"""Rows made once for several tests that read them, as Django's TestCase.setUpTestData does."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import transaction


@contextlib.contextmanager
def rolled_back_afterwards(django_db_blocker: Any) -> Iterator[None]:
    """A transaction open around a class's or module's tests, rolled back after the last:
    rows made in it once (allowing the database while making them) are there for every test.
    Each test's own transaction (pytest-django's `db`) is a savepoint within this one, so
    what a test changes is undone before the next; a test that commits (`transaction=True`)
    can't be among them.

        @pytest.fixture(scope="class")
        @classmethod
        def made(cls, django_db_setup, django_db_blocker):
            with rolled_back_afterwards(django_db_blocker):
                with django_db_blocker.unblock():
                    rows = build_them()
                yield rows
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
