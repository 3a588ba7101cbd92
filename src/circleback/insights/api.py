"""/api/v1 cadences and snoozes, goals, pitch and practice, the agenda and the health check —
through the insights services and queries the Today, Goals, Health and Pitch pages use."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import StrictInt

from circleback.accounts.models import User
from circleback.api.common import owner_of, referenced
from circleback.api.conditional import (
    change_guarded,
    check_if_match,
    etag_of,
    state_guarded,
    with_etag,
)
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
from circleback.insights import services
from circleback.insights.cadence import cadence_defaults
from circleback.insights.models import Pitch, PitchPractice, Snooze
from circleback.insights.queries import agenda as agenda_queries
from circleback.insights.queries import goals as goals_queries
from circleback.insights.queries import health as health_queries
from circleback.insights.queries import keep_in_touch as keep_in_touch_queries
from circleback.insights.queries import pitch as pitch_queries
from circleback.people.api.people import person_out
from circleback.people.queries import get_person_for

router = Router()


class PersonRef(Schema):
    uuid: UUID
    full_name: str


def _ref(p: Any) -> dict[str, Any] | None:
    return {"uuid": p.uuid, "full_name": p.full_name} if p is not None else None


# --- cadences and snoozes -------------------------------------------------------------------


class KeepInTouchOut(Schema):
    person: PersonRef
    cadence_days: int
    cadence_is_default: bool
    due_on: dt.date
    days_overdue: int
    snoozed_until: dt.date | None


def _kit_out(person: Any) -> dict[str, Any]:
    kit = keep_in_touch_queries.keep_in_touch_for(person)
    return {
        "person": _ref(person),
        "cadence_days": kit.cadence,
        "cadence_is_default": kit.cadence_is_default,
        "due_on": kit.due_on,
        "days_overdue": kit.days_overdue,
        "snoozed_until": kit.snoozed_until,
    }


@router.get(
    "/people/{uuid:person_uuid}/keep-in-touch",
    response=KeepInTouchOut,
    tags=["keep in touch"],
    summary="A person's cadence, when they fall due, and any snooze",
)
def keep_in_touch(request: HttpRequest, person_uuid: UUID) -> Any:
    return _kit_out(get_person_for(owner_of(request), person_uuid))


class CadenceIn(RequestBody):
    days: StrictInt | None = Field(..., ge=1, le=3650, description="null: the list's default.")


@router.put(
    "/people/{uuid:person_uuid}/cadence",
    response=KeepInTouchOut,
    tags=["keep in touch"],
    summary="Keep in touch with this person every N days",
)
def set_cadence(
    request: HttpRequest,
    person_uuid: UUID,
    payload: CadenceIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """The cadence is part of the person: `If-Match` names the person's ETag (from GET
    /people/{id}), and the answer carries their new one."""
    owner = owner_of(request)

    def answer(person: Any) -> dict[str, Any]:
        with_etag(response, person_out(owner, person.uuid))
        return _kit_out(person)

    return change_guarded(
        request,
        fetch=lambda: get_person_for(owner, person_uuid),
        show=lambda person: person_out(owner, person.uuid),
        change=lambda person: services.cadence_set(owner=owner, person=person, days=payload.days),
        answer=answer,
    )


class CadenceSnoozeIn(RequestBody):
    until: Day


@router.put(
    "/people/{uuid:person_uuid}/snooze",
    response=KeepInTouchOut,
    tags=["keep in touch"],
    summary="Don't suggest reconnecting before a day (be patient)",
)
def snooze_person(
    request: HttpRequest,
    person_uuid: UUID,
    payload: CadenceSnoozeIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """A snooze is part of the person, as their cadence is: `If-Match` names the person's
    ETag (from GET /people/{id}), and the answer carries their new one."""
    owner = owner_of(request)

    def answer(person: Any) -> dict[str, Any]:
        fresh = get_person_for(owner, person_uuid)
        with_etag(response, person_out(owner, fresh.uuid))
        return _kit_out(fresh)

    return change_guarded(
        request,
        fetch=lambda: get_person_for(owner, person_uuid),
        show=lambda person: person_out(owner, person.uuid),
        change=lambda person: services.person_snooze(
            owner=owner, person=person, until=payload.until
        ),
        answer=answer,
    )


@router.delete(
    "/people/{uuid:person_uuid}/snooze",
    response=Deleted,
    tags=["keep in touch"],
    summary="Lift a snooze",
)
def unsnooze_person(request: HttpRequest, person_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    """`If-Match`, if sent, names the person's ETag (from GET /people/{id})."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: get_person_for(owner, person_uuid),
        show=lambda person: person_out(owner, person.uuid),
        change=lambda person: services.person_unsnooze(owner=owner, person=person),
    )


