"""Reads for keeping in touch: a person's cadence and when they are due, snoozes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.insights.cadence import (
    cadence_defaults,
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
    owner: User, person_ids: Sequence[int], *, now: dt.datetime | None = None
) -> dict[int, KeepInTouch]:
    """Keep-in-touch status for a page of people (a list), in three queries."""
    ids = list(person_ids)
    if not ids:
        return {}
    today = user_today(owner, now)
    rows = with_keep_in_touch(
        Person.objects.filter(owner=owner, pk__in=ids), owner, now=now
    ).values_list("pk", "cadence", "cadence_days", "days_overdue")
    snoozes = dict(
        Snooze.objects.filter(owner=owner, person_id__in=ids, until__gt=today).values_list(
            "person_id", "until"
        )
    )
    return {
        pk: KeepInTouch(
            cadence=cadence,
            cadence_is_default=own is None,
            due_on=today - dt.timedelta(days=overdue),
            days_overdue=overdue,
            snoozed_until=snoozes.get(pk),
        )
        for pk, cadence, own, overdue in rows
    }


def default_cadence(person: Person) -> int:
    return default_cadence_for(person, cadence_defaults(person.owner))


def snoozes_list(owner: User, *, now: dt.datetime | None = None, limit: int = 50) -> list[Snooze]:
    """Snoozes still running, the soonest to end first."""
    return list(
        Snooze.objects.filter(owner=owner, until__gt=user_today(owner, now))
        .select_related("person")
        .order_by("until", "pk")[:limit]
    )
