"""What the loops area's API modules share: value types, references, loop steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from uuid import UUID

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Schema

from circleback.api.common import referenced
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from circleback.api.schemas import IdempotencyKey as IdempotencyKey
from circleback.api.schemas import IfMatch as IfMatch
from circleback.api.schemas import LongText, RequestBody, Text
from circleback.loops import flow, queries
from circleback.loops.models import (
    Favour,
    LoopStep,
    Purpose,
)
from circleback.people.queries import get_person_for

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
Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _person(owner: Any, value: UUID | None, field: str) -> Any:
    return referenced(get_person_for, owner, value, field) if value else None


def _ref(p: Any) -> dict[str, Any] | None:
    return {"uuid": p.uuid, "full_name": p.full_name} if p is not None else None


class PersonRef(Schema):
    uuid: UUID
    full_name: str


class AdvanceIn(RequestBody):
    to: Text(30) | None = Field(  # type: ignore[valid-type]
        None, description="How the step closed, when there is a choice (e.g. met, declined)."
    )
    note: LongText = ""


if TYPE_CHECKING:
    LeadState = str
    IntroductionState = str
else:  # where a lead or an introduction can be moved to (flow.py's states, but the first)
    LeadState = Literal[tuple(flow.LEAD_STATES[1:])]
    IntroductionState = Literal[tuple(flow.INTRODUCTION_STATES[1:])]


class LeadAdvanceIn(RequestBody):
    to: LeadState = Field(
        ..., description="Where the lead is now; its loop's open step says which come next."
    )
    note: LongText = ""


class IntroductionAdvanceIn(RequestBody):
    to: IntroductionState = Field(
        ..., description="Where the introduction is now; its open step says which come next."
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
    done_at: dt.datetime | None = Field(description="When it was closed; null while open.")
    actions: list[str] = Field(
        description="Values for `to` that close this step (none once it is done)."
    )


def _step_out(step: LoopStep) -> dict[str, Any]:
    item = queries.loop_item(step)
    done = step.done_at is not None
    return {
        "uuid": step.uuid,
        "kind": step.kind,
        "title": item.title,
        "context": item.context,
        "person": _ref(step.person),
        "due_at": step.due_at,
        "overdue": item.overdue and not done,
        "snoozed_until": step.snoozed_until,
        "done_at": step.done_at,
        "actions": [] if done else [a.to for a in item.actions],
    }


class AdvanceOut(Schema):
    next_step: StepOut | None


M = TypeVar("M", bound=Model)


def advance_guarded(
    request: HttpRequest,
    response: HttpResponse,
    *,
    owner: Any,
    fetch: Callable[[], M],
    show: Callable[[M], dict[str, Any]],
    advance: Callable[[M], LoopStep | None],
) -> dict[str, Any]:
    """The one shape of moving a record's loop on (a lead, an introduction): `If-Match` names
    the record's ETag (412 when stale); `advance` gets the record as `fetch` reads it, after
    it is locked; the answer is the step it opened, if any, and carries the record's new
    ETag."""

    def answer(nxt: LoopStep | None) -> dict[str, Any]:
        with_etag(response, show(fetch()))
        return {"next_step": _step_out(_step(owner, nxt.uuid)) if nxt else None}

    return change_guarded(
        request,
        fetch=fetch,
        show=show,
        # The locked row is a bare one; the service is given the record with its relations.
        change=lambda _locked: advance(fetch()),
        answer=answer,
    )


def _step(owner: Any, step_uuid: UUID) -> LoopStep:
    step = queries.get_step_for(owner, step_uuid)
    return LoopStep.objects.select_related(
        "person", "about", "lead__organisation", "introduction", "meeting", "favour", "organisation"
    ).get(pk=step.pk)
