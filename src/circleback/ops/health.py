"""What /healthz checks: can this process do its work right now?

The database answers, every migration this code knows is applied, and (once a worker is
configured to report in) a worker was seen recently. Each check is one short question; the
migration plan is worked out once per process and trusted from then on, because applied
migrations stay applied.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.module_loading import import_string

OK = "ok"
_migrated = threading.Event()


@dataclass
class Health:
    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        # A replica that cannot be reached is reported, not fatal: reads then go to the
        # primary (circleback.ops.replica), so this process still serves every page.
        return all(
            value in (OK, "not checked") for name, value in self.checks.items() if name != "replica"
        )

    def as_dict(self) -> dict[str, object]:
        return {"status": "ok" if self.ok else "fail", "checks": self.checks}


def _database(using: str) -> str:
    try:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unreachable"
    return OK


def _migrations() -> str:
    if _migrated.is_set():
        return OK
    try:
        executor = MigrationExecutor(connections["default"])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "unknown"
    if pending:
        return f"{len(pending)} pending"
    _migrated.set()
    return OK


def worker_last_seen_hook() -> Callable[[], dt.datetime | None] | None:
    """The function that says when a worker last reported in, if one is configured
    (CIRCLEBACK_HEALTHZ_WORKER = "module.path.worker_last_seen")."""
    path = getattr(settings, "CIRCLEBACK_HEALTHZ_WORKER", "")
    return import_string(path) if path else None


def _worker() -> str:
    hook = worker_last_seen_hook()
    if hook is None:
        return "not checked"
    try:
        seen = hook()
    except DatabaseError:
        return "unknown"
    if seen is None:
        return "never seen"
    limit = dt.timedelta(seconds=getattr(settings, "CIRCLEBACK_HEALTHZ_WORKER_MAX_AGE", 300))
    age = timezone.now() - seen
    return OK if age <= limit else f"last seen {int(age.total_seconds())} s ago"


def health() -> Health:
    result = Health()
    result.checks["database"] = _database("default")
    if result.checks["database"] == OK:
        result.checks["migrations"] = _migrations()
        result.checks["worker"] = _worker()
    if "replica" in settings.DATABASES:
        result.checks["replica"] = _database("replica")
    return result
