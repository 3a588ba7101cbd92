"""Writes: cadences, snoozes, reconnects, gives, goals and the two-minute pitch.

Keyword-only, atomic, validating: each raises ValidationError (keyed by field) and leaves the
database as it was, or does all of its work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.insights.models import (
    CadenceSettings,
    MonthlyGoals,
    Pitch,
    PitchPractice,
    Snooze,
    count_words,
)
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_log
from circleback.ops import clock
from circleback.people.models import Person
from circleback.people.services.people import person_update

MAX_SNOOZE_DAYS = 730
MAX_CADENCE_DAYS = 3650
MAX_PITCH_WORDS = 2000


def _own(owner: User, person: Person) -> None:
    if person.owner_id != owner.pk:
        raise ValidationError({"person": "That person is not in your network."})


def _check_cadence(days: int, field: str = "cadence_days") -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValidationError({field: "A cadence is a whole number of days, e.g. 60."})
    if days < 1 or days > MAX_CADENCE_DAYS:
        raise ValidationError(
            {field: f"A cadence must be between 1 and {MAX_CADENCE_DAYS} days; {days} isn't."}
        )


@transaction.atomic
def cadence_set(*, owner: User, person: Person, days: int | None) -> Person:
    """Keep in touch with this person every `days` days; None returns them to the default."""
    _own(owner, person)
    if days is not None:
        _check_cadence(days)
    return person_update(person=person, cadence_days=days)


@transaction.atomic
def cadence_defaults_update(*, owner: User, **days: int | None) -> CadenceSettings:
    """Change the user's defaults (inner_circle_days, list_a_days, list_b_days, list_c_days);
    None means "the default for my mode"."""
    allowed = {"inner_circle_days", "list_a_days", "list_b_days", "list_c_days"}
    unknown = set(days) - allowed
    if unknown:
        raise ValidationError(f"Unknown cadence settings: {', '.join(sorted(unknown))}.")
    for field, value in days.items():
        if value is not None:
            _check_cadence(value, field)
    row, _ = CadenceSettings.objects.get_or_create(owner=owner)
    for field, value in days.items():
        setattr(row, field, value)
    row.full_clean(exclude=["owner"])
    row.save()
    return row


@transaction.atomic
def person_snooze(
    *, owner: User, person: Person, until: dt.date, now: dt.datetime | None = None
) -> Snooze:
    """Don't suggest reconnecting with this person before `until` (be patient)."""
    _own(owner, person)
    if not isinstance(until, dt.date) or isinstance(until, dt.datetime):
        raise ValidationError({"until": "Snooze until a date, e.g. 2026-12-01."})
    today = user_today(owner, now)
    if until <= today:
        raise ValidationError(
            {"until": f"Snooze until a date after today ({today.isoformat()}); {until} isn't."}
        )
    if until > today + dt.timedelta(days=MAX_SNOOZE_DAYS):
        raise ValidationError(
            {"until": "Snooze for at most two years; set a longer cadence instead."}
        )
    snooze, _ = Snooze.objects.update_or_create(
        person=person, defaults={"owner": owner, "until": until}
    )
    return snooze


@transaction.atomic
def person_unsnooze(*, owner: User, person: Person) -> None:
    _own(owner, person)
    Snooze.objects.filter(owner=owner, person=person).delete()


@transaction.atomic
def reconnect_log(
    *,
    owner: User,
    person: Person,
    summary: str = "",
    kind: str = Interaction.Kind.MESSAGE,
    occurred_at: dt.datetime | None = None,
) -> Interaction:
    """Log a reconnect (it resets the cadence like any interaction) and lift any snooze."""
    _own(owner, person)
    interaction = interaction_log(
        owner=owner,
        people=[person],
        summary=summary or f"Reconnected with {person.full_name}",
        kind=kind,
        direction=Interaction.Direction.OUTGOING,
        occurred_at=occurred_at,
    )
    Snooze.objects.filter(person=person).delete()
    return interaction


@transaction.atomic
def give_log(*, owner: User, people: Sequence[Person], summary: str) -> Interaction:
    """Log a give you made (an introduction between two people, or something passed on);
    an empty summary is logged as "A give"."""
    summary = summary.strip() or "A give"
    if not people:
        raise ValidationError({"people": "Say whom the give was for."})
    for person in people:
        _own(owner, person)
    return interaction_log(
        owner=owner,
        people=people,
        summary=summary,
        kind=Interaction.Kind.EMAIL,
        direction=Interaction.Direction.OUTGOING,
    )


@transaction.atomic
def goals_update(*, owner: User, **targets: int | None) -> MonthlyGoals:
    """Set monthly targets (new_contacts, meetings, favours_given); None = the mode's default."""
    allowed = {"new_contacts", "meetings", "favours_given"}
    unknown = set(targets) - allowed
    if unknown:
        raise ValidationError(f"Unknown goals: {', '.join(sorted(unknown))}.")
    for field, value in targets.items():
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 500
        ):
            raise ValidationError({field: "A monthly target is a whole number from 0 to 500."})
    row, _ = MonthlyGoals.objects.get_or_create(owner=owner)
    for field, value in targets.items():
        setattr(row, field, value)
    row.full_clean(exclude=["owner"])
    row.save()
    return row


@transaction.atomic
def pitch_add(
    *, owner: User, text: str, label: str = "", created_at: dt.datetime | None = None
) -> Pitch:
    """Save a new version of the two-minute pitch; it becomes the current one."""
    text = text.strip()
    words = count_words(text)
    if not words:
        raise ValidationError({"text": "Write the pitch you'd open a meeting with."})
    if words > MAX_PITCH_WORDS:
        raise ValidationError(
            {"text": f"That's {words} words; a two-minute pitch is about 300 at most."}
        )
    pitch = Pitch(
        owner=owner,
        text=text,
        label=" ".join(label.split()),
        word_count=words,
        created_at=created_at or clock.now(),
    )
    pitch.full_clean(exclude=["owner"])
    pitch.save()
    return pitch


@transaction.atomic
def pitch_practice_log(
    *,
    owner: User,
    pitch: Pitch,
    person: Person | None = None,
    practised_on: dt.date | None = None,
    notes: str = "",
    now: dt.datetime | None = None,
) -> PitchPractice:
    """Record a rehearsal of a pitch version, with whom (list A first) and what you learned."""
    if pitch.owner_id != owner.pk:
        raise ValidationError({"pitch": "That pitch is not yours."})
    if person is not None:
        _own(owner, person)
    today = user_today(owner, now)
    practised_on = practised_on or today
    if practised_on > today:
        raise ValidationError({"practised_on": "Log a practice once it has happened."})
    practice = PitchPractice(
        owner=owner, pitch=pitch, person=person, practised_on=practised_on, notes=notes.strip()
    )
    practice.full_clean(exclude=["owner", "pitch", "person"])
    practice.save()
    return practice


def practice_advice(*, owner: User, pitch: Pitch, person: Person | None) -> str:
    """A gentle nudge when rehearsing on list B or C before anyone on list A."""
    if person is None or person.contact_list == "A":
        return ""
    practised_on_a = PitchPractice.objects.filter(
        owner=owner, pitch=pitch, person__contact_list="A"
    ).exists()
    if practised_on_a:
        return ""
    return (
        "The articles advise practising on list A first — friends and family, where mistakes "
        "are cheap — before list B and C."
    )
