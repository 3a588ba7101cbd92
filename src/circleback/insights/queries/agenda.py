"""Reads for the daily agenda: reconnects due (weak ties get their turn) and suggested gives."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations, islice
from typing import Any, TypeVar

from django.db import connections
from django.db.models import (
    CharField,
    Field,
    IntegerField,
)
from django.utils import timezone

from circleback.accounts.models import User
from circleback.accounts.queries import user_today, utc_offset_seconds
from circleback.insights import sources
from circleback.insights.cadence import (
    EPOCH,
    EpochDay,
    Unindexed,
    cadence_defaults,
    day_cutoff,
    default_buckets,
    snoozed_ids,
)
from circleback.insights.queries.new_roles import NEW_ROLE_DAYS, new_roles_to_congratulate
from circleback.people.models import Closeness, Person, Tag, Tie
from circleback.text import fields_of_work, fold, full_stop, role_words

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
        last = self.person.last_contact_at
        if self.days_since >= LONG_DORMANT_DAYS and last is not None:
            # "2193 days" is a number to work out; a month and year is a memory.
            when = f"Last in touch in {last.astimezone(dt.UTC):%B %Y}"
        else:
            when = f"{self.days_since} days since you were last in touch"
        return f"{when} (every {self.cadence} days)"


@dataclass
class Give:
    """A suggested give: congratulations on a new role, an introduction between two people,
    passing on a share, or passing on something about someone's field or organisation."""

    kind: str  # "new_role", "introduction", "share" or "pass_on"
    title: str
    reason: str
    people: list[Person]
    url: str = ""


@dataclass
class ExtraSection:
    """A section a higher area adds to the agenda (jobs: interviews, follow-ups)."""

    key: str
    title: str
    items: list[sources.SourceItem]


# Higher areas register what they add in their AppConfig.ready(): key -> read, where
# `read(owner, today, now)` returns sections of items due or happening today. One read may
# return several sections, so an area can fill them all with one query.
AgendaRead = Callable[[User, dt.date, dt.datetime], list[ExtraSection]]
_EXTRA_SECTIONS: dict[str, AgendaRead] = {}


def agenda_section_register(key: str, read: AgendaRead) -> None:
    """Let a higher area show sections in the agenda (and so the digest) after the
    meetings: insights imports nothing above it and calls whatever was registered."""
    _EXTRA_SECTIONS[key] = read


