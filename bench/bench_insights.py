"""Speed of the daily agenda and the network health check on the demo network.

`run(ctx)` times `agenda_for` and `health_for` for `ctx.owner` (20,000 people and 200,000
interactions in `make bench`) and returns the medians in milliseconds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

ROUNDS = 15


def _p50_ms(work: Callable[[], object], rounds: int = ROUNDS) -> float:
    work()  # warm caches (and the database's) once
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def run(ctx: Any) -> dict[str, float]:
    from circleback.insights.queries import agenda_for, health_for

    owner = ctx.owner
    return {
        "agenda_p50_ms": _p50_ms(lambda: agenda_for(owner)),
        "health_p50_ms": _p50_ms(lambda: health_for(owner)),
    }