class SnoozeOut(Schema):
    person: PersonRef
    until: dt.date


@router.get(
    "/snoozes", response=page_of(SnoozeOut), tags=["keep in touch"], summary="Snoozed people"
)
def list_snoozes(
    request: HttpRequest,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> dict[str, Any]:
    snoozes = Snooze.objects.filter(owner=owner_of(request)).select_related("person")
    return paginate(
        request,
        snoozes,
        order=[("until", False), ("pk", False)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [{"person": _ref(s.person), "until": s.until} for s in rows],
    )


class CadenceDefaults(RequestBody):
    inner_circle_days: StrictInt | None = Field(None, ge=1, le=3650)
    list_a_days: StrictInt | None = Field(None, ge=1, le=3650)
    list_b_days: StrictInt | None = Field(None, ge=1, le=3650)
    list_c_days: StrictInt | None = Field(None, ge=1, le=3650)


class CadenceDefaultsOut(Schema):
    inner_circle_days: int
    list_a_days: int
    list_b_days: int
    list_c_days: int


def _defaults_out(owner: Any) -> dict[str, int]:
    d = cadence_defaults(owner)
    return {
        "inner_circle_days": d["inner_circle"],
        "list_a_days": d["A"],
        "list_b_days": d["B"],
        "list_c_days": d["C"],
    }


@router.get(
    "/cadences",
    response=CadenceDefaultsOut,
    tags=["keep in touch"],
    summary="Your default cadences, by list",
)
def get_cadences(request: HttpRequest, response: HttpResponse) -> Any:
    return with_etag(response, _defaults_out(owner_of(request)))


@router.patch(
    "/cadences",
    response=CadenceDefaultsOut,
    tags=["keep in touch"],
    summary="Change default cadences (null: your mode's default)",
)
def update_cadences(
    request: HttpRequest,
    payload: CadenceDefaults,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """Send `If-Match` with the ETag GET /cadences gave, so another client's change is not
    overwritten (412 if they changed since)."""
    owner = owner_of(request)
    return state_guarded(
        request,
        lock=owner,
        show=lambda: _defaults_out(owner),
        change=lambda: services.cadence_defaults_update(
            owner=owner, **payload.dict(exclude_unset=True)
        ),
        response=response,
    )


# --- goals ----------------------------------------------------------------------------------


class GoalOut(Schema):
    metric: str
    label: str
    target: int
    this_month: int
    streak: int
    met: bool


class GoalsOut(Schema):
    goals: list[GoalOut]
    all_met_streak: int


class GoalsIn(RequestBody):
    new_contacts: StrictInt | None = Field(None, ge=0, le=500)
    meetings: StrictInt | None = Field(None, ge=0, le=500)
    favours_given: StrictInt | None = Field(None, ge=0, le=500)


def _goals_out(owner: Any) -> dict[str, Any]:
    goals = goals_queries.goals_for(owner)
    return {
        "goals": [
            {
                "metric": g.metric,
                "label": g.label,
                "target": g.target,
                "this_month": g.this_month,
                "streak": g.streak,
                "met": g.met,
            }
            for g in goals.progress
        ],
        "all_met_streak": goals.all_met_streak,
    }


@router.get("/goals", response=GoalsOut, tags=["goals"], summary="Monthly goals and streaks")
def get_goals(request: HttpRequest, response: HttpResponse) -> Any:
    """The ETag is of the targets (what PATCH changes), not of this month's progress, so
    logging a meeting doesn't make a client's If-Match stale."""
    owner = owner_of(request)
    response["ETag"] = etag_of(_targets(owner))
    return _goals_out(owner)


def _targets(owner: Any) -> dict[str, int]:
    return {g.metric: g.target for g in goals_queries.goals_for(owner).progress}


@router.patch("/goals", response=GoalsOut, tags=["goals"], summary="Set monthly targets")
def update_goals(
    request: HttpRequest, payload: GoalsIn, response: HttpResponse, if_match: str | None = IfMatch
) -> Any:
    """Send `If-Match` with the ETag GET /goals gave (412 if the targets changed since)."""
    owner = owner_of(request)
    with transaction.atomic():
        User.objects.select_for_update(no_key=True).filter(pk=owner.pk).first()
        check_if_match(request, _targets(owner))
        services.goals_update(owner=owner, **payload.dict(exclude_unset=True))
    response["ETag"] = etag_of(_targets(owner))
    return _goals_out(owner)


# --- pitch and practice -----------------------------------------------------------------------


class PitchOut(Schema):
    uuid: UUID
    label: str
    text: str
    word_count: int
    speaking_seconds: StrictInt = Field(description="At about 130 words a minute.")
    created_at: dt.datetime


def _pitch_out(p: Pitch) -> dict[str, Any]:
    return {
        "uuid": p.uuid,
        "label": p.label,
        "text": p.text,
        "word_count": p.word_count,
        "speaking_seconds": round(p.word_count * 60 / 130),
        "created_at": p.created_at,
    }


class PitchIn(RequestBody):
    text: LongText = Field(..., min_length=1)
    label: Text(120) = ""  # type: ignore[valid-type]


@router.get(
    "/pitches",
    response=page_of(PitchOut),
    tags=["pitch"],
    summary="Your pitch's versions, the current one first",
)
def list_pitches(
    request: HttpRequest,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> dict[str, Any]:
    return paginate(
        request,
        Pitch.objects.filter(owner=owner_of(request)),
        order=[("created_at", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_pitch_out(p) for p in rows],
    )


@router.post(
    "/pitches",
    response={201: PitchOut},
    tags=["pitch"],
    summary="Save a new version of your two-minute pitch",
)
@decorate_view(idempotent)
def add_pitch(
    request: HttpRequest,
    payload: PitchIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    pitch = services.pitch_add(owner=owner_of(request), text=payload.text, label=payload.label)
    return Status(201, _pitch_out(pitch))


@router.get(
    "/pitches/{uuid:pitch_uuid}",
    response=PitchOut,
    tags=["pitch"],
    summary="One version of your pitch (as `circleback pitch show`)",
)
def get_pitch(request: HttpRequest, pitch_uuid: UUID, response: HttpResponse) -> Any:
    return with_etag(
        response, _pitch_out(pitch_queries.get_pitch_for(owner_of(request), pitch_uuid))
    )


class PracticeIn(RequestBody):
    person: UUID | None = Field(None, description="Whom you practised on (list A first).")
    practised_on: Day | None = None
    notes: LongText = ""


class PracticeOut(Schema):
    uuid: UUID
    pitch: UUID
    person: PersonRef | None
    practised_on: dt.date
    notes: str
    advice: str = ""


@router.post(
    "/pitches/{uuid:pitch_uuid}/practices",
    response={201: PracticeOut},
    tags=["pitch"],
    summary="Log a rehearsal of a pitch",
)
@decorate_view(idempotent)
def log_practice(
    request: HttpRequest,
    pitch_uuid: UUID,
    payload: PracticeIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    pitch = pitch_queries.get_pitch_for(owner, pitch_uuid)
    person = referenced(get_person_for, owner, payload.person, "person") if payload.person else None
    practice = services.pitch_practice_log(
        owner=owner,
        pitch=pitch,
        person=person,
        practised_on=payload.practised_on,
        notes=payload.notes,
    )
    return Status(
        201,
        {
            "uuid": practice.uuid,
            "pitch": pitch.uuid,
            "person": _ref(person),
            "practised_on": practice.practised_on,
            "notes": practice.notes,
            "advice": services.practice_advice(owner=owner, pitch=pitch, person=person),
        },
    )


@router.get(
    "/practices",
    response=page_of(PracticeOut),
    tags=["pitch"],
    summary="Your pitch practice log, newest first",
)
def list_practices(
    request: HttpRequest,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> dict[str, Any]:
    practices = PitchPractice.objects.filter(owner=owner_of(request)).select_related(
        "pitch", "person"
    )
    return paginate(
        request,
        practices,
        order=[("practised_on", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [
            {
                "uuid": p.uuid,
                "pitch": p.pitch.uuid,
                "person": _ref(p.person),
                "practised_on": p.practised_on,
                "notes": p.notes,
            }
            for p in rows
        ],
    )


# --- agenda and health --------------------------------------------------------------------------


class AgendaItem(Schema):
    title: str
    detail: str
    due: dt.datetime | None
    person: UUID | None


class ReconnectDue(Schema):
    person: PersonRef
    reason: str
    days_since: int
    cadence_days: int
    weak_tie: bool


class GiveOut(Schema):
    kind: str
    title: str
    reason: str
    people: list[PersonRef]
    url: str


class AgendaOut(Schema):
    today: dt.date
    loops_overdue: list[AgendaItem]
    thank_yous: list[AgendaItem]
    meetings: list[AgendaItem]
    reconnects: list[ReconnectDue]
    gives: list[GiveOut]


def _items(items: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "title": i.title,
            "detail": i.detail,
            "due": i.due,
            "person": UUID(i.person_uuid) if i.person_uuid else None,
        }
        for i in items
    ]


@router.get("/agenda", response=AgendaOut, tags=["agenda"], summary="Today's agenda")
def agenda(request: HttpRequest) -> Any:
    """Loops overdue, thank-yous, today's meetings, reconnects (weak ties get their turn)
    and a suggested give — the Today page."""
    a = agenda_queries.agenda_for(owner_of(request))
    return {
        "today": a.today,
        "loops_overdue": _items(a.loops_overdue),
        "thank_yous": _items(a.thank_yous),
        "meetings": _items(a.meetings),
        "reconnects": [
            {
                "person": _ref(r.person),
                "reason": r.reason,
                "days_since": r.days_since,
                "cadence_days": r.cadence,
                "weak_tie": r.weak,
            }
            for r in a.reconnects
        ],
        "gives": [
            {
                "kind": g.kind,
                "title": g.title,
                "reason": g.reason,
                "people": [_ref(p) for p in g.people],
                "url": g.url,
            }
            for g in a.gives
        ],
    }


class AgendaGiveIn(RequestBody):
    people: list[UUID] = Field(
        ...,
        min_length=1,
        max_length=10,
        description="Whom the give was for: a suggestion's `people` from GET /agenda.",
    )
    summary: Text(300) = Field(  # type: ignore[valid-type]
        "", description='What you gave; a suggestion\'s `title`. Empty: "A give".'
    )


class AgendaGiveOut(Schema):
    journal_entry: UUID = Field(description="The entry it was logged as (GET /journal/{id}).")
    summary: str


@router.post(
    "/agenda/gives",
    response={201: AgendaGiveOut},
    tags=["agenda"],
    summary="Log a give as done (an introduction made, something passed on)",
)
@decorate_view(idempotent)
def log_give(
    request: HttpRequest,
    payload: AgendaGiveIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    """The Today page's "Done" on a suggested give: send the suggestion's `people` and
    `title`. It is logged in the journal as something you gave each of them, which counts
    as contact (their keep-in-touch clocks restart)."""
    owner = owner_of(request)
    people = [
        referenced(get_person_for, owner, value, f"people.{i}")
        for i, value in enumerate(payload.people)
    ]
    entry = services.give_log(owner=owner, people=people, summary=payload.summary)
    response["Location"] = f"/api/v1/journal/{entry.uuid}"
    return Status(201, {"journal_entry": entry.uuid, "summary": entry.summary})


class DriveThroughOut(Schema):
    person: PersonRef


class HealthOut(Schema):
    name_ten: StrictInt = Field(description="People who would help you now (counted up to 20).")
    name_ten_people: list[PersonRef]
    to_reconnect: list[PersonRef]
    targets_defined: bool
    lists: dict[str, int]
    total: int
    favours_given: int | None
    favours_received: int | None
    untouched: int
    untouched_percent: int
    weak_total: int
    weak_activated: int
    targets_without_way_in: list[str]
    drive_through: list[PersonRef] = Field(description="Contacted only when you needed something.")


@router.get("/health", response=HealthOut, tags=["health"], summary="The network health check")
def health(request: HttpRequest) -> Any:
    h = health_queries.health_for(owner_of(request))
    return {
        "name_ten": h.name_ten,
        "name_ten_people": [_ref(p) for p in h.name_ten_people],
        "to_reconnect": [_ref(p) for p in h.to_reconnect],
        "targets_defined": h.targets_defined,
        "lists": h.lists,
        "total": h.total,
        "favours_given": h.favours[0] if h.favours else None,
        "favours_received": h.favours[1] if h.favours else None,
        "untouched": h.untouched,
        "untouched_percent": h.untouched_percent,
        "weak_total": h.weak_total,
        "weak_activated": h.weak_activated,
        "targets_without_way_in": [o.name for o in h.no_way_in],
        "drive_through": [_ref(p) for p, _ in h.drive_through],
    }


class ReconnectIn(RequestBody):
    summary: Text(300) = ""  # type: ignore[valid-type]
    occurred_at: Moment | None = None


class ReconnectOut(Schema):
    journal_entry: UUID


@router.post(
    "/people/{uuid:person_uuid}/reconnect",
    response={201: ReconnectOut},
    tags=["keep in touch"],
    summary="Log a reconnect (resets the clock and lifts any snooze)",
)
@decorate_view(idempotent)
def reconnect(
    request: HttpRequest,
    person_uuid: UUID,
    payload: ReconnectIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    entry = services.reconnect_log(
        owner=owner,
        person=get_person_for(owner, person_uuid),
        summary=payload.summary,
        occurred_at=payload.occurred_at,
    )
    return Status(201, {"journal_entry": entry.uuid})
