"""Writes for meetings, loops, favours, introductions, shares and name permissions.

Every function is keyword-only and atomic: it does all of its work or raises a
`ValidationError` (keyed by field where a field is at fault) and leaves the database as it was.
Circleback never sends a message to a contact: "sent" always means the user says they sent it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from circleback.accounts.models import User
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_delete, interaction_log, interaction_update
from circleback.loops import flow
from circleback.loops.models import (
    Favour,
    Introduction,
    Lead,
    LoopSettings,
    LoopStep,
    Meeting,
    NamePermission,
    Purpose,
    Share,
    StandingOffer,
)
from circleback.loops.prep import PrepBrief
from circleback.loops.prep import meeting_prep as _meeting_prep
from circleback.people.models import ContactList, Organisation, Person, Source
from circleback.people.queries import Match
from circleback.people.services import (
    PeopleToChoose,
    PersonExists,
    organisation_get_or_create,
    person_choose,
)
from circleback.text import in_words

MAX_SHARE_RECIPIENTS = 50
MAX_REFERRALS_PER_MEETING = 20
NAME_EXPECT_CALL_DAYS = 1
INTRO_ASK_DAYS = 2

# The settings a user can change on /loops/settings/ and with `circleback loop settings`.
SETTING_FIELDS = (
    "thank_you_hours",
    "lead_contact_days",
    "lead_meet_days",
    "lead_tell_days",
    "check_back_days",
)

K = LoopStep.Kind


# --- helpers ------------------------------------------------------------------------------


def loop_settings_for(owner: User) -> LoopSettings:
    """The owner's loop settings (defaults until they change one)."""
    found = LoopSettings.objects.filter(user=owner).first()
    return found or LoopSettings(user=owner)


@transaction.atomic
def loop_settings_update(
    *,
    owner: User,
    thank_you_hours: int | None = None,
    lead_contact_days: int | None = None,
    lead_meet_days: int | None = None,
    lead_tell_days: int | None = None,
    check_back_days: int | None = None,
) -> LoopSettings:
    """Change when loop steps fall due: thank_you_hours (1 to 168), lead_contact_days,
    lead_meet_days, lead_tell_days and check_back_days (1 to 90 each). `None` leaves one as
    it is. Steps already open keep their due dates; new steps use the new settings.
    """
    changes = {
        "thank_you_hours": thank_you_hours,
        "lead_contact_days": lead_contact_days,
        "lead_meet_days": lead_meet_days,
        "lead_tell_days": lead_tell_days,
        "check_back_days": check_back_days,
    }
    settings = loop_settings_for(owner)
    for name, value in changes.items():
        if value is not None:
            setattr(settings, name, value)
    settings.full_clean(exclude=["user"])
    settings.save()
    return settings


def due_after(settings: LoopSettings, name: str) -> dt.timedelta:
    """How long after now a step falls due, for a `flow.Transition.due_after` name."""
    if not name:
        return dt.timedelta(0)
    if name == "thank_you_hours":
        return dt.timedelta(hours=settings.thank_you_hours)
    if name == "intro_ask_days":
        return dt.timedelta(days=INTRO_ASK_DAYS)
    return dt.timedelta(days=int(getattr(settings, name)))


def _today(owner: User) -> dt.date:
    return timezone.localdate(timezone.now(), _zone(owner))


def owner_zone(owner: User) -> dt.tzinfo:
    """The owner's time zone (UTC when theirs is unknown)."""
    return _zone(owner)


