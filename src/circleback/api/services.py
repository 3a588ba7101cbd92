"""Personal access tokens: create (shown once), revoke, and check one a request carries."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from circleback.accounts.models import User
from circleback.api.models import Token

TOKEN_PREFIX = "cb_"
MAX_EXPIRY_DAYS = 3650
# last_used_at is written at most this often per token, not on every request.
TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: Token
    secret: str  # the whole token: shown once, never stored


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def token_create(
    *, owner: User, name: str, read_only: bool = False, expires_in_days: int | None = None
) -> NewToken:
    """Make a token for the owner. The secret is in the result and nowhere else."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "A token needs a name, e.g. phone-shortcut."})
    if len(name) > Token._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValidationError({"name": "A token's name is at most 60 characters."})
    if Token.objects.filter(owner=owner, name__iexact=name).exists():
        raise ValidationError(
            {"name": f"You already have a token called {name!r}; choose another name."}
        )
    expires_at = None
    if expires_in_days is not None:
        if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
            raise ValidationError(
                {
                    "expires": f"A token expires in 1 to {MAX_EXPIRY_DAYS} days, "
                    f"not {expires_in_days}."
                }
            )
        expires_at = timezone.now() + dt.timedelta(days=expires_in_days)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = Token.objects.create(
        owner=owner,
        name=name,
        prefix=secret[:10],
        digest=digest(secret),
        read_only=read_only,
        expires_at=expires_at,
    )
    return NewToken(token=token, secret=secret)


def token_revoke(*, owner: User, name: str) -> Token:
    """Revoke the owner's token of this name at once: the next request with it gets 401."""
    token = Token.objects.filter(owner=owner, name__iexact=" ".join(name.split())).first()
    if token is None:
        raise ValidationError({"name": f"You have no token called {name!r}."})
    token.delete()
    return token


def token_check(secret: str, *, now: dt.datetime | None = None) -> Token | None:
    """The live token with this secret (its owner loaded), or None; notes when it was used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = Token.objects.select_related("owner").filter(digest=digest(secret)).first()
    now = now or timezone.now()
    if token is None or not token.owner.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        Token.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
