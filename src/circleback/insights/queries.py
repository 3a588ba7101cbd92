"""Reads: the daily agenda, a person's keep-in-touch status, goals and the network health check.

Everything is owner-scoped and computed with database aggregates and annotations; Python only
ever touches a bounded number of rows (the few items it shows).
"""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone

from circleback.accounts.models import User
from circleback.insights import sources
from circleback.insights.cadence import (
    Unindexed,
    cadence_defaults,
    default_cadence_for,
    snoozed_ids,
    with_keep_in_touch,
)
from circleback.insights.dates import last_months, quarter_start, user_today
from circleback.insights.models import MonthlyGoals, Pitch, PitchPractice, Snooze
from circleback.journal.models import Interaction, Participation
from circleback.people.models import Closeness, Organisation, Person, Source, Stage, Tag, Tie

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

    Two queries, each ranking in the database and returning `limit` rows.
    """
    if limit is None:
        limit = RECONNECTS_PER_DAY.get(User.Mode(owner.mode), 6)
    if limit <= 0:
        return []
    today = user_today(owner, now)
    due = (
        with_keep_in_touch(
            Person.objects.filter(owner=owner).exclude(pk__in=snoozed_ids(owner, today)),
            owner,
            now=now,
        )
        .filter(days_overdue__gte=0)
        .annotate(
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
        .select_related("organisation")
        .order_by("-rank", "-days_since", "pk")
    )
    queues = [
        [
            Reconnect(
                person=p,
                cadence=p.cadence,
                days_since=p.days_since,
                days_overdue=p.days_overdue,
                weak=p.closeness <= WEAK_CLOSENESS,
                never_contacted=p.last_contact_at is None,
            )
            for p in due.filter(strength)[:limit]
        ]
        for strength in (Q(closeness__gt=WEAK_CLOSENESS), Q(closeness__lte=WEAK_CLOSENESS))
    ]
    return _interleave(queues[0], queues[1])[:limit]


def _interleave(first: Sequence[Reconnect], second: Sequence[Reconnect]) -> list[Reconnect]:
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
    agenda.loops_overdue = sources.overdue_loop_steps(owner, today)
    agenda.thank_yous = sources.thank_yous_owed(owner, today)
    agenda.meetings = sources.meetings_on(owner, today)
    agenda.reconnects = reconnects_due(owner, now=now)
    agenda.gives = suggested_gives(owner, now=now)
    return agenda


# --- suggested gives -------------------------------------------------------------------------

GIVE_POOL = 150  # the people you're most in touch with, considered for introductions


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
    if limit <= 0:
        return []
    pool = list(
        Person.objects.filter(owner=owner, last_contact_at__isnull=False)
        .alias(
            u_closeness=Unindexed("closeness", IntegerField()),
            u_contact_list=Unindexed("contact_list", CharField()),
        )
        .filter(u_closeness__gte=Closeness.FRIENDLY)
        .exclude(u_contact_list="C")
        .select_related("organisation")
        .order_by("-last_contact_at", "pk")[:GIVE_POOL]
    )
    by_id = {p.pk: p for p in pool}
    interests: dict[str, set[int]] = defaultdict(set)
    tag_rows = Person.tags.through.objects.filter(person_id__in=by_id).values_list(
        "person_id", "tag__name"
    )
    for person_id, name in tag_rows:
        interests[name].add(person_id)
    for person in pool:
        industry = person.organisation.industry if person.organisation else ""
        if industry:
            interests[industry].add(person.pk)
    pairs: dict[tuple[int, int], str] = {}
    for interest in sorted(interests, key=str.lower):
        for a, b in combinations(sorted(interests[interest]), 2):
            pa, pb = by_id[a], by_id[b]
            if pa.organisation_id and pa.organisation_id == pb.organisation_id:
                continue  # colleagues know each other already
            pairs.setdefault((a, b), interest)
    if not pairs:
        return []
    tied = set(
        Tie.objects.filter(owner=owner, person_a_id__in=by_id, person_b_id__in=by_id).values_list(
            "person_a_id", "person_b_id"
        )
    )
    tied |= sources.introduced_pairs(owner, by_id)
    candidates = sorted(pair for pair in pairs if pair not in tied)
    if not candidates:
        return []
    start = today.toordinal() % len(candidates)
    chosen = (candidates[start:] + candidates[:start])[:limit]
    return [
        Give(
            kind="introduction",
            title=f"Introduce {by_id[a].full_name} and {by_id[b].full_name}",
            reason=f"Both care about {pairs[(a, b)]} and they don't know each other yet.",
            people=[by_id[a], by_id[b]],
        )
        for a, b in chosen
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
    each an index range count (far cheaper than a FILTER per month over every row)."""
    counts = {
        f"m{i}": Subquery(
            queryset.filter(**{f"{when}__gte": lo, f"{when}__lt": hi})
            .order_by()
            .values("owner")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        for i, (lo, hi) in enumerate(pairwise(bounds))
    }
    row = User.objects.filter(pk=owner.pk).values(**counts)
    found: dict[str, Any] = dict(row.first() or {})
    return [int(found.get(f"m{i}") or 0) for i in range(len(bounds) - 1)]


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


def drive_through(
    owner: User, person_ids: list[int], *, now: dt.datetime | None = None
) -> dict[int, DriveThrough]:
    """Which of these people you seem to contact only when you want something.

    A person is flagged when either holds:
    - at least 3 of your interactions with them in the last three years, and at least 80% of
      them fell in your job-search periods (see `search_months`) — contact that comes and goes
      with your searches;
    - you've received at least two favours from them and more than twice what you've given.
    """
    ids = list(Person.objects.filter(owner=owner, pk__in=person_ids).values_list("pk", flat=True))
    if not ids:
        return {}
    periods = search_months(owner, now=now)
    since = last_months(owner, DRIVE_THROUGH_LOOKBACK_MONTHS, now)[0]
    rows = Participation.objects.filter(person_id__in=ids, occurred_at__gte=since).values_list(
        "person_id", "occurred_at", "interaction__direction"
    )
    stats: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # total, in search, outgoing
    for person_id, when, direction in rows:
        entry = stats[person_id]
        entry[0] += 1
        if any(lo <= when < hi for lo, hi in periods):
            entry[1] += 1
        if direction == Interaction.Direction.OUTGOING:
            entry[2] += 1
    favours = sources.favour_balances(owner, ids)
    found: dict[int, DriveThrough] = {}
    for person_id in ids:
        reasons = []
        total, in_search, outgoing = stats.get(person_id, [0, 0, 0])
        if (
            periods
            and total >= DRIVE_THROUGH_MIN_INTERACTIONS
            and in_search >= DRIVE_THROUGH_SEARCH_SHARE * total
        ):
            started = " and you started every one" if outgoing == total else ""
            reasons.append(
                f"{in_search} of your {total} conversations came while you were job "
                f"searching{started}"
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
NAME_TEN_RECENT_DAYS = 183  # "in touch within 6 months"
UNTOUCHED_DAYS = 365
DRIVE_THROUGH_CANDIDATES = 300


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
    def untouched_percent(self) -> int:
        return round(100 * self.untouched / self.total) if self.total else 0


def _relevant(owner: User) -> tuple[Q, bool]:
    """Relevant to your targets: works at a target organisation, knows (a tie) someone who
    does, or works in or is tagged with the industry of one. Without targets, everyone is.

    Built from uncorrelated `IN (subquery)` filters, which the database evaluates once."""
    targets = list(
        Organisation.objects.filter(owner=owner, is_target=True)
        .exclude(stage=Stage.CLOSED)
        .values_list("pk", "industry")
    )
    if not targets:
        return Q(), False
    target_ids = [pk for pk, _ in targets]
    industries = sorted({industry.strip().lower() for _, industry in targets if industry.strip()})
    # Target and tag ids are the owner's, so these subqueries need no owner filter of their
    # own (one would lead the planner to scan every tie of the owner's).
    at_targets = Person.objects.filter(organisation_id__in=target_ids).values("pk")
    relevant = Q(organisation_id__in=target_ids)
    relevant |= Q(pk__in=Tie.objects.filter(person_b_id__in=at_targets).values("person_a_id"))
    relevant |= Q(pk__in=Tie.objects.filter(person_a_id__in=at_targets).values("person_b_id"))
    if industries:
        in_industry = Q()
        for industry in industries:
            in_industry |= Q(industry__iexact=industry)
        organisations = list(
            Organisation.objects.filter(owner=owner)
            .filter(in_industry)
            .values_list("pk", flat=True)
        )
        tagged = Q()
        for industry in industries:
            tagged |= Q(name__iexact=industry)
        tags = list(Tag.objects.filter(owner=owner).filter(tagged).values_list("pk", flat=True))
        if organisations:
            relevant |= Q(organisation_id__in=organisations)
        if tags:
            relevant |= Q(
                pk__in=Person.tags.through.objects.filter(tag_id__in=tags).values("person_id")
            )
    return relevant, True


def health_for(owner: User, *, now: dt.datetime | None = None) -> Health:
    """The network health check (see the README of this app for each number's definition)."""
    moment = now or timezone.now()
    recent = moment - dt.timedelta(days=NAME_TEN_RECENT_DAYS)
    year_ago = moment - dt.timedelta(days=UNTOUCHED_DAYS)
    quarter = quarter_start(owner, now)
    people = Person.objects.filter(owner=owner)

    lists = dict(
        people.order_by()
        .values_list("contact_list")
        .annotate(n=Count("pk"))
        .values_list("contact_list", "n")
    )
    untouched = (
        people.filter(last_contact_at__lt=year_ago).count()
        + people.filter(last_contact_at__isnull=True)
        .alias(added=Unindexed("created_at", DateTimeField()))
        .filter(added__lt=year_ago)
        .count()
    )
    weak = people.filter(closeness__lte=WEAK_CLOSENESS)
    weak_total = weak.count()
    weak_activated = (
        people.filter(last_contact_at__gte=quarter)
        .alias(strength=Unindexed("closeness", IntegerField()))
        .filter(strength__lte=WEAK_CLOSENESS)
        .count()
    )

    relevant, targets_defined = _relevant(owner)
    # The last-contact index narrows to the recent; list and closeness are checked per row.
    helpers = (
        people.alias(
            on_list=Unindexed("contact_list", CharField()),
            strength=Unindexed("closeness", IntegerField()),
        )
        .filter(on_list__in=["A", "B"], strength__gte=Closeness.FRIENDLY)
        .filter(relevant)
    )
    in_touch = list(
        helpers.filter(last_contact_at__gte=recent)
        .select_related("organisation")
        .order_by("-closeness", "-last_contact_at", "pk")[: NAME_TEN_TARGET * 5]
    )
    name_ten = (
        len(in_touch)
        if len(in_touch) < NAME_TEN_TARGET * 5
        else helpers.filter(last_contact_at__gte=recent).count()
    )
    missing = max(NAME_TEN_TARGET - name_ten, 0)
    to_reconnect = (
        list(
            helpers.filter(Q(last_contact_at__lt=recent) | Q(last_contact_at__isnull=True))
            .select_related("organisation")
            .order_by("-closeness", "-last_contact_at", "pk")[:missing]
        )
        if missing
        else []
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
    flagged = drive_through(owner, candidates, now=now)
    flagged_people = Person.objects.filter(pk__in=list(flagged)[:5]).order_by("full_name")

    return Health(
        name_ten=name_ten,
        name_ten_people=in_touch[:NAME_TEN_TARGET],
        to_reconnect=to_reconnect,
        targets_defined=targets_defined,
        lists={key: lists.get(key, 0) for key in ("A", "B", "C")},
        total=sum(lists.values()),
        favours=sources.favour_totals(owner),
        untouched=untouched,
        weak_total=weak_total,
        weak_activated=weak_activated,
        no_way_in=no_way_in,
        drive_through=[(p, flagged[p.pk]) for p in flagged_people],
    )