def _zone(owner: User) -> dt.tzinfo:
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(owner.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def start_of_day(owner: User, day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the owner's time zone (stored in UTC)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=_zone(owner))


def _mine(owner: User, field_name: str, person: Person | None, *, required: bool = True) -> None:
    if person is None:
        if required:
            raise ValidationError({field_name: "Say who: choose a person from your network."})
        return
    if person.owner_id != owner.pk:
        raise ValidationError({field_name: "That person is not in your network."})


def _org(owner: User, organisation: Organisation | str | None) -> Organisation | None:
    if organisation is None or organisation == "":
        return None
    if isinstance(organisation, Organisation):
        if organisation.owner_id != owner.pk:
            raise ValidationError({"organisation": "That organisation is not yours."})
        return organisation
    return organisation_get_or_create(owner=owner, name=organisation)


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
        loop_started_at=loop_started_at or timezone.now(),
    )
    step.save()
    return step


def _thank_you_due(owner: User) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=loop_settings_for(owner).thank_you_hours)


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
    now = timezone.now()
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
        done_at=timezone.now(), resolution="cancelled"
    )
    return meeting


class _Unset:
    """Marks an argument left out, where `None` is a value (clear who referred you)."""


UNSET = _Unset()


def _check_owner(owner: User, row: Meeting | Favour | Share, what: str) -> None:
    if row.owner_id != owner.pk:
        raise ValidationError(f"That {what} is not yours.")


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
    now = timezone.now()
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
    now = timezone.now()
    held_at = min(meeting.scheduled_for, now)
    today = _today(owner)
    meeting.learned, meeting.outcome, meeting.next_steps = (
        learned.strip(),
        outcome.strip(),
        next_steps.strip(),
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


# --- leads and the generic loop ------------------------------------------------------------


@transaction.atomic
def lead_create(
    *,
    owner: User,
    referrer: Person | None,
    referred: Person | None,
    about: str = "",
    organisation: Organisation | str | None = None,
    meeting: Meeting | None = None,
) -> Lead:
    """A name someone gave you; opens its loop with "contact them" due in a few days."""
    _mine(owner, "referrer", referrer)
    _mine(owner, "referred", referred)
    assert referrer is not None and referred is not None
    if referrer.pk == referred.pk:
        raise ValidationError({"referred": "Someone can't refer you to themselves."})
    lead = Lead(
        owner=owner,
        referrer=referrer,
        referred=referred,
        about=" ".join(about.split()),
        organisation=_org(owner, organisation) or referred.organisation,
        meeting=meeting,
        received_on=_today(owner),
    )
    lead.full_clean(exclude=["owner", "referrer", "referred", "organisation", "meeting"])
    lead.save()
    _open_step(
        owner=owner,
        kind=K.LEAD_CONTACT,
        person=referred,
        about=referrer,
        lead=lead,
        due_at=timezone.now() + due_after(loop_settings_for(owner), "lead_contact_days"),
    )
    return lead


@transaction.atomic
def lead_record(
    *,
    owner: User,
    referrer: Person | None,
    person: Person | None = None,
    full_name: str = "",
    organisation: str = "",
    about: str = "",
    contact_list: str = ContactList.C,
    may_use_name: bool = False,
    choice: str = "",
) -> Lead:
    """Someone gave you a name outside a meeting: the lead and its loop, in one step.

    `person` is someone already in your network; otherwise `full_name` becomes a new person
    introduced by the referrer, on list B or C. "May I use your name?" — yes is recorded as a
    permission for the lead's organisation.
    """
    _mine(owner, "referrer", referrer)
    assert referrer is not None
    if person is None:
        name = " ".join(full_name.split())
        if not name:
            raise ValidationError({"person": "Say whose name you were given."})
        if contact_list.upper() not in (ContactList.B, ContactList.C):
            raise ValidationError({"contact_list": "Put them on list B or list C."})
        if name.lower() == referrer.full_name.lower():
            raise ValidationError({"person": "Someone can't refer you to themselves."})
        try:
            person = person_choose(
                owner=owner,
                choice=choice,
                full_name=name,
                organisation=organisation or None,
                contact_list=contact_list.upper(),
                introduced_by=referrer,
                how_we_met=f"{referrer.full_name} gave me their name on {_today(owner):%d %b %Y}.",
                source=Source.REFERRAL,
            ).person
        except PersonExists as exc:
            raise PeopleToChoose({"person": exc.messages}, {"person": exc.matches}) from None
        except ValidationError as exc:
            raise ValidationError({"person": " ".join(exc.messages)}) from None
        if person.pk == referrer.pk:
            raise ValidationError({"person": "Someone can't refer you to themselves."})
    lead = lead_create(
        owner=owner,
        referrer=referrer,
        referred=person,
        about=about,
        organisation=organisation or None,
    )
    if may_use_name:
        permission_grant(
            owner=owner,
            person=referrer,
            organisation=lead.organisation,
            note=f"For contacting {person.full_name}.",
        )
    return lead


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
    now = timezone.now()
    owner = step.owner
    today = _today(owner)
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
    if until <= _today(owner):
        raise ValidationError({"until": "Snooze until a day after today."})
    if until > _today(owner) + dt.timedelta(days=730):
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


# --- favours ------------------------------------------------------------------------------


def _favour_create(
    *,
    owner: User,
    person: Person,
    direction: str,
    kind: str,
    note: str,
    occurred_on: dt.date,
    meeting: Meeting | None = None,
    share: Share | None = None,
    introduction: Introduction | None = None,
    name_given: Person | None = None,
) -> Favour:
    favour = Favour(
        owner=owner,
        person=person,
        direction=direction,
        kind=kind,
        note=note,
        occurred_on=occurred_on,
        meeting=meeting,
        share=share,
        introduction=introduction,
        name_given=name_given,
    )
    favour.full_clean(exclude=["owner", "person", "meeting", "share", "introduction", "name_given"])
    favour.save()
    return favour


@transaction.atomic
def favour_log(
    *,
    owner: User,
    person: Person | None,
    direction: str,
    kind: str = Favour.Kind.OTHER,
    note: str = "",
    occurred_on: dt.date | None = None,
) -> Favour:
    """A favour given or received. A favour received puts a thank-you on the loops list."""
    if person is None:
        raise ValidationError({"person": "A favour is always between you and someone: say who."})
    _mine(owner, "person", person)
    if direction not in Favour.Direction.values:
        raise ValidationError({"direction": "Say whether you gave or received it."})
    if kind not in Favour.Kind.values:
        raise ValidationError(
            {"kind": f"{kind!r} is not a kind of favour; use {', '.join(Favour.Kind.values)}."}
        )
    when = occurred_on or _today(owner)
    if when > _today(owner):
        raise ValidationError({"occurred_on": "A favour can't be in the future."})
    favour = _favour_create(
        owner=owner,
        person=person,
        direction=direction,
        kind=kind,
        note=note.strip(),
        occurred_on=when,
    )
    if direction == Favour.Direction.RECEIVED:
        _open_step(
            owner=owner,
            kind=K.THANK_YOU,
            person=person,
            favour=favour,
            due_at=_thank_you_due(owner),
        )
    return favour


def _linked_to(favour: Favour) -> str:
    if favour.meeting_id:
        return "a meeting"
    if favour.share_id:
        return "a share"
    if favour.introduction_id:
        return "an introduction"
    if favour.name_given_id:
        return "a name you gave"
    return ""


@transaction.atomic
def favour_update(
    *,
    owner: User,
    favour: Favour,
    direction: str | None = None,
    kind: str | None = None,
    note: str | None = None,
    occurred_on: dt.date | None = None,
) -> Favour:
    """Correct a favour. Turning a favour given into one received puts a thank-you on your
    loops; the other way round takes an open thank-you off."""
    _check_owner(owner, favour, "favour")
    if kind is not None:
        if kind not in Favour.Kind.values:
            raise ValidationError(
                {"kind": f"{kind!r} is not a kind of favour; use {', '.join(Favour.Kind.values)}."}
            )
        favour.kind = kind
    if occurred_on is not None:
        if occurred_on > _today(owner):
            raise ValidationError({"occurred_on": "A favour can't be in the future."})
        favour.occurred_on = occurred_on
    if note is not None:
        favour.note = note.strip()
    turned = direction is not None and direction != favour.direction
    if turned:
        if direction not in Favour.Direction.values:
            raise ValidationError({"direction": "Say whether you gave or received it."})
        linked = _linked_to(favour)
        if linked:
            raise ValidationError(
                {
                    "direction": f"This favour came from {linked}, so its direction is fixed; "
                    "delete it and log a new one if it was the other way round."
                }
            )
        assert direction is not None
        favour.direction = direction
    favour.full_clean(exclude=["owner", "person", "meeting", "share", "introduction", "name_given"])
    favour.save()
    if turned and favour.direction == Favour.Direction.RECEIVED:
        _open_step(
            owner=owner,
            kind=K.THANK_YOU,
            person=favour.person,
            favour=favour,
            due_at=_thank_you_due(owner),
        )
    elif turned:
        LoopStep.objects.filter(favour=favour, kind=K.THANK_YOU, done_at__isnull=True).delete()
    return favour


@transaction.atomic
def favour_delete(*, owner: User, favour: Favour) -> None:
    """Delete a favour and the loop steps it opened (a thank-you, "expect a call", a check-back).

    A share left with no one to share with goes too.
    """
    _check_owner(owner, favour, "favour")
    share_id = favour.share_id
    favour.delete()
    if share_id is not None:
        Share.objects.filter(pk=share_id, favours__isnull=True).delete()


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
        occurred_on=_today(owner),
        name_given=name,
    )
    now = timezone.now()
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


