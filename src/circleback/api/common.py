"""Small helpers every area's api.py uses: the caller's account, ids in a body, locking."""

from __future__ import annotations

import uuid as uuid_module
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest

from circleback.accounts.models import User

M = TypeVar("M", bound=Model)


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


def locked(instance: M) -> M:
    """The row again, locked for this transaction (PostgreSQL; SQLite's writer lock already
    serialises writes), so If-Match is checked against what the update will change."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)
