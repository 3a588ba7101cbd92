"""Who is calling: a personal access token (`Authorization: Bearer cb_…`) or, for the app's
own JavaScript, the browser's session with its CSRF token. Then the rate limit per caller.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from circleback.accounts.models import User
from circleback.api.models import RateCounter, Token
from circleback.api.problems import Problem
from circleback.api.services import token_check

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Caller:
    user: User
    token: Token | None  # None: the browser session

    @property
    def read_only(self) -> bool:
        return self.token is not None and self.token.read_only

    @property
    def bucket(self) -> str:
        return f"token:{self.token.pk}" if self.token is not None else f"user:{self.user.pk}"


def identify(request: HttpRequest) -> Caller | None:
    """The caller of this request, or None; raises Problem(401) for a bad bearer token.

    Cached on the request: the idempotency check asks before ninja's own authentication does.
    """
    if hasattr(request, "_api_caller"):
        cached: Caller | None = request._api_caller
        return cached
    caller: Caller | None = None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Problem(
                401,
                "The Authorization header must be `Bearer TOKEN`.",
                headers={"WWW-Authenticate": 'Bearer realm="circleback"'},
            )
        token = token_check(secret.strip())
        if token is None:
            raise Problem(
                401,
                "This token is not valid: it was revoked, it expired, or it was mistyped. "
                "Create a new one in Settings or with `circleback token create NAME`.",
                headers={"WWW-Authenticate": 'Bearer realm="circleback", error="invalid_token"'},
            )
        caller = Caller(user=token.owner, token=token)
    else:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            caller = Caller(user=user, token=None)
    request._api_caller = caller  # type: ignore[attr-defined]
    return caller


def authenticate(request: HttpRequest) -> Caller | None:
    """ninja's auth callback: the caller, with read-only tokens kept to reads and the
    session's writes checked for CSRF."""
    caller = identify(request)
    if caller is None:
        return None
    if request.method not in SAFE_METHODS:
        if caller.read_only:
            raise Problem(
                403,
                f"The token {caller.token.name!r} is read-only; "  # type: ignore[union-attr]
                "use a read-write token to change anything.",
            )
        if caller.token is None and check_csrf(request) is not None:
            raise Problem(
                403,
                "The browser session's request lacks a valid CSRF token "
                "(send the csrftoken cookie's value as X-CSRFToken).",
            )
    return caller


def rate_per_minute() -> int:
    return int(getattr(settings, "CIRCLEBACK_API_RATE_PER_MINUTE", 600))


_WINDOW = 60

_COUNT_SQL = (
    "INSERT INTO api_ratecounter (bucket, minute, hits) VALUES (%s, %s, 1) "
    "ON CONFLICT (bucket, minute) DO UPDATE SET hits = api_ratecounter.hits + 1 "
    "RETURNING hits"
)


def count_request(bucket: str, now: float | None = None) -> tuple[int, float]:
    """Count one request in this caller's current minute; (count so far, seconds left).

    One statement that inserts or increments and returns the new count: atomic in SQLite and
    PostgreSQL alike, so processes serving the same token never lose a count between them.
    """
    now = time.time() if now is None else now
    minute = int(now // _WINDOW)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, [bucket, minute])
        (count,) = cursor.fetchone()
    if random.random() < 0.01:  # now and then, forget minutes that are over
        RateCounter.objects.filter(minute__lt=minute - 1).delete()
    return int(count), (minute + 1) * _WINDOW - now


class PerCallerRate(BaseThrottle):
    """ninja's throttle hook, counting in the database (see count_request)."""

    def __init__(self) -> None:
        # One instance serves every thread of the server: the wait is per thread.
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        caller = getattr(request, "auth", None)
        if not isinstance(caller, Caller):
            return True
        count, left = count_request(caller.bucket)
        if count > rate_per_minute():
            self._local.wait = left
            return False
        return True

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