@transaction.atomic
def standing_offer_make(
    *, owner: User, person: Person | None, offer: str, made_on: dt.date | None = None
) -> StandingOffer:
    """ "Call on me any time": the offer stays on their page until it is taken up."""
    _mine(owner, "person", person)
    standing = StandingOffer(
        owner=owner,
        person=person,
        offer=" ".join(offer.split()),
        made_on=made_on or _today(owner),
    )
    if not standing.offer:
        raise ValidationError({"offer": "Say what you offered."})
    standing.full_clean(exclude=["owner", "person"])
    standing.save()
    return standing


@transaction.atomic
def standing_offer_taken_up(*, owner: User, offer: StandingOffer) -> StandingOffer:
    if offer.owner_id != owner.pk:
        raise ValidationError("That offer is not yours.")
    offer.taken_up_on = _today(owner)
    offer.save(update_fields=["taken_up_on"])
    return offer


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
        due_at=timezone.now() + dt.timedelta(days=INTRO_ASK_DAYS),
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
        due_at=timezone.now() + due_after(loop_settings_for(owner), "lead_contact_days"),
        loop_started_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            step.save()
    except IntegrityError:  # the same request, sent twice at once
        raise already from None
    return step


# --- shares -------------------------------------------------------------------------------


@transaction.atomic
def share_log(
    *,
    owner: User,
    people: Sequence[Person],
    title: str,
    url: str = "",
    topics: str | Sequence[str] = "",
    note: str = "",
    kind: str = Favour.Kind.INFORMATION,
) -> Share:
    """You passed an article or event on: a favour given to, and a journal entry with, each."""
    unique = list({p.pk: p for p in people}.values())
    if not unique:
        raise ValidationError({"people": "Say whom you shared it with."})
    if len(unique) > MAX_SHARE_RECIPIENTS:
        raise ValidationError(
            {"people": f"Share with at most {MAX_SHARE_RECIPIENTS} people at once."}
        )
    for person in unique:
        _mine(owner, "people", person)
    if kind not in (Favour.Kind.INFORMATION, Favour.Kind.EVENT):
        raise ValidationError({"kind": "A share is an article (information) or an event."})
    if not isinstance(topics, str):
        topics = ", ".join(topics)
    topic_list = [" ".join(t.split()) for t in topics.split(",") if t.strip()]
    share = Share(
        owner=owner,
        url=url.strip(),
        title=" ".join(title.split()),
        topics=", ".join(dict.fromkeys(topic_list)),
        note=note.strip(),
        shared_on=_today(owner),
    )
    if not share.title:
        raise ValidationError({"title": "Give what you shared a title."})
    share.full_clean(exclude=["owner"])
    share.save()
    what = "event" if kind == Favour.Kind.EVENT else "article"
    now = timezone.now()
    for person in unique:
        _favour_create(
            owner=owner,
            person=person,
            direction=Favour.Direction.GIVEN,
            kind=kind,
            note=share.title,
            occurred_on=share.shared_on,
            share=share,
        )
        interaction_log(
            owner=owner,
            summary=f"Shared the {what} “{share.title}”"[:300],
            people=[person],
            kind=Interaction.Kind.MESSAGE,
            direction=Interaction.Direction.OUTGOING,
            occurred_at=now,
            notes="\n".join(filter(None, [share.url, share.note])),
        )
    return share


