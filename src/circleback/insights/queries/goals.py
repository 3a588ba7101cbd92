"""Reads for monthly goals and their streaks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.db import connection
from django.db.models import (
    Func,
    IntegerField,
    QuerySet,
    Value,
)

from circleback.accounts.models import User
from circleback.accounts.queries import last_months
from circleback.insights import sources
from circleback.insights.models import MonthlyGoals
from circleback.journal.models import Interaction
from circleback.people.models import Person, Source

# --- goals ---------------------------------------------------------------------------------

GOAL_METRICS = ("new_contacts", "meetings", "favours_given")
GOAL_LABELS = {
    "new_contacts": "New contacts",
    "meetings": "Meetings",
    "favours_given": "Favours given",
}
# Three or four new contacts a month, as career coaches advise [003]; when employed, a calmer
# pace of contacts and meetings, but more giving — "work that much harder at giving" [002].
DEFAULT_GOALS: dict[str, dict[str, int]] = {
    User.Mode.JOB_SEARCHING: {"new_contacts": 4, "meetings": 4, "favours_given": 2},
    User.Mode.EMPLOYED: {"new_contacts": 3, "meetings": 1, "favours_given": 3},
}
# People you met, not people you imported: imports don't count as new contacts.
MET_SOURCES = (Source.MANUAL, Source.EVENT, Source.REFERRAL)
HISTORY_MONTHS = 12
STREAK_MONTHS = 36


def goal_targets(owner: User) -> dict[str, int]:
    defaults = DEFAULT_GOALS.get(owner.mode, DEFAULT_GOALS[User.Mode.JOB_SEARCHING])
    row = MonthlyGoals.objects.filter(owner=owner).first()
    return {
        metric: (getattr(row, metric) if row and getattr(row, metric) is not None else default)
        for metric, default in defaults.items()
    }


@dataclass
class MonthProgress:
    start: dt.date
    counts: dict[str, int]
    met: dict[str, bool]


@dataclass
class GoalProgress:
    metric: str
    label: str
    target: int
    this_month: int
    streak: int

    @property
    def met(self) -> bool:
        return self.this_month >= self.target

    @property
    def percent(self) -> int:
        if self.target <= 0:
            return 100
        return min(100, round(100 * self.this_month / self.target))


@dataclass
class Goals:
    targets: dict[str, int]
    progress: list[GoalProgress]
    history: list[MonthProgress]  # the last 12 months, oldest first, this month last
    all_met_streak: int


def _monthly_counts(
    owner: User, queryset: QuerySet, when: str, bounds: list[dt.datetime]
) -> list[int]:
    """Rows per month [bounds[i], bounds[i+1]) in one statement: a scalar subquery per month,
    each an index range count (far cheaper than a FILTER per month over every row).

    The ORM compiles one month's count; the other months reuse its SQL with their own bounds
    (compiling 36 subqueries costs more than running them)."""
    del owner  # the queryset is the owner's already
    if len(bounds) < 2:
        return []
    first, second = bounds[0], bounds[1]
    month = (
        queryset.filter(**{f"{when}__gte": first, f"{when}__lt": second})
        .order_by()
        # COUNT(1), not COUNT(id): PostgreSQL can then count from the index alone.
        .annotate(n=Func(Value(1), function="COUNT", output_field=IntegerField()))
        .values("n")
    )
    sql, params = month.query.sql_with_params()
    field = queryset.model._meta.get_field(when)

    def adapted(value: dt.datetime) -> Any:  # as the compiler put it in `params`
        return field.get_db_prep_value(value, connection, prepared=False)

    low = [i for i, value in enumerate(params) if value == adapted(first)]
    high = [i for i, value in enumerate(params) if value == adapted(second)]
    if len(low) != 1 or len(high) != 1:  # a bound that also appears elsewhere: play safe
        return [
            queryset.filter(**{f"{when}__gte": lo, f"{when}__lt": hi}).count()
            for lo, hi in pairwise(bounds)
        ]
    statement, arguments = [], []
    for lo, hi in pairwise(bounds):
        statement.append(f"({sql})")
        values = list(params)
        values[low[0]], values[high[0]] = adapted(lo), adapted(hi)
        arguments.extend(values)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(statement), arguments)
        row = cursor.fetchone()
    return [int(value or 0) for value in row]


def _streak(met: list[bool]) -> int:
    """Consecutive months met, ending this month — or last month while this one is under way."""
    months = met[:-1] if not met[-1] else met
    streak = 0
    for value in reversed(months):
        if not value:
            break
        streak += 1
    return streak


def goals_for(owner: User, *, now: dt.datetime | None = None) -> Goals:
    """This month's progress towards each target, streaks, and the last 12 months."""
    targets = goal_targets(owner)
    bounds = last_months(owner, STREAK_MONTHS, now)
    series = {
        "new_contacts": _monthly_counts(
            owner, Person.objects.filter(owner=owner, source__in=MET_SOURCES), "created_at", bounds
        ),
        "meetings": _monthly_counts(
            owner,
            Interaction.objects.filter(owner=owner, kind=Interaction.Kind.MEETING),
            "occurred_at",
            bounds,
        ),
        "favours_given": sources.favours_given_per_month(owner, bounds),
    }
    met = {m: [count >= targets[m] for count in series[m]] for m in GOAL_METRICS}
    zone = bounds[0].tzinfo
    history = [
        MonthProgress(
            start=bounds[i].astimezone(zone).date(),
            counts={m: series[m][i] for m in GOAL_METRICS},
            met={m: met[m][i] for m in GOAL_METRICS},
        )
        for i in range(len(bounds) - 1 - HISTORY_MONTHS, len(bounds) - 1)
    ]
    progress = [
        GoalProgress(
            metric=m,
            label=GOAL_LABELS[m],
            target=targets[m],
            this_month=series[m][-1],
            streak=_streak(met[m]),
        )
        for m in GOAL_METRICS
    ]
    all_met = [all(met[m][i] for m in GOAL_METRICS) for i in range(len(bounds) - 1)]
    return Goals(
        targets=targets, progress=progress, history=history, all_met_streak=_streak(all_met)
    )
