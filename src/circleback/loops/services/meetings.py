"""Writes for information and referral meetings: schedule, change, cancel, delete, record the
outcome (referrals become leads) and the prep brief.

Every function in the loops area's services is keyword-only and atomic: it does all of its work or
raises a `ValidationError` (keyed by field where a field is at fault) and leaves the database as it
was. Circleback never sends a message to a contact: "sent" always means the user says they sent it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_delete, interaction_log, interaction_update
from circleback.loops.models import (
    Favour,
    Lead,
    LoopStep,
    Meeting,
    Purpose,
)
from circleback.loops.services._checks import _check_owner, _mine
from circleback.loops.services.favours import _favour_create, standing_offer_make
from circleback.loops.services.leads import lead_create
from circleback.loops.services.loops import _advance
from circleback.loops.services.permissions import permission_grant
from circleback.loops.services.steps import _open_step, _thank_you_due
from circleback.ops import clock
from circleback.people.models import ContactList, Person, Source
from circleback.people.queries import Match
from circleback.people.services.people import PeopleToChoose, PersonExists, person_choose
from circleback.text import in_words

K = LoopStep.Kind
MAX_REFERRALS_PER_MEETING = 20


# --- meetings -----------------------------------------------------------------------------


def clean_purposes(purposes: Iterable[str]) -> list[str]:
    """Purposes in their canonical order; anything else (asking for a job!) is refused."""
    valid = [p.value for p in Purpose]
    chosen = []
    for raw in purposes:
        value = str(raw).strip().lower()
        if value not in valid:
            raise ValidationError(
                {
                    "purposes": f"{raw!r} is not a purpose of an information meeting; choose from "
                    f"{', '.join(valid)}. (Asking for a job is never one: ask for advice, "
                    "information and referrals.)"
                }
            )
        chosen.append(value)
    return [p for p in valid if p in chosen]


def meeting_warnings(meeting: Meeting) -> list[str]:
    """What the user asked for against the articles' advice: said, not refused. (That a
    referrer's name rides on the meeting is a reminder in the prep brief, not a warning.)"""
    warnings = []
    if meeting.longer_than_advised:
        warnings.append(
            f"You asked for {meeting.duration_minutes} minutes. The articles advise never "
            "requesting more than 30 minutes for an information meeting — their time is valuable."
        )
    return warnings


@transaction.atomic
def meeting_schedule(
    *,
    owner: User,
    person: Person | None,
    scheduled_for: dt.datetime,
    duration_minutes: int = 30,
    location: str = "",
    purposes: Sequence[str] = (),
    referred_by: Person | None = None,
    prep_notes: str = "",
    held: bool = False,
) -> Meeting:
    """Plan an information-and-referral meeting (or record one already `held`).

    Scheduling a meeting with a lead you were given counts as contacting them, so the lead's
    "contact" step closes itself.
    """
    _mine(owner, "person", person)
    assert person is not None
    _mine(owner, "referred_by", referred_by, required=False)
    if referred_by is not None and referred_by.pk == person.pk:
        raise ValidationError({"referred_by": "Someone can't refer you to themselves."})
    if timezone.is_naive(scheduled_for):
        raise ValidationError({"scheduled_for": "The meeting's time needs a time zone."})
    now = clock.now()
    if not held and scheduled_for < now:
        raise ValidationError(
            {
                "scheduled_for": "That time has already passed; an upcoming meeting must be in the "
                "future. If it already happened, record it as held instead."
            }
        )
    if held and scheduled_for > now:
        raise ValidationError({"scheduled_for": "A meeting you've held can't be in the future."})
    meeting = Meeting(
        owner=owner,
        person=person,
        scheduled_for=scheduled_for,
        duration_minutes=duration_minutes,
        location=" ".join(location.split()),
        purposes=clean_purposes(purposes),
        referred_by=referred_by,
        prep_notes=prep_notes.strip(),
    )
    meeting.full_clean(exclude=["owner", "person", "referred_by", "interaction"])
    meeting.save()
    _open_step(
        owner=owner,
        kind=K.MEETING_LOG,
        person=person,
        meeting=meeting,
        due_at=scheduled_for + dt.timedelta(minutes=meeting.duration_minutes),
    )
    for step in LoopStep.objects.filter(
        owner=owner, person=person, kind=K.LEAD_CONTACT, done_at__isnull=True
    ):
        _advance(
            step,
            "contacted",
            note=f"Meeting arranged for {scheduled_for:%Y-%m-%d}.",
            closed_by_meeting=meeting,
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, note: str = "") -> Meeting:
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(f"This meeting is already {meeting.get_status_display().lower()}.")
    meeting.status = Meeting.Status.CANCELLED
    if note.strip():
        meeting.outcome = note.strip()
    meeting.save(update_fields=["status", "outcome"])
    LoopStep.objects.filter(meeting=meeting, kind=K.MEETING_LOG, done_at__isnull=True).update(
        done_at=clock.now(), resolution="cancelled"
    )
    return meeting


