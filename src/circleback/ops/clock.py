"""The moment the services take for "now".

Always the real time, except inside `at(moment)`: the demo replays its weeks of give and take
through the services, each action at the moment it happened, so what the services derive from
"now" (journal entries, loop steps falling due, the day a lead was contacted) is dated as it
would have been. The moment lives in a context variable: one thread's or task's replay never
moves another's clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_MOMENT: ContextVar[dt.datetime | None] = ContextVar("circleback_moment", default=None)


def now() -> dt.datetime:
    """The current moment: the real time, or the one `at` set."""
    moment = _MOMENT.get()
    return moment if moment is not None else timezone.now()


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Act as if it were `moment` (an aware datetime) inside the block."""
    if timezone.is_naive(moment):
        raise ValueError("at() needs an aware datetime")
    token = _MOMENT.set(moment)
    try:
        yield
    finally:
        _MOMENT.reset(token)
