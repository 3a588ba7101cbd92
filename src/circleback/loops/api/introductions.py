"""/api/v1 Introductions you make, and those you ask for."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view

from circleback.api.common import owner_of
from circleback.api.conditional import with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import page_of, paginate
from circleback.api.schemas import LongText, RequestBody, Text
from circleback.loops import queries
from circleback.loops.api._common import (
    AdvanceOut,
    IdempotencyKey,
    IfMatch,
    IntroductionAdvanceIn,
    Limit,
    PersonRef,
    StepOut,
    _person,
    _ref,
    _step,
    _step_out,
    advance_guarded,
)
from circleback.loops.models import (
    Introduction,
)
from circleback.loops.services import (
    introductions,
)

router = Router()


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


class IntroductionIn(RequestBody):
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
    intro = introductions.introduction_make(
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
def get_introduction(request: HttpRequest, intro_uuid: UUID, response: HttpResponse) -> Any:
    return with_etag(response, _intro_out(_intro(owner_of(request), intro_uuid)))


@router.post(
    "/introductions/{uuid:intro_uuid}/advance",
    response=AdvanceOut,
    tags=["introductions"],
    summary="Move an introduction on (asked, introduced, checked back, declined)",
)
def advance_introduction(
    request: HttpRequest,
    intro_uuid: UUID,
    payload: IntroductionAdvanceIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """`If-Match` names the introduction's ETag; the answer carries its new one."""
    owner = owner_of(request)
    return advance_guarded(
        request,
        response,
        owner=owner,
        fetch=lambda: _intro(owner, intro_uuid),
        show=_intro_out,
        advance=lambda intro: introductions.introduction_advance(
            introduction=intro, to=payload.to, note=payload.note
        ),
    )


class IntroRequestIn(RequestBody):
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
    step = introductions.introduction_request(
        owner=owner,
        via=_person(owner, payload.via, "via"),
        target=_person(owner, payload.target, "target"),
        organisation=payload.organization or None,
        note=payload.note,
    )
    return Status(201, _step_out(_step(owner, step.uuid)))
