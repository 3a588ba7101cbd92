"""What the loops area's API modules share: value types, references, loop steps."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from ninja import Field, Query, Schema

from circleback.api.common import referenced
from circleback.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from circleback.api.schemas import IdempotencyKey as IdempotencyKey
from circleback.api.schemas import IfMatch as IfMatch
from circleback.api.schemas import LongText, Text
from circleback.loops import queries
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
