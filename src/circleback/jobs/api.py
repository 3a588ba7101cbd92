"""/api/v1 openings and applications: list, add, read, change (If-Match), move on, the
people involved, interviews, follow-ups, the network at an opening's organisation, and what
worked — through the services and queries the jobs pages and `circleback job` use."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from circleback.api.common import owner_of, referenced
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of, paginate
from circleback.api.schemas import (
    Day,
    Deleted,
    IdempotencyKey,
    IfMatch,
    LongText,
    Moment,
    RequestBody,
    Text,
)
from circleback.jobs import queries, services
from circleback.jobs.models import FollowUp, Interview, Involvement, Opening
from circleback.ops import clock
from circleback.people.queries import get_person_for

router = Router()

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
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


class JobOpeningIn(RequestBody):
    title: Text(200, 1)  # type: ignore[valid-type]
    organization: Text(200, 1) = Field(description="Its name; added if new.")  # type: ignore[valid-type]
    url: Text(500) = ""  # type: ignore[valid-type]
    via: Route = "board"
    through: UUID | None = Field(None, description="The referrer, recruiter or contact.")
    found_on: Day | None = None
    deadline: Day | None = None
    notes: LongText = ""


class StageAdvanceIn(RequestBody):
    to: Stage
    on: Day | None = Field(None, description="When; today if not given.")
    note: LongText = ""


@router.get("/openings", response=page_of(JobOpeningOut), tags=["jobs"], summary="Openings")
def list_openings(
    request: HttpRequest,
    stage: Stage | None = Query(None, description="Only applications at this stage."),
    limit: int = Limit,
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
def advance_opening(
    request: HttpRequest,
    opening_uuid: UUID,
    payload: StageAdvanceIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: queries.get_opening_for(owner, opening_uuid),
        show=_out,
        change=lambda opening: services.application_advance(
            application=opening.application, to=payload.to, on=payload.on, note=payload.note
        ),
        response=response,
    )


class JobOpeningPatch(RequestBody):
    title: Text(200, 1) | None = None  # type: ignore[valid-type]
    url: Text(500) | None = Field(None, description='"" clears it.')  # type: ignore[valid-type]
    via: Route | None = None
    through: UUID | None = Field(
        None, description="The referrer, recruiter or contact; null for no one."
    )
    deadline: Day | None = Field(None, description="null clears it.")
    notes: LongText | None = None


@router.patch(
    "/openings/{uuid:opening_uuid}",
    response=JobOpeningOut,
    tags=["jobs"],
    summary="Change an opening's details (send If-Match with the ETag you read)",
)
def update_opening(
    request: HttpRequest,
    opening_uuid: UUID,
    payload: JobOpeningPatch,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    owner = owner_of(request)
    data = payload.dict(exclude_unset=True)

    def change(opening: Opening) -> Opening:
        changes: dict[str, Any] = {}
        for name, field in (("title", "title"), ("url", "url"), ("notes", "notes")):
            if data.get(name) is not None:
                changes[field] = data[name]
        if "deadline" in data:
            changes["deadline"] = data["deadline"]
        if data.get("via") is not None:
            changes["source"] = data["via"]
        if "through" in data:
            changes["source_person"] = (
                referenced(get_person_for, owner, data["through"], "through")
                if data["through"]
                else None
            )
        return services.opening_update(opening=opening, **changes)

    return change_guarded(
        request,
        fetch=lambda: queries.get_opening_for(owner, opening_uuid),
        show=lambda o: _out(queries.get_opening_for(owner, o.uuid)),
        change=change,
        response=response,
    )


PersonRole = Literal["referrer", "recruiter", "hiring_manager", "contact"]


class JobPersonOut(Schema):
    uuid: UUID = Field(description="This part's id (to take them off).")
    person: PersonRef
    role: str
    interview: UUID | None = Field(None, description="An interviewer's interview.")


class JobPersonIn(RequestBody):
    person: UUID
    role: PersonRole


def _person_out(i: Involvement) -> dict[str, Any]:
    return {
        "uuid": i.uuid,
        "person": {"uuid": i.person.uuid, "full_name": i.person.full_name},
        "role": i.role,
        "interview": i.interview.uuid if i.interview else None,
    }


@router.get(
    "/openings/{uuid:opening_uuid}/people",
    response=page_of(JobPersonOut),
    tags=["jobs"],
    summary="The people involved: referrer, recruiter, hiring manager, interviewers (by part)",
)
def list_opening_people(
    request: HttpRequest,
    opening_uuid: UUID,
    role: PersonRole | None = Query(None, description="Only the people with this part."),
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    owner = owner_of(request)
    opening = queries.get_opening_for(owner, opening_uuid)
    rows = Involvement.objects.filter(owner=owner, application__opening=opening)
    if role:
        rows = rows.filter(role=role)
    return paginate(
        request,
        rows.select_related("person", "interview"),
        order=[("role", False), ("pk", False)],
        limit=limit,
        cursor=cursor,
        serialize=lambda found: [_person_out(i) for i in found],
    )


@router.post(
    "/openings/{uuid:opening_uuid}/people",
    response={201: JobPersonOut},
    tags=["jobs"],
    summary="Link someone to the application (a referrer makes it a referred one)",
)
@decorate_view(idempotent)
def add_opening_person(
    request: HttpRequest,
    opening_uuid: UUID,
    payload: JobPersonIn,
    if_match: str | None = IfMatch,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    queries.get_opening_for(owner, opening_uuid)  # someone else's opening: 404 before the body
    person = referenced(get_person_for, owner, payload.person, "person")
    # A referrer changes where the opening came from: under If-Match like any change to it.
    involvement = change_guarded(
        request,
        fetch=lambda: queries.get_opening_for(owner, opening_uuid),
        show=_out,
        change=lambda opening: services.application_person_add(
            application=opening.application, person=person, role=payload.role
        ),
        answer=lambda found: found,
    )
    return Status(201, _person_out(involvement))


@router.get(
    "/openings/{uuid:opening_uuid}/people/{uuid:job_person_uuid}",
    response=JobPersonOut,
    tags=["jobs"],
    summary="Someone's part in the application, with its ETag",
)
def get_opening_person(
    request: HttpRequest, opening_uuid: UUID, job_person_uuid: UUID, response: HttpResponse
) -> Any:
    owner = owner_of(request)
    opening = queries.get_opening_for(owner, opening_uuid)
    return with_etag(
        response, _person_out(queries.get_involvement_for(owner, opening, job_person_uuid))
    )


@router.delete(
    "/openings/{uuid:opening_uuid}/people/{uuid:job_person_uuid}",
    response=Deleted,
    tags=["jobs"],
    summary="Take someone off the application (not the person it came through: PATCH that)",
)
def remove_opening_person(
    request: HttpRequest,
    opening_uuid: UUID,
    job_person_uuid: UUID,
    if_match: str | None = IfMatch,
) -> Any:
    """If-Match takes the ETag of this part (its own GET), as every delete does."""
    owner = owner_of(request)
    opening = queries.get_opening_for(owner, opening_uuid)
    return change_guarded(
        request,
        fetch=lambda: queries.get_involvement_for(owner, opening, job_person_uuid),
        show=_person_out,
        change=lambda involvement: services.application_person_remove(involvement=involvement),
    )


InterviewKind = Literal["phone", "video", "onsite", "other"]


class JobInterviewOut(Schema):
    uuid: UUID
    opening: UUID
    scheduled_for: dt.datetime
    duration_minutes: int
    kind: str
    location: str
    status: str
    notes: str
    interviewers: list[PersonRef]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "uuid": "4e2b8c10-7d3f-4a96-b5e1-0c9d8f7a6b54",
                    "opening": "7c1a9e3d-5b2f-4d80-9e6a-1f0b2c3d4e5f",
                    "scheduled_for": "2026-11-24T09:00:00Z",
                    "duration_minutes": 45,
                    "kind": "video",
                    "location": "",
                    "status": "scheduled",
                    "notes": "",
                    "interviewers": [
                        {"uuid": "2d4f6a8c-0e1b-4c3d-9f5a-7b8c9d0e1f2a", "full_name": "Dana Hale"}
                    ],
                }
            ]
        }
    }


class JobInterviewIn(RequestBody):
    scheduled_for: Moment
    duration_minutes: int = Field(45, ge=5, le=480)
    kind: InterviewKind = "video"
    location: Text(200) = ""  # type: ignore[valid-type]
    interviewers: list[UUID] = Field([], max_length=50, description="People of your network.")
    notes: LongText = ""


def _interview_out(i: Interview) -> dict[str, Any]:
    return {
        "uuid": i.uuid,
        "opening": i.application.opening.uuid,
        "scheduled_for": i.scheduled_for,
        "duration_minutes": i.duration_minutes,
        "kind": i.kind,
        "location": i.location,
        "status": i.status,
        "notes": i.notes,
        "interviewers": [
            {"uuid": p.person.uuid, "full_name": p.person.full_name} for p in i.people.all()
        ],
    }


# What `circleback job interviews` shows by default: the ones still to come (from two hours
# ago, so one under way is still there), not cancelled or done.
COMING_FROM = dt.timedelta(hours=2)
When = Literal["coming", "all"]


def _interviews_page(
    request: HttpRequest,
    *,
    opening: Opening | None,
    when: str,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    owner = owner_of(request)
    coming = when == "coming"
    rows = queries.interviews_list(
        owner=owner, opening=opening, since=clock.now() - COMING_FROM if coming else None
    )
    if coming:
        rows = rows.filter(status=Interview.Status.SCHEDULED)
    return paginate(
        request,
        rows,
        order=[("scheduled_for", False), ("pk", False)],
        limit=limit,
        cursor=cursor,
        serialize=lambda found: [_interview_out(i) for i in found],
    )


@router.get(
    "/job-interviews",
    response=page_of(JobInterviewOut),
    tags=["jobs"],
    summary="Your interviews, soonest first: the coming ones, or every one (as the CLI's)",
)
def list_all_interviews(
    request: HttpRequest,
    when: When = Query(
        "coming", description="coming: still to come and not cancelled (default); all: every one."
    ),
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    return _interviews_page(request, opening=None, when=when, limit=limit, cursor=cursor)


@router.get(
    "/openings/{uuid:opening_uuid}/interviews",
    response=page_of(JobInterviewOut),
    tags=["jobs"],
    summary="An opening's interviews, soonest first",
)
def list_interviews(
    request: HttpRequest,
    opening_uuid: UUID,
    when: When = Query(
        "all", description="all: every one (default); coming: still to come, not cancelled."
    ),
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    opening = queries.get_opening_for(owner_of(request), opening_uuid)
    return _interviews_page(request, opening=opening, when=when, limit=limit, cursor=cursor)


@router.post(
    "/openings/{uuid:opening_uuid}/interviews",
    response={201: JobInterviewOut},
    tags=["jobs"],
    summary="Schedule an interview (the application moves to interviewing; thank-yous fall due)",
)
@decorate_view(idempotent)
def schedule_interview(
    request: HttpRequest,
    opening_uuid: UUID,
    payload: JobInterviewIn,
    if_match: str | None = IfMatch,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    queries.get_opening_for(owner, opening_uuid)  # someone else's opening: 404 before the body
    people = [referenced(get_person_for, owner, u, "interviewers") for u in payload.interviewers]
    # An interview moves the application to interviewing: under If-Match like any change.
    interview = change_guarded(
        request,
        fetch=lambda: queries.get_opening_for(owner, opening_uuid),
        show=_out,
        change=lambda opening: services.interview_schedule(
            application=opening.application,
            scheduled_for=payload.scheduled_for,
            duration_minutes=payload.duration_minutes,
            kind=payload.kind,
            location=payload.location,
            interviewers=people,
            notes=payload.notes,
        ),
        answer=lambda found: found,
    )
    return Status(201, _interview_out(queries.get_interview_for(owner, interview.uuid)))


def _interview(owner: Any, interview_uuid: UUID) -> Interview:
    """One of the owner's interviews with its opening and interviewers (else 404)."""
    found = queries.interviews_list(owner=owner).filter(uuid=interview_uuid).first()
    return found or queries.get_interview_for(owner, interview_uuid)  # the 404, in its words


