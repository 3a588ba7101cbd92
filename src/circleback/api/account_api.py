"""/api/v1/settings/account: the account's profile, as the Settings page shows it. It lives
with the API's own endpoints (like tokens), above `accounts`, which knows nothing of the API."""

from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from pydantic import StringConstraints

from circleback.accounts.models import User
from circleback.accounts.services import (
    account_erase_check,
    account_password_change,
    account_update,
)
from circleback.api.auth import count_request
from circleback.api.common import owner_of
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.problems import Problem
from circleback.api.schemas import IfMatch, RequestBody, Text
from circleback.operations.erase import account_erase

router = Router(tags=["settings"])

if TYPE_CHECKING:  # mypy can't read a Literal built from the model's choices
    ModeName = str
    ZoneName = str
else:
    ModeName = Literal[tuple(User.Mode.values)]
    # The zones the model's validator takes: the document lists them, as the settings page.
    ZoneName = Literal[tuple(sorted(zoneinfo.available_timezones()))]


class AccountOut(Schema):
    username: str = Field(description="The sign-in name; it can't be changed here.")
    first_name: str
    last_name: str
    email: str
    time_zone: str = Field(description="Days, the agenda, digests and the calendar follow it.")
    mode: ModeName


class AccountPatch(RequestBody):
    first_name: Text(150) | None = Field(  # type: ignore[valid-type]
        None, description="With last_name, the name your drafts are signed with."
    )
    last_name: Text(150) | None = None  # type: ignore[valid-type]
    email: Text(254) | None = None  # type: ignore[valid-type]
    time_zone: ZoneName | None = Field(
        None, description="An IANA name like Europe/London or America/New_York."
    )
    mode: ModeName | None = None


def _account_out(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "time_zone": user.time_zone,
        "mode": user.mode,
    }


@router.get("/settings/account", response=AccountOut, summary="Your account's profile")
def get_account(request: HttpRequest, response: HttpResponse) -> Any:
    return with_etag(response, _account_out(owner_of(request)))


@router.patch("/settings/account", response=AccountOut, summary="Change your account's profile")
def update_account(
    request: HttpRequest,
    payload: AccountPatch,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """Changing the time zone moves your next digest to the chosen hour in the new zone."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: User.objects.get(pk=owner.pk),
        show=_account_out,
        change=lambda user: account_update(user=user, **payload.dict(exclude_unset=True)),
        response=response,
    )


# --- the password and deleting the account ----------------------------------------------------
#
# A token is a key to the account's data, not to the account: whoever holds one must still
# know the password to change it or to delete the account, as in the browser. Password tries
# are counted per account, wherever they come from (five a minute), so a leaked token can't
# be used to guess it at the API's request rate.

PASSWORD_TRIES_PER_MINUTE = 5
Password = Text(4096)


def _password_min_length() -> int:
    """The install's minimum length (settings.AUTH_PASSWORD_VALIDATORS), for the document."""
    validators = cast(list[dict[str, Any]], settings.AUTH_PASSWORD_VALIDATORS)
    for validator in validators:
        if str(validator["NAME"]).endswith(".MinimumLengthValidator"):
            return int(validator.get("OPTIONS", {}).get("min_length", 8))
    return 1


# What the document can say of a new password; the rest (not a common password, not like the
# account's name) only the server can judge, by the same validators as the settings page.
NewPassword = Annotated[
    str, StringConstraints(min_length=_password_min_length(), max_length=4096, pattern=r"\D")
]


def _password_try(user: User) -> None:
    count, left = count_request(f"password:{user.pk}")
    if count > PASSWORD_TRIES_PER_MINUTE:
        raise Problem(
            429,
            f"Too many password tries for this account; wait {int(left) + 1} seconds.",
            headers={"Retry-After": str(int(left) + 1)},
        )


_PASSWORD_RESPONSES = {
    "429": {
        "description": f"More than {PASSWORD_TRIES_PER_MINUTE} password tries this minute for "
        "this account (from anywhere); wait the seconds Retry-After says."
    }
}


class AccountPasswordIn(RequestBody):
    current_password: Password = Field(  # type: ignore[valid-type]
        ..., description="Your password now: a token alone can't change it."
    )
    new_password: NewPassword = Field(
        ...,
        description=f"At least {_password_min_length()} characters, not all digits, not a "
        "common password, not like your account's name.",
    )


class AccountPasswordOut(Schema):
    changed: bool = True
    detail: str


@router.post(
    "/settings/account/password",
    response=AccountPasswordOut,
    summary="Change your password (your current one is required)",
    openapi_extra={"responses": _PASSWORD_RESPONSES},
)
def change_password(request: HttpRequest, payload: AccountPasswordIn) -> Any:
    """The same rules as the settings page. A wrong `current_password` is a 422 naming it.
    Browser sessions signed in elsewhere are signed out; a session making this call stays
    signed in; tokens keep working (revoke any you no longer trust at /tokens)."""
    owner = User.objects.get(pk=owner_of(request).pk)
    _password_try(owner)
    account_password_change(
        user=owner, current_password=payload.current_password, new_password=payload.new_password
    )
    if request.auth.token is None:  # type: ignore[attr-defined]  # the browser's own session
        update_session_auth_hash(request, owner)
    return {
        "changed": True,
        "detail": "Password changed. Other browsers signed in to this account are signed out.",
    }


class AccountDeleteIn(RequestBody):
    password: Password = Field(  # type: ignore[valid-type]
        ..., description="Your password: a token alone can't delete the account."
    )
    confirm: Text(150) = Field(  # type: ignore[valid-type]
        ..., description="Your account's name (`username`), typed to be sure."
    )


class AccountDeletedOut(Schema):
    deleted: bool = True
    summary: str = Field(description="What went, e.g. '12 people, 40 journal entries'.")


@router.post(
    "/settings/account/delete",
    response=AccountDeletedOut,
    summary="Delete your account and everything it owns (password and name required)",
    openapi_extra={"responses": _PASSWORD_RESPONSES},
)
def delete_account(request: HttpRequest, payload: AccountDeleteIn) -> Any:
    """As the settings page: your password and your account's name, or a 422 naming what is
    wrong and nothing deleted. Everything goes — people, journal, loops, groups you run,
    settings, and every token (this one too: the next request gets 401). It can't be
    undone: export a backup first (GET /export)."""
    owner = User.objects.get(pk=owner_of(request).pk)
    _password_try(owner)
    account_erase_check(user=owner, password=payload.password, confirm=payload.confirm)
    done = account_erase(user=owner)
    return {"deleted": True, "summary": done.summary()}
