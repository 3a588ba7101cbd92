"""Reads: the daily agenda, a person's keep-in-touch status, goals and the network health check.

Everything is owner-scoped and computed with database aggregates and annotations; Python only
ever touches a bounded number of rows (the few items it shows).
"""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations, islice, pairwise
from typing import Any, TypeVar

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from circleback.accounts.models import User
from circleback.insights import sources
from circleback.insights.cadence import (
    Unindexed,
    cadence_defaults,
    day_cutoff,
    default_buckets,
    default_cadence_for,
    snoozed_ids,
    with_keep_in_touch,
)
from circleback.insights.dates import last_months, quarter_start, user_today
from circleback.insights.models import MonthlyGoals, Pitch, PitchPractice, Snooze
from circleback.journal.models import Interaction, Participation
from circleback.people.models import Closeness, Organisation, Person, Source, Stage, Tag, Tie
from circleback.text import fields_of_work

T = TypeVar("T")

# --- the daily agenda ----------------------------------------------------------------------

# How many reconnects a day: enough to keep a network warm, few enough to actually do.
RECONNECTS_PER_DAY = {User.Mode.JOB_SEARCHING: 6, User.Mode.EMPLOYED: 4}
WEAK_CLOSENESS = Closeness.ACQUAINTANCE  # closeness <= 2 is a weak tie
LONG_DORMANT_DAYS = 365


@dataclass
class Reconnect:
    person: Person
    cadence: int
    days_since: int
    days_overdue: int
    weak: bool
    never_contacted: bool

    @property
    def ratio(self) -> float:
        return self.days_since / self.cadence

    @property
    def rank(self) -> float:
        """The overdue ratio; a weak tie dormant for over a year counts double."""
        boost = 2.0 if self.weak and self.days_since >= LONG_DORMANT_DAYS else 1.0
        return self.ratio * boost

    @property
    def reason(self) -> str:
        if self.never_contacted:
            return f"Added {self.days_since} days ago and never contacted"
        when = f"{self.days_since} days since you were last in touch"
        return f"{when} (every {self.cadence} days)"


@dataclass
class Give:
    """A suggested give: an introduction between two people, or passing on a share."""

    kind: str  # "introduction" or "share"
    title: str
    reason: str
    people: list[Person]
    url: str = ""


@dataclass
class Agenda:
    today: dt.date
    loops_overdue: list[sources.SourceItem] = field(default_factory=list)
    thank_yous: list[sources.SourceItem] = field(default_factory=list)
    meetings: list[sources.SourceItem] = field(default_factory=list)
    reconnects: list[Reconnect] = field(default_factory=list)
    gives: list[Give] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.loops_overdue or self.thank_yous or self.meetings or self.reconnects or self.gives
        )


def reconnects_due(
    owner: User, *, limit: int | None = None, now: dt.datetime | None = None
) -> list[Reconnect]:
    """Today's reconnects, so weak ties get their turn and not only the inner circle.

    Two queues, each ranked by overdue ratio (days since contact divided by cadence, so a
    30-day friend 40 days out ranks with a 120-day contact 160 days out), then by the longest
    silence: the stronger ties (closeness 3 to 5) and the weak ties (closeness 1 or 2), where a
    weak tie dormant for over a year has its ratio doubled. The day's list interleaves them —
    strong, weak, strong, weak … — and fills from one queue when the other runs out.

    Ranking every person by ratio would compute it for the whole network. Instead: within one
    default-cadence bucket (inner circle, list A, B or C) and one strength, the ratio — doubled
    or not — grows with the silence, so that bucket's best `limit` are simply its `limit`
    longest-silent people, an index walk on last contact. People with their own cadence, and
    people never contacted, are ranked in one windowed query. The union of those few
    candidates is then ranked exactly, in one more query.
    """
    if limit is None:
        limit = RECONNECTS_PER_DAY.get(User.Mode(owner.mode), 6)
    if limit <= 0:
        return []
    today = user_today(owner, now)
    defaults = cadence_defaults(owner)
    snoozed = snoozed_ids(owner, today)
    # Everyone's rank, as an annotation built once and shared by the two queries below (the
    # ORM takes longer to build it than the database to compute it for the few it reads).
    ranked = _ranked(
        with_keep_in_touch(Person.objects.all(), owner, now=now, defaults=defaults, snoozed=False)
    )
    custom = _own_cadence_candidates(owner, ranked, limit, snoozed)
    # One list of candidates, read as a UNION ALL: an OR of IN-subqueries would have SQLite
    # run every subquery twice and PostgreSQL scan all the owner's people. The parts are the
    # owner's already, and the outer query looks up only the few ids they return.
    parts = [Person.objects.filter(pk__in=custom).values("pk")]
    parts += [
        Person.objects.filter(pk__in=subquery).values("pk")
        for subquery in _default_cadence_candidates(owner, today, limit, snoozed, defaults)
    ]
    candidates = parts[0].union(*parts[1:], all=True)
    # Ranked as plain values; only the few chosen are then read as people.
    rows = (
        ranked.filter(pk__in=candidates, days_overdue__gte=0)
        .order_by("-rank", "-days_since", "pk")
        .values_list("pk", "closeness", "cadence", "days_since", "days_overdue", "last_contact_at")
    )
    queues: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] = ([], [])
    for row in rows:
        queue = queues[1] if row[1] <= WEAK_CLOSENESS else queues[0]
        if len(queue) < limit:
            queue.append(row)
    chosen = _interleave(queues[0], queues[1])[:limit]
    people = Person.objects.select_related("organisation").in_bulk([row[0] for row in chosen])
    return [
        Reconnect(
            person=people[pk],
            cadence=cadence,
            days_since=days_since,
            days_overdue=days_overdue,
            weak=closeness <= WEAK_CLOSENESS,
            never_contacted=last_contact_at is None,
        )
        for pk, closeness, cadence, days_since, days_overdue, last_contact_at in chosen
    ]