@transaction.atomic
def share_delete(*, owner: User, share: Share) -> None:
    """Delete a share and the favours it logged. The journal entries stay: they record that
    you passed it on, and you can delete them from the journal."""
    _check_owner(owner, share, "share")
    share.delete()


# --- name permissions -----------------------------------------------------------------------


@transaction.atomic
def permission_grant(
    *,
    owner: User,
    person: Person | None,
    organisation: Organisation | str | None = None,
    note: str = "",
    granted_on: dt.date | None = None,
) -> NamePermission:
    """Record that `person` agreed you may use their name — with `organisation`, or anywhere."""
    _mine(owner, "person", person)
    org = _org(owner, organisation)
    when = granted_on or _today(owner)
    if when > _today(owner):
        raise ValidationError({"granted_on": "Permission can't be granted in the future."})
    existing = NamePermission.objects.filter(
        owner=owner, person=person, organisation=org, revoked_on__isnull=True
    ).first()
    if existing is not None:
        return existing
    permission = NamePermission(
        owner=owner, person=person, organisation=org, granted_on=when, note=note.strip()[:300]
    )
    permission.full_clean(exclude=["owner", "person", "organisation"])
    permission.save()
    return permission


@transaction.atomic
def permission_revoke(*, owner: User, permission: NamePermission) -> NamePermission:
    if permission.owner_id != owner.pk:
        raise ValidationError("That permission is not yours.")
    if permission.revoked_on is None:
        permission.revoked_on = _today(owner)
        permission.save(update_fields=["revoked_on"])
    return permission


