"""Opening a loop step and when a thank-you falls due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError

from circleback.accounts.models import User
from circleback.loops.models import (
    Favour,
    Introduction,
    Lead,
    LoopStep,
    Meeting,
)
from circleback.loops.services.settings import loop_settings_for
from circleback.ops import clock
from circleback.people.models import Organisation, Person


def _open_step(
    *,
    owner: User,
    kind: str,
    person: Person,
    due_at: dt.datetime,
    loop_started_at: dt.datetime | None = None,
    about: Person | None = None,
    meeting: Meeting | None = None,
    lead: Lead | None = None,
    favour: Favour | None = None,
    introduction: Introduction | None = None,
) -> LoopStep:
    step = LoopStep(
        owner=owner,
        kind=kind,
        person=person,
        about=about,
        meeting=meeting,
        lead=lead,
        favour=favour,
        introduction=introduction,
        due_at=due_at,
        loop_started_at=loop_started_at or clock.now(),
    )
    step.save()
    return step


def _thank_you_due(owner: User) -> dt.datetime:
    return clock.now() + dt.timedelta(hours=loop_settings_for(owner).thank_you_hours)


def referral_loop_open(
    *,
    owner: User,
    referrer: Person,
    organisation: Organisation | None,
    note: str,
    due_at: dt.datetime,
) -> LoopStep:
    """An application made through `referrer`'s referral: the loop stays open until they are
    told what came of it (jobs opens it on applying and moves `due_at` when an answer comes)."""
    if referrer.owner_id != owner.pk:
        raise ValidationError({"referrer": "That person is not in your network."})
    step = LoopStep(
        owner=owner,
        kind=LoopStep.Kind.JOB_TELL,
        person=referrer,
        organisation=organisation,
        note=" ".join(note.split())[:300],
        due_at=due_at,
        loop_started_at=clock.now(),
    )
    step.save()
    return step


def referral_loops_open_many(
    *, owner: User, loops: Sequence[tuple[Person, Organisation | None, str, dt.datetime]]
) -> list[LoopStep]:
    """`referral_loop_open` for many applications at once (an import's): (referrer,
    organisation, note, due_at) each, in one insert."""
    now = clock.now()
    steps = []
    for referrer, organisation, note, due_at in loops:
        if referrer.owner_id != owner.pk:
            raise ValidationError({"referrer": "That person is not in your network."})
        steps.append(
            LoopStep(
                owner=owner,
                kind=LoopStep.Kind.JOB_TELL,
                person=referrer,
                organisation=organisation,
                note=" ".join(note.split())[:300],
                due_at=due_at,
                loop_started_at=now,
            )
        )
    return LoopStep.objects.bulk_create(steps)


def referral_loop_due(*, step: LoopStep, due_at: dt.datetime) -> LoopStep:
    """Bring an open referral loop's step forward (or back) to `due_at`; a closed one stays."""
    if step.done_at is None and step.due_at != due_at:
        step.due_at = due_at
        step.save(update_fields=["due_at"])
    return step