def _ranked(people: QuerySet[Any]) -> QuerySet[Any]:
    """The ratio a reconnect is ranked by: doubled for a weak tie dormant for over a year."""
    return people.annotate(
        rank=Case(
            When(
                closeness__lte=WEAK_CLOSENESS,
                days_since__gte=LONG_DORMANT_DAYS,
                then=F("overdue_ratio") * 2.0,
            ),
            default=F("overdue_ratio"),
            output_field=FloatField(),
        )
    )


# Which index finds a default-cadence bucket's longest-silent people fastest. A list bucket
# walks its list's (list, last contact) index from the oldest and stops after `limit` matches.
# The inner circle is small (family, friends, the closest few): read it whole through the
# (closeness, last contact) index and sort. Columns not named are hidden from the planner.
_BUCKET_INDEX = {
    "inner_circle": {"closeness"},
    "A": {"contact_list", "last"},
    "B": {"contact_list", "last"},
    "C": {"contact_list", "last"},
}


def _default_cadence_candidates(
    owner: User, today: dt.date, limit: int, snoozed: list[int], defaults: dict[str, int]
) -> list[QuerySet[Any]]:
    """Per bucket and strength, the `limit` longest-silent people who are due (subqueries).
    Those never contacted are ranked with the own-cadence people."""
    people = Person.objects.filter(owner=owner)
    if snoozed:
        people = people.exclude(pk__in=snoozed)
    subqueries = []
    for bucket, members, days in default_buckets(defaults, prefix="b_"):
        cutoff = day_cutoff(owner, today, days)
        index = _BUCKET_INDEX[bucket]
        group = people.alias(
            b_cadence=Unindexed("cadence_days", IntegerField()),
            b_closeness=F("closeness")
            if "closeness" in index
            else Unindexed("closeness", IntegerField()),
            b_contact_list=F("contact_list")
            if "contact_list" in index
            else Unindexed("contact_list", CharField()),
            b_last=F("last_contact_at")
            if "last" in index
            else Unindexed("last_contact_at", DateTimeField()),
        )
        strengths = (
            (Q(b_closeness__gt=WEAK_CLOSENESS),)
            if bucket == "inner_circle"
            else (Q(b_closeness__gt=WEAK_CLOSENESS), Q(b_closeness__lte=WEAK_CLOSENESS))
        )
        for strength in strengths:
            due = group.filter(members, strength, b_cadence__isnull=True, b_last__lt=cutoff)
            subqueries.append(due.order_by("b_last", "pk").values("pk")[:limit])
    return subqueries


