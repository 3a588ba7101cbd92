"""/api/v1/settings/digest: the email digest's settings, and the link that verifies the address
it goes to — through the services the settings page uses (`digest_configure`,
`digest_verification_send`). The link itself is followed in a browser, as from the page."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import StrictBool, StrictInt

from circleback.accounts.models import User
from circleback.api.common import owner_of
from circleback.api.conditional import change_guarded, check_if_match, etag_of, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.problems import Problem
from circleback.api.schemas import IdempotencyKey, IfMatch, RequestBody, Text
from circleback.reminders import services
from circleback.reminders.mail import MailError, mail_configured
from circleback.reminders.models import CalendarFeed, DigestSettings
from circleback.reminders.queries import digest_status

router = Router(tags=["settings"])

if TYPE_CHECKING:  # mypy can't read a Literal built from the model's choices
    Frequency = str
else:
    Frequency = Literal[tuple(DigestSettings.Frequency.values)]


class DigestSettingsOut(Schema):
    enabled: bool
    frequency: Frequency
    hour: int = Field(description="The local hour (0 to 23, your time zone) it comes at.")
    weekday: int = Field(description="For a weekly digest: 0 Monday … 6 Sunday.")
    send_when_empty: bool = Field(description="Weekly: a short summary even when nothing is due.")
    email: str = Field(description="Your account's address (change it in /settings/account).")
    verified: bool = Field(
        description="The digest goes only to a verified address that is still the account's."
    )
    verification_sent_to: str | None = Field(
        description="Where the last verification link went, until it is followed."
    )
    next_at: dt.datetime | None = Field(description="When the next digest falls due.")
    summary: str = Field(description="Where things stand, in a sentence.")


class DigestSettingsPatch(RequestBody):
    enabled: StrictBool | None = Field(
        None,
        description=(
            "Turning it on with an address not yet verified mails a verification link to it "
            "(when this server has mail set up): the digest starts once the link is followed."
        ),
    )
    frequency: Frequency | None = None
    hour: StrictInt | None = Field(None, ge=0, le=23)
    weekday: StrictInt | None = Field(None, ge=0, le=6)
    send_when_empty: StrictBool | None = None


class DigestVerificationOut(Schema):
    sent_to: str
    server_reply: str = Field(description="What the mail server answered, e.g. 250 Ok.")


def _digest_out(owner: User) -> dict[str, Any]:
    status = digest_status(owner)
    chosen = status.settings
    pending = chosen.pending_email if not status.verified and chosen.pending_email else None
    return {
        "enabled": chosen.enabled,
        "frequency": chosen.frequency,
        "hour": chosen.hour,
        "weekday": chosen.weekday,
        "send_when_empty": chosen.send_when_empty,
        "email": status.email,
        "verified": status.verified,
        "verification_sent_to": pending,
        "next_at": chosen.next_at,
        "summary": status.summary,
    }


@router.get("/settings/digest", response=DigestSettingsOut, summary="Your email digest")
def get_digest(request: HttpRequest, response: HttpResponse) -> Any:
    return with_etag(response, _digest_out(owner_of(request)))


@router.patch(
    "/settings/digest",
    response=DigestSettingsOut,
    summary="Turn the digest on or off, or change it",
)
def update_digest(
    request: HttpRequest,
    payload: DigestSettingsPatch,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """As the settings page: turned on with an unverified address, a verification link goes
    out (if it could not be sent, `verification_sent_to` stays empty: POST
    /settings/digest/verify says why)."""
    owner = owner_of(request)

    def change(account: User) -> None:
        services.digest_configure(owner=account, **payload.dict(exclude_unset=True))
        if payload.enabled and mail_configured() and not digest_status(account).verified:
            # If it can't go, the settings stand; the answer shows no link went out.
            with contextlib.suppress(MailError):
                services.digest_verification_send(owner=account)

    return change_guarded(
        request,
        # The account's row is the one locked: its digest settings may not exist yet.
        fetch=lambda: User.objects.get(pk=owner.pk),
        show=_digest_out,
        change=change,
        response=response,
    )


@router.post(
    "/settings/digest/verify",
    response={202: DigestVerificationOut},
    summary="Mail a link that verifies your address for the digest",
    openapi_extra={
        "responses": {
            "409": {"description": "This server has no mail set up (CIRCLEBACK_EMAIL_URL)."},
            "502": {"description": "The mail server did not take the message; it says why."},
        }
    },
)
def send_verification(request: HttpRequest) -> Status[dict[str, Any]]:
    """The link goes to your account's address (422 when it has none) and is good for three
    days; following it, in a browser, makes the address the digest's."""
    owner = owner_of(request)
    if not mail_configured():
        raise Problem(409, "This server has no mail set up, so no link can be sent.")
    try:
        reply = services.digest_verification_send(owner=owner)
    except MailError as exc:
        raise Problem(502, f"The verification link could not be sent: {exc}.") from exc
    return Status(202, {"sent_to": owner.email, "server_reply": reply})


