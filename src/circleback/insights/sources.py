"""Adapters onto the loops app (meetings, loop steps, thank-yous, favours, shares, introductions).

Insights reads loops only through these functions. Each checks that `circleback.loops` is
installed and importable, and otherwise returns an empty result, so the agenda and the health
check work (with fewer sections) without it. What each reads:

- agenda_loop_steps:  loops.queries.open_loop_steps (overdue, and thank-yous) and loop_item
- meetings_on:        loops.models.Meeting, status scheduled, on the user's calendar day
- favour_totals:      loops.models.Favour counted by direction, the whole network
- favour_balances:    loops.queries.favour_balances(owner, person_ids)
- favour_takers:      loops.models.Favour grouped by person: received >= 2 and > 2 x given
- favours_given_per_month: loops.models.Favour given, counted per month of occurred_on
- recent_shares:      loops.models.Share since a date, with topics and recipients (its favours)
- introduced_pairs:   loops.models.Introduction (person_x, person_y)
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.apps import apps
from django.db.models import Count, F, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from circleback.accounts.models import User
from circleback.accounts.queries import user_zone

AGENDA_SECTION_LIMIT = 10


@dataclass
class SourceAction:
    """A one-click POST that moves an item on (loops' own endpoint), or a link ("get") to a
    page that asks one more thing (snooze until when?)."""

    url: str
    label: str
    fields: dict[str, str] = field(default_factory=dict)
    method: str = "post"


@dataclass
class SourceItem:
    """One thing the loops app says needs doing, in the agenda's terms."""

    title: str
    detail: str = ""
    due: dt.datetime | None = None
    person_name: str = ""
    person_uuid: str = ""
    url: str = ""
    actions: list[SourceAction] = field(default_factory=list)


@dataclass
class Share:
    title: str
    url: str
    topics: list[str]
    person_ids: set[int]


def loops_installed() -> bool:
    return apps.is_installed("circleback.loops")


def _loops() -> tuple[ModuleType, ModuleType] | None:
    if not loops_installed():
        return None
    try:
        from circleback.loops import models, queries
    except ImportError:
        return None
    return models, queries


def _reverse(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _loop_item(item: Any) -> SourceItem:
    """A loops step in the agenda's terms, with loops' own actions: "record the outcome" for a
    meeting to log, "thank-you sent" for a thank-you, else the step's first transition; and a
    link to loops' snooze page (it asks until when)."""
    actions: list[SourceAction] = []
    url = ""
    meeting = getattr(item.step, "meeting", None)
    if item.url_name and meeting is not None:
        url = _reverse(item.url_name, meeting.uuid)
        if url:
            actions.append(SourceAction(url=url, label="Record the outcome", method="get"))
    else:
        step_url = _reverse("loops:step_advance", item.uuid)
        if step_url and item.is_thank_you:
            actions.append(
                SourceAction(url=step_url, label="Thank-you sent", fields={"how": "email"})
            )
            draft_url = _reverse("loops:step_thank_you", item.uuid)
            if draft_url:
                actions.append(
                    SourceAction(url=draft_url, label="Draft the thank-you", method="get")
                )
        elif step_url:
            actions.extend(
                SourceAction(url=step_url, label=action.label, fields={"to": action.to})
                for action in item.actions[:1]
            )
    snooze_url = _reverse("loops:step_snooze", item.uuid)
    if snooze_url:
        actions.append(SourceAction(url=snooze_url, label="Not now — snooze", method="get"))
    return SourceItem(
        title=item.title,
        detail=item.context,
        due=item.due_at,
        person_name=item.person.full_name,
        person_uuid=str(item.person.uuid),
        url=url or _reverse("loops:loop_list"),
        actions=actions,
    )


# What loops' loop_item and _loop_item read of a step and the rows it points at. A step joins
# seven tables; read whole, their 130 columns cost Home about 1 ms of CPU to select and
# convert. A field left out here would be read per step, on demand: the agenda's tests compare
# every kind of step with loops' own reading, in the one query.
_AGENDA_STEP_FIELDS = (
    "uuid",
    "kind",
    "due_at",
    "loop_started_at",
    "note",
    "person__uuid",
    "person__full_name",
    "about__full_name",
    "lead__about",
    "lead__organisation__name",
    "introduction__reason",
    "meeting__uuid",
    "meeting__scheduled_for",
    "favour__kind",
    "favour__note",
    "organisation__name",
)


def agenda_loop_steps(
    owner: User, limit: int = AGENDA_SECTION_LIMIT
) -> tuple[list[SourceItem], list[SourceItem]]:
    """(overdue loop steps other than thank-yous, thank-yous owed), the agenda's first two
    sections: the first `limit` of each, as loops orders them.

    One query reads both: a step comes with its person, meeting, lead and the rest, a join
    PostgreSQL takes longer to plan than to run, so it is planned once rather than twice."""
    found = _loops()
    if found is None:
        return [], []
    models, queries = found
    now = timezone.now()
    kind = models.LoopStep.Kind
    thank_kinds = [kind.THANK_YOU, kind.LEAD_THANK]
    # The overdue section leaves thank-yous to their own.
    overdue = (
        queries.open_loop_steps(owner, overdue_only=True, now=now)
        .exclude(kind__in=thank_kinds)
        .values("pk")
    )
    thanks = queries.open_loop_steps(owner, kinds=thank_kinds).values("pk")
    # Wrapped, as SQLite can't limit the parts of a UNION directly.
    step = models.LoopStep.objects
    chosen = step.filter(pk__in=overdue[:limit]).values("pk")
    chosen = chosen.union(step.filter(pk__in=thanks[:limit]).values("pk"), all=True)
    steps = list(
        queries.open_loop_steps(owner, now=now).filter(pk__in=chosen).only(*_AGENDA_STEP_FIELDS)
    )
    items = {s.pk: queries.loop_item(s, now) for s in steps}
    by_due = sorted(steps, key=lambda s: (s.due_at, s.pk))
    by_loop = sorted(steps, key=lambda s: (s.loop_started_at, s.due_at, s.pk))
    overdue_items = [items[s.pk] for s in by_due if s.due_at < now]
    thank_items = [items[s.pk] for s in by_loop if items[s.pk].is_thank_you]
    return (
        [_loop_item(i) for i in overdue_items if not i.is_thank_you][:limit],
        [_loop_item(i) for i in thank_items[:limit]],
    )


def meetings_on(owner: User, day: dt.date, limit: int = AGENDA_SECTION_LIMIT) -> list[SourceItem]:
    """Scheduled meetings on the user's calendar day, each with a link to its prep brief."""
    found = _loops()
    if found is None:
        return []
    models, _ = found
    zone = user_zone(owner)
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    meetings = (
        models.Meeting.objects.filter(
            owner=owner,
            status=models.Meeting.Status.SCHEDULED,
            scheduled_for__gte=start,
            scheduled_for__lt=start + dt.timedelta(days=1),
        )
        .select_related("person")
        .order_by("scheduled_for", "pk")[:limit]
    )
    items = []
    for meeting in meetings:
        when = meeting.scheduled_for.astimezone(zone)
        prep = _reverse("loops:meeting_prep", meeting.uuid)
        items.append(
            SourceItem(
                title=f"{when:%H:%M} Meeting with {meeting.person.full_name}",
                detail=meeting.location,
                due=meeting.scheduled_for,
                person_name=meeting.person.full_name,
                person_uuid=str(meeting.person.uuid),
                url=prep,
                actions=[SourceAction(url=prep, label="Read the prep brief", method="get")]
                if prep
                else [],
            )
        )
    return items


def meetings_of(owner: User) -> QuerySet[Any] | None:
    """The user's meetings, to ask whether there are any (for the first steps)."""
    found = _loops()
    if found is None:
        return None
    models, _ = found
    return models.Meeting.objects.filter(owner=owner)


def favour_totals(owner: User) -> tuple[int, int] | None:
    """(given, received) over the whole network; None without loops."""
    found = _loops()
    if found is None:
        return None
    models, _ = found
    direction = models.Favour.Direction
    totals = models.Favour.objects.filter(owner=owner).aggregate(
        given=Count("pk", filter=Q(direction=direction.GIVEN)),
        received=Count("pk", filter=Q(direction=direction.RECEIVED)),
    )
    return totals["given"], totals["received"]


def favour_balances(owner: User, person_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """{person id: (given, received)} for people with any favours."""
    found = _loops()
    if found is None or not person_ids:
        return {}
    _, queries = found
    balances = queries.favour_balances(owner, list(person_ids))
    return {pk: (b.given, b.received) for pk, b in balances.items()}


def favour_takers(owner: User, limit: int) -> list[int]:
    """People you've received at least two favours from and more than twice what you gave
    them (one grouped query over the owner's favours)."""
    found = _loops()
    if found is None:
        return []
    models, _ = found
    direction = models.Favour.Direction
    rows = (
        models.Favour.objects.filter(owner=owner)
        .values("person_id")
        .annotate(
            given=Count("pk", filter=Q(direction=direction.GIVEN)),
            received=Count("pk", filter=Q(direction=direction.RECEIVED)),
        )
        .filter(received__gte=2, received__gt=2 * F("given"))
        .order_by("-received", "person_id")
        .values_list("person_id", flat=True)[:limit]
    )
    return list(rows)


def favours_given_per_month(owner: User, bounds: Sequence[dt.datetime]) -> list[int]:
    """Favours given in each month [bounds[i], bounds[i+1]); zeros without loops."""
    found = _loops()
    if found is None:
        return [0] * (len(bounds) - 1)
    models, _ = found
    days = [b.date() for b in bounds]
    given = models.Favour.objects.filter(
        owner=owner,
        direction=models.Favour.Direction.GIVEN,
        occurred_on__gte=days[0],
        occurred_on__lt=days[-1],
    )
    counts = given.aggregate(
        **{
            f"m{i}": Count("pk", filter=Q(occurred_on__gte=lo, occurred_on__lt=hi))
            for i, (lo, hi) in enumerate(itertools.pairwise(days))
        }
    )
    return [int(counts[f"m{i}"]) for i in range(len(days) - 1)]


def recent_shares(owner: User, since: dt.date, limit: int = 10) -> list[Share]:
    """Shares since a date, newest first, with their topics and who got them."""
    found = _loops()
    if found is None:
        return []
    models, _ = found
    shares = list(
        models.Share.objects.filter(owner=owner, shared_on__gte=since)
        .exclude(topics="")
        .order_by("-shared_on", "-pk")[:limit]
    )
    recipients: dict[int, set[int]] = {s.pk: set() for s in shares}
    for share_id, person_id in models.Favour.objects.filter(
        owner=owner, share_id__in=list(recipients)
    ).values_list("share_id", "person_id"):
        recipients[share_id].add(person_id)
    return [
        Share(title=s.title, url=s.url, topics=s.topic_list(), person_ids=recipients[s.pk])
        for s in shares
    ]


def introduced_pairs(owner: User, person_ids: Iterable[int]) -> set[tuple[int, int]]:
    """Pairs (low id, high id) you've already introduced or proposed to."""
    found = _loops()
    if found is None:
        return set()
    models, _ = found
    ids = list(person_ids)
    rows = models.Introduction.objects.filter(
        owner=owner, person_x_id__in=ids, person_y_id__in=ids
    ).values_list("person_x_id", "person_y_id")
    return {(min(a, b), max(a, b)) for a, b in rows}