class _Unset:
    """Marks an argument left out, where `None` is a value (clear who referred you)."""


UNSET = _Unset()


@transaction.atomic
def meeting_update(
    *,
    owner: User,
    meeting: Meeting,
    scheduled_for: dt.datetime | None = None,
    duration_minutes: int | None = None,
    location: str | None = None,
    purposes: Sequence[str] | None = None,
    referred_by: Person | _Unset | None = UNSET,
    prep_notes: str | None = None,
    learned: str | None = None,
    outcome: str | None = None,
    next_steps: str | None = None,
) -> Meeting:
    """Change a meeting; what you leave out stays as it is.

    Rescheduling an upcoming meeting moves its "record the outcome" step with it, and it must
    stay in the future; a held meeting can't move into the future, and moving it moves its
    journal entry. A cancelled meeting can't be changed: schedule a new one.
    """
    _check_owner(owner, meeting, "meeting")
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled; schedule a new one instead.")
    held = meeting.status == Meeting.Status.HELD
    now = clock.now()
    if scheduled_for is not None and scheduled_for != meeting.scheduled_for:
        if timezone.is_naive(scheduled_for):
            raise ValidationError({"scheduled_for": "The meeting's time needs a time zone."})
        if held and scheduled_for > now:
            raise ValidationError(
                {"scheduled_for": "A meeting you've held can't move into the future."}
            )
        if not held and scheduled_for < now:
            raise ValidationError(
                {
                    "scheduled_for": "That time has already passed; an upcoming meeting must be "
                    "in the future. If it already happened, record its outcome instead."
                }
            )
        meeting.scheduled_for = scheduled_for
    if not isinstance(referred_by, _Unset):
        _mine(owner, "referred_by", referred_by, required=False)
        if referred_by is not None and referred_by.pk == meeting.person_id:
            raise ValidationError({"referred_by": "Someone can't refer you to themselves."})
        meeting.referred_by = referred_by
    if duration_minutes is not None:
        meeting.duration_minutes = duration_minutes
    if location is not None:
        meeting.location = " ".join(location.split())
    if purposes is not None:
        meeting.purposes = clean_purposes(purposes)
    if prep_notes is not None:
        meeting.prep_notes = prep_notes.strip()
    texts = {"learned": learned, "outcome": outcome, "next_steps": next_steps}
    for name, value in texts.items():
        if value is None:
            continue
        if not held and value.strip():
            raise ValidationError(
                {name: "Record the outcome after the meeting, on its “record the outcome” page."}
            )
        setattr(meeting, name, value.strip())
    meeting.full_clean(exclude=["owner", "person", "referred_by", "interaction"])
    meeting.save()
    LoopStep.objects.filter(meeting=meeting, kind=K.MEETING_LOG, done_at__isnull=True).update(
        due_at=meeting.scheduled_for + dt.timedelta(minutes=meeting.duration_minutes)
    )
    if held and meeting.interaction is not None:  # unless you deleted it from the journal
        _meeting_entry_follow(meeting, held_at=min(meeting.scheduled_for, now))
    return meeting


@transaction.atomic
def meeting_delete(*, owner: User, meeting: Meeting) -> None:
    """Delete a meeting with its loop steps, its journal entry and the favours it recorded.

    The people and leads it produced stay: they are real names with loops of their own. The
    steps of other loops it closed (arranging a meeting with a lead counts as contacting them)
    open again, as if it never happened — unless you have moved that loop on since.
    """
    _check_owner(owner, meeting, "meeting")
    _reopen_steps_closed_by(meeting)
    interaction = meeting.interaction
    Favour.objects.filter(meeting=meeting).delete()
    meeting.delete()  # its loop steps go with it
    if interaction is not None:
        interaction_delete(interaction=interaction)


@dataclass(frozen=True)
class ReferralInput:
    """A name you were given at a meeting. It becomes a person and a lead in one step."""

    full_name: str
    organisation: str = ""
    title: str = ""
    about: str = ""
    contact_list: str = ContactList.C
    email: str = ""
    may_use_name: bool = False
    # Who they are, when someone like them is already in the network: a person's UUID, or
    # "new" to add them anyway (see people.services.person_choose).
    choice: str = ""


@dataclass(frozen=True)
class OfferInput:
    """What you offered in return."""

    kind: str = Favour.Kind.OTHER
    note: str = ""
    standing: bool = False  # "call on me any time" — kept as a standing offer


@dataclass
class MeetingOutcome:
    meeting: Meeting
    interaction: Interaction
    referrals: list[Person] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    thank_you: LoopStep | None = None


