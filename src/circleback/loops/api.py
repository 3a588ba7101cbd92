"""/api/v1 meetings, leads, loops, thank-yous, favours, standing offers, introductions, shares,
name permissions and outreach drafts — through the loops services and queries the loops pages
and `circleback meeting` / `lead` / `loop` / `favour` … use. No rule is written here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import StrictInt

from circleback.api.common import locked, owner_of, referenced
from circleback.api.conditional import check_if_match, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of, paginate
from circleback.api.schemas import Day, Deleted, LongText, Moment, Text
from circleback.loops import queries, services
from circleback.loops.models import (
    Favour,
    Introduction,
    Lead,
    LoopStep,
    Meeting,
    NamePermission,
    Purpose,
    Share,
    StandingOffer,
)
from circleback.people.queries import get_organisation_for, get_person_for

router = Router()

if TYPE_CHECKING:  # mypy can't read a Literal built from the model's choices
    PurposeName = str
    Purposes = list[str]
    FavourKind = str
    FavourDirection = str
    StepKind = str
else:
    PurposeName = Literal[tuple(Purpose.values)]
    Purposes = list[PurposeName]
    FavourKind = Literal[tuple(Favour.Kind.values)]
    FavourDirection = Literal[tuple(Favour.Direction.values)]
    StepKind = Literal[tuple(LoopStep.Kind.values)]

ListLetter = Literal["A", "B", "C"]
IfMatch = Header(None, alias="If-Match", description="An ETag you read; 412 if it is stale.")
IdempotencyKey = Header(
    None, alias="Idempotency-Key", description="Retrying with the same key creates one thing."
)
Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _person(owner: Any, value: UUID | None, field: str) -> Any:
    return referenced(get_person_for, owner, value, field) if value else None


def _ref(p: Any) -> dict[str, Any] | None:
    return {"uuid": p.uuid, "full_name": p.full_name} if p is not None else None


class PersonRef(Schema):
    uuid: UUID
    full_name: str


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
        "warnings": services.meeting_warnings(meeting),
    }


def _meeting(owner: Any, meeting_uuid: UUID) -> Meeting:
    meeting = queries.get_meeting_for(owner, meeting_uuid)
    return Meeting.objects.select_related("person", "referred_by", "interaction").get(pk=meeting.pk)


class MeetingIn(Schema):
    person: UUID
    scheduled_for: Moment
    duration_minutes: StrictInt = Field(30, ge=5, le=480)
    location: Text(200) = ""  # type: ignore[valid-type]
    purposes: Purposes = Field([], max_length=5)
    referred_by: UUID | None = None
    prep_notes: LongText = ""
    held: bool = Field(False, description="Record a meeting that already took place.")


class MeetingPatch(Schema):
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
    meeting = services.meeting_schedule(
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
    with transaction.atomic():
        meeting = locked(_meeting(owner, meeting_uuid))
        check_if_match(request, _meeting_out(_meeting(owner, meeting_uuid)))
        changes = {k: v for k, v in data.items() if k != "referred_by" and v is not None}
        if "referred_by" in data:
            changes["referred_by"] = _person(owner, data["referred_by"], "referred_by")
        services.meeting_update(owner=owner, meeting=meeting, **changes)
    return with_etag(response, _meeting_out(_meeting(owner, meeting_uuid)))


@router.delete(
    "/meetings/{uuid:meeting_uuid}",
    response=Deleted,
    tags=["meetings"],
    summary="Delete a meeting (the loop steps it closed open again)",
)
def delete_meeting(request: HttpRequest, meeting_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    owner = owner_of(request)
    with transaction.atomic():
        meeting = locked(_meeting(owner, meeting_uuid))
        check_if_match(request, _meeting_out(_meeting(owner, meeting_uuid)))
        services.meeting_delete(owner=owner, meeting=meeting)
    return {"deleted": True}


class CancelIn(Schema):
    note: LongText = ""


@router.post(
    "/meetings/{uuid:meeting_uuid}/cancel",
    response=MeetingOut,
    tags=["meetings"],
    summary="Cancel a scheduled meeting",
)
def cancel_meeting(request: HttpRequest, meeting_uuid: UUID, payload: CancelIn) -> Any:
    owner = owner_of(request)
    services.meeting_cancel(meeting=_meeting(owner, meeting_uuid), note=payload.note)
    return _meeting_out(_meeting(owner, meeting_uuid))


class ReferralIn(Schema):
    full_name: Text(200, 1)  # type: ignore[valid-type]
    organization: Text(200) = ""  # type: ignore[valid-type]
    title: Text(200) = ""  # type: ignore[valid-type]
    about: Text(300) = ""  # type: ignore[valid-type]
    list: ListLetter = "C"
    email: Text(320) = ""  # type: ignore[valid-type]
    may_use_name: bool = Field(False, description="They cleared you to use their name.")


class OfferIn(Schema):
    kind: FavourKind = "other"
    note: LongText = ""
    standing: bool = Field(False, description="'Call on me any time': a standing offer.")


Referrals = list[ReferralIn]


class OutcomeIn(Schema):
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
def log_outcome(request: HttpRequest, meeting_uuid: UUID, payload: OutcomeIn) -> Any:
    owner = owner_of(request)
    result = services.meeting_log_outcome(
        meeting=_meeting(owner, meeting_uuid),
        learned=payload.learned,
        outcome=payload.outcome,
        next_steps=payload.next_steps,
        referrals=[
            services.ReferralInput(
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
            services.OfferInput(
                kind=payload.offered.kind,
                note=payload.offered.note,
                standing=payload.offered.standing,
            )
            if payload.offered
            else None
        ),
    )
    return {
        "meeting": _meeting_out(_meeting(owner, meeting_uuid)),
        "referrals": [_ref(p) for p in result.referrals],
        "leads": [lead.uuid for lead in result.leads],
        "thank_you_step": result.thank_you.uuid if result.thank_you else None,
    }


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
    brief = services.meeting_prep(meeting=meeting)
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


# --- leads --------------------------------------------------------------------------------


class LeadOut(Schema):
    uuid: UUID
    referrer: PersonRef
    referred: PersonRef
    about: str
    organization: str | None
    state: str
    received_on: dt.date
    contacted_on: dt.date | None
    met_on: dt.date | None
    declined_on: dt.date | None
    referrer_told_on: dt.date | None
    referrer_thanked_on: dt.date | None


def _lead_out(lead: Lead) -> dict[str, Any]:
    return {
        "uuid": lead.uuid,
        "referrer": _ref(lead.referrer),
        "referred": _ref(lead.referred),
        "about": lead.about,
        "organization": lead.organisation.name if lead.organisation_id else None,  # type: ignore[union-attr]
        "state": lead.state,
        "received_on": lead.received_on,
        "contacted_on": lead.contacted_on,
        "met_on": lead.met_on,
        "declined_on": lead.declined_on,
        "referrer_told_on": lead.referrer_told_on,
        "referrer_thanked_on": lead.referrer_thanked_on,
    }


def _lead(owner: Any, lead_uuid: UUID) -> Lead:
    lead = queries.get_lead_for(owner, lead_uuid)
    return Lead.objects.select_related("referrer", "referred", "organisation").get(pk=lead.pk)


class LeadIn(Schema):
    referrer: UUID = Field(description="Who gave you the name.")
    person: UUID | None = Field(None, description="The person, if already in your network.")
    full_name: Text(200) = Field("", description="Or their name, to add them.")  # type: ignore[valid-type]
    organization: Text(200) = ""  # type: ignore[valid-type]
    about: Text(300) = ""  # type: ignore[valid-type]
    list: ListLetter = "C"
    may_use_name: bool = False


@router.get("/leads", response=page_of(LeadOut), tags=["leads"], summary="Leads, newest first")
def list_leads(
    request: HttpRequest,
    person: UUID | None = Query(None, description="Leads this person gave or is."),
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    owner = owner_of(request)
    return paginate(
        request,
        queries.leads_list(owner=owner, person=_person(owner, person, "person")),
        order=[("created_at", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_lead_out(lead) for lead in rows],
    )


@router.post(
    "/leads", response={201: LeadOut}, tags=["leads"], summary="Record a name someone gave you"
)
@decorate_view(idempotent)
def record_lead(
    request: HttpRequest,
    payload: LeadIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    lead = services.lead_record(
        owner=owner,
        referrer=_person(owner, payload.referrer, "referrer"),
        person=_person(owner, payload.person, "person"),
        full_name=payload.full_name,
        organisation=payload.organization,
        about=payload.about,
        contact_list=payload.list,
        may_use_name=payload.may_use_name,
    )
    response["Location"] = f"{request.path.rstrip('/')}/{lead.uuid}"
    return Status(201, with_etag(response, _lead_out(_lead(owner, lead.uuid))))


@router.get("/leads/{uuid:lead_uuid}", response=LeadOut, tags=["leads"], summary="A lead")
def get_lead(request: HttpRequest, lead_uuid: UUID, response: HttpResponse) -> Any:
    return with_etag(response, _lead_out(_lead(owner_of(request), lead_uuid)))


class AdvanceIn(Schema):
    to: Text(30) | None = Field(  # type: ignore[valid-type]
        None, description="How the step closed, when there is a choice (e.g. met, declined)."
    )
    note: LongText = ""


class StepOut(Schema):
    uuid: UUID
    kind: StepKind
    title: str
    context: str
    person: PersonRef
    due_at: dt.datetime
    overdue: bool
    snoozed_until: dt.date | None
    actions: list[str] = Field(description="Values for `to` that close this step.")


def _step_out(step: LoopStep) -> dict[str, Any]:
    item = queries.loop_item(step)
    return {
        "uuid": step.uuid,
        "kind": step.kind,
        "title": item.title,
        "context": item.context,
        "person": _ref(step.person),
        "due_at": step.due_at,
        "overdue": item.overdue,
        "snoozed_until": step.snoozed_until,
        "actions": [a.to for a in item.actions],
    }


class AdvanceOut(Schema):
    next_step: StepOut | None


def _step(owner: Any, step_uuid: UUID) -> LoopStep:
    step = queries.get_step_for(owner, step_uuid)
    return LoopStep.objects.select_related(
        "person", "about", "lead__organisation", "introduction", "meeting", "favour", "organisation"
    ).get(pk=step.pk)


@router.post(
    "/leads/{uuid:lead_uuid}/advance",
    response=AdvanceOut,
    tags=["leads"],
    summary="Move a lead's loop on (contacted, met, declined, referrer told, thanked)",
)
def advance_lead(request: HttpRequest, lead_uuid: UUID, payload: AdvanceIn) -> Any:
    owner = owner_of(request)
    lead = _lead(owner, lead_uuid)
    if not payload.to:
        from django.core.exceptions import ValidationError

        raise ValidationError({"to": "Say where the lead is now, e.g. contacted or met."})
    nxt = services.lead_advance(lead=lead, to=payload.to, note=payload.note)
    return {"next_step": _step_out(_step(owner, nxt.uuid)) if nxt else None}


# --- loops ----------------------------------------------------------------------------------


@router.get(
    "/loops",
    response=page_of(StepOut),
    tags=["loops"],
    summary="Every open loop step, oldest loop first",
)
def list_loops(
    request: HttpRequest,
    person: UUID | None = None,
    kind: StepKind | None = None,
    overdue: bool = False,
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    owner = owner_of(request)
    steps = queries.open_loop_steps(
        owner,
        person=_person(owner, person, "person"),
        kinds=[kind] if kind else (),
        overdue_only=overdue,
    )
    return paginate(
        request,
        steps,
        order=[("loop_started_at", False), ("due_at", False), ("pk", False)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_step_out(s) for s in rows],
    )


@router.get(
    "/thank-yous",
    response=page_of(StepOut),
    tags=["loops"],
    summary="Thank-yous you owe, oldest first",
)
def list_thank_yous(
    request: HttpRequest, limit: int = Limit, cursor: str | None = None
) -> dict[str, Any]:
    owner = owner_of(request)
    steps = queries.open_loop_steps(
        owner, kinds=[LoopStep.Kind.THANK_YOU, LoopStep.Kind.LEAD_THANK]
    )
    return paginate(
        request,
        steps,
        order=[("loop_started_at", False), ("due_at", False), ("pk", False)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_step_out(s) for s in rows],
    )


@router.post(
    "/loops/{uuid:step_uuid}/advance",
    response=AdvanceOut,
    tags=["loops"],
    summary="Close an open step and open the next",
)
def advance_step(request: HttpRequest, step_uuid: UUID, payload: AdvanceIn) -> Any:
    owner = owner_of(request)
    nxt = services.loop_advance(
        owner=owner, step=_step(owner, step_uuid), to=payload.to, note=payload.note
    )
    return {"next_step": _step_out(_step(owner, nxt.uuid)) if nxt else None}


class SnoozeIn(Schema):
    until: Day
    note: LongText = ""


@router.post(
    "/loops/{uuid:step_uuid}/snooze",
    response=StepOut,
    tags=["loops"],
    summary="Not now — the step falls due again on `until`",
)
def snooze_step(request: HttpRequest, step_uuid: UUID, payload: SnoozeIn) -> Any:
    owner = owner_of(request)
    step = services.loop_snooze(
        owner=owner, step=_step(owner, step_uuid), until=payload.until, note=payload.note
    )
    return _step_out(_step(owner, step.uuid))


class ThankYouIn(Schema):
    how: Literal[tuple(services.THANK_YOU_MEDIA)] = "email"  # type: ignore[valid-type]
    note: LongText = ""


@router.post(
    "/loops/{uuid:step_uuid}/thank-you",
    response=StepOut,
    tags=["loops"],
    summary="Mark a thank-you sent (logs it in the journal)",
)
def thank_you_sent(request: HttpRequest, step_uuid: UUID, payload: ThankYouIn) -> Any:
    owner = owner_of(request)
    step = services.thank_you_mark_sent(
        owner=owner, step=_step(owner, step_uuid), how=payload.how, note=payload.note
    )
    return _step_out(_step(owner, step.uuid))


# --- favours and standing offers ----------------------------------------------------------


class FavourOut(Schema):
    uuid: UUID
    person: PersonRef
    direction: FavourDirection
    kind: FavourKind
    note: str
    occurred_on: dt.date
    name_given: PersonRef | None


def _favour_out(favour: Favour) -> dict[str, Any]:
    return {
        "uuid": favour.uuid,
        "person": _ref(favour.person),
        "direction": favour.direction,
        "kind": favour.kind,
        "note": favour.note,
        "occurred_on": favour.occurred_on,
        "name_given": _ref(favour.name_given),
    }


def _favour(owner: Any, favour_uuid: UUID) -> Favour:
    favour = queries.get_favour_for(owner, favour_uuid)
    return Favour.objects.select_related("person", "name_given").get(pk=favour.pk)


class FavourIn(Schema):
    person: UUID
    direction: FavourDirection
    kind: FavourKind = "other"
    note: LongText = ""
    occurred_on: Day | None = Field(None, description="Default: today.")


class FavourPatch(Schema):
    direction: FavourDirection | None = None
    kind: FavourKind | None = None
    note: LongText | None = None
    occurred_on: Day | None = None


@router.get("/favours", response=page_of(FavourOut), tags=["favours"], summary="Favours ledger")
def list_favours(
    request: HttpRequest,
    person: UUID | None = None,
    direction: FavourDirection | None = None,
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    owner = owner_of(request)
    favours = queries.favours_list(
        owner=owner, person=_person(owner, person, "person"), direction=direction or ""
    )
    return paginate(
        request,
        favours,
        order=[("occurred_on", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_favour_out(f) for f in rows],
    )


@router.post(
    "/favours",
    response={201: FavourOut},
    tags=["favours"],
    summary="Log a favour given or received",
)
@decorate_view(idempotent)
def log_favour(
    request: HttpRequest,
    payload: FavourIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    """A favour received opens a thank-you, due within the hours your settings say."""
    owner = owner_of(request)
    favour = services.favour_log(
        owner=owner,
        person=_person(owner, payload.person, "person"),
        direction=payload.direction,
        kind=payload.kind,
        note=payload.note,
        occurred_on=payload.occurred_on,
    )
    response["Location"] = f"{request.path.rstrip('/')}/{favour.uuid}"
    return Status(201, with_etag(response, _favour_out(_favour(owner, favour.uuid))))


@router.get("/favours/{uuid:favour_uuid}", response=FavourOut, tags=["favours"], summary="A favour")
def get_favour(request: HttpRequest, favour_uuid: UUID, response: HttpResponse) -> Any:
    return with_etag(response, _favour_out(_favour(owner_of(request), favour_uuid)))


@router.patch(
    "/favours/{uuid:favour_uuid}", response=FavourOut, tags=["favours"], summary="Change a favour"
)
def update_favour(
    request: HttpRequest,
    favour_uuid: UUID,
    payload: FavourPatch,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    owner = owner_of(request)
    with transaction.atomic():
        favour = locked(_favour(owner, favour_uuid))
        check_if_match(request, _favour_out(_favour(owner, favour_uuid)))
        changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
        services.favour_update(owner=owner, favour=favour, **changes)
    return with_etag(response, _favour_out(_favour(owner, favour_uuid)))


@router.delete(
    "/favours/{uuid:favour_uuid}", response=Deleted, tags=["favours"], summary="Delete a favour"
)
def delete_favour(request: HttpRequest, favour_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    owner = owner_of(request)
    with transaction.atomic():
        favour = locked(_favour(owner, favour_uuid))
        check_if_match(request, _favour_out(_favour(owner, favour_uuid)))
        services.favour_delete(owner=owner, favour=favour)
    return {"deleted": True}


class NameGivenIn(Schema):
    helped: UUID = Field(description="Whom you gave a name to.")
    name: UUID = Field(description="Whose name you gave.")
    note: LongText = ""


@router.post(
    "/favours/names-given",
    response={201: FavourOut},
    tags=["favours"],
    summary="You gave someone a name: opens 'tell them to expect a call' and 'check back'",
)
@decorate_view(idempotent)
def give_name(
    request: HttpRequest,
    payload: NameGivenIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    favour = services.name_give(
        owner=owner,
        helped=_person(owner, payload.helped, "helped"),
        name=_person(owner, payload.name, "name"),
        note=payload.note,
    )
    response["Location"] = f"{request.path.rsplit('/', 1)[0]}/{favour.uuid}"
    return Status(201, _favour_out(_favour(owner, favour.uuid)))


class BalanceOut(Schema):
    person: PersonRef
    given: int
    received: int
    net: StrictInt = Field(description="Positive: you have given more than you got.")


@router.get(
    "/favours-balances",
    response=page_of(BalanceOut),
    tags=["favours"],
    summary="Favour balance per person, the people you owe most first",
)
def list_balances(request: HttpRequest, limit: int = Query(50, ge=1, le=200)) -> Any:
    rows = queries.favour_ledger(owner=owner_of(request), limit=limit)
    return {
        "items": [
            {
                "person": _ref(r.person),
                "given": r.balance.given,
                "received": r.balance.received,
                "net": r.balance.net,
            }
            for r in rows
        ],
        "next": None,
    }


class OfferOut(Schema):
    uuid: UUID
    person: PersonRef
    offer: str
    made_on: dt.date
    taken_up_on: dt.date | None


def _offer_out(offer: StandingOffer) -> dict[str, Any]:
    return {
        "uuid": offer.uuid,
        "person": _ref(offer.person),
        "offer": offer.offer,
        "made_on": offer.made_on,
        "taken_up_on": offer.taken_up_on,
    }


class OfferMadeIn(Schema):
    person: UUID
    offer: Text(300, 1)  # type: ignore[valid-type]
    made_on: Day | None = None


@router.get(
    "/standing-offers",
    response=page_of(OfferOut),
    tags=["favours"],
    summary="Standing offers not yet taken up",
)
def list_offers(
    request: HttpRequest,
    person: UUID | None = None,
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    owner = owner_of(request)
    offers = queries.standing_offers(owner=owner, person=_person(owner, person, "person"))
    return paginate(
        request,
        offers.select_related("person"),
        order=[("made_on", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_offer_out(o) for o in rows],
    )


@router.post(
    "/standing-offers",
    response={201: OfferOut},
    tags=["favours"],
    summary="Extend a standing offer to return the favour",
)
@decorate_view(idempotent)
def make_offer(
    request: HttpRequest,
    payload: OfferMadeIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    offer = services.standing_offer_make(
        owner=owner,
        person=_person(owner, payload.person, "person"),
        offer=payload.offer,
        made_on=payload.made_on,
    )
    offer = StandingOffer.objects.select_related("person").get(pk=offer.pk)
    return Status(201, _offer_out(offer))


@router.post(
    "/standing-offers/{uuid:offer_uuid}/taken-up",
    response=OfferOut,
    tags=["favours"],
    summary="They took you up on a standing offer",
)
def offer_taken_up(request: HttpRequest, offer_uuid: UUID) -> Any:
    owner = owner_of(request)
    offer = services.standing_offer_taken_up(
        owner=owner, offer=queries.get_offer_for(owner, offer_uuid)
    )
    return _offer_out(StandingOffer.objects.select_related("person").get(pk=offer.pk))


# --- introductions --------------------------------------------------------------------------


class IntroductionOut(Schema):
    uuid: UUID
    person_x: PersonRef
    person_y: PersonRef
    reason: str
    state: str
    asked_x_on: dt.date | None
    asked_y_on: dt.date | None
    introduced_on: dt.date | None
    checked_back_on: dt.date | None
    outcome: str


def _intro_out(intro: Introduction) -> dict[str, Any]:
    return {
        "uuid": intro.uuid,
        "person_x": _ref(intro.person_x),
        "person_y": _ref(intro.person_y),
        "reason": intro.reason,
        "state": intro.state,
        "asked_x_on": intro.asked_x_on,
        "asked_y_on": intro.asked_y_on,
        "introduced_on": intro.introduced_on,
        "checked_back_on": intro.checked_back_on,
        "outcome": intro.outcome,
    }


def _intro(owner: Any, intro_uuid: UUID) -> Introduction:
    intro = queries.get_introduction_for(owner, intro_uuid)
    return Introduction.objects.select_related("person_x", "person_y").get(pk=intro.pk)


class IntroductionIn(Schema):
    person_x: UUID
    person_y: UUID
    reason: LongText = Field(..., min_length=1, description="Why they could help each other.")


@router.get(
    "/introductions",
    response=page_of(IntroductionOut),
    tags=["introductions"],
    summary="Introductions you make (double opt-in)",
)
def list_introductions(
    request: HttpRequest, limit: int = Limit, cursor: str | None = None
) -> dict[str, Any]:
    return paginate(
        request,
        queries.introductions_list(owner=owner_of(request)),
        order=[("created_at", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_intro_out(i) for i in rows],
    )


@router.post(
    "/introductions",
    response={201: IntroductionOut},
    tags=["introductions"],
    summary="Propose an introduction between two people",
)
@decorate_view(idempotent)
def make_introduction(
    request: HttpRequest,
    payload: IntroductionIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    intro = services.introduction_make(
        owner=owner,
        person_x=_person(owner, payload.person_x, "person_x"),
        person_y=_person(owner, payload.person_y, "person_y"),
        reason=payload.reason,
    )
    response["Location"] = f"{request.path.rstrip('/')}/{intro.uuid}"
    return Status(201, _intro_out(_intro(owner, intro.uuid)))


@router.get(
    "/introductions/{uuid:intro_uuid}",
    response=IntroductionOut,
    tags=["introductions"],
    summary="An introduction",
)
def get_introduction(request: HttpRequest, intro_uuid: UUID) -> Any:
    return _intro_out(_intro(owner_of(request), intro_uuid))


@router.post(
    "/introductions/{uuid:intro_uuid}/advance",
    response=AdvanceOut,
    tags=["introductions"],
    summary="Move an introduction on (asked, introduced, checked back, declined)",
)
def advance_introduction(request: HttpRequest, intro_uuid: UUID, payload: AdvanceIn) -> Any:
    owner = owner_of(request)
    nxt = services.introduction_advance(
        introduction=_intro(owner, intro_uuid), to=payload.to, note=payload.note
    )
    return {"next_step": _step_out(_step(owner, nxt.uuid)) if nxt else None}


class IntroRequestIn(Schema):
    via: UUID = Field(description="Whom you ask for the introduction.")
    target: UUID = Field(description="Whom you'd like to meet.")
    organization: Text(200) = ""  # type: ignore[valid-type]
    note: LongText = ""


@router.post(
    "/introduction-requests",
    response={201: StepOut},
    tags=["introductions"],
    summary="You asked someone for an introduction: follow it up",
)
@decorate_view(idempotent)
def request_introduction(
    request: HttpRequest,
    payload: IntroRequestIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    step = services.introduction_request(
        owner=owner,
        via=_person(owner, payload.via, "via"),
        target=_person(owner, payload.target, "target"),
        organisation=payload.organization or None,
        note=payload.note,
    )
    return Status(201, _step_out(_step(owner, step.uuid)))


# --- shares ----------------------------------------------------------------------------------


class ShareOut(Schema):
    uuid: UUID
    title: str
    url: str
    topics: str
    note: str
    shared_on: dt.date
    people: list[PersonRef]


def _share_out(share: Share) -> dict[str, Any]:
    return {
        "uuid": share.uuid,
        "title": share.title,
        "url": share.url,
        "topics": share.topics,
        "note": share.note,
        "shared_on": share.shared_on,
        "people": [_ref(f.person) for f in share.favours.all()],
    }


PersonIds = list[UUID]


class ShareIn(Schema):
    people: PersonIds = Field(..., min_length=1, max_length=200)
    title: Text(300, 1)  # type: ignore[valid-type]
    url: Text(500) = ""  # type: ignore[valid-type]
    topics: Text(300) = ""  # type: ignore[valid-type]
    note: LongText = ""
    kind: FavourKind = "information"


@router.get("/shares", response=page_of(ShareOut), tags=["shares"], summary="What you passed on")
def list_shares(
    request: HttpRequest, limit: int = Limit, cursor: str | None = None
) -> dict[str, Any]:
    return paginate(
        request,
        queries.shares_list(owner=owner_of(request)),
        order=[("shared_on", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_share_out(s) for s in rows],
    )


@router.post(
    "/shares",
    response={201: ShareOut},
    tags=["shares"],
    summary="Pass on an article, event or news to people",
)
@decorate_view(idempotent)
def log_share(
    request: HttpRequest,
    payload: ShareIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    share = services.share_log(
        owner=owner,
        people=[_person(owner, p, f"people.{i}") for i, p in enumerate(payload.people)],
        title=payload.title,
        url=payload.url,
        topics=payload.topics,
        note=payload.note,
        kind=payload.kind,
    )
    share = queries.shares_list(owner=owner).get(pk=share.pk)
    return Status(201, _share_out(share))


@router.delete(
    "/shares/{uuid:share_uuid}",
    response=Deleted,
    tags=["shares"],
    summary="Delete a share (and the favours it logged)",
)
def delete_share(request: HttpRequest, share_uuid: UUID) -> Any:
    owner = owner_of(request)
    services.share_delete(owner=owner, share=queries.get_share_for(owner, share_uuid))
    return {"deleted": True}


# --- name permissions -------------------------------------------------------------------------


class PermissionOut(Schema):
    uuid: UUID
    person: PersonRef
    organization: str | None = Field(description="Only for this organisation; null: anywhere.")
    granted_on: dt.date
    note: str
    revoked_on: dt.date | None


def _permission_out(p: NamePermission) -> dict[str, Any]:
    return {
        "uuid": p.uuid,
        "person": _ref(p.person),
        "organization": p.organisation.name if p.organisation_id else None,  # type: ignore[union-attr]
        "granted_on": p.granted_on,
        "note": p.note,
        "revoked_on": p.revoked_on,
    }


class PermissionIn(Schema):
    person: UUID
    organization: UUID | None = None
    note: Text(300) = ""  # type: ignore[valid-type]
    granted_on: Day | None = None


@router.get(
    "/permissions",
    response=page_of(PermissionOut),
    tags=["permissions"],
    summary="Who cleared you to use their name",
)
def list_permissions(
    request: HttpRequest,
    include_revoked: bool = False,
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    perms = queries.permissions_list(
        owner=owner_of(request), include_revoked=include_revoked
    ).select_related("person", "organisation")
    return paginate(
        request,
        perms,
        order=[("created_at", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_permission_out(p) for p in rows],
    )


@router.post(
    "/permissions",
    response={201: PermissionOut},
    tags=["permissions"],
    summary="Record that someone cleared you to use their name",
)
@decorate_view(idempotent)
def grant_permission(
    request: HttpRequest,
    payload: PermissionIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    perm = services.permission_grant(
        owner=owner,
        person=_person(owner, payload.person, "person"),
        organisation=(
            referenced(get_organisation_for, owner, payload.organization, "organization")
            if payload.organization
            else None
        ),
        note=payload.note,
        granted_on=payload.granted_on,
    )
    perm = NamePermission.objects.select_related("person", "organisation").get(pk=perm.pk)
    return Status(201, _permission_out(perm))


@router.post(
    "/permissions/{uuid:permission_uuid}/revoke",
    response=PermissionOut,
    tags=["permissions"],
    summary="They withdrew permission to use their name",
)
def revoke_permission(request: HttpRequest, permission_uuid: UUID) -> Any:
    owner = owner_of(request)
    perm = services.permission_revoke(
        owner=owner, permission=queries.get_permission_for(owner, permission_uuid)
    )
    perm = NamePermission.objects.select_related("person", "organisation").get(pk=perm.pk)
    return _permission_out(perm)


# --- outreach drafts ----------------------------------------------------------------------------


class DraftIn(Schema):
    person: UUID = Field(description="Whom the message is to.")
    kind: Literal["invitation", "introduction"] = "invitation"
    about: Text(200) = Field("", description="An organisation, by name.")  # type: ignore[valid-type]
    referrer: UUID | None = None
    target: UUID | None = None
    purposes: Purposes = Field([], max_length=5)


class DraftOut(Schema):
    subject: str
    body: str
    warnings: list[str]


@router.post(
    "/drafts/outreach",
    response=DraftOut,
    tags=["drafts"],
    summary="Draft an outreach message from the record (nothing is saved or sent)",
)
def draft_outreach(request: HttpRequest, payload: DraftIn) -> Any:
    owner = owner_of(request)
    person = _person(owner, payload.person, "person")
    draft = services.outreach_draft(
        owner=owner,
        person=person,
        kind=payload.kind,
        about=payload.about or None,
        referrer=_person(owner, payload.referrer, "referrer"),
        target=_person(owner, payload.target, "target"),
        purposes=payload.purposes,
    )
    return {"subject": draft.subject, "body": draft.body, "warnings": list(draft.warnings)}