def _own_cadence_candidates(
    owner: User, ranked: QuerySet[Any], limit: int, snoozed: list[int]
) -> list[int]:
    """The best `limit` of each strength among people with their own cadence and people never
    contacted (ranked exactly, in one windowed query). `ranked` is every person annotated
    with their rank (see `reconnects_due`)."""
    # Spelled so that each branch is a range of the (owner, cadence, last contact) index:
    # SQLite then reads just these people through it, as PostgreSQL does (a bitmap OR).
    # Written as "own cadence or never contacted", SQLite might scan the whole network.
    own_or_never = Q(owner=owner, cadence_days__isnull=False) | Q(
        owner=owner, cadence_days__isnull=True, last_contact_at__isnull=True
    )
    due = ranked.filter(own_or_never, days_overdue__gte=0)
    if snoozed:
        due = due.exclude(pk__in=snoozed)
    weak = Case(
        When(closeness__lte=WEAK_CLOSENESS, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    windowed = due.annotate(
        place=Window(
            RowNumber(),
            partition_by=[weak],
            order_by=[F("rank").desc(), F("days_since").desc(), F("pk").asc()],
        )
    ).filter(place__lte=limit)
    return list(windowed.values_list("pk", flat=True))


def _interleave(first: Sequence[T], second: Sequence[T]) -> list[T]:
    merged = []
    for index in range(max(len(first), len(second))):
        if index < len(first):
            merged.append(first[index])
        if index < len(second):
            merged.append(second[index])
    return merged


def agenda_for(owner: User, *, now: dt.datetime | None = None) -> Agenda:
    """The day's agenda, in order: loops overdue, thank-yous owed, today's meetings,
    reconnects due, and one or two suggested gives."""
    today = user_today(owner, now)
    agenda = Agenda(today=today)
    agenda.loops_overdue, agenda.thank_yous = sources.agenda_loop_steps(owner)
    agenda.meetings = sources.meetings_on(owner, today)
    agenda.reconnects = reconnects_due(owner, now=now)
    agenda.gives = suggested_gives(owner, now=now)
    return agenda


# --- suggested gives -------------------------------------------------------------------------

GIVE_POOL = 150  # the people you're most in touch with, considered for introductions
INTRODUCTION_BATCH = 12  # candidate pairs checked for an existing tie per lookup
INTRODUCTION_ROUNDS = 8  # then give up for today: everyone in the pool knows each other


def suggested_gives(owner: User, *, now: dt.datetime | None = None, limit: int = 2) -> list[Give]:
    """Up to `limit` gives: a share that matches someone's interests (their tags), and an
    introduction between two people you know who share an interest and don't know each other.
    The choice rotates day by day among the candidates."""
    today = user_today(owner, now)
    gives: list[Give] = []
    share = _share_give(owner, today, now)
    if share:
        gives.append(share)
    gives.extend(_introduction_gives(owner, today, limit - len(gives)))
    return gives[:limit]


def _share_give(owner: User, today: dt.date, now: dt.datetime | None) -> Give | None:
    since = today - dt.timedelta(days=30)
    for share in sources.recent_shares(owner, since):
        topics = [t.lower() for t in share.topics]
        if not topics:
            continue
        tag_match = Q()
        for topic in topics:
            tag_match |= Q(tags__name__iexact=topic)
        person = (
            Person.objects.filter(owner=owner, closeness__gte=2)
            .filter(tag_match)
            .exclude(pk__in=share.person_ids)
            .order_by("last_contact_at", "pk")
            .first()
        )
        if person:
            return Give(
                kind="share",
                title=f"Pass “{share.title}” on to {person.full_name}",
                reason=f"It's about {', '.join(share.topics)}, which {person.full_name} follows.",
                people=[person],
                url=share.url,
            )
    return None


def _introduction_gives(owner: User, today: dt.date, limit: int) -> list[Give]:
    """Introductions between people you're in touch with who share an interest (a tag, or
    their organisation's industry), work at different organisations and don't know each other
    yet (no tie, no introduction). The day picks where to start among interests and pairs, so
    the suggestion changes daily, and the search stops at the first `limit` that fit."""
    if limit <= 0:
        return []

    def pool_of(closeness: int) -> list[tuple[int, int | None, str, str]]:
        return list(
            Person.objects.filter(owner=owner, last_contact_at__isnull=False)
            .alias(
                u_closeness=Unindexed("closeness", IntegerField()),
                u_contact_list=Unindexed("contact_list", CharField()),
            )
            .filter(u_closeness__gte=closeness)
            .exclude(u_contact_list="C")
            .order_by("-last_contact_at", "pk")
            .values_list("pk", "organisation_id", "organisation__industry", "title")[:GIVE_POOL]
        )

    pool = pool_of(Closeness.FRIENDLY)
    if len(pool) < 2:
        # A new network (a first import) holds acquaintances only: introduce among them
        # rather than suggest nothing until the user has graded everyone's closeness.
        pool = pool_of(Closeness.ACQUAINTANCE)
    organisation_of = {pk: organisation for pk, organisation, _, _ in pool}
    interests: dict[str, set[int]] = defaultdict(set)
    for pk, _, industry, title in pool:
        if industry and industry.strip():
            interests[industry.strip()].add(pk)
        # What their titles say they work in, for records with no tags or industry yet.
        for work in fields_of_work(title or ""):
            interests[work].add(pk)
    from_titles = {work for _, _, _, title in pool for work in fields_of_work(title or "")}
    tag_rows = Person.tags.through.objects.filter(person_id__in=list(organisation_of)).values_list(
        "person_id", "tag__name"
    )
    for person_id, name in tag_rows:
        interests[name].add(person_id)
    shared = sorted((name for name, ids in interests.items() if len(ids) > 1), key=str.lower)
    if not shared:
        return []

    # Candidate pairs in the day's order: interests rotated by the day, and each interest's
    # pairs rotated by it too; colleagues skipped (they know each other already).
    def candidates() -> Iterator[tuple[tuple[int, int], str]]:
        day = today.toordinal()
        for step in range(len(shared)):
            interest = shared[(day + step) % len(shared)]
            pairs = list(combinations(sorted(interests[interest]), 2))
            start = day % len(pairs)
            for a, b in pairs[start:] + pairs[:start]:
                if organisation_of[a] is None or organisation_of[a] != organisation_of[b]:
                    yield (a, b), interest

    # Check ties and introductions a batch of candidates at a time, so a few small lookups
    # replace reading every tie among the whole pool.
    chosen: list[tuple[tuple[int, int], str]] = []
    pending = candidates()
    for _ in range(INTRODUCTION_ROUNDS):
        batch = list(islice(pending, INTRODUCTION_BATCH))
        if not batch:
            break
        ids = sorted({pk for pair, _ in batch for pk in pair})
        known = {
            (min(a, b), max(a, b))
            for a, b in Tie.objects.filter(
                owner=owner, person_a_id__in=ids, person_b_id__in=ids
            ).values_list("person_a_id", "person_b_id")
        } | sources.introduced_pairs(owner, ids)
        known |= {pair for pair, _ in chosen}
        for pair, interest in batch:
            if pair not in known:
                chosen.append((pair, interest))
                known.add(pair)
        if len(chosen) >= limit:
            break
    chosen = chosen[:limit]
    people = Person.objects.in_bulk([pk for pair, _ in chosen for pk in pair])
    return [
        Give(
            kind="introduction",
            title=f"Introduce {people[a].full_name} and {people[b].full_name}",
            reason=(
                f"Both work in {interest} and they don't know each other yet."
                if interest in from_titles
                else f"Both care about {interest} and they don't know each other yet."
            ),
            people=[people[a], people[b]],
        )
        for (a, b), interest in chosen
    ]


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
    """A person's cadence, when they're due, and any snooze (one or two small queries)."""
    owner = person.owner
    today = user_today(owner, now)
    annotated = with_keep_in_touch(Person.objects.filter(pk=person.pk), owner, now=now).values(
        "cadence", "days_since", "days_overdue"
    )[0]
    snooze = Snooze.objects.filter(person=person, until__gt=today).values_list("until", flat=True)
    due_on = today - dt.timedelta(days=annotated["days_overdue"])
    return KeepInTouch(
        cadence=annotated["cadence"],
        cadence_is_default=person.cadence_days is None,
        due_on=due_on,
        days_overdue=annotated["days_overdue"],
        snoozed_until=snooze.first(),
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


# --- pitch ---------------------------------------------------------------------------------


def pitch_current(owner: User) -> Pitch | None:
    """The newest version of the user's two-minute pitch (for meeting prep briefs)."""
    return Pitch.objects.filter(owner=owner).order_by("-created_at", "-pk").first()


def pitch_list(owner: User) -> QuerySet[Pitch]:
    return (
        Pitch.objects.filter(owner=owner)
        .annotate(practice_count=Count("practices"))
        .order_by("-created_at", "-pk")
    )


def get_pitch_for(owner: User, pitch_uuid: str | uuid.UUID) -> Pitch:
    """The owner's pitch version with this UUID, or 404 (also for another owner's)."""
    from django.http import Http404

    try:
        parsed = pitch_uuid if isinstance(pitch_uuid, uuid.UUID) else uuid.UUID(str(pitch_uuid))
    except ValueError:
        raise Http404("No such pitch.") from None
    pitch = Pitch.objects.filter(owner=owner, uuid=parsed).first()
    if pitch is None:
        raise Http404("No such pitch.")
    return pitch


def pitch_practices(owner: User, limit: int = 20) -> list[PitchPractice]:
    """The latest rehearsals, newest first, with whom and which version."""
    return list(
        PitchPractice.objects.filter(owner=owner)
        .select_related("person", "pitch")
        .order_by("-practised_on", "-pk")[:limit]
    )


def snoozes_list(owner: User, *, now: dt.datetime | None = None, limit: int = 50) -> list[Snooze]:
    """Snoozes still running, the soonest to end first."""
    return list(
        Snooze.objects.filter(owner=owner, until__gt=user_today(owner, now))
        .select_related("person")
        .order_by("until", "pk")[:limit]
    )


def practice_partners(owner: User, limit: int = 12) -> list[Person]:
    """Whom to practise on: list A first (mistakes are cheap there), the closest first."""
    return list(
        Person.objects.filter(owner=owner, contact_list__in=["A", "B"]).order_by(
            "contact_list", "-closeness", "full_name"
        )[:limit]
    )


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


# --- drive-through networking --------------------------------------------------------------

DRIVE_THROUGH_MIN_INTERACTIONS = 3
DRIVE_THROUGH_SEARCH_SHARE = 0.8
DRIVE_THROUGH_LOOKBACK_MONTHS = 36


@dataclass
class DriveThrough:
    person_id: int
    reasons: list[str]
    advice: str


def search_months(
    owner: User, *, now: dt.datetime | None = None
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Your job-search periods, read from the journal: months in which you held at least three
    meetings and at least twice your usual (median) number of meetings a month."""
    bounds = last_months(owner, DRIVE_THROUGH_LOOKBACK_MONTHS, now)
    counts = _monthly_counts(
        owner,
        Interaction.objects.filter(owner=owner, kind=Interaction.Kind.MEETING),
        "occurred_at",
        bounds,
    )
    usual = statistics.median(counts) if counts else 0
    threshold = max(3, 2 * usual)
    return [(bounds[i], bounds[i + 1]) for i, count in enumerate(counts) if count >= threshold]


def _merged(
    periods: list[tuple[dt.datetime, dt.datetime]],
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Adjacent months joined into one period (fewer conditions to test per row)."""
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for lo, hi in periods:
        if merged and merged[-1][1] == lo:
            merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def drive_through(
    owner: User, person_ids: list[int], *, now: dt.datetime | None = None, limit: int | None = None
) -> dict[int, DriveThrough]:
    """Which of these people you seem to contact only when you want something.

    A person is flagged when either holds:
    - at least 3 of your interactions with them in the last three years, and at least 80% of
      them fell in your job-search periods (see `search_months`) — contact that comes and goes
      with your searches;
    - you've received at least two favours from them and more than twice what you've given.

    `limit` bounds how many are looked at in detail, in the order of `person_ids`.
    """
    owned = set(Person.objects.filter(owner=owner, pk__in=person_ids).values_list("pk", flat=True))
    ids = [pk for pk in dict.fromkeys(person_ids) if pk in owned]
    return _drive_through(owner, ids, now=now, limit=limit)


def _drive_through(
    owner: User, ids: list[int], *, now: dt.datetime | None, limit: int | None
) -> dict[int, DriveThrough]:
    """`drive_through` for ids known to be the owner's, in the order given."""
    if not ids:
        return {}
    periods = _merged(search_months(owner, now=now))
    since = last_months(owner, DRIVE_THROUGH_LOOKBACK_MONTHS, now)[0]
    stats: dict[int, tuple[int, int, int]] = {}  # total, in search, outgoing
    if periods:
        # Counted in the database over the (person, occurred_at) index: no row leaves it.
        # Counting occurred_at (never null), not id: PostgreSQL can then count from the index
        # alone.
        in_search = Q()
        for lo, hi in periods:
            in_search |= Q(occurred_at__gte=lo, occurred_at__lt=hi)
        rows = (
            Participation.objects.filter(person_id__in=ids, occurred_at__gte=since)
            .values("person_id")
            .annotate(total=Count("occurred_at"), in_search=Count("occurred_at", filter=in_search))
            .filter(total__gte=DRIVE_THROUGH_MIN_INTERACTIONS)
            .values_list("person_id", "total", "in_search")
        )
        searching = {
            pk: (total, hits)
            for pk, total, hits in rows
            if hits >= DRIVE_THROUGH_SEARCH_SHARE * total
        }
        if limit is not None:
            # The first `limit` in the order asked for (with those flagged for favours, below,
            # there may be a few more; the caller shows `limit`).
            order = {pk: index for index, pk in enumerate(ids)}
            searching = dict(sorted(searching.items(), key=lambda kv: order[kv[0]])[:limit])
        # Who started the conversations: only for the few flagged, as it needs the journal.
        started = dict(
            Participation.objects.filter(
                person_id__in=list(searching),
                occurred_at__gte=since,
                interaction__direction=Interaction.Direction.OUTGOING,
            )
            .values("person_id")
            .annotate(n=Count("pk"))
            .values_list("person_id", "n")
        )
        stats = {pk: (t, h, started.get(pk, 0)) for pk, (t, h) in searching.items()}
    favours = sources.favour_balances(owner, ids)
    found: dict[int, DriveThrough] = {}
    for person_id in ids:
        reasons = []
        if person_id in stats:
            total, hits, outgoing = stats[person_id]
            all_yours = " and you started every one" if outgoing == total else ""
            reasons.append(
                f"{hits} of your {total} conversations came while you were job searching{all_yours}"
            )
        given, received = favours.get(person_id, (0, 0))
        if received >= 2 and received > 2 * given:
            reasons.append(f"they've done you {received} favours and you've done them {given}")
        if reasons:
            found[person_id] = DriveThrough(
                person_id=person_id,
                reasons=reasons,
                advice=(
                    "Get in touch when you need nothing: ask how they are, pass on an article "
                    "or event that fits their interests, or offer an introduction."
                ),
            )
    return found


# --- the network health check --------------------------------------------------------------

NAME_TEN_TARGET = 10
NAME_TEN_CAP = 20  # counted up to twice the target; more shows as "20+"
NAME_TEN_RECENT_DAYS = 183  # "in touch within 6 months"
UNTOUCHED_DAYS = 365
DRIVE_THROUGH_CANDIDATES = 150  # the most recently contacted, checked on the health page
DRIVE_THROUGH_SHOWN = 5


@dataclass
class Health:
    name_ten: int
    name_ten_people: list[Person]
    to_reconnect: list[Person]
    targets_defined: bool
    lists: dict[str, int]
    total: int
    favours: tuple[int, int] | None
    untouched: int
    weak_total: int
    weak_activated: int
    no_way_in: list[Organisation]
    drive_through: list[tuple[Person, DriveThrough]]

    @property
    def name_ten_display(self) -> str:
        """The count as shown: past the cap it is "20+" (it was counted only that far)."""
        return f"{NAME_TEN_CAP}+" if self.name_ten >= NAME_TEN_CAP else str(self.name_ten)

    @property
    def untouched_percent(self) -> int:
        return round(100 * self.untouched / self.total) if self.total else 0


@dataclass
class Relevance:
    """Relevant to your targets: works at a target organisation, knows (a tie) someone who
    does, or works in or is tagged with the industry of one. Without targets, everyone is."""

    owner_id: int
    target_ids: list[int]
    organisation_ids: list[int]  # the targets and every organisation in their industries
    tag_ids: list[int]  # tags named after those industries

    @property
    def defined(self) -> bool:
        return bool(self.target_ids)

    def among(self, ids: Sequence[int]) -> set[int]:
        """Which of these people (the owner's) are relevant, in one query that reads the ties
        of these few people only, never every tie to a target.

        Plain SQL: through the ORM, building the statement (a few hundred ids and
        organisations, some repeated per subquery) cost more than running it."""
        if not self.defined:
            return set(ids)
        ids = list(ids)
        if not ids:
            return set()
        person, tie = Person._meta.db_table, Tie._meta.db_table
        tagged = Person.tags.through._meta.db_table

        def marks(values: Sequence[int]) -> str:
            return ", ".join(["%s"] * len(values))

        # A tie is stored once, either way round: look from both ends. SQLite runs each test
        # per person and stops at the first match ("+" keeps it off the organisation index,
        # which would read everyone at a target); PostgreSQL may instead hash all the ties of
        # these people at once, which the repeated "IN (ids)" keeps to theirs.
        plus = "+" if connection.vendor == "sqlite" else ""
        tie_to_target = (
            f"EXISTS (SELECT 1 FROM {tie} t JOIN {person} other ON other.id = t.{{theirs}}"
            f" WHERE t.{{mine}} = p.id AND t.{{mine}} IN ({marks(ids)})"
            f" AND {plus}other.organisation_id IN ({marks(self.target_ids)}))"
        )
        tests = [
            f"p.organisation_id IN ({marks(self.organisation_ids)})",
            tie_to_target.format(mine="person_a_id", theirs="person_b_id"),
            tie_to_target.format(mine="person_b_id", theirs="person_a_id"),
        ]
        params: list[int] = [self.owner_id, *ids, *self.organisation_ids]
        params += [*ids, *self.target_ids, *ids, *self.target_ids]
        if self.tag_ids:
            tests.append(
                f"EXISTS (SELECT 1 FROM {tagged} pt WHERE pt.person_id = p.id"
                f" AND pt.tag_id IN ({marks(self.tag_ids)}))"
            )
            params += self.tag_ids
        sql = (
            f"SELECT p.id FROM {person} p WHERE p.owner_id = %s AND p.id IN ({marks(ids)})"
            f" AND ({' OR '.join(tests)})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {pk for (pk,) in cursor.fetchall()}

    def first(self, ordered: QuerySet[Any], want: int, batch: int = 100) -> list[int]:
        """The first `want` relevant ids of an ordered queryset of people, read in growing
        batches (100, 400, 1,600 …) so a network where few are relevant still takes a handful
        of queries and one where most are takes one or two."""
        found: list[int] = []
        offset = 0
        while len(found) < want:
            ids = list(ordered.values_list("pk", flat=True)[offset : offset + batch])
            if not ids:
                break
            relevant = self.among(ids)
            found.extend(pk for pk in ids if pk in relevant)
            offset += batch
            batch *= 4
        return found[:want]


def _relevance(owner: User) -> Relevance:
    targets = list(
        Organisation.objects.filter(owner=owner, is_target=True)
        .exclude(stage=Stage.CLOSED)
        .values_list("pk", "industry")
    )
    if not targets:
        return Relevance(owner.pk, [], [], [])
    target_ids = [pk for pk, _ in targets]
    industries = sorted({industry.strip().lower() for _, industry in targets if industry.strip()})
    organisations = set(target_ids)
    tags: list[int] = []
    if industries:
        in_industry = Q()
        for industry in industries:
            in_industry |= Q(industry__iexact=industry)
        organisations |= set(
            Organisation.objects.filter(owner=owner)
            .filter(in_industry)
            .values_list("pk", flat=True)
        )
        tagged = Q()
        for industry in industries:
            tagged |= Q(name__iexact=industry)
        tags = list(Tag.objects.filter(owner=owner).filter(tagged).values_list("pk", flat=True))
    return Relevance(owner.pk, target_ids, sorted(organisations), tags)


def _network_counts(owner: User, year_ago: dt.datetime, quarter: dt.datetime) -> dict[str, int]:
    """The health check's counts of people, in one statement: each a count over a range of
    one index (most read nothing but the index), instead of a scan of the whole network.

    Plain SQL: seven small ORM queries cost more to build than to run."""
    person = Person._meta.db_table
    when = connection.ops.adapt_datetimefield_value
    plus = "+" if connection.vendor == "sqlite" else ""  # see Unindexed
    conditions: dict[str, tuple[str, list[Any]]] = {
        "A": ("contact_list = %s", ["A"]),
        "B": ("contact_list = %s", ["B"]),
        "C": ("contact_list = %s", ["C"]),
        "contacted_over_a_year_ago": ("last_contact_at < %s", [when(year_ago)]),
        "added_over_a_year_ago_never_contacted": (
            f"last_contact_at IS NULL AND {plus}created_at < %s",
            [when(year_ago)],
        ),
        "weak": ("closeness <= %s", [WEAK_CLOSENESS]),
        "weak_in_touch": (
            "closeness <= %s AND last_contact_at >= %s",
            [WEAK_CLOSENESS, when(quarter)],
        ),
    }
    columns, params = [], []
    for condition, values in conditions.values():
        columns.append(f"(SELECT COUNT(*) FROM {person} WHERE owner_id = %s AND {condition})")
        params += [owner.pk, *values]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    return dict(zip(conditions, (int(n) for n in row), strict=True))


def health_for(owner: User, *, now: dt.datetime | None = None) -> Health:
    """The network health check (see the README of this app for each number's definition)."""
    moment = now or timezone.now()
    recent = moment - dt.timedelta(days=NAME_TEN_RECENT_DAYS)
    year_ago = moment - dt.timedelta(days=UNTOUCHED_DAYS)
    quarter = quarter_start(owner, now)
    people = Person.objects.filter(owner=owner)

    counts = _network_counts(owner, year_ago, quarter)
    lists = {key: counts[key] for key in ("A", "B", "C")}
    untouched = (
        counts["contacted_over_a_year_ago"] + counts["added_over_a_year_ago_never_contacted"]
    )

    relevance = _relevance(owner)
    # Closest first, then the most recently in touch: the order shown. List, closeness and
    # recency narrow it in the database; relevance is checked for a batch at a time.
    helpers = people.filter(contact_list__in=["A", "B"], closeness__gte=Closeness.FRIENDLY)
    in_order = ("-closeness", F("last_contact_at").desc(nulls_last=True), "pk")
    in_touch = relevance.first(
        helpers.filter(last_contact_at__gte=recent).order_by(*in_order), NAME_TEN_CAP
    )
    # Past the target the exact number matters little: counted up to the cap.
    name_ten = len(in_touch)
    name_ten_people = sorted(
        Person.objects.filter(pk__in=in_touch[:NAME_TEN_TARGET]).select_related("organisation"),
        key=lambda p: in_touch.index(p.pk),
    )
    missing = max(NAME_TEN_TARGET - name_ten, 0)
    to_reconnect: list[Person] = []
    if missing:
        out_of_touch = relevance.first(
            helpers.filter(
                Q(last_contact_at__lt=recent) | Q(last_contact_at__isnull=True)
            ).order_by(*in_order),
            missing,
        )
        to_reconnect = sorted(
            Person.objects.filter(pk__in=out_of_touch).select_related("organisation"),
            key=lambda p: out_of_touch.index(p.pk),
        )

    no_way_in = list(
        Organisation.objects.filter(owner=owner, is_target=True)
        .exclude(stage=Stage.CLOSED)
        .annotate(
            known=Exists(
                Person.objects.filter(organisation_id=OuterRef("pk"), last_contact_at__isnull=False)
            ),
            tied_a=Exists(Tie.objects.filter(person_a__organisation_id=OuterRef("pk"))),
            tied_b=Exists(Tie.objects.filter(person_b__organisation_id=OuterRef("pk"))),
        )
        .filter(known=False, tied_a=False, tied_b=False)
        .order_by("priority", "name")
    )

    # Recent contacts (for contact that comes and goes with job searches), and whoever has
    # given you far more favours than you gave them, however long ago you spoke.
    candidates = list(
        people.filter(last_contact_at__gte=year_ago)
        .order_by("-last_contact_at")
        .values_list("pk", flat=True)[:DRIVE_THROUGH_CANDIDATES]
    )
    candidates += [
        pk for pk in sources.favour_takers(owner, DRIVE_THROUGH_CANDIDATES) if pk not in candidates
    ]
    flagged = _drive_through(owner, candidates, now=now, limit=DRIVE_THROUGH_SHOWN)
    flagged_people = Person.objects.filter(pk__in=list(flagged)[:DRIVE_THROUGH_SHOWN]).order_by(
        "full_name"
    )

    return Health(
        name_ten=name_ten,
        name_ten_people=name_ten_people,
        to_reconnect=to_reconnect,
        targets_defined=relevance.defined,
        lists=lists,
        total=sum(lists.values()),
        favours=sources.favour_totals(owner),
        untouched=untouched,
        weak_total=counts["weak"],
        weak_activated=counts["weak_in_touch"],
        no_way_in=no_way_in,
        drive_through=[(p, flagged[p.pk]) for p in flagged_people],
    )


# --- first steps ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstSteps:
    """The guided first run on Home: bring your people in, pick targets, plan a first meeting.
    Each is done once the record shows it; the guide goes away when all three are."""

    has_people: bool
    has_targets: bool
    has_meeting: bool
    # Where your people work, most first: the organisations you might make targets.
    likely_targets: list[Organisation] = field(default_factory=list)
    people_count: int = 0

    @property
    def done(self) -> bool:
        return self.has_people and self.has_targets and self.has_meeting

    @property
    def remaining(self) -> int:
        return 3 - sum((self.has_people, self.has_targets, self.has_meeting))


def first_steps(owner: User) -> FirstSteps:
    """What a new user has done of the first three steps: one query, once they're done."""
    meetings = sources.meetings_of(owner)
    people, has_targets, has_meeting = (
        User.objects.filter(pk=owner.pk)
        .annotate(
            people=Subquery(
                Person.objects.filter(owner=owner)
                .order_by()
                .values("owner")
                .annotate(count=Count("*"))
                .values("count")
            ),
            targets=Exists(Organisation.objects.filter(owner=owner, is_target=True)),
            meeting=Exists(meetings) if meetings is not None else Value(False),
        )
        .values_list("people", "targets", "meeting")
        .get()
    )
    people = people or 0
    has_people = people > 0
    likely: list[Organisation] = []
    if has_people and not has_targets:
        likely = list(
            Organisation.objects.filter(owner=owner)
            .annotate(headcount=Count("people"))
            .filter(headcount__gt=0)
            .order_by("-headcount", "name")[:3]
        )
    return FirstSteps(has_people, has_targets, has_meeting, likely, people)
