"""Moving a loop on: advancing, snoozing and closing its steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_log
from circleback.loops import flow
from circleback.loops.models import (
    Favour,
    Lead,
    LoopStep,
    Meeting,
)
from circleback.loops.services.favours import _favour_create
from circleback.loops.services.leads import lead_create
from circleback.loops.services.settings import due_after, loop_settings_for, start_of_day
from circleback.loops.services.steps import _open_step, _thank_you_due
from circleback.ops import clock

K = LoopStep.Kind


def _step_label(step: LoopStep) -> str:
    return str(step.get_kind_display()).lower()


def _interaction_summary(step: LoopStep, transition: flow.Transition) -> str:
    person = step.person.full_name
    about = step.about.full_name if step.about_id and step.about else ""
    summaries: dict[str, str] = {
        K.THANK_YOU: f"Thanked {person}",
        K.LEAD_CONTACT: f"Contacted {person} (referred by {about})",
        K.LEAD_MEET: (
            f"Met {person} (referred by {about})"
            if transition.to == "met"
            else f"{person} declined to meet (referred by {about})"
        ),
        K.LEAD_TELL: f"Told {person} what came of {about}",
        K.LEAD_THANK: f"Thanked {person} for the referral to {about}",
        K.INTRO_ASK_X: f"Asked {person} about an introduction to {about}",
        K.INTRO_ASK_Y: f"Asked {person} about an introduction to {about}",
        K.INTRO_MAKE: f"Introduced {person} and {about}",
        K.INTRO_CHECK_BACK: f"Checked back with {person} about meeting {about}",
        K.NAME_EXPECT_CALL: f"Told {person} to expect a call from {about}",
        K.NAME_CHECK_BACK: f"Checked back with {person} about {about}",
        K.JOB_TELL: f"Told {person} what came of the application"
        + (f" at {step.organisation.name}" if step.organisation_id and step.organisation else ""),
    }
    if step.kind == K.INTRO_REQUEST:
        if transition.opens_lead:
            return f"{person} agreed to introduce you to {about}"
        return f"{person} declined to introduce you to {about}"
    return summaries.get(step.kind, f"{transition.label}: {person}")


def _advance(
    step: LoopStep,
    to: str | None,
    *,
    note: str = "",
    interaction_kind: str | None = None,
    log: bool = True,
    closed_by_meeting: Meeting | None = None,
) -> LoopStep | None:
    """Close `step` with resolution `to`, apply it to its loop, and open the next step.

    `closed_by_meeting` is the meeting that closed it (the step keeps its own note then), so
    deleting that meeting can reopen it: see `_reopen_steps_closed_by`.
    """
    if step.done_at is not None:
        raise ValidationError({"step": "This step is already done."})
    options = flow.transitions(step.kind)
    if to is None:
        if len(options) != 1:
            raise ValidationError({"to": f"Say how it went: {' or '.join(t.to for t in options)}."})
        to = options[0].to
    chosen = next((t for t in options if t.to == to), None)
    if chosen is None:
        expected = " or ".join(f"{t.to} ({t.label.lower()})" for t in options)
        if to in flow.loop_states(step.kind):
            raise ValidationError(
                {
                    "to": f"{to!r} is out of order: the next step is to "
                    f"{_step_label(step)} with {step.person.full_name} — {expected}."
                }
            )
        raise ValidationError({"to": f"{to!r} is not a way to close this step; use {expected}."})
    now = clock.now()
    owner = step.owner
    today = user_today(owner)
    asked_for = step.note
    step.done_at, step.resolution, step.closed_by_meeting = now, to, closed_by_meeting
    if note.strip() and closed_by_meeting is None:
        step.note = note.strip()

    if step.lead_id:
        lead = step.lead
        assert lead is not None
        lead.state = to
        setattr(lead, f"{to}_on", today)
        lead.save()
    if step.introduction_id:
        introduction = step.introduction
        assert introduction is not None
        introduction.state = to
        if to != "declined":
            setattr(introduction, f"{to}_on", today)
        if note.strip() and to in ("declined", "checked_back"):
            introduction.outcome = note.strip()
        introduction.save()
        if to == "introduced":
            for one, other in (
                (introduction.person_x, introduction.person_y),
                (introduction.person_y, introduction.person_x),
            ):
                _favour_create(
                    owner=owner,
                    person=one,
                    direction=Favour.Direction.GIVEN,
                    kind=Favour.Kind.INTRODUCTION,
                    note=f"Introduced to {other.full_name}: {introduction.reason}",
                    occurred_on=today,
                    introduction=introduction,
                )
    if log and chosen.logs:
        people = [step.person]
        if step.kind == K.INTRO_MAKE and step.about is not None:
            people.append(step.about)
        step.interaction = interaction_log(
            owner=owner,
            summary=_interaction_summary(step, chosen),
            people=people,
            kind=interaction_kind or chosen.logs,
            direction=Interaction.Direction.INCOMING
            if chosen.incoming
            else Interaction.Direction.OUTGOING,
            occurred_at=now,
            notes=note,
        )
    step.save(update_fields=["done_at", "resolution", "note", "closed_by_meeting", "interaction"])
    if chosen.thanks and closed_by_meeting is None:
        # A meeting recorded on its own page opens its own thank-you (meeting_log_outcome).
        _open_step(
            owner=owner,
            kind=K.THANK_YOU,
            person=step.person,
            # Whose lead it was, so the thank-you says so as the others do.
            about=step.about,
            due_at=_thank_you_due(owner),
            loop_started_at=now,
        )
    if chosen.opens_lead:
        return _lead_from_step(step, about=asked_for)
    if chosen.next_kind is None:
        return None
    next_person, next_about = step.person, step.about
    if chosen.next_kind in (K.LEAD_TELL, K.LEAD_THANK) and step.lead is not None:
        next_person, next_about = step.lead.referrer, step.lead.referred
    if chosen.next_kind == K.INTRO_ASK_Y and step.introduction is not None:
        next_person, next_about = step.introduction.person_y, step.introduction.person_x
    if chosen.next_kind == K.INTRO_MAKE and step.introduction is not None:
        next_person, next_about = step.introduction.person_x, step.introduction.person_y
    return _open_step(
        owner=owner,
        kind=chosen.next_kind,
        person=next_person,
        about=next_about,
        lead=step.lead,
        introduction=step.introduction,
        meeting=step.meeting,
        favour=step.favour,
        due_at=now + due_after(loop_settings_for(owner), chosen.due_after),
        loop_started_at=step.loop_started_at,
    )


def _lead_from_step(step: LoopStep, *, about: str) -> LoopStep:
    """They agreed to introduce you: the lead (referrer: the step's person; referred: whom it
    is about) and its loop, carrying on the loop the step began so it keeps its place."""
    if step.about is None:
        raise ValidationError({"step": "Say whom they would introduce you to."})
    lead = lead_create(
        owner=step.owner,
        referrer=step.person,
        referred=step.about,
        about=about or "An introduction you asked for",
        organisation=step.organisation,
    )
    step.lead = lead
    step.save(update_fields=["lead"])
    contact = lead.steps.get(done_at__isnull=True)
    contact.loop_started_at = step.loop_started_at
    contact.save(update_fields=["loop_started_at"])
    return contact


def _check_step(owner: User, step: LoopStep) -> None:
    if step.owner_id != owner.pk:
        raise ValidationError({"step": "That step is not yours."})


@transaction.atomic
def loop_advance(
    *, owner: User, step: LoopStep, to: str | None = None, note: str = ""
) -> LoopStep | None:
    """Close an open loop step and open the next one; returns that next step, if any.

    `to` says how it closed when there is a choice (a lead: "met" or "declined"). Asking for a
    step that isn't next (telling the referrer before contacting the lead) is refused with the
    step that is expected.
    """
    _check_step(owner, step)
    if step.kind == K.MEETING_LOG and step.done_at is None:
        raise ValidationError(
            {"step": "Record the meeting's outcome (what you learned, referrals) to close this."}
        )
    return _advance(step, to, note=note)


@transaction.atomic
def loop_snooze(*, owner: User, step: LoopStep, until: dt.date, note: str = "") -> LoopStep:
    """ "Not now — maybe later": the step waits until `until`, then falls due again."""
    _check_step(owner, step)
    if step.done_at is not None:
        raise ValidationError({"step": "This step is already done."})
    if until <= user_today(owner):
        raise ValidationError({"until": "Snooze until a day after today."})
    if until > user_today(owner) + dt.timedelta(days=730):
        raise ValidationError({"until": "Snooze for at most two years."})
    step.snoozed_until = until
    step.due_at = start_of_day(owner, until)
    if note.strip():
        step.note = note.strip()
    step.save(update_fields=["snoozed_until", "due_at", "note"])
    return step


def _open_step_of(queryset: Iterable[LoopStep], what: str) -> LoopStep:
    step = next(iter(queryset), None)
    if step is None:
        raise ValidationError(f"This {what}'s loop is already closed.")
    return step


@transaction.atomic
def lead_advance(*, lead: Lead, to: str, note: str = "") -> LoopStep | None:
    step = _open_step_of(lead.steps.filter(done_at__isnull=True).order_by("pk"), "lead")
    return loop_advance(owner=lead.owner, step=step, to=to, note=note)


THANK_YOU_MEDIA = {
    "email": Interaction.Kind.EMAIL,
    "card": Interaction.Kind.CARD,
    "call": Interaction.Kind.CALL,
    "message": Interaction.Kind.MESSAGE,
    "in person": Interaction.Kind.MEETING,
}


@transaction.atomic
def thank_you_mark_sent(
    *, owner: User, step: LoopStep, how: str = "email", note: str = ""
) -> LoopStep:
    """You thanked them (by email, card, call…); it goes in the journal."""
    _check_step(owner, step)
    if step.kind not in (K.THANK_YOU, K.LEAD_THANK):
        raise ValidationError({"step": "That step isn't a thank-you."})
    if how not in THANK_YOU_MEDIA:
        raise ValidationError({"how": f"Say how you thanked them: {', '.join(THANK_YOU_MEDIA)}."})
    _advance(step, None, note=note, interaction_kind=THANK_YOU_MEDIA[how])
    return step
