"""/api/v1/settings/account: the account's profile, as the Settings page shows it. It lives
with the API's own endpoints (like tokens), above `accounts`, which knows nothing of the API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from circleback.accounts.models import User
from circleback.accounts.services import account_update
from circleback.api.common import owner_of
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.schemas import IfMatch, Text

router = Router(tags=["settings"])

if TYPE_CHECKING:  # mypy can't read a Literal built from the model's choices
    ModeName = str
else:
    ModeName = Literal[tuple(User.Mode.values)]


class AccountOut(Schema):
    username: str = Field(description="The sign-in name; it can't be changed here.")
    first_name: str
    last_name: str
    email: str
    time_zone: str = Field(description="Days, the agenda, digests and the calendar follow it.")
    mode: ModeName


class AccountPatch(Schema):
    first_name: Text(150) | None = Field(  # type: ignore[valid-type]
        None, description="With last_name, the name your drafts are signed with."
    )
    last_name: Text(150) | None = None  # type: ignore[valid-type]
    email: Text(254) | None = None  # type: ignore[valid-type]
    time_zone: Text(64) | None = Field(  # type: ignore[valid-type]
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
