"""Opening a loop step and when a thank-you falls due."""

from __future__ import annotations

import datetime as dt

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
from circleback.people.models import Person


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