@dataclass
class Agenda:
    today: dt.date
    loops_overdue: list[sources.SourceItem] = field(default_factory=list)
    thank_yous: list[sources.SourceItem] = field(default_factory=list)
    meetings: list[sources.SourceItem] = field(default_factory=list)
    extra: list[ExtraSection] = field(default_factory=list)
    reconnects: list[Reconnect] = field(default_factory=list)
    gives: list[Give] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.loops_overdue
            or self.thank_yous
            or self.meetings
            or any(s.items for s in self.extra)
            or self.reconnects
            or self.gives
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
    people never contacted, join them as they are. Those candidates are ranked exactly, each
    strength's best `limit` kept by a window, in the same query.
    """
    if limit is None:
        limit = RECONNECTS_PER_DAY.get(User.Mode(owner.mode), 6)
    if limit <= 0:
        return []
    today = user_today(owner, now)
    defaults = cadence_defaults(owner)
    snoozed = snoozed_ids(owner, today)
    # Ranked as plain values; only the few chosen are then read as people.
    with connections[Person.objects.db].cursor() as cursor:
        cursor.execute(*_reconnects_sql(owner, today, now, limit, snoozed, defaults))
        rows = cursor.fetchall()
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
            never_contacted=bool(never),
        )
        for pk, closeness, cadence, days_since, days_overdue, never in chosen
    ]


# Which index finds a default-cadence bucket's longest-silent people fastest. A list bucket
# walks its list's (list, last contact) index from the oldest and stops after `limit` matches.
# The inner circle is small (family, friends, the closest few): read it whole through the
# (closeness, last contact) index and sort. Columns not named are hidden from SQLite's planner
# (the `+column` idiom: see cadence.Unindexed); PostgreSQL's planner has statistics.
_BUCKET_INDEX = {
    "inner_circle": {"closeness"},
    "A": {"contact_list", "last_contact_at"},
    "B": {"contact_list", "last_contact_at"},
    "C": {"contact_list", "last_contact_at"},
}


def _candidates_sql(
    owner: User,
    today: dt.date,
    limit: int,
    snoozed: list[int],
    defaults: dict[str, int],
) -> tuple[str, list[Any]]:
    """The reconnect candidates' ids as one statement: the people with their own cadence and
    those never contacted, then, per default-cadence bucket and strength, the `limit`
    longest-silent people who are due (those never contacted are among the first).

    One list read as a UNION ALL: an OR of IN-subqueries would have SQLite run every
    subquery twice and PostgreSQL scan all the owner's people. Each part is an index walk,
    limited in a subquery of its own (SQLite can't limit the parts of a UNION directly).

    Written as SQL: built by the ORM, these seven small queries and their union cost Home more
    CPU than anything else it reads (about 5 ms a request), and the database a fraction of it.
    """
    db = connections[Person.objects.db]
    meta = Person._meta
    quote = db.ops.quote_name
    hide = db.vendor == "sqlite"

    def column(name: str, bucket: str) -> str:
        field = meta.get_field(name)
        assert isinstance(field, Field)  # a column of the table, not a relation's other side
        hidden = hide and name not in _BUCKET_INDEX[bucket]
        return ("+" if hidden else "") + quote(field.column)

    pk, table = quote(meta.pk.column), quote(meta.db_table)
    parts: list[str] = []
    params: list[Any] = []
    owner_id = quote(meta.get_field("owner").column)
    not_snoozed = f" AND NOT ({pk} IN ({', '.join(['%s'] * len(snoozed))}))" if snoozed else ""
    # Spelled so that each branch is a range of the (owner, cadence, last contact) index:
    # SQLite then reads just these people through it, as PostgreSQL does (a bitmap OR).
    # Written as "own cadence or never contacted", SQLite might scan the whole network.
    cadence, last = quote(meta.get_field("cadence_days").column), quote("last_contact_at")
    parts.append(
        f"SELECT {pk} FROM {table} WHERE ({owner_id} = %s AND {cadence} IS NOT NULL"
        f" OR {owner_id} = %s AND {cadence} IS NULL AND {last} IS NULL){not_snoozed}"
    )
    params += [owner.pk, owner.pk, *snoozed]
    # The buckets' members as cadence.default_buckets defines them, spelled in SQL.
    for bucket, _, days in default_buckets(defaults):
        closeness = column("closeness", bucket)
        if bucket == "inner_circle":
            members = f"{closeness} >= %s"
            member_params: list[Any] = [Closeness.INNER_CIRCLE]
            strengths = [">"]
        else:
            members = f"{closeness} < %s AND {column('contact_list', bucket)} = %s"
            member_params = [Closeness.INNER_CIRCLE, bucket]
            strengths = [">", "<="]
        cutoff = db.ops.adapt_datetimefield_value(day_cutoff(owner, today, days))
        last = column("last_contact_at", bucket)
        for strength in strengths:
            parts.append(
                f"SELECT * FROM (SELECT {pk} FROM {table}"
                f" WHERE {owner_id} = %s{not_snoozed}"
                f" AND {members} AND {closeness} {strength} %s"
                f" AND {column('cadence_days', bucket)} IS NULL AND {last} < %s"
                f" ORDER BY {last}, {pk} LIMIT {int(limit)}) AS part{len(parts)}"
            )
            params += [owner.pk, *snoozed, *member_params, WEAK_CLOSENESS, cutoff]
    return " UNION ALL ".join(parts), params


def _reconnects_sql(
    owner: User,
    today: dt.date,
    now: dt.datetime | None,
    limit: int,
    snoozed: list[int],
    defaults: dict[str, int],
) -> tuple[str, list[Any]]:
    """The candidates who are due, ranked: (id, closeness, cadence, days since, days overdue,
    never contacted) for each strength's best `limit`, best first.

    The same numbers as cadence.with_keep_in_touch's annotations, spelled in SQL: built by the
    ORM, this ranking cost the agenda more CPU than the database spent computing it. The rank
    is the overdue ratio (days since * 1.0 / cadence, as the ORM writes it, so PostgreSQL
    divides in numeric), doubled for a weak tie dormant for over a year; ties go to the longest
    silence, then the lowest id."""
    db = connections[Person.objects.db]
    quote = db.ops.quote_name
    meta = Person._meta
    pk, table = quote(meta.pk.column), quote(meta.db_table)
    closeness, cadence_days = quote("closeness"), quote("cadence_days")
    anchor = f"COALESCE({quote('last_contact_at')}, {quote('created_at')})"
    epoch_day = EpochDay.template_for(db.vendor, utc_offset_seconds(owner, now)) % {
        "expressions": anchor
    }
    candidates, candidate_params = _candidates_sql(owner, today, limit, snoozed, defaults)
    ratio = "((days_since * %s) / cadence)"
    sql = (
        "SELECT id, closeness, cadence, days_since, days_overdue, never FROM ("
        " SELECT ranked.*, ROW_NUMBER() OVER (PARTITION BY closeness <= %s"
        " ORDER BY rank DESC, days_since DESC, id) AS place FROM ("
        " SELECT due.*, days_since - cadence AS days_overdue,"
        f" CASE WHEN closeness <= %s AND days_since >= %s THEN ({ratio} * %s) ELSE {ratio} END"
        " AS rank FROM ("
        f" SELECT {pk} AS id, {closeness} AS closeness,"
        f" COALESCE({cadence_days}, CASE WHEN {closeness} >= %s THEN %s"
        f" WHEN {quote('contact_list')} = %s THEN %s WHEN {quote('contact_list')} = %s THEN %s"
        f" ELSE %s END) AS cadence,"
        f" (%s - {epoch_day}) AS days_since, {quote('last_contact_at')} IS NULL AS never"
        f" FROM {table} WHERE {pk} IN ({candidates})"
        " ) AS due WHERE days_since - cadence >= 0"
        " ) AS ranked"
        " ) AS windowed WHERE place <= %s ORDER BY rank DESC, days_since DESC, id"
    )
    params = [
        WEAK_CLOSENESS,
        WEAK_CLOSENESS,
        LONG_DORMANT_DAYS,
        1.0,
        2.0,
        1.0,
        Closeness.INNER_CIRCLE,
        defaults["inner_circle"],
        "A",
        defaults["A"],
        "C",
        defaults["C"],
        defaults["B"],
        (today - EPOCH).days,
        *candidate_params,
        limit,
    ]
    return sql, params


def _interleave(first: Sequence[T], second: Sequence[T]) -> list[T]:
    merged = []
    for index in range(max(len(first), len(second))):
        if index < len(first):
            merged.append(first[index])
        if index < len(second):
            merged.append(second[index])
    return merged


def agenda_for(
    owner: User, *, now: dt.datetime | None = None, limit: int = sources.AGENDA_SECTION_LIMIT
) -> Agenda:
    """The day's agenda, in order: loops overdue, thank-yous owed, today's meetings,
    reconnects due, and one or two suggested gives. `limit` bounds the loops' and meetings'
    sections (Home shows the first few of each: it reads no more than it shows)."""
    today = user_today(owner, now)
    agenda = Agenda(today=today)
    agenda.loops_overdue, agenda.thank_yous = sources.agenda_loop_steps(owner, limit)
    agenda.meetings = sources.meetings_on(owner, today, limit)
    moment = now or timezone.now()
    for read in _EXTRA_SECTIONS.values():
        agenda.extra.extend(section for section in read(owner, today, moment) if section.items)
    agenda.reconnects = reconnects_due(owner, now=now)
    agenda.gives = suggested_gives(owner, now=now)
    return agenda


# --- suggested gives -------------------------------------------------------------------------

GIVE_POOL = 150  # the people you're most in touch with, considered for introductions
# Candidate pairs checked for an existing tie or introduction, in one lookup; past them,
# give up for today (everyone in the pool knows each other).
INTRODUCTION_WINDOW = 96


def suggested_gives(owner: User, *, now: dt.datetime | None = None, limit: int = 2) -> list[Give]:
    """Up to `limit` gives: congratulations to someone on a new role, first, while it is
    news; a share that matches someone's interests (their tags), an
    introduction between two people you know who share an interest and don't know each other,
    and, when those leave room, something to pass on to someone you haven't been in touch with
    lately, from what their record says they do (a fresh import's titles and employers are
    enough). The choice rotates day by day among the candidates."""
    today = user_today(owner, now)
    gives: list[Give] = []
    share = _share_give(owner, today, now)
    if share:
        gives.append(share)
    # Someone's new role rides along with the introductions' people: one query for both,
    # so Home reads no more than it did (see _people_and_news).
    news: list[Person | None] = []

    def people_of(ids: list[int]) -> dict[int, Person]:
        people, newly = _people_and_news(owner, ids, now)
        news.append(newly)
        return people

    introductions = _introduction_gives(owner, today, limit - len(gives), people_of=people_of)
    if not news:  # the introductions looked no further than their pool
        news.append(_people_and_news(owner, [], now)[1])
    new_role = _new_role_give(news[0]) if news[0] is not None else None
    if new_role:
        # News first: a reason to be in touch that won't come again; one give per person.
        gives = [new_role, *(g for g in gives if g.people != new_role.people)]
        introductions = [g for g in introductions if new_role.people[0] not in g.people]
    gives.extend(introductions)
    gives = gives[:limit]
    if len(gives) < limit:
        named = {p.pk for give in gives for p in give.people}
        pass_on = _pass_on_give(owner, today, now, exclude=named)
        if pass_on:
            gives.append(pass_on)
    return gives[:limit]


def _people_and_news(
    owner: User, ids: list[int], now: dt.datetime | None
) -> tuple[dict[int, Person], Person | None]:
    """These people by id (the introductions' pairs), and in the same query the person with
    the newest new role (people's RoleChange, noted when a title or organisation changed)
    of the last two months that you haven't been in touch with since, if any."""
    moment = now or timezone.now()
    newest = new_roles_to_congratulate(owner=owner, now=moment).values("person_id")[:1]
    # The two sets of ids read as a UNION ALL, not an OR of two INs: with the OR, PostgreSQL
    # filters all the owner's people and hash-joins every account's organisations (3.4x
    # slower Home among 100 accounts than alone in `make bench-org`); this way it looks up
    # the few ids. (Each part limited in a subquery of its own, as SQLite wants.)
    chosen = (
        Person.objects.filter(pk__in=ids)
        .values("pk")
        .union(Person.objects.filter(pk__in=newest).values("pk"), all=True)
    )
    rows = list(
        Person.objects.filter(owner=owner, pk__in=chosen).select_related(
            "organisation", "role_change"
        )
    )
    wanted = set(ids)
    # The introductions' people may have news too, noted at the same moment as the newest's
    # (an import's): of those, the first noted (new_roles.NEWEST_FIRST; max keeps the first
    # of equals), not whichever row the database gave first.
    news = sorted((p for p in rows if _has_news(p, moment)), key=lambda p: p.role_change.pk)
    return {p.pk: p for p in rows if p.pk in wanted}, max(
        news, key=lambda p: p.role_change.changed_at, default=None
    )


def _has_news(person: Person, moment: dt.datetime) -> bool:
    change = getattr(person, "role_change", None)
    if change is None or change.changed_at < moment - dt.timedelta(days=NEW_ROLE_DAYS):
        return False
    last = person.last_contact_at
    return last is None or last < change.changed_at


def _new_role_give(person: Person) -> Give:
    """Congratulate someone on a new role. Logging it (or any contact since), or dismissing
    it, ends the suggestion."""
    change = person.role_change
    organisation = person.organisation.name if person.organisation else ""
    now_role = role_words(person.title.strip(), organisation)
    same_place = fold(change.organisation_before) == fold(organisation)
    was_role = (
        change.title_before
        if same_place
        else role_words(change.title_before, change.organisation_before)
    )
    moved = f"{person.full_name} is now {now_role}" + (f" (was {was_role})" if was_role else "")
    return Give(
        kind="new_role",
        title=f"Congratulate {person.full_name} on the new role",
        reason=(
            f"{moved}. A note of congratulations asks for nothing: “stay connected even when "
            "you need nothing in return.”"
        ),
        people=[person],
    )


PASS_ON_POOL = 60  # the people longest out of touch, considered for something to pass on
PASS_ON_QUIET_DAYS = 30  # nobody you were in touch with this last month


def _pass_on_give(
    owner: User, today: dt.date, now: dt.datetime | None, *, exclude: set[int]
) -> Give | None:
    """Something to pass on to one person you know (lists A and B) and haven't been in touch
    with for a month or more: an article on the field their title names, or news about where
    they work. It asks for nothing, the give the articles advise ("pass on information that may
    interest a contact"). The day picks among the longest out of touch."""
    moment = now or timezone.now()
    cutoff = moment - dt.timedelta(days=PASS_ON_QUIET_DAYS)
    # The pool as plain values; only the one the day picks is read as a person.
    pool = [
        pk
        for pk, title, organisation_id in _quiet_people(owner, cutoff)
        if pk not in exclude and (fields_of_work(title) or organisation_id)
    ]
    if not pool:
        return None
    person = Person.objects.select_related("organisation").get(
        owner=owner, pk=pool[today.toordinal() % len(pool)]
    )
    fields = sorted(fields_of_work(person.title))
    organisation = person.organisation.name if person.organisation else ""
    role = person.title.strip()
    if role and organisation:
        context = f"{person.full_name} is {role} at {full_stop(organisation)}"
    elif role:
        context = f"{person.full_name} is listed as {full_stop(role)}"
    else:
        context = f"{person.full_name} works at {full_stop(organisation)}"
    if fields:
        what = f"an article on {fields[0]}"
        thing = f"An article on {fields[0]}" + (
            f" (or news about {organisation})" if organisation else ""
        )
    else:
        what = thing = f"news about {organisation}"
        thing = thing[0].upper() + thing[1:]
    last = person.last_contact_at
    when = f"; you were last in touch in {last.astimezone(dt.UTC):%B %Y}" if last else ""
    return Give(
        kind="pass_on",
        title=f"Pass on {what} to {person.full_name}",
        reason=f"{context} {thing} asks for nothing and shows you thought of them{when}.",
        people=[person],
    )


def _quiet_people(owner: User, cutoff: dt.datetime) -> list[tuple[int, str, int | None]]:
    """(id, title, organisation id) of the `PASS_ON_POOL` people out of touch longest since
    before `cutoff`, lists A and B: a walk of the (owner, last contact) index, the list hidden
    from SQLite's planner (see cadence.Unindexed). Written as SQL, as it is read on every
    agenda: the ORM took longer to build it than the database to answer."""
    db = connections[Person.objects.db]
    quote = db.ops.quote_name
    meta = Person._meta
    pk, last = quote(meta.pk.column), quote(meta.get_field("last_contact_at").column)
    contact_list = ("+" if db.vendor == "sqlite" else "") + quote("contact_list")
    sql = (
        f"SELECT {pk}, {quote('title')}, {quote('organisation_id')} FROM {quote(meta.db_table)}"
        f" WHERE {last} < %s AND {quote('owner_id')} = %s AND NOT ({contact_list} = %s)"
        f" ORDER BY {last}, {pk} LIMIT {int(PASS_ON_POOL)}"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, [db.ops.adapt_datetimefield_value(cutoff), owner.pk, "C"])
        return cursor.fetchall()


def _share_give(owner: User, today: dt.date, now: dt.datetime | None) -> Give | None:
    """The newest recent share that someone who follows one of its topics (a tag) hasn't had:
    passed on to the one of them longest out of touch.

    One query for all the shares: for each topic, the people who follow it in that order,
    as many as the most recipients a share has plus one. A share's pick is then the first of
    its topics' people it hasn't reached, a few rows read instead of a query per share."""
    since = today - dt.timedelta(days=30)
    shares = [
        (share, {t.lower() for t in share.topics})
        for share in sources.recent_shares(owner, since)
        if share.topics
    ]
    if not shares:
        return None
    # The owner's tags for these topics, found through their own (lower(name), owner) index:
    # matching tags by name alone (`iexact`), PostgreSQL read every account's people who
    # follow a topic of the same name (61,149 buffers among 50 accounts against 318 alone).
    topics = sorted(set().union(*(wanted for _, wanted in shares)))
    enough = 1 + max(len(share.person_ids) for share, _ in shares)
    # Each person once per topic they follow, in the pass-on order, as plain values; only the
    # one picked is then read as a person.
    ordered = _followers(owner, topics, enough)
    for share, wanted in shares:
        pick = next(
            (pk for pk, tag in ordered if tag.lower() in wanted and pk not in share.person_ids),
            None,
        )
        if pick is not None:
            person = Person.objects.get(owner=owner, pk=pick)
            return Give(
                kind="share",
                title=f"Pass “{share.title}” on to {person.full_name}",
                reason=f"It's about {', '.join(share.topics)}, which {person.full_name} follows.",
                people=[person],
                url=share.url,
            )
    return None


def _followers(owner: User, topics: list[str], enough: int) -> list[tuple[int, str]]:
    """(person id, tag name): for each of the owner's tags named one of `topics` (lowercase),
    the first `enough` people of closeness 2 or more who follow it, longest out of touch
    first; all in that order. Written as SQL, as the ORM spelled it (the tags found through
    their own (lower(name), owner) index): building it cost more CPU than answering it."""
    db = connections[Person.objects.db]
    quote = db.ops.quote_name
    person, tag, through = Person._meta, Tag._meta, Person.tags.through._meta
    people, tags, links = quote(person.db_table), quote(tag.db_table), quote(through.db_table)
    pk, last = f"{people}.{quote(person.pk.column)}", f"{people}.{quote('last_contact_at')}"
    tag_id = f"{links}.{quote(through.get_field('tag').column)}"
    sql = (
        "SELECT id, tag_name FROM ("
        f" SELECT {pk} AS id, {last} AS last_contact_at, {tags}.{quote('name')} AS tag_name,"
        f" ROW_NUMBER() OVER (PARTITION BY {tag_id} ORDER BY {last} ASC, {pk} ASC) AS place"
        f" FROM {people}"
        f" INNER JOIN {links} ON ({pk} = {links}.{quote(through.get_field('person').column)})"
        f" INNER JOIN {tags} ON ({tag_id} = {tags}.{quote(tag.pk.column)})"
        f" WHERE {people}.{quote('closeness')} >= %s AND {people}.{quote('owner_id')} = %s"
        f" AND {tag_id} IN (SELECT U0.{quote(tag.pk.column)} FROM {tags} U0"
        f" WHERE U0.{quote('owner_id')} = %s"
        f" AND LOWER(U0.{quote('name')}) IN ({', '.join(['%s'] * len(topics))}))"
        " ) AS qualify WHERE place <= %s ORDER BY last_contact_at ASC, id ASC"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, [Closeness.ACQUAINTANCE, owner.pk, owner.pk, *topics, enough])
        return cursor.fetchall()


def _introduction_gives(
    owner: User,
    today: dt.date,
    limit: int,
    *,
    people_of: Callable[[list[int]], dict[int, Person]] | None = None,
) -> list[Give]:
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
    from_titles: set[str] = set()  # the interests a title gave ("work in", not "care about")
    for pk, _, industry, title in pool:
        if industry and industry.strip():
            interests[industry.strip()].add(pk)
        # What their titles say they work in, for records with no tags or industry yet.
        for work in fields_of_work(title or ""):
            interests[work].add(pk)
            from_titles.add(work)
    for person_id, name in _tags_of(list(organisation_of)):
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

    # The first candidates of the day, their ties and introductions read in one lookup each,
    # so the page makes the same queries whichever day it is. The window is bounded (the
    # pool's people at most); past it, everyone in the pool knows each other: none today.
    window = list(islice(candidates(), INTRODUCTION_WINDOW))
    ids = sorted({pk for pair, _ in window for pk in pair})
    known = sources.introduced_pairs(owner, ids) if ids else set()
    if ids:
        known |= {(min(a, b), max(a, b)) for a, b in _ties_among(owner, ids)}
    chosen: list[tuple[tuple[int, int], str]] = []
    for pair, interest in window:
        if pair not in known:
            chosen.append((pair, interest))
            known.add(pair)
            if len(chosen) >= limit:
                break
    chosen = chosen[:limit]
    ids = [pk for pair, _ in chosen for pk in pair]
    people = people_of(ids) if people_of is not None else Person.objects.in_bulk(ids)
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


# The introductions' two lookups by a list of ids (the pool's, the window's: up to 150 each),
# written as SQL: the ORM's preparing each id of such a list, and building the statement,
# cost more CPU than the database spent answering.


def _tags_of(ids: list[int]) -> list[tuple[int, str]]:
    """(person id, tag name) for each tag of these people (the owner's: the ids are)."""
    if not ids:
        return []
    db = connections[Person.objects.db]
    quote = db.ops.quote_name
    through = Person.tags.through._meta
    tag = Tag._meta
    person_id = quote(through.get_field("person").column)
    tag_id = quote(through.get_field("tag").column)
    sql = (
        f"SELECT pt.{person_id}, t.{quote(tag.get_field('name').column)}"
        f" FROM {quote(through.db_table)} pt"
        f" INNER JOIN {quote(tag.db_table)} t ON pt.{tag_id} = t.{quote(tag.pk.column)}"
        f" WHERE pt.{person_id} IN ({', '.join(['%s'] * len(ids))})"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, ids)
        return cursor.fetchall()


def _ties_among(owner: User, ids: list[int]) -> list[tuple[int, int]]:
    """The owner's ties (person a, person b) between any two of these people."""
    db = connections[Tie.objects.db]
    quote = db.ops.quote_name
    meta = Tie._meta
    listed = ", ".join(["%s"] * len(ids))
    person_a = quote(meta.get_field("person_a").column)
    person_b = quote(meta.get_field("person_b").column)
    sql = (
        f"SELECT {person_a}, {person_b} FROM {quote(meta.db_table)}"
        f" WHERE {quote(meta.get_field('owner').column)} = %s"
        f" AND {person_a} IN ({listed}) AND {person_b} IN ({listed})"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, [owner.pk, *ids, *ids])
        return cursor.fetchall()
