"""Sign-in throttling, with django-axes counting failures in the database.

Failures are counted per account (whatever address they come from) and per visitor address
(whatever account they try); past CIRCLEBACK_LOGIN_FAILURE_LIMIT either is refused with HTTP
429 for CIRCLEBACK_LOGIN_COOLOFF_MINUTES. The counters are rows, so every app process
behind a load balancer sees the same count.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class ThrottleBackend(AxesStandaloneBackend):
    """django-axes' check before the password is tried.

    Every sign-in from the web passes its request (Django's login form does). A call with no
    request at all comes from code in this process (a test's `client.login`, a shell), not
    from a visitor, so there is nothing to count it against.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account a sign-in tried, as one key whatever its case or stray spaces."""
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username", "")
    return str(raw).strip().lower()


def failures_naming(username: str) -> list[QuerySet[Any]]:
    """django-axes' rows of failed sign-ins that named this account (counted under the key
    `username_of` makes of it), whichever address they came from."""
    from axes.models import AccessAttempt, AccessFailureLog

    key = username.strip().lower()
    return [
        model.objects.filter(username__iexact=key) for model in (AccessAttempt, AccessFailureLog)
    ]


def _minutes(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else 15


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page again, saying why it refused and for how long (HTTP 429)."""
    minutes = _minutes(request)
    form = AuthenticationForm(
        request, data=None, initial={"username": username_of(request, credentials)}
    )
    response = render(
        request,
        "web/login.html",
        {
            "form": form,
            "locked_out": True,
            "minutes": minutes,
            "next": request.POST.get("next", ""),
        },
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