@router.get(
    "/job-interviews/{uuid:job_interview_uuid}",
    response=JobInterviewOut,
    tags=["jobs"],
    summary="An interview (its ETag is what cancelling it checks If-Match against)",
)
def get_interview(request: HttpRequest, job_interview_uuid: UUID, response: HttpResponse) -> Any:
    return with_etag(response, _interview_out(_interview(owner_of(request), job_interview_uuid)))


@router.post(
    "/job-interviews/{uuid:job_interview_uuid}/cancel",
    response=JobInterviewOut,
    tags=["jobs"],
    summary="Cancel an interview (its thank-yous go with it)",
)
def cancel_interview(
    request: HttpRequest,
    job_interview_uuid: UUID,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """Send `If-Match` with the ETag `GET /job-interviews/{id}` gave: 412 if it changed since
    (moved, or cancelled by someone else). Answers with the interview as it is now."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: _interview(owner, job_interview_uuid),
        show=_interview_out,
        change=lambda interview: services.interview_cancel(interview=interview),
        response=response,
    )


class JobFollowUpOut(Schema):
    uuid: UUID
    kind: str
    what: str
    due_on: dt.date
    done_on: dt.date | None
    person: PersonRef | None
    opening: UUID

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "uuid": "8b0d2f4a-6c1e-4e3a-a5b7-9d1f3a5c7e90",
                    "kind": "thank_you",
                    "what": "Thank Dana Hale for the interview",
                    "due_on": "2026-11-25",
                    "done_on": None,
                    "person": {
                        "uuid": "2d4f6a8c-0e1b-4c3d-9f5a-7b8c9d0e1f2a",
                        "full_name": "Dana Hale",
                    },
                    "opening": "7c1a9e3d-5b2f-4d80-9e6a-1f0b2c3d4e5f",
                }
            ]
        }
    }


class JobFollowUpDoneIn(RequestBody):
    note: LongText = ""


class JobFollowUpDoneOut(Schema):
    done: JobFollowUpOut
    next: JobFollowUpOut | None = Field(
        None, description="One more chase, when an application is still unanswered."
    )


def _follow_up_out(f: FollowUp) -> dict[str, Any]:
    return {
        "uuid": f.uuid,
        "kind": f.kind,
        "what": queries.follow_up_title(f),
        "due_on": f.due_on,
        "done_on": f.done_on,
        "person": {"uuid": f.person.uuid, "full_name": f.person.full_name} if f.person else None,
        "opening": f.application.opening.uuid,
    }


@router.get(
    "/job-follow-ups",
    response=page_of(JobFollowUpOut),
    tags=["jobs"],
    summary="Follow-ups still to do: chase an application, thank an interviewer",
)
def list_follow_ups(
    request: HttpRequest,
    due: Literal["today", "all"] = Query(
        "today", description="today: due today or before; all: every open one."
    ),
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    from circleback.accounts.queries import user_today

    owner = owner_of(request)
    rows = queries.follow_ups_open(
        owner=owner, due_by=user_today(owner) if due == "today" else None
    )
    return paginate(
        request,
        rows,
        order=[("due_on", False), ("pk", False)],
        limit=limit,
        cursor=cursor,
        serialize=lambda found: [_follow_up_out(f) for f in found],
    )


@router.get(
    "/job-follow-ups/{uuid:job_follow_up_uuid}",
    response=JobFollowUpOut,
    tags=["jobs"],
    summary="A follow-up, done or not (its ETag is what marking it done checks If-Match against)",
)
def get_follow_up(request: HttpRequest, job_follow_up_uuid: UUID, response: HttpResponse) -> Any:
    follow_up = queries.get_follow_up_for(owner_of(request), job_follow_up_uuid)
    return with_etag(response, _follow_up_out(follow_up))


@router.post(
    "/job-follow-ups/{uuid:job_follow_up_uuid}/done",
    response=JobFollowUpDoneOut,
    tags=["jobs"],
    summary="Mark a follow-up done (in the journal)",
)
def follow_up_done(
    request: HttpRequest,
    job_follow_up_uuid: UUID,
    payload: JobFollowUpDoneIn,
    if_match: str | None = IfMatch,
) -> Any:
    """Send `If-Match` with the ETag `GET /job-follow-ups/{id}` gave: 412 if it changed since
    (done already, from another device). Answers with it done, and the next chase if one
    falls due (read that one's ETag from its own GET)."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: queries.get_follow_up_for(owner, job_follow_up_uuid),
        show=_follow_up_out,
        change=lambda follow_up: services.follow_up_done(follow_up=follow_up, note=payload.note),
        answer=lambda nxt: {
            "done": _follow_up_out(queries.get_follow_up_for(owner, job_follow_up_uuid)),
            "next": _follow_up_out(nxt) if nxt else None,
        },
    )


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
