"""Reads for the network health check, drive-through networking included."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone

from circleback.accounts.models import User
from circleback.accounts.queries import last_months, quarter_start
from circleback.insights import sources
from circleback.insights.queries.agenda import WEAK_CLOSENESS
from circleback.insights.queries.goals import _monthly_counts
from circleback.journal.models import Interaction, Participation
from circleback.people.models import Closeness, Organisation, Person, Stage, Tag, Tie

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
    owner: User,
    person_ids: list[int],
    *,
    now: dt.datetime | None = None,
    limit: int | None = None,
    owned: bool = False,
    favours: dict[int, tuple[int, int]] | None = None,
) -> dict[int, DriveThrough]:
    """Which of these people you seem to contact only when you want something.

    A person is flagged when either holds:
    - at least 3 of your interactions with them in the last three years, and at least 80% of
      them fell in your job-search periods (see `search_months`) — contact that comes and goes
      with your searches;
    - you've received at least two favours from them and more than twice what you've given.

    `limit` bounds how many are looked at in detail, in the order of `person_ids`. `owned`
    says the caller knows the ids are the owner's people (a person's own page): else only
    those that are the owner's are looked at. `favours` are the people's
    `sources.favour_balances` when the caller has read them already (a person's page shows
    the balance too).
    """
    ids = list(dict.fromkeys(person_ids))
    if not owned:
        mine = set(Person.objects.filter(owner=owner, pk__in=ids).values_list("pk", flat=True))
        ids = [pk for pk in ids if pk in mine]
    return _drive_through(owner, ids, now=now, limit=limit, favours=favours)


def _drive_through(
    owner: User,
    ids: list[int],
    *,
    now: dt.datetime | None,
    limit: int | None,
    favours: dict[int, tuple[int, int]] | None = None,
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
    if favours is None:
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
