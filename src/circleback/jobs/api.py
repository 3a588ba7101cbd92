"""/api/v1 openings and applications: list, add, read, move on, the network at an opening's
organisation, and what worked — through the services and queries the jobs pages use."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from circleback.api.common import owner_of
from circleback.api.conditional import with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of, paginate
from circleback.api.schemas import Day, LongText, Text
from circleback.jobs import queries, services
from circleback.jobs.models import Opening
from circleback.people.queries import get_person_for

router = Router()

IdempotencyKey = Header(
    None, alias="Idempotency-Key", description="Retrying with the same key creates one thing."
)
Route = Literal["board", "site", "recruiter", "referral", "contact"]
Stage = Literal[
    "found", "applied", "interviewing", "offer", "accepted", "declined", "rejected", "withdrawn"
]


class PersonRef(Schema):
    uuid: UUID
    full_name: str


class JobOpeningOut(Schema):
    uuid: UUID
    title: str
    organization: str
    url: str
    via: str
    through: PersonRef | None
    found_on: dt.date
    deadline: dt.date | None
    notes: str
    stage: str
    stage_on: dt.date
    applied_on: dt.date | None
    answered_on: dt.date | None
    first_interview_on: dt.date | None


def _out(o: Opening) -> dict[str, Any]:
    a = o.application
    person = o.source_person
    return {
        "uuid": o.uuid,
        "title": o.title,
        "organization": o.organisation.name,
        "url": o.url,
        "via": o.source,
        "through": {"uuid": person.uuid, "full_name": person.full_name} if person else None,
        "found_on": o.found_on,
        "deadline": o.deadline,
        "notes": o.notes,
        "stage": a.stage,
        "stage_on": a.stage_on,
        "applied_on": a.applied_on,
        "answered_on": a.answered_on,
        "first_interview_on": a.first_interview_on,
    }


class JobOpeningIn(Schema):
    title: Text(200, 1)  # type: ignore[valid-type]
    organization: Text(200, 1) = Field(description="Its name; added if new.")  # type: ignore[valid-type]
    url: Text(500) = ""  # type: ignore[valid-type]
    via: Route = "board"
    through: UUID | None = Field(None, description="The referrer, recruiter or contact.")
    found_on: Day | None = None
    deadline: Day | None = None
    notes: LongText = ""


class StageAdvanceIn(Schema):
    to: Stage
    on: Day | None = Field(None, description="When; today if not given.")
    note: LongText = ""


@router.get("/openings", response=page_of(JobOpeningOut), tags=["jobs"], summary="Openings")
def list_openings(
    request: HttpRequest,
    stage: Stage | None = Query(None, description="Only applications at this stage."),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> dict[str, Any]:
    owner = owner_of(request)
    return paginate(
        request,
        queries.openings_list(owner=owner, stage=stage or ""),
        order=[("found_on", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_out(o) for o in rows],
    )


@router.post("/openings", response={201: JobOpeningOut}, tags=["jobs"], summary="Add an opening")
@decorate_view(idempotent)
def add_opening(
    request: HttpRequest,
    payload: JobOpeningIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    through = None
    if payload.through is not None:
        from circleback.api.common import referenced

        through = referenced(get_person_for, owner, payload.through, "through")
    opening = services.opening_add(
        owner=owner,
        title=payload.title,
        organisation=payload.organization,
        url=payload.url,
        source=payload.via,
        source_person=through,
        found_on=payload.found_on,
        deadline=payload.deadline,
        notes=payload.notes,
    )
    response["Location"] = f"{request.path.rstrip('/')}/{opening.uuid}"
    fresh = queries.get_opening_for(owner, opening.uuid)
    return Status(201, with_etag(response, _out(fresh)))


@router.get(
    "/openings/{uuid:opening_uuid}", response=JobOpeningOut, tags=["jobs"], summary="An opening"
)
def get_opening(request: HttpRequest, opening_uuid: UUID, response: HttpResponse) -> Any:
    return with_etag(response, _out(queries.get_opening_for(owner_of(request), opening_uuid)))


@router.post(
    "/openings/{uuid:opening_uuid}/advance",
    response=JobOpeningOut,
    tags=["jobs"],
    summary="Move an application to its next stage (dated, in the journal)",
)
def advance_opening(request: HttpRequest, opening_uuid: UUID, payload: StageAdvanceIn) -> Any:
    owner = owner_of(request)
    opening = queries.get_opening_for(owner, opening_uuid)
    services.application_advance(
        application=opening.application, to=payload.to, on=payload.on, note=payload.note
    )
    return _out(queries.get_opening_for(owner, opening_uuid))


class NetworkOut(Schema):
    people_there: list[PersonRef]
    ways_in: list[dict[str, Any]]
    openings: list[dict[str, Any]]


@router.get(
    "/openings/{uuid:opening_uuid}/network",
    response=NetworkOut,
    tags=["jobs"],
    summary="Who you know at the opening's organisation, and the ranked ways in",
)
def opening_network(request: HttpRequest, opening_uuid: UUID) -> dict[str, Any]:
    owner = owner_of(request)
    opening = queries.get_opening_for(owner, opening_uuid)
    network = queries.network_at(owner=owner, organisation=opening.organisation)
    return {
        "people_there": [{"uuid": p.uuid, "full_name": p.full_name} for p in network.people_there],
        "ways_in": [p.as_dict() for p in network.ways_in.paths],
        "openings": [o.as_dict() for o in network.ways_in.openings],
    }


@router.get(
    "/job-stats",
    response=dict[str, Any],
    tags=["jobs"],
    summary="What worked: answers, interviews and offers per route, and whose referrals",
)
def job_stats(request: HttpRequest) -> dict[str, Any]:
    return queries.job_stats(owner=owner_of(request)).as_dict()