class DigestTestIn(RequestBody):
    to: Text(254) = Field(  # type: ignore[valid-type]
        "", description="Send it here instead of your account's address (empty: the account's)."
    )


class DigestTestOut(Schema):
    sent_to: str
    server_reply: str = Field(description="What the mail server answered, e.g. 250 Ok.")


@router.post(
    "/settings/digest/test",
    response={202: DigestTestOut},
    summary="Send today's digest now, as a test of the mail settings",
    openapi_extra={
        "responses": {
            "409": {"description": "This server has no mail set up (CIRCLEBACK_EMAIL_URL)."},
            "502": {"description": "The mail server did not take the message; it says why."},
        }
    },
)
def send_test_digest(request: HttpRequest, payload: DigestTestIn) -> Status[dict[str, Any]]:
    """As `circleback digest test`: today's digest, even when nothing is due, subject marked
    [Test], to your account's address or `to` (422 when neither is an address). It does not
    count as the day's digest and needs no verified address: it checks the mail settings."""
    owner = owner_of(request)
    if not mail_configured():
        raise Problem(409, "This server has no mail set up, so no test digest can be sent.")
    try:
        reply = services.digest_send_test(owner=owner, to=payload.to)
    except MailError as exc:
        raise Problem(502, f"The test digest could not be sent: {exc}.") from exc
    return Status(202, {"sent_to": (payload.to or owner.email).strip(), "server_reply": reply})


# --- the calendar feed ----------------------------------------------------------------------


class CalendarFeedOut(Schema):
    active: bool = Field(description="A feed address exists (its token is kept only hashed).")
    created_at: dt.datetime | None
    last_fetched_at: dt.datetime | None = Field(description="When a calendar last read it.")


class CalendarFeedCreatedOut(CalendarFeedOut):
    url: str = Field(description="The private address to subscribe to: shown this once.")


def _feed_out(owner: User) -> dict[str, Any]:
    feed = CalendarFeed.objects.filter(owner=owner).first()
    return {
        "active": feed is not None,
        "created_at": feed.created_at if feed else None,
        "last_fetched_at": feed.last_fetched_at if feed else None,
    }


@router.get("/settings/calendar", response=CalendarFeedOut, summary="Your calendar feed")
def get_calendar(request: HttpRequest, response: HttpResponse) -> Any:
    """The ETag names this feed (not when it was last read), for DELETE's If-Match."""
    owner = owner_of(request)
    response["ETag"] = etag_of(_feed_identity(owner))
    return _feed_out(owner)


def _feed_identity(owner: User) -> dict[str, Any]:
    shown = _feed_out(owner)
    return {"active": shown["active"], "created_at": shown["created_at"]}


@router.post(
    "/settings/calendar",
    response={201: CalendarFeedCreatedOut},
    summary="A new private calendar feed address (the old one stops working at once)",
)
@decorate_view(idempotent)
def reset_calendar(
    request: HttpRequest, response: HttpResponse, idempotency_key: str | None = IdempotencyKey
) -> Status[dict[str, Any]]:
    """Your meetings, interviews and due loop steps as an iCalendar feed; anyone with the
    address can read it, so it is shown once and only its hash is kept."""
    owner = owner_of(request)
    token = services.calendar_token_reset(owner=owner)
    response["Cache-Control"] = "private, no-store"
    return Status(201, {**_feed_out(owner), "url": services.calendar_feed_url(token)})


@router.delete(
    "/settings/calendar", response=CalendarFeedOut, summary="Stop the calendar feed at once"
)
def revoke_calendar(request: HttpRequest, if_match: str | None = IfMatch) -> Any:
    """`If-Match`, if sent, names the feed's ETag (GET): 412 if it was renewed since, so an
    old client doesn't stop the feed someone just set up."""
    owner = owner_of(request)
    with transaction.atomic():
        User.objects.select_for_update(no_key=True).filter(pk=owner.pk).first()
        check_if_match(request, _feed_identity(owner))
        services.calendar_token_revoke(owner=owner)
    return _feed_out(owner)
