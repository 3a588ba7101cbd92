"""Operations middleware: the load balancer's health probe, and timing for measurement."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from circleback.ops.health import health

HEALTHZ = "/healthz"


class HealthzMiddleware:
    """Answers GET /healthz before anything else runs.

    Placed first, so that a load balancer probing an app process by its address (a Host
    header no ALLOWED_HOSTS names) over plain HTTP gets the answer rather than a 400 or a
    redirect to HTTPS. The answer names checks only, never data: no sign-in needed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") != HEALTHZ:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response: HttpResponse = JsonResponse({"error": "Use GET."}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        result = health()
        response = JsonResponse(result.as_dict(), status=200 if result.ok else 503)
        response["Cache-Control"] = "no-store"
        return response


class ServerTimingMiddleware:
    """With CIRCLEBACK_SERVER_TIMING=1, says in a `Server-Timing` header where a request's
    time went: `app` (wall time inside Django), `cpu` (this thread's CPU time), `db` (time in
    SQL, with the statement count as its description) and `gc` (garbage-collection pauses
    while it ran, with how many collections and the oldest generation among them — a
    collection holds the interpreter lock, so it stalls every thread of the process).

    For measuring (`tools/loadtest.py --trace`, a browser's network panel); off by default,
    and then Django drops it from the chain (MiddlewareNotUsed). Placed first, so the figures
    cover every other middleware too. What the client waited beyond `app` was spent queueing
    in the server (waiting for a free thread) or on the wire.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings
        from django.core.exceptions import MiddlewareNotUsed

        if not settings.CIRCLEBACK_SERVER_TIMING:
            raise MiddlewareNotUsed
        self.get_response = get_response
        gc.callbacks.append(self._gc)
        self._gc_started = 0.0
        self._gc_total = 0.0
        self._gc_count = 0
        self._gc_full = 0  # oldest-generation collections

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        # Runs in whichever thread triggered the collection, which holds the GIL throughout:
        # the pause is everyone's, so one running total is what each request compares.
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self._gc_total += time.perf_counter() - self._gc_started
            self._gc_count += 1
            self._gc_full += info.get("generation") == 2

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.db import connections

        sql = _SqlClock()
        gc_before, count_before, full_before = self._gc_total, self._gc_count, self._gc_full
        cpu_started = time.thread_time()
        started = time.perf_counter()
        with contextlib.ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(sql))
            response = self.get_response(request)
        wall = time.perf_counter() - started
        cpu = time.thread_time() - cpu_started
        gc_paused = self._gc_total - gc_before
        collections = f"{self._gc_count - count_before}/{self._gc_full - full_before}"
        response["Server-Timing"] = (
            f"app;dur={wall * 1000:.1f}, cpu;dur={cpu * 1000:.1f}, "
            f'db;dur={sql.seconds * 1000:.1f};desc="{sql.count}", '
            f'gc;dur={gc_paused * 1000:.1f};desc="{collections}"'
        )
        return response


class _SqlClock:
    """A database execute wrapper that counts statements and adds up their time."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1
