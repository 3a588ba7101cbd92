"""Idempotency-Key on creating requests: a POST retried after a lost answer creates one thing.

The first request with a key claims it (a unique row per owner and key) before it runs; a
retry with the same key and the same request gets the stored answer (and the header
`Idempotent-Replayed: true`); the same key with a different request is refused (422), and a
retry while the first is still running is told to wait (409). Only successful answers are
kept: after a failure the key is free again, so a corrected retry can succeed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import random
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from circleback.api.auth import identify
from circleback.api.models import IdempotentRequest
from circleback.api.problems import Problem, problem_response

HEADER = "Idempotency-Key"
# A key: 1 to 255 visible ASCII characters (spaces only between them), e.g. a UUID. The
# OpenAPI document states the same (root.py), so a client's generator can't guess wrong.
KEY_MAX = 255
KEY_PATTERN = r"^[!-~]([ -~]*[!-~])?$"
KEY_RULES = (
    "1 to 255 visible ASCII characters, e.g. a UUID. The same key with the same request "
    "(method, path and body) within 24 hours gets the first answer again, marked "
    "`Idempotent-Replayed: true`, and creates nothing new; the same key with a different "
    "request is refused (422: use a new key for a new request); while the first is still "
    "being handled, a retry gets 409. Only successful answers are kept: after a failure the "
    "key is free again."
)
KEEP_FOR = dt.timedelta(hours=24)
# A claim this old whose request never finished (a killed process) no longer blocks a retry.
ABANDONED_AFTER = dt.timedelta(minutes=2)


def _fingerprint(request: HttpRequest) -> str:
    h = hashlib.sha256()
    for part in (request.method or "", request.get_full_path(), request.content_type or ""):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    h.update(request.body)
    return h.hexdigest()


def _replay(request: HttpRequest, row: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status, content_type=row.content_type)
    if row.location:
        response["Location"] = row.location
    response["Idempotent-Replayed"] = "true"
    return response


def _claim(request: HttpRequest, owner: Any, key: str) -> IdempotentRequest | HttpResponse:
    fingerprint = _fingerprint(request)
    now = timezone.now()
    for _ in range(2):
        try:
            with transaction.atomic():
                return IdempotentRequest.objects.create(
                    owner=owner, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            pass
        row = IdempotentRequest.objects.filter(owner=owner, key=key).first()
        if row is None:
            continue
        if row.created_at < now - KEEP_FOR or (
            row.status is None and row.created_at < now - ABANDONED_AFTER
        ):
            row.delete()
            continue
        if row.fingerprint != fingerprint:
            return problem_response(
                request,
                422,
                "This Idempotency-Key was used for a different request; "
                "use a new key for a new request.",
                [{"field": HEADER, "location": "header", "message": "already used"}],
            )
        if row.status is None:
            return problem_response(
                request,
                409,
                "A request with this Idempotency-Key is still being handled; "
                "retry in a moment to get its answer.",
                headers={"Retry-After": "1"},
            )
        return _replay(request, row)
    return problem_response(request, 409, "Could not claim this Idempotency-Key; retry.")


def idempotent(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A ninja run-decorator (use with `decorate_view`) for creating operations."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None:
            return run(request, *args, **kwargs)
        try:
            caller = identify(request)
        except Problem:
            caller = None
        if caller is None:  # ninja's own authentication answers 401
            return run(request, *args, **kwargs)
        key = key.strip()
        if len(key) > KEY_MAX or not re.fullmatch(KEY_PATTERN, key):
            return problem_response(
                request,
                422,
                "An Idempotency-Key is 1 to 255 visible ASCII characters, e.g. a UUID.",
                [{"field": HEADER, "location": "header", "message": "not a valid key"}],
            )
        claimed = _claim(request, caller.user, key)
        if isinstance(claimed, HttpResponse):
            return claimed
        response = run(request, *args, **kwargs)
        if 200 <= response.status_code < 300:
            claimed.status = response.status_code
            claimed.body = response.content
            claimed.content_type = response.get("Content-Type", "")
            claimed.location = response.get("Location", "")
            claimed.save(update_fields=["status", "body", "content_type", "location"])
        else:
            claimed.delete()
        if random.random() < 0.01:
            IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
        return response

    return wrapper
