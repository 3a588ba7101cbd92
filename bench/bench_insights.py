"""Speed of the daily agenda and the network health check on the demo network.

`run(ctx)` times `agenda_for` and `health_for` for `ctx.owner` (20,000 people and 200,000
interactions in `make bench`) and returns the medians in milliseconds: wall-clock time (the
targets, <= 50 ms each), the process's CPU time (SQLite runs in-process, so this is the work
done, and steadier than wall time on a shared machine), and the number of queries each runs.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

ROUNDS = 15


def _p50_ms(work: Callable[[], object], clock: Callable[[], float], rounds: int = ROUNDS) -> float:
    work()  # warm caches (and the database's) once
    times = []
    for _ in range(rounds):
        started = clock()
        work()
        times.append((clock() - started) * 1000)
    return round(statistics.median(times), 2)


def _queries(work: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured.captured_queries)


def run(ctx: Any) -> dict[str, float]:
    from circleback.insights.queries.agenda import agenda_for
    from circleback.insights.queries.health import health_for

    owner = ctx.owner
    results: dict[str, float] = {}
    for name, work in (
        ("agenda", lambda: agenda_for(owner)),
        ("health", lambda: health_for(owner)),
    ):
        results[f"{name}_p50_ms"] = _p50_ms(work, time.perf_counter)
        results[f"{name}_cpu_p50_ms"] = _p50_ms(work, time.process_time)
        results[f"{name}_queries"] = _queries(work)
    return results