# --- outreach drafts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str
    warnings: tuple[str, ...] = ()


def _has_permission(owner: User, person: Person, organisation: Organisation | None) -> bool:
    permissions = NamePermission.objects.filter(owner=owner, person=person, revoked_on__isnull=True)
    if organisation is None:
        return permissions.filter(organisation__isnull=True).exists()
    return (
        permissions.filter(organisation__isnull=True).exists()
        or permissions.filter(organisation=organisation).exists()
    )


def outreach_draft(
    *,
    owner: User,
    person: Person,
    kind: str = "invitation",
    about: Organisation | str | None = None,
    referrer: Person | None = None,
    target: Person | None = None,
    purposes: Sequence[str] = (),
) -> Draft:
    """A personalised message to copy into email or LinkedIn. Nothing is written or sent.

    An `invitation` asks `person` for a short information meeting; an `introduction` asks
    `person` to introduce you to `target` (or someone at `about`). Both say how you know them,
    who referred you and why you'd like to meet — and never ask for a job. Mentioning a
    referrer who hasn't cleared the use of their name gives a warning.
    """
    if kind not in ("invitation", "introduction"):
        raise ValidationError({"kind": "A draft is an invitation or an introduction request."})
    _mine(owner, "person", person)
    _mine(owner, "referrer", referrer, required=False)
    _mine(owner, "target", target, required=False)
    if referrer is not None and referrer.pk == person.pk:
        raise ValidationError({"referrer": "They can't have referred you to themselves."})
    organisation: Organisation | None
    if isinstance(about, str):
        from circleback.text import normalize_org_name

        organisation = (
            Organisation.objects.filter(
                owner=owner, normalized_name=normalize_org_name(about)
            ).first()
            if about.strip()
            else None
        )
        about_name = " ".join(about.split())
    else:
        _org(owner, about)
        organisation = about
        about_name = about.name if about else ""
    if kind == "introduction" and target is not None and not about_name and target.organisation:
        organisation = target.organisation
        about_name = target.organisation.name
    if kind == "invitation" and not about_name and person.organisation:
        organisation, about_name = person.organisation, person.organisation.name
    if referrer is None and kind == "invitation" and person.introduced_by_id:
        referrer = person.introduced_by
    purposes = clean_purposes(purposes) if purposes else []

    warnings: list[str] = []
    first = person.given_name or person.full_name
    lines = [f"Dear {first},", ""]
    how = ""
    if referrer is not None:
        how = f"{referrer.full_name} suggested I get in touch with you."
        if not _has_permission(owner, referrer, organisation):
            where = f" with {about_name}" if about_name else ""
            warnings.append(
                f"This draft mentions {referrer.full_name}, who hasn't cleared the use of their "
                f"name{where}. Ask them first, then record it: circleback permission grant "
                f'"{referrer.full_name}"' + (f' --org "{about_name}"' if about_name else "") + "."
            )
    elif person.how_we_met:
        how = f"We met {person.how_we_met.strip().rstrip('.')}" + "."
        if how.startswith("We met Met "):
            how = person.how_we_met.strip()
    elif person.last_contact_at:
        how = f"It was good to be in touch in {person.last_contact_at:%B %Y}."
    if how:
        lines += [how, ""]

    reasons = {
        "validate": "test a career idea against your experience",
        "industry": "learn how you see the industry",
        "advice": "ask your advice on my next step",
        "seeds": "let you know what I'm working towards",
        "referrals": "hear whom else you think I should talk to",
    }
    if kind == "invitation":
        focus = f" at {about_name}" if about_name else ""
        role = f" as {person.title}" if person.title else ""
        lines.append(
            f"I'm exploring my next career move and would value your perspective on your work"
            f"{role}{focus}."
        )
        if purposes:
            lines.append("I'd especially like to " + "; ".join(reasons[p] for p in purposes) + ".")
        lines += [
            "I'm not asking about openings — I'd simply like to learn from your experience.",
            "",
            "Would you have 30 minutes in the coming weeks for a coffee or a call? I'm happy to "
            "fit around your schedule, and if now isn't a good time I understand completely.",
        ]
        subject = "Thirty minutes of your advice?"
        if referrer is not None:
            subject = f"{referrer.given_name or referrer.full_name} suggested I get in touch"
    else:
        if target is not None:
            who = target.full_name + (
                f" at {target.organisation.name}" if target.organisation else ""
            )
        elif about_name:
            who = f"someone at {about_name}"
        else:
            raise ValidationError(
                {"about": "Say whom you'd like to be introduced to: a person or an organisation."}
            )
        lines += [
            f"Would you be willing to introduce me to {who}?",
            f"I'd like to learn more about their work{' and ' + about_name if about_name else ''}"
            " and ask their advice — I'm not asking you to pass on my CV, just for an "
            "introduction if you're comfortable making one.",
            "",
            "Of course, if it isn't a good moment, no problem at all.",
        ]
        subject = f"An introduction to {who}?"
    lines += [
        "",
        "And if there's anything I can do for you in return, please just ask.",
        "",
        "With thanks,",
        owner.sign_off(),
    ]
    return Draft(subject=subject, body="\n".join(lines), warnings=tuple(warnings))


def meeting_prep(*, meeting: Meeting) -> PrepBrief:
    """The prep brief for a meeting (a read; see `circleback.loops.prep`)."""
    return _meeting_prep(meeting=meeting)
