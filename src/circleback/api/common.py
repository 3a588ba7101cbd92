"""Small helpers every area's api.py uses: the caller's account, ids in a body."""

from __future__ import annotations

import uuid as uuid_module
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from circleback.accounts.models import User


def owner_of(request: HttpRequest) -> User:
    """The account the request acts for (set by authentication)."""
    return request.auth.user  # type: ignore[attr-defined]


def referenced(getter: Any, owner: User, value: uuid_module.UUID | str, field: str) -> Any:
    """A record named by id in a request's body: a missing one is the body's fault (422 on
    that field), unlike one named in the path (404)."""
    try:
        return getter(owner, value)
    except Http404:
        raise ValidationError({field: f"Nothing of yours has the id {value}."}) from None
