"""/api/v1/tokens: the caller's personal access tokens (the secret is shown only at creation)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import StrictBool, StrictInt

from circleback.api.conditional import change_guarded, etag_of
from circleback.api.idempotency import idempotent
from circleback.api.models import Token
from circleback.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of, paginate
from circleback.api.queries import tokens_list
from circleback.api.schemas import Deleted, IfMatch, RequestBody, Text
from circleback.api.services import MAX_EXPIRY_DAYS, token_create, token_revoke

router = Router(tags=["tokens"])


class TokenOut(Schema):
    uuid: UUID
    name: str
    prefix: str = Field(description="The token's first characters, to tell tokens apart.")
    read_only: bool
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    created_at: dt.datetime


class TokenIn(RequestBody):
    name: Text(60, 1)  # type: ignore[valid-type]
    read_only: StrictBool = False
    expires_in_days: StrictInt | None = Field(None, ge=1, le=MAX_EXPIRY_DAYS)


class NewTokenOut(TokenOut):
    token: str = Field(description="The token itself. Shown this once; keep it safe.")


def _out(token: Token) -> dict[str, object]:
    return {
        "uuid": token.uuid,
        "name": token.name,
        "prefix": token.prefix,
        "read_only": token.read_only,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "created_at": token.created_at,
    }


@router.get("", response=page_of(TokenOut), summary="List your tokens")
def list_tokens(
    request: HttpRequest,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> dict[str, object]:
    return paginate(
        request,
        tokens_list(owner=request.auth.user),  # type: ignore[attr-defined]
        order=[("created_at", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_out(t) for t in rows],
    )


@router.post("", response={201: NewTokenOut}, summary="Create a token (its secret shown once)")
@decorate_view(idempotent)
def create_token(
    request: HttpRequest,
    payload: TokenIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[dict[str, object]]:
    new = token_create(
        owner=request.auth.user,  # type: ignore[attr-defined]
        name=payload.name,
        read_only=payload.read_only,
        expires_in_days=payload.expires_in_days,
    )
    return Status(201, {**_out(new.token), "token": new.secret})


def _token(owner: Any, token_uuid: UUID) -> Token:
    token = Token.objects.filter(owner=owner, uuid=token_uuid).first()
    if token is None:
        raise Http404("No such token.")
    return token


def _guarded(token: Token) -> dict[str, object]:
    """What a token's ETag covers: all it shows but when it was last used, which every use
    changes (a client holding the ETag of the token it calls with would get a 412 for using it)."""
    return {k: v for k, v in _out(token).items() if k != "last_used_at"}


@router.get("/{uuid:token_uuid}", response=TokenOut, summary="A token (never its secret)")
def get_token(request: HttpRequest, token_uuid: UUID, response: HttpResponse) -> object:
    """Its ETag stays the same as it is used: `last_used_at` is not part of it."""
    token = _token(request.auth.user, token_uuid)  # type: ignore[attr-defined]
    response["ETag"] = etag_of(_guarded(token))
    return _out(token)


@router.delete("/{uuid:token_uuid}", response=Deleted, summary="Revoke a token at once")
def revoke_token(
    request: HttpRequest, token_uuid: UUID, if_match: str | None = IfMatch
) -> dict[str, bool]:
    """`If-Match`, if sent, names the token's ETag (GET /tokens/{id})."""
    owner = request.auth.user  # type: ignore[attr-defined]
    result: dict[str, bool] = change_guarded(
        request,
        fetch=lambda: _token(owner, token_uuid),
        show=_guarded,
        change=lambda token: token_revoke(owner=owner, name=token.name),
    )
    return result