def _reopen_steps_closed_by(meeting: Meeting) -> None:
    """Undo what a meeting did to other loops: reopen each loop's step it closed, drop the
    steps that followed and the journal entries closing them wrote, and put the loop's state
    and dates back. A loop you have moved on since (a later step closed some other way) stays."""
    closed = list(meeting.closed_steps.order_by("pk"))
    by_lead: dict[int, list[LoopStep]] = {}
    for step in closed:
        if step.lead_id is not None:
            by_lead.setdefault(step.lead_id, []).append(step)
    entries: set[int] = set()
    for lead_id, steps in by_lead.items():
        first = steps[0]
        later = LoopStep.objects.filter(lead_id=lead_id, pk__gt=first.pk)
        if later.filter(done_at__isnull=False).exclude(closed_by_meeting=meeting).exists():
            continue
        undone = [first, *later.filter(done_at__isnull=False)]
        entries.update(s.interaction_id for s in undone if s.interaction_id is not None)
        lead = first.lead
        assert lead is not None
        for step in undone:
            if step.resolution in Lead.State.values:
                setattr(lead, f"{step.resolution}_on", None)
        before = (
            LoopStep.objects.filter(lead_id=lead_id, pk__lt=first.pk, done_at__isnull=False)
            .order_by("-pk")
            .first()
        )
        lead.state = before.resolution if before is not None else Lead.State.RECEIVED
        lead.save()
        later.delete()
        first.done_at, first.resolution = None, ""
        first.closed_by_meeting = first.interaction = None
        first.save(update_fields=["done_at", "resolution", "closed_by_meeting", "interaction"])
    for entry in Interaction.objects.filter(pk__in=entries):
        interaction_delete(interaction=entry)


def _outcome_notes(meeting: Meeting) -> str:
    """The journal entry's notes, written from the meeting: its purposes, what you learned,
    the outcome and next steps, and the names you were given there (its leads)."""
    parts = []
    if meeting.purposes:
        parts.append("Purposes: " + "; ".join(meeting.purpose_labels()))
    for label, text in (
        ("Learned", meeting.learned),
        ("Outcome", meeting.outcome),
        ("Next steps", meeting.next_steps),
    ):
        if text:
            parts.append(f"{label}: {text}")
    referred = [
        lead.referred
        for lead in meeting.leads.select_related("referred__organisation").order_by("pk")
    ]
    if referred:
        names = ", ".join(
            p.full_name + (f" ({p.organisation.name})" if p.organisation else "") for p in referred
        )
        parts.append(f"Referrals: {names}")
    return "\n\n".join(parts)


def _meeting_entry_follow(meeting: Meeting, *, held_at: dt.datetime) -> None:
    """A held meeting's journal entry follows the meeting: its time and, written from the
    meeting's outcome, its notes. Holding a meeting and editing one both end here."""
    notes = _outcome_notes(meeting)
    if meeting.interaction is None:
        meeting.interaction = interaction_log(
            owner=meeting.owner,
            summary=f"Information meeting with {meeting.person.full_name}",
            people=[meeting.person],
            kind=Interaction.Kind.MEETING,
            direction=Interaction.Direction.OUTGOING,
            occurred_at=held_at,
            notes=notes,
            organisation=meeting.person.organisation,
        )
        meeting.save(update_fields=["interaction"])
    elif (meeting.interaction.occurred_at, meeting.interaction.notes) != (held_at, notes):
        interaction_update(interaction=meeting.interaction, occurred_at=held_at, notes=notes)


OUTCOME_FIELDS = ("learned", "outcome", "next_steps")


