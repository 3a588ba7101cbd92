"""Keep-in-touch cadences computed in the database, the same way on SQLite and PostgreSQL.

A person's cadence is their own `cadence_days` if set, else the user's default for their
closeness (inner circle) or list, for the user's mode. Any logged interaction resets it: the
person is due `cadence` days after their last contact, or after they were added if never
contacted. Days are counted on the user's calendar (their time zone).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual

from circleback.accounts.models import User
from circleback.accounts.queries import user_today, user_zone, utc_offset_seconds
from circleback.insights.models import CadenceSettings, Snooze
from circleback.people.models import Closeness, Person

EPOCH = dt.date(1970, 1, 1)

# Days between reconnects. Inner circle = closeness 5, whatever the list. Employed users get
# relaxed defaults: networking continues after landing a job, at a calmer pace.
DEFAULT_CADENCE: dict[str, dict[str, int]] = {
    User.Mode.JOB_SEARCHING: {"inner_circle": 30, "A": 90, "B": 60, "C": 120},
    User.Mode.EMPLOYED: {"inner_circle": 45, "A": 120, "B": 90, "C": 180},
}
CADENCE_FIELDS = {
    "inner_circle": "inner_circle_days",
    "A": "list_a_days",
    "B": "list_b_days",
    "C": "list_c_days",
}


def cadence_defaults(owner: User) -> dict[str, int]:
    """The user's defaults by bucket (inner_circle, A, B, C): their settings, else the mode's."""
    mode_defaults = DEFAULT_CADENCE.get(owner.mode, DEFAULT_CADENCE[User.Mode.JOB_SEARCHING])
    row = CadenceSettings.objects.filter(owner=owner).first()
    return {
        bucket: (getattr(row, field) if row and getattr(row, field) else mode_defaults[bucket])
        for bucket, field in CADENCE_FIELDS.items()
    }


def default_cadence_for(person: Person, defaults: dict[str, int]) -> int:
    if person.closeness >= Closeness.INNER_CIRCLE:
        return defaults["inner_circle"]
    return defaults[person.contact_list]


class EpochDay(Func):
    """Whole days since 1970-01-01 of a datetime, shifted into the user's UTC offset."""

    output_field = IntegerField()

    def __init__(self, expression: Any, offset_seconds: int) -> None:
        self.offset_seconds = int(offset_seconds)
        super().__init__(expression)

    @staticmethod
    def template_for(vendor: str, offset_seconds: int) -> str:
        """The SQL, around `%(expressions)s`; also for SQL written by hand (the agenda's)."""
        offset = int(offset_seconds)
        if vendor == "sqlite":
            # Django keeps SQLite datetimes as UTC text, which julianday() reads (to the
            # millisecond). Whole milliseconds since 1970 first, rounded, then integer
            # division: adding the offset as a fraction of a day instead put a moment at
            # midnight on the previous day in some zones. Days since 1970 are positive, so
            # truncation is a floor.
            return (
                "((CAST((julianday(%(expressions)s) - 2440587.5) * 86400000.0 + 0.5 AS INTEGER)"
                f" + {offset * 1000}) / 86400000)"
            )
        # PostgreSQL: the UTC calendar date of the shifted moment, minus 1970-01-01: exact
        # integer days, and several times cheaper than dividing EXTRACT(EPOCH)'s numeric (the
        # agenda evaluates this for thousands of people).
        return (
            f"(CAST((%(expressions)s + INTERVAL '{offset} seconds')"
            " AT TIME ZONE 'UTC' AS DATE) - DATE '1970-01-01')"
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = self.template_for("sqlite", self.offset_seconds)
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = self.template_for("postgresql", self.offset_seconds)
        return self.as_sql(compiler, connection, template=template, **extra)


def days_since_contact(person: Person, today: dt.date, offset_seconds: int) -> int:
    """`with_keep_in_touch`'s days_since for a person already loaded, in Python: whole days
    from their last contact (or being added) to `today`, the moment shifted by the user's
    UTC offset as `EpochDay` shifts it."""
    anchor = person.last_contact_at or person.created_at
    shifted = anchor.astimezone(dt.UTC) + dt.timedelta(seconds=offset_seconds)
    return (today - shifted.date()).days


def cadence_expression(defaults: dict[str, int]) -> Coalesce:
    # agenda._reconnects_sql spells the same rule in SQL: a change here belongs there too.
    return Coalesce(
        F("cadence_days"),
        Case(
            When(closeness__gte=Closeness.INNER_CIRCLE, then=Value(defaults["inner_circle"])),
            When(contact_list="A", then=Value(defaults["A"])),
            When(contact_list="C", then=Value(defaults["C"])),
            default=Value(defaults["B"]),
            output_field=IntegerField(),
        ),
        output_field=IntegerField(),
    )


def with_keep_in_touch(
    people: QuerySet[Person],
    owner: User,
    *,
    now: dt.datetime | None = None,
    defaults: dict[str, int] | None = None,
    snoozed: bool = True,
) -> QuerySet[Any]:
    """Annotate cadence, days_since (contact, or added), days_overdue, overdue_ratio, snoozed.

    For lists and filters: `.filter(days_overdue__gte=0, snoozed=False)` is "due now".
    `defaults` are the owner's `cadence_defaults`, when the caller has read them already;
    `snoozed=False` leaves that annotation out, for callers that exclude snoozes themselves.
    """
    today = user_today(owner, now)
    today_day = (today - EPOCH).days
    offset = utc_offset_seconds(owner, now)
    cadence = cadence_expression(defaults if defaults is not None else cadence_defaults(owner))
    anchor = Coalesce(F("last_contact_at"), F("created_at"))
    snoozes = (
        {"snoozed": Exists(Snooze.objects.filter(person_id=OuterRef("pk"), until__gt=today))}
        if snoozed
        else {}
    )
    return people.annotate(
        cadence=cadence,
        days_since=ExpressionWrapper(
            Value(today_day) - EpochDay(anchor, offset), output_field=IntegerField()
        ),
        **snoozes,
    ).annotate(
        days_overdue=ExpressionWrapper(F("days_since") - F("cadence"), output_field=IntegerField()),
        overdue_ratio=ExpressionWrapper(
            F("days_since") * 1.0 / F("cadence"), output_field=FloatField()
        ),
    )


def day_cutoff(owner: User, today: dt.date, days: int) -> dt.datetime:
    """Contact before this moment makes someone `days`-cadence due today: the start (in the
    user's zone) of the day after `today - days`."""
    day = today - dt.timedelta(days=days - 1)
    return dt.datetime.combine(day, dt.time(), tzinfo=user_zone(owner))


def contacted_before(moment: dt.datetime) -> Q:
    """Last contact (or, never contacted, being added) before `moment`: plain indexed columns."""
    return Q(last_contact_at__lt=moment) | Q(last_contact_at__isnull=True, created_at__lt=moment)


def default_buckets(defaults: dict[str, int], prefix: str = "") -> list[tuple[str, Q, int]]:
    """(bucket, who is in it, cadence) for people on the default cadence. `prefix` names
    aliases of the closeness and contact_list columns to filter on instead."""
    closeness, contact_list = f"{prefix}closeness", f"{prefix}contact_list"
    below_inner = Q(**{f"{closeness}__lt": Closeness.INNER_CIRCLE})
    return [
        (
            "inner_circle",
            Q(**{f"{closeness}__gte": Closeness.INNER_CIRCLE}),
            defaults["inner_circle"],
        ),
        ("A", below_inner & Q(**{contact_list: "A"}), defaults["A"]),
        ("B", below_inner & Q(**{contact_list: "B"}), defaults["B"]),
        ("C", below_inner & Q(**{contact_list: "C"}), defaults["C"]),
    ]


def custom_due(owner: User, today: dt.date, now: dt.datetime | None = None) -> GreaterThanOrEqual:
    """Due, for someone with their own cadence: whole days since contact >= their cadence."""
    today_day = (today - EPOCH).days
    anchor = Coalesce(F("last_contact_at"), F("created_at"))
    days_since = ExpressionWrapper(
        Value(today_day) - EpochDay(anchor, utc_offset_seconds(owner, now)),
        output_field=IntegerField(),
    )
    return GreaterThanOrEqual(days_since, F("cadence_days"))


def due_q(owner: User, *, now: dt.datetime | None = None) -> Q:
    """Who is due today, as one filter. People on a default cadence compare plain columns with a
    precomputed moment per bucket (cheap, indexable); only people with their own cadence need
    date arithmetic."""
    today = user_today(owner, now)
    default = Q()
    for _, members, days in default_buckets(cadence_defaults(owner)):
        default |= members & contacted_before(day_cutoff(owner, today, days))
    return (Q(cadence_days__isnull=True) & default) | (
        Q(cadence_days__isnull=False) & Q(custom_due(owner, today, now))
    )


def snoozed_ids(owner: User, today: dt.date) -> list[int]:
    return list(
        Snooze.objects.filter(owner=owner, until__gt=today).values_list("person_id", flat=True)
    )


def due_people(owner: User, *, now: dt.datetime | None = None) -> QuerySet[Person]:
    """Everyone due for a reconnect today and not snoozed."""
    today = user_today(owner, now)
    return (
        Person.objects.filter(owner=owner)
        .filter(due_q(owner, now=now))
        .exclude(pk__in=snoozed_ids(owner, today))
    )


class Unindexed(Func):
    """A column the SQLite planner must not pick an index for (the `+column` idiom), so it uses
    the more selective index on another condition. Plain on PostgreSQL, whose planner has
    statistics."""

    def __init__(self, column: str, output_field: Any) -> None:
        super().__init__(F(column), output_field=output_field)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        extra.setdefault("template", "%(expressions)s")
        return super().as_sql(compiler, connection, **extra)
