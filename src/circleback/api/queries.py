"""Reads for the API's own records."""

from __future__ import annotations

from django.db.models import QuerySet

from circleback.accounts.models import User
from circleback.api.models import Token


def tokens_list(*, owner: User) -> QuerySet[Token]:
    """The owner's tokens, newest first."""
    return Token.objects.filter(owner=owner).order_by("-created_at", "-pk")
