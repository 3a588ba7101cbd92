"""Reads for the journal, always scoped to one owner."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.utils import timezone

from circleback.accounts.models import User
from circleback.journal.models import Interaction, Participation
from circleback.people.models import Organisation, Person


def get_interaction_for(owner: User, interaction_uuid: str | uuid_module.UUID) -> Interaction:
    try:
        parsed = uuid_module.UUID(str(interaction_uuid))
    except ValueError:
        raise Http404("No such journal entry.") from None
    interaction = Interaction.objects.filter(owner=owner, uuid=parsed).first()
    if interaction is None:
        raise Http404("No such journal entry.")
    return interaction


def with_people(interactions: QuerySet[Interaction]) -> QuerySet[Interaction]:
    return interactions.prefetch_related(
        Prefetch("people", queryset=Person.objects.only("uuid", "full_name", "owner_id"))
    )


def person_timeline(person: Person, *, limit: int = 50) -> QuerySet[Interaction]:
    """A person's journal, newest first (one index scan on participation)."""
    ids = (
        Participation.objects.filter(person=person)
        .order_by("-occurred_at")
        .values("interaction_id")[:limit]
    )
    return with_people(
        Interaction.objects.filter(pk__in=ids, owner_id=person.owner_id).order_by("-occurred_at")
    )


@dataclass(frozen=True)
class JournalFilter:
    kind: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    person: Person | None = None
    organisation: Organisation | None = None


def journal_list(*, owner: User, filters: JournalFilter | None = None) -> QuerySet[Interaction]:
    """The owner's journal, newest first, narrowed by kind, dates, person or organisation."""
    f = filters or JournalFilter()
    entries = Interaction.objects.filter(owner=owner)
    if f.kind:
        entries = entries.filter(kind=f.kind)
    if f.since:
        entries = entries.filter(occurred_at__date__gte=f.since)
    if f.until:
        entries = entries.filter(occurred_at__date__lte=f.until)
    if f.person is not None:
        entries = entries.filter(
            pk__in=Participation.objects.filter(person=f.person).values("interaction_id")
        )
    if f.organisation is not None:
        touching = Participation.objects.filter(person__organisation=f.organisation).values(
            "interaction_id"
        )
        entries = entries.filter(organisation=f.organisation) | entries.filter(pk__in=touching)
    return with_people(entries.order_by("-occurred_at", "-pk"))


def interactions_per_week(
    *, owner: User, weeks: int = 26, now: dt.datetime | None = None
) -> list[tuple[dt.date, int]]:
    """(Monday, number of journal entries) for the last `weeks` weeks, oldest first, zeros
    included; weeks start in the current time zone. One grouped query on the owner/time index."""
    tz = timezone.get_current_timezone()
    today = timezone.localdate(now or timezone.now(), tz)
    first = today - dt.timedelta(days=today.weekday(), weeks=weeks - 1)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    rows = (
        Interaction.objects.filter(owner=owner, occurred_at__gte=start)
        .annotate(week=TruncWeek("occurred_at", tzinfo=tz))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[dt.date, int] = {}
    for row in rows:
        week = row["week"]
        day = timezone.localtime(week, tz).date() if isinstance(week, dt.datetime) else week
        counts[day] = counts.get(day, 0) + row["n"]
    days = [first + dt.timedelta(weeks=i) for i in range(weeks)]
    return [(day, counts.get(day, 0)) for day in days]


def journal_recent(owner: User, *, limit: int = 8) -> list[Interaction]:
    return list(
        with_people(
            Interaction.objects.filter(owner=owner)
            .select_related("organisation")
            .order_by("-occurred_at", "-pk")[:limit]
        )
    )
