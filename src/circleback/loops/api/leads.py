"""/api/v1 Leads and every open loop step: advance, snooze, thank-yous."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import StrictBool

from circleback.api.common import owner_of
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import page_of, paginate
from circleback.api.schemas import Day, LongText, RequestBody, Text
from circleback.loops import queries
from circleback.loops.api._common import (
    AdvanceIn,
    AdvanceOut,
    IdempotencyKey,
    IfMatch,
    LeadAdvanceIn,
    Limit,
    ListLetter,
    PersonRef,
    StepKind,
    StepOut,
    _person,
    _ref,
    _step,
    _step_out,
    advance_guarded,
)
from circleback.loops.models import (
    Lead,
    LoopStep,
)
from circleback.loops.services import (
    leads,
    loops,
)

router = Router()


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


class LeadIn(RequestBody):
    referrer: UUID = Field(description="Who gave you the name.")
    person: UUID | None = Field(None, description="The person, if already in your network.")
    full_name: Text(200) = Field("", description="Or their name, to add them.")  # type: ignore[valid-type]
    organization: Text(200) = ""  # type: ignore[valid-type]
    about: Text(300) = ""  # type: ignore[valid-type]
    list: ListLetter = "C"
    may_use_name: StrictBool = False


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
    lead = leads.lead_record(
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


def _where(to: str | None) -> str:
    if not to:
        raise ValidationError({"to": "Say where the lead is now, e.g. contacted or met."})
    return to


@router.post(
    "/leads/{uuid:lead_uuid}/advance",
    response=AdvanceOut,
    tags=["leads"],
    summary="Move a lead's loop on (contacted, met, declined, referrer told, thanked)",
)
def advance_lead(
    request: HttpRequest,
    lead_uuid: UUID,
    payload: LeadAdvanceIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """`If-Match` names the lead's ETag; the answer carries the lead's new one."""
    owner = owner_of(request)
    return advance_guarded(
        request,
        response,
        owner=owner,
        fetch=lambda: _lead(owner, lead_uuid),
        show=_lead_out,
        advance=lambda lead: loops.lead_advance(
            lead=lead, to=_where(payload.to), note=payload.note
        ),
    )


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


@router.get(
    "/loops/{uuid:step_uuid}",
    response=StepOut,
    tags=["loops"],
    summary="A loop step, open or done",
)
def get_step(request: HttpRequest, step_uuid: UUID, response: HttpResponse) -> Any:
    """The step a creation opened (an introduction asked for, a lead recorded) or the one an
    advance answered with; once done, `done_at` says when and `actions` is empty. Its ETag
    is what advance, snooze and thank-you check If-Match against."""
    return with_etag(response, _step_out(_step(owner_of(request), step_uuid)))


@router.post(
    "/loops/{uuid:step_uuid}/advance",
    response=AdvanceOut,
    tags=["loops"],
    summary="Close an open step and open the next",
)
def advance_step(
    request: HttpRequest, step_uuid: UUID, payload: AdvanceIn, if_match: str | None = IfMatch
) -> Any:
    """`If-Match`, if sent, names the step's ETag (GET /loops/{id}): 412 if it moved since."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: _step(owner, step_uuid),
        show=_step_out,
        change=lambda step: loops.loop_advance(
            owner=owner, step=step, to=payload.to, note=payload.note
        ),
        answer=lambda nxt: {"next_step": _step_out(_step(owner, nxt.uuid)) if nxt else None},
    )


class SnoozeIn(RequestBody):
    until: Day
    note: LongText = ""


@router.post(
    "/loops/{uuid:step_uuid}/snooze",
    response=StepOut,
    tags=["loops"],
    summary="Not now — the step falls due again on `until`",
)
def snooze_step(
    request: HttpRequest,
    step_uuid: UUID,
    payload: SnoozeIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """`If-Match`, if sent, names the step's ETag (GET /loops/{id}); the answer has its new."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: _step(owner, step_uuid),
        show=_step_out,
        change=lambda step: loops.loop_snooze(
            owner=owner, step=step, until=payload.until, note=payload.note
        ),
        answer=lambda step: with_etag(response, _step_out(_step(owner, step.uuid))),
    )


class ThankYouIn(RequestBody):
    how: Literal[tuple(loops.THANK_YOU_MEDIA)] = "email"  # type: ignore[valid-type]
    note: LongText = ""


@router.post(
    "/loops/{uuid:step_uuid}/thank-you",
    response=StepOut,
    tags=["loops"],
    summary="Mark a thank-you sent (logs it in the journal)",
)
def thank_you_sent(
    request: HttpRequest,
    step_uuid: UUID,
    payload: ThankYouIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """`If-Match`, if sent, names the step's ETag (GET /loops/{id}); the answer has its new."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: _step(owner, step_uuid),
        show=_step_out,
        change=lambda step: loops.thank_you_mark_sent(
            owner=owner, step=step, how=payload.how, note=payload.note
        ),
        answer=lambda step: with_etag(response, _step_out(_step(owner, step.uuid))),
    )
