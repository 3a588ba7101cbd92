"""Small pieces the views share (the apps' views too): the signed-in owner, turning a
service's refusal into form errors or a message, going back where a form was posted from,
resolving the names people type into records of theirs, and times in the user's zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from django import forms, template
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from circleback.accounts.models import User


def request_owner(request: HttpRequest) -> User:
    """The signed-in account a view acts for (views require login)."""
    user = request.user
    assert isinstance(user, User)
    return user


def context_owner(context: template.Context) -> Any:
    """The signed-in account a template tag shows things for, or None when no one is."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def redirect_back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was posted from (its `next`, when on this site), or `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@contextmanager
def refusal_on_form(form: forms.BaseForm) -> Iterator[None]:
    """Call a service inside: if it refuses the input, its reasons go on `form` to show again.

    What follows the call inside the block (the success message, the redirect) is skipped.
    """
    try:
        yield
    except ValidationError as exc:
        apply_errors(form, exc)


@contextmanager
def refusal_as_message(request: HttpRequest, prefix: str = "") -> Iterator[None]:
    """Call a service inside: if it refuses, say why as an error message (after `prefix`).

    For buttons that post and go straight back; what follows the call inside is skipped.
    """
    try:
        yield
    except ValidationError as exc:
        messages.error(request, prefix + " ".join(exc.messages))


def apply_errors(
    form: forms.BaseForm, exc: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError next to the form's fields (or above the form)."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.message_dict.items():
        target = (rename or {}).get(field, field)
        for message in errors:
            form.add_error(target if target in form.fields else None, message)


def local_when(day: dt.date | None, at: dt.time | None) -> dt.datetime:
    """A moment from a date and time typed in the user's zone; "today" with no time is now."""
    now = timezone.localtime()
    if day is None or (day == now.date() and at is None):
        return timezone.now() if at is None else now.replace(hour=at.hour, minute=at.minute)
    return dt.datetime.combine(day, at or dt.time(12, 0), tzinfo=timezone.get_current_timezone())


def query_without(request: HttpRequest, *names: str) -> str:
    """The request's query string without some parameters (for pagers and "back" links)."""
    params = [(k, v) for k, v in request.GET.items() if k not in names and v]
    return urlencode(params)


def safe_query(raw: str) -> str:
    """A query string from a form field, re-encoded so it can only ever be a query string."""
    return QueryDict(raw[:2000]).urlencode()
