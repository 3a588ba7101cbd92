"""Writes for introductions you make, the ones you ask for, and names you give."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.loops.models import (
    Favour,
    Introduction,
    LoopStep,
)
from circleback.loops.services._checks import _mine, _org
from circleback.loops.services.favours import _favour_create
from circleback.loops.services.loops import _open_step_of, loop_advance
from circleback.loops.services.settings import INTRO_ASK_DAYS, due_after, loop_settings_for
from circleback.loops.services.steps import _open_step
from circleback.ops import clock
from circleback.people.models import Organisation, Person

K = LoopStep.Kind
NAME_EXPECT_CALL_DAYS = 1


@transaction.atomic
def name_give(*, owner: User, helped: Person | None, name: Person | None, note: str = "") -> Favour:
    """You gave `helped` the name of `name` to call: tell `name` to expect the call, and check
    back later with `helped`."""
    _mine(owner, "helped", helped)
    _mine(owner, "name", name)
    assert helped is not None and name is not None
    if helped.pk == name.pk:
        raise ValidationError({"name": "Give them someone else's name, not their own."})
    favour = _favour_create(
        owner=owner,
        person=helped,
        direction=Favour.Direction.GIVEN,
        kind=Favour.Kind.REFERRAL,
        note=note.strip() or f"Gave them {name.full_name}'s name.",
        occurred_on=user_today(owner),
        name_given=name,
    )
    now = clock.now()
    _open_step(
        owner=owner,
        kind=K.NAME_EXPECT_CALL,
        person=name,
        about=helped,
        favour=favour,
        due_at=now + dt.timedelta(days=NAME_EXPECT_CALL_DAYS),
        loop_started_at=now,
    )
    _open_step(
        owner=owner,
        kind=K.NAME_CHECK_BACK,
        person=helped,
        about=name,
        favour=favour,
        due_at=now + dt.timedelta(days=loop_settings_for(owner).check_back_days),
        loop_started_at=now,
    )
    return favour


# --- introductions --------------------------------------------------------------------------


@transaction.atomic
def introduction_make(
    *, owner: User, person_x: Person | None, person_y: Person | None, reason: str
) -> Introduction:
    """Plan an introduction between two people, asking each first (double opt-in)."""
    _mine(owner, "person_x", person_x)
    _mine(owner, "person_y", person_y)
    assert person_x is not None and person_y is not None
    if person_x.pk == person_y.pk:
        raise ValidationError(
            {
                "person_y": f"Choose two different people: {person_x} can't be introduced to "
                "themselves."
            }
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why they should meet — you'll tell them both."})
    pair = {person_x.pk, person_y.pk}
    for existing in Introduction.objects.filter(
        owner=owner,
        person_x_id__in=pair,
        person_y_id__in=pair,
        state__in=["proposed", "asked_x", "asked_y", "introduced"],
    ):
        raise ValidationError(
            {"person_y": f"You're already introducing {existing.person_x} and {existing.person_y}."}
        )
    introduction = Introduction(owner=owner, person_x=person_x, person_y=person_y, reason=reason)
    introduction.full_clean(exclude=["owner", "person_x", "person_y"])
    introduction.save()
    _open_step(
        owner=owner,
        kind=K.INTRO_ASK_X,
        person=person_x,
        about=person_y,
        introduction=introduction,
        due_at=clock.now() + dt.timedelta(days=INTRO_ASK_DAYS),
    )
    return introduction


@transaction.atomic
def introduction_advance(
    *, introduction: Introduction, to: str | None = None, note: str = ""
) -> LoopStep | None:
    step = _open_step_of(
        introduction.steps.filter(done_at__isnull=True).order_by("pk"), "introduction"
    )
    return loop_advance(owner=introduction.owner, step=step, to=to, note=note)


# --- introductions you ask for --------------------------------------------------------------

INTRO_REQUEST_NOTE_MAX = 300


@transaction.atomic
def introduction_request(
    *,
    owner: User,
    via: Person | None,
    target: Person | None,
    organisation: Organisation | str | None = None,
    note: str = "",
) -> LoopStep:
    """You asked `via` to introduce you to `target`: a loop step to follow up on the ask.

    It falls due after the owner's `lead_contact_days`. "They'll introduce you" opens a lead
    (referrer `via`, referred `target`) whose loop runs on — contact, meet, tell the referrer,
    thank them; "They declined" closes it; "Not now" snoozes it. Nothing goes in the journal
    until one of those happens. `organisation` defaults to the target's.
    """
    _mine(owner, "via", via)
    _mine(owner, "target", target)
    assert via is not None and target is not None
    if via.pk == target.pk:
        raise ValidationError(
            {"target": f"{via} can't introduce you to themselves: choose someone they know."}
        )
    note = " ".join(note.split())
    if len(note) > INTRO_REQUEST_NOTE_MAX:
        raise ValidationError(
            {"note": f"Keep the note to {INTRO_REQUEST_NOTE_MAX} characters or fewer."}
        )
    already = ValidationError(
        {
            "target": f"You already asked {via} to introduce you to {target}; that loop is "
            "open — follow it up on the loops page."
        }
    )
    if LoopStep.objects.filter(
        owner=owner, kind=K.INTRO_REQUEST, person=via, about=target, done_at__isnull=True
    ).exists():
        raise already
    step = LoopStep(
        owner=owner,
        kind=K.INTRO_REQUEST,
        person=via,
        about=target,
        organisation=_org(owner, organisation) or target.organisation,
        note=note,
        due_at=clock.now() + due_after(loop_settings_for(owner), "lead_contact_days"),
        loop_started_at=clock.now(),
    )
    try:
        with transaction.atomic():
            step.save()
    except IntegrityError:  # the same request, sent twice at once
        raise already from None
    return step
