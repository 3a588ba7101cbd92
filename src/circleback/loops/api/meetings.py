"""/api/v1 meetings: schedule, change, cancel, the outcome with its referrals, the prep brief."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt

from circleback.api.common import owner_of
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import page_of, paginate
from circleback.api.schemas import Deleted, LongText, Moment, RequestBody, Text
from circleback.loops import queries
from circleback.loops.api._common import (
    FavourKind,
    IdempotencyKey,
    IfMatch,
    Limit,
    ListLetter,
    PersonRef,
    Purposes,
    _person,
    _ref,
)
from circleback.loops.models import (
    Meeting,
)
from circleback.loops.services import meetings as meetings_services
from circleback.operations import prep

router = Router()


# --- meetings -----------------------------------------------------------------------------


class MeetingOut(Schema):
    uuid: UUID
    person: PersonRef
    scheduled_for: dt.datetime
    duration_minutes: int
    location: str
    purposes: list[str]
    referred_by: PersonRef | None
    prep_notes: str
    status: Literal["scheduled", "held", "cancelled"]
    learned: str
    outcome: str
    next_steps: str
    journal_entry: UUID | None
    warnings: list[str] = Field(description="Gentle reminders: ask for 30 minutes at most…")


def _meeting_out(meeting: Meeting) -> dict[str, Any]:
    return {
        "uuid": meeting.uuid,
        "person": _ref(meeting.person),
        "scheduled_for": meeting.scheduled_for,
        "duration_minutes": meeting.duration_minutes,
        "location": meeting.location,
        "purposes": list(meeting.purposes),
        "referred_by": _ref(meeting.referred_by),
        "prep_notes": meeting.prep_notes,
        "status": meeting.status,
        "learned": meeting.learned,
        "outcome": meeting.outcome,
        "next_steps": meeting.next_steps,
        "journal_entry": meeting.interaction.uuid if meeting.interaction_id else None,  # type: ignore[union-attr]
        "warnings": meetings_services.meeting_warnings(meeting),
    }


def _meeting(owner: Any, meeting_uuid: UUID) -> Meeting:
    meeting = queries.get_meeting_for(owner, meeting_uuid)
    return Meeting.objects.select_related("person", "referred_by", "interaction").get(pk=meeting.pk)


class MeetingIn(RequestBody):
    person: UUID
    scheduled_for: Moment
    duration_minutes: StrictInt = Field(30, ge=5, le=480)
    location: Text(200) = ""  # type: ignore[valid-type]
    purposes: Purposes = Field([], max_length=5)
    referred_by: UUID | None = None
    prep_notes: LongText = ""
    held: StrictBool = Field(False, description="Record a meeting that already took place.")


class MeetingPatch(RequestBody):
    scheduled_for: Moment | None = None
    duration_minutes: StrictInt | None = Field(None, ge=5, le=480)
    location: Text(200) | None = None  # type: ignore[valid-type]
    purposes: Purposes | None = Field(None, max_length=5)
    referred_by: UUID | None = None
    prep_notes: LongText | None = None
    learned: LongText | None = None
    outcome: LongText | None = None
    next_steps: LongText | None = None


@router.get("/meetings", response=page_of(MeetingOut), tags=["meetings"], summary="Meetings")
def list_meetings(
    request: HttpRequest,
    status: Literal["scheduled", "held", "cancelled"] | None = None,
    person: UUID | None = None,
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Newest first (by when they are or were)."""
    owner = owner_of(request)
    meetings = queries.meetings_list(
        owner=owner, status=status or "", person=_person(owner, person, "person")
    ).select_related("interaction")
    return paginate(
        request,
        meetings,
        order=[("scheduled_for", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_meeting_out(m) for m in rows],
    )


@router.post(
    "/meetings",
    response={201: MeetingOut},
    tags=["meetings"],
    summary="Schedule an information meeting",
)
@decorate_view(idempotent)
def schedule_meeting(
    request: HttpRequest,
    payload: MeetingIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    meeting = meetings_services.meeting_schedule(
        owner=owner,
        person=_person(owner, payload.person, "person"),
        scheduled_for=payload.scheduled_for,
        duration_minutes=payload.duration_minutes,
        location=payload.location,
        purposes=payload.purposes,
        referred_by=_person(owner, payload.referred_by, "referred_by"),
        prep_notes=payload.prep_notes,
        held=payload.held,
    )
    response["Location"] = f"{request.path.rstrip('/')}/{meeting.uuid}"
    return Status(201, with_etag(response, _meeting_out(_meeting(owner, meeting.uuid))))


@router.get(
    "/meetings/{uuid:meeting_uuid}", response=MeetingOut, tags=["meetings"], summary="A meeting"
)
def get_meeting(request: HttpRequest, meeting_uuid: UUID, response: HttpResponse) -> Any:
    return with_etag(response, _meeting_out(_meeting(owner_of(request), meeting_uuid)))


@router.patch(
    "/meetings/{uuid:meeting_uuid}",
    response=MeetingOut,
    tags=["meetings"],
    summary="Change a meeting",
)
def update_meeting(
    request: HttpRequest,
    meeting_uuid: UUID,
    payload: MeetingPatch,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    owner = owner_of(request)
    data = payload.dict(exclude_unset=True)
    changes = {k: v for k, v in data.items() if k != "referred_by" and v is not None}
    if "referred_by" in data:
        changes["referred_by"] = _person(owner, data["referred_by"], "referred_by")
    return change_guarded(
        request,
        fetch=lambda: _meeting(owner, meeting_uuid),
        show=_meeting_out,
        change=lambda meeting: meetings_services.meeting_update(
            owner=owner, meeting=meeting, **changes
        ),
        response=response,
    )


@router.delete(
    "/meetings/{uuid:meeting_uuid}",
    response=Deleted,
    tags=["meetings"],
    summary="Delete a meeting (the loop steps it closed open again)",
)
def delete_meeting(request: HttpRequest, meeting_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: _meeting(owner, meeting_uuid),
        show=_meeting_out,
        change=lambda meeting: meetings_services.meeting_delete(owner=owner, meeting=meeting),
    )


class CancelIn(RequestBody):
    note: LongText = ""


@router.post(
    "/meetings/{uuid:meeting_uuid}/cancel",
    response=MeetingOut,
    tags=["meetings"],
    summary="Cancel a scheduled meeting",
)
def cancel_meeting(
    request: HttpRequest,
    meeting_uuid: UUID,
    payload: CancelIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: _meeting(owner, meeting_uuid),
        show=_meeting_out,
        change=lambda meeting: meetings_services.meeting_cancel(
            meeting=_meeting(owner, meeting.uuid), note=payload.note
        ),
        response=response,
    )


class ReferralIn(RequestBody):
    full_name: Text(200, 1)  # type: ignore[valid-type]
    organization: Text(200) = ""  # type: ignore[valid-type]
    title: Text(200) = ""  # type: ignore[valid-type]
    about: Text(300) = ""  # type: ignore[valid-type]
    list: ListLetter = "C"
    email: Text(320) = ""  # type: ignore[valid-type]
    may_use_name: StrictBool = Field(False, description="They cleared you to use their name.")


class OfferIn(BaseModel):
    """A plain pydantic model: a ninja Schema reads any object's attributes, so with every
    field optional it took a list or a string for an offer (schemathesis found it)."""

    model_config = ConfigDict(extra="forbid")  # as every RequestBody

    kind: FavourKind = "other"
    note: LongText = ""
    standing: StrictBool = Field(False, description="'Call on me any time': a standing offer.")


Referrals = list[ReferralIn]


class OutcomeIn(RequestBody):
    learned: LongText = ""
    outcome: LongText = ""
    next_steps: LongText = ""
    referrals: Referrals = Field([], max_length=50)
    offered: OfferIn | None = None


class OutcomeOut(Schema):
    meeting: MeetingOut
    referrals: list[PersonRef]
    leads: list[UUID]
    thank_you_step: UUID | None


@router.post(
    "/meetings/{uuid:meeting_uuid}/outcome",
    response=OutcomeOut,
    tags=["meetings"],
    summary="Record what came of a meeting; each referral becomes a person and a lead",
)
def log_outcome(
    request: HttpRequest,
    meeting_uuid: UUID,
    payload: OutcomeIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """`If-Match` names the meeting's ETag; the answer carries the meeting's new one."""
    owner = owner_of(request)

    def change(meeting: Meeting) -> Any:
        return meetings_services.meeting_log_outcome(
            meeting=_meeting(owner, meeting.uuid),
            learned=payload.learned,
            outcome=payload.outcome,
            next_steps=payload.next_steps,
            referrals=[
                meetings_services.ReferralInput(
                    full_name=r.full_name,
                    organisation=r.organization,
                    title=r.title,
                    about=r.about,
                    contact_list=r.list,
                    email=r.email,
                    may_use_name=r.may_use_name,
                )
                for r in payload.referrals
            ],
            offered=(
                meetings_services.OfferInput(
                    kind=payload.offered.kind,
                    note=payload.offered.note,
                    standing=payload.offered.standing,
                )
                if payload.offered
                else None
            ),
        )

    def answer(result: Any) -> dict[str, Any]:
        meeting = with_etag(response, _meeting_out(_meeting(owner, meeting_uuid)))
        return {
            "meeting": meeting,
            "referrals": [_ref(p) for p in result.referrals],
            "leads": [lead.uuid for lead in result.leads],
            "thank_you_step": result.thank_you.uuid if result.thank_you else None,
        }

    return change_guarded(
        request,
        fetch=lambda: _meeting(owner, meeting_uuid),
        show=_meeting_out,
        change=change,
        answer=answer,
    )


class PrepOut(Schema):
    meeting: MeetingOut
    person: PersonRef
    title: str
    organization: str | None
    organization_stage: str | None
    connections: list[str]
    referred_by: PersonRef | None
    past: list[str] = Field(description="Your history with them, newest first.")
    pitch: str
    has_pitch: bool
    questions: dict[str, list[str]] = Field(description="Questions for each purpose you chose.")
    interests: list[str]
    favours_given: int
    favours_received: int
    standing_offers: list[str]
    open_loops: list[str]
    reminders: list[str]


@router.get(
    "/meetings/{uuid:meeting_uuid}/prep",
    response=PrepOut,
    tags=["meetings"],
    summary="The prep brief for a meeting",
)
def meeting_prep(request: HttpRequest, meeting_uuid: UUID) -> Any:
    owner = owner_of(request)
    meeting = _meeting(owner, meeting_uuid)
    brief = prep.meeting_prep(meeting=meeting)
    return {
        "meeting": _meeting_out(meeting),
        "person": _ref(brief.person),
        "title": brief.person.title,
        "organization": brief.organisation.name if brief.organisation else None,
        "organization_stage": brief.organisation.stage if brief.organisation else None,
        "connections": brief.connections,
        "referred_by": _ref(brief.referred_by),
        "past": [f"{i.occurred_at.date().isoformat()} {i.summary}" for i in brief.past],
        "pitch": brief.pitch,
        "has_pitch": brief.has_pitch,
        "questions": dict(brief.questions),
        "interests": brief.interests,
        "favours_given": brief.balance.given,
        "favours_received": brief.balance.received,
        "standing_offers": [o.offer for o in brief.offers],
        "open_loops": [f"{item.title} — {item.context}" for item in brief.loops],
        "reminders": brief.reminders,
    }
