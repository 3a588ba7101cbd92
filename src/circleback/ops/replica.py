"""Reads from a streaming replica, with every session reading its own writes.

With DATABASE_REPLICA_URL set, the pages a visitor GETs read from the replica — unless this
visitor wrote something the replica has not replayed yet. After any request that wrote, the
response carries the primary's WAL position in a cookie; later reads go to the primary until
the replica has replayed past it (one cheap question to the replica per request), then the
cookie is dropped. So what you just saved is always on the next page, however far behind the
replica is, and everyone else's reads still leave the primary alone.

Reads go to the primary regardless:
- outside a web request (commands, the worker, background imports) and for POST and other
  unsafe requests, which must validate against the latest data;
- inside a transaction on the primary, so a service sees what it just wrote;
- for the tables whose every read must be current: sessions, sign-in failure counts, the
  task queue, import progress;
- whenever the replica cannot be reached.
"""

from __future__ import annotations

import contextvars
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
COOKIE = "cb_wrote_at"
_SAFE = {"GET", "HEAD", "OPTIONS"}
# Apps and models whose reads must always be current (app label, or "label.model").
PRIMARY_ONLY = {"sessions", "axes", "django_tasks_database", "interchange.importupload"}
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE|COPY)\b", re.IGNORECASE)
_LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")

RETRY_AFTER_S = 10.0
_down_until = 0.0  # this process's own circuit breaker; stale at worst for RETRY_AFTER_S

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("use_replica", default=False)


def enabled() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Sends a request's reads to the replica when ReplicaMiddleware said it may."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if not _use_replica.get():
            return PRIMARY
        meta = model._meta
        if meta.app_label in PRIMARY_ONLY or meta.label_lower in PRIMARY_ONLY:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def _caught_up(wrote_at: str | None) -> bool:
    """Has the replica replayed up to `wrote_at` (a WAL position; None: anything)? False when
    it cannot be asked. On a server that is not in recovery, its own position counts."""
    if wrote_at is not None and not _LSN.match(wrote_at):
        wrote_at = None
    global _down_until
    if time.monotonic() < _down_until:
        return False
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(pg_last_wal_replay_lsn(), pg_current_wal_lsn()) >= %s::pg_lsn",
                [wrote_at or "0/0"],
            )
            row = cursor.fetchone()
    except DatabaseError:
        # Not asked again for a while: a replica whose host is gone would otherwise cost
        # every request a connection timeout.
        _down_until = time.monotonic() + RETRY_AFTER_S
        connections[REPLICA].close()
        return False
    return bool(row and row[0])


def _primary_position() -> str:
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        row = cursor.fetchone()
    return str(row[0])


class ReplicaMiddleware:
    """Decides, per request, whether its reads may come from the replica (see the module).

    Sits before the session middleware, so that the session's own save counts as a write.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            return self.get_response(request)
        wrote_at = request.COOKIES.get(COOKIE)
        replica = request.method in _SAFE and _caught_up(wrote_at)
        wrote = request.method not in _SAFE

        def watch(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
        ) -> Any:
            nonlocal wrote
            if not wrote and _WRITE.match(sql):
                wrote = True
            return execute(sql, params, many, context)

        token = _use_replica.set(replica)
        try:
            with connections[PRIMARY].execute_wrapper(watch):
                response = self.get_response(request)
        finally:
            _use_replica.reset(token)
        if wrote:
            response.set_cookie(
                COOKIE,
                _primary_position(),
                max_age=3600,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        elif wrote_at is not None and replica:
            response.delete_cookie(COOKIE, samesite="Lax")
        return response