@transaction.atomic
def meeting_log_outcome(
    *,
    meeting: Meeting,
    learned: str = "",
    outcome: str = "",
    next_steps: str = "",
    referrals: Sequence[ReferralInput] = (),
    offered: OfferInput | None = None,
) -> MeetingOutcome:
    """Record what came of a meeting, in one go.

    Writes the meeting into the journal; makes each referral a person (introduced by this
    contact) with a lead to pursue, and records "you may use my name" as a permission; logs
    their time as a favour received and what you offered in return as a favour given; and puts
    a thank-you on the loops list, due within the user's thank-you window.
    """
    owner = meeting.owner
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError("This meeting's outcome is already recorded.")
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled; schedule a new one instead.")
    if len(referrals) > MAX_REFERRALS_PER_MEETING:
        raise ValidationError(
            {"referrals": f"Record at most {MAX_REFERRALS_PER_MEETING} referrals at once."}
        )
    seen: set[str] = set()
    for number, referral in enumerate(referrals, start=1):
        name = " ".join(referral.full_name.split())
        if not name:
            raise ValidationError({"referrals": f"Referral {number} needs a name."})
        if referral.contact_list.upper() not in (ContactList.B, ContactList.C):
            raise ValidationError(
                {"referrals": f"Referral {number}: put {name} on list B or list C."}
            )
        if name.lower() in seen:
            raise ValidationError({"referrals": f"{name} is listed twice."})
        seen.add(name.lower())
    if offered is not None and offered.kind not in Favour.Kind.values:
        raise ValidationError({"offered": f"{offered.kind!r} is not a kind of favour."})

    person = meeting.person
    now = clock.now()
    held_at = min(meeting.scheduled_for, now)
    today = user_today(owner)
    meeting.learned, meeting.outcome, meeting.next_steps = (
        learned.strip(),
        outcome.strip(),
        next_steps.strip(),
    )
    # What came of it is checked on its own fields first: the journal entry it becomes joins
    # them, and a refusal there would blame the entry's notes for the outcome's length.
    meeting.clean_fields(
        exclude=[f.name for f in Meeting._meta.fields if f.name not in OUTCOME_FIELDS]
    )
    meeting.status = Meeting.Status.HELD
    meeting.save()

    referred_people: list[Person] = []
    leads: list[Lead] = []
    chosen: list[Person] = []
    to_choose: dict[str, list[Match]] = {}
    asked: list[str] = []
    for number, referral in enumerate(referrals, start=1):
        try:
            chosen.append(
                person_choose(
                    owner=owner,
                    choice=referral.choice,
                    full_name=referral.full_name,
                    organisation=referral.organisation or None,
                    title=referral.title,
                    contact_list=referral.contact_list.upper(),
                    emails=[referral.email] if referral.email.strip() else [],
                    introduced_by=person,
                    how_we_met=(
                        f"Referred by {person.full_name} at our meeting on {held_at:%d %b %Y}."
                    ),
                    source=Source.REFERRAL,
                ).person
            )
        except PersonExists as exc:
            to_choose[f"referrals.{number - 1}"] = exc.matches
            asked.append(f"Referral {number}: " + " ".join(exc.messages))
        except ValidationError as exc:
            raise ValidationError(
                {
                    "referrals": f"Referral {number} ({referral.full_name}): "
                    + " ".join(exc.messages)
                }
            ) from None
    if to_choose:  # nothing is kept: the whole outcome is written once they are chosen
        raise PeopleToChoose({"referrals": asked}, to_choose)
    for referral, referred in zip(referrals, chosen, strict=True):
        if referred.pk == person.pk:
            raise ValidationError(
                {"referrals": f"{person.full_name} can't refer you to themselves."}
            )
        referred_people.append(referred)
        if referral.may_use_name:
            permission_grant(
                owner=owner,
                person=person,
                organisation=referred.organisation,
                note=f"For contacting {referred.full_name}.",
            )
        leads.append(
            lead_create(
                owner=owner,
                referrer=person,
                referred=referred,
                about=referral.about,
                organisation=referred.organisation,
                meeting=meeting,
            )
        )
    _meeting_entry_follow(meeting, held_at=held_at)
    assert meeting.interaction is not None
    result = MeetingOutcome(
        meeting=meeting, interaction=meeting.interaction, referrals=referred_people, leads=leads
    )
    _favour_create(
        owner=owner,
        person=person,
        direction=Favour.Direction.RECEIVED,
        kind=Favour.Kind.REFERRAL if referrals else Favour.Kind.ADVICE,
        note=(
            f"Met for {meeting.duration_minutes} minutes"
            + (
                f" and referred you to {in_words([p.full_name for p in referred_people])}"
                if referrals
                else ""
            )
            + "."
        ),
        occurred_on=today,
        meeting=meeting,
    )
    if offered is not None:
        _favour_create(
            owner=owner,
            person=person,
            direction=Favour.Direction.GIVEN,
            kind=offered.kind,
            note=offered.note.strip(),
            occurred_on=today,
            meeting=meeting,
        )
        if offered.standing:
            standing_offer_make(owner=owner, person=person, offer=offered.note or "Any help")
    # The loop this meeting opened is closed; any lead it was part of moves on by itself.
    for step in LoopStep.objects.filter(meeting=meeting, kind=K.MEETING_LOG, done_at__isnull=True):
        step.owner = owner  # the meeting's, known: not read again
        _advance(step, "held")
    for kind, to in ((K.LEAD_CONTACT, "contacted"), (K.LEAD_MEET, "met")):
        for step in LoopStep.objects.filter(
            owner=owner, person=person, kind=kind, done_at__isnull=True
        ):
            _advance(
                step,
                to,
                note="Met at an information meeting.",
                log=kind != K.LEAD_MEET,  # the meeting is its own journal entry
                closed_by_meeting=meeting,
            )
    result.thank_you = _open_step(
        owner=owner,
        kind=K.THANK_YOU,
        person=person,
        meeting=meeting,
        due_at=_thank_you_due(owner),
    )
    return result
