"""Reads for keeping in touch: a person's cadence and when they are due, snoozes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from circleback.accounts.models import User
from circleback.accounts.queries import user_today, utc_offset_seconds
from circleback.insights.cadence import (
    cadence_defaults,
    days_since_contact,
    default_cadence_for,
    with_keep_in_touch,
)
from circleback.insights.models import Snooze
from circleback.people.models import Person

# --- one person ----------------------------------------------------------------------------


@dataclass
class KeepInTouch:
    cadence: int
    cadence_is_default: bool
    due_on: dt.date
    days_overdue: int
    snoozed_until: dt.date | None

    @property
    def is_due(self) -> bool:
        return self.days_overdue >= 0 and self.snoozed_until is None


def keep_in_touch_for(person: Person, *, now: dt.datetime | None = None) -> KeepInTouch:
    """A person's cadence, when they're due, and any snooze (two small queries: the owner's
    cadence settings, then the person's numbers with their snooze)."""
    owner = person.owner
    today = user_today(owner, now)
    snooze = Snooze.objects.filter(person=OuterRef("pk"), until__gt=today).order_by("pk")
    annotated = (
        with_keep_in_touch(Person.objects.filter(pk=person.pk), owner, now=now, snoozed=False)
        .annotate(snoozed_until=Subquery(snooze.values("until")[:1]))
        .values("cadence", "days_since", "days_overdue", "snoozed_until")[0]
    )
    due_on = today - dt.timedelta(days=annotated["days_overdue"])
    return KeepInTouch(
        cadence=annotated["cadence"],
        cadence_is_default=person.cadence_days is None,
        due_on=due_on,
        days_overdue=annotated["days_overdue"],
        snoozed_until=annotated["snoozed_until"],
    )


def keep_in_touch_many(
    owner: User, people: Iterable[Person], *, now: dt.datetime | None = None
) -> dict[int, KeepInTouch]:
    """Keep-in-touch status for a page of people (a list) already loaded, the owner's only,
    in two queries: the owner's cadence settings, then the page's snoozes.

    Each person's cadence and days overdue are worked out here from the row, as
    `with_keep_in_touch` does in SQL: the query that did it cost the people list more CPU
    to build (the cadence's CASE, the day arithmetic) than the 50 sums do in Python."""
    mine = [p for p in people if p.owner_id == owner.pk]
    if not mine:
        return {}
    today = user_today(owner, now)
    offset = utc_offset_seconds(owner, now)
    defaults = cadence_defaults(owner)
    snoozes = dict(
        Snooze.objects.filter(
            owner=owner, person_id__in=[p.pk for p in mine], until__gt=today
        ).values_list("person_id", "until")
    )
    statuses = {}
    for person in mine:
        own = person.cadence_days
        cadence = own if own is not None else default_cadence_for(person, defaults)
        overdue = days_since_contact(person, today, offset) - cadence
        statuses[person.pk] = KeepInTouch(
            cadence=cadence,
            cadence_is_default=own is None,
            due_on=today - dt.timedelta(days=overdue),
            days_overdue=overdue,
            snoozed_until=snoozes.get(person.pk),
        )
    return statuses


def default_cadence(person: Person) -> int:
    return default_cadence_for(person, cadence_defaults(person.owner))


def snoozes_list(owner: User, *, now: dt.datetime | None = None, limit: int = 50) -> list[Snooze]:
    """Snoozes still running, the soonest to end first."""
    return list(
        Snooze.objects.filter(owner=owner, until__gt=user_today(owner, now))
        .select_related("person")
        .order_by("until", "pk")[:limit]
    )
