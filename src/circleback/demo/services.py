"""Generate a realistic sample network for one owner: to explore the app, and to benchmark it.

The shape follows a job seeker's network as the articles describe it: a few hundred
organisations of very different sizes (a handful are targets, moving through the stages),
people on lists A, B and C with closeness skewed low and some decision makers, ties with a
power-law number per person that cluster around organisations, former employers and schools,
and several years of journal that bunch up in job-search periods.

Everything is drawn from one `random.Random(seed)`, so a seed always gives the same network
(UUIDs aside, which stay random so two owners can hold the same demo). It is built in memory,
then written in one transaction with a few large inserts per table; nothing queries per row.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from circleback.accounts.models import User
from circleback.db.bulk import ids_of, insert_rows, sqlite_room
from circleback.demo import names
from circleback.demo.activity import activity_people, activity_size, demo_activity
from circleback.demo.groups import demo_group
from circleback.demo.jobs import demo_jobs
from circleback.journal.models import Interaction, Participation
from circleback.journal.services import search_index_new_interactions
from circleback.people import contact
from circleback.people.models import Email, Link, Organisation, Person, Phone, Source, Tie
from circleback.people.services.index import search_index_people
from circleback.people.services.tags import tags_get_or_create
from circleback.text import fold, normalize_org_name

MAX_PEOPLE = 200_000
MAX_YEARS = 30
MAX_INTERACTIONS_PER_PERSON = 100.0
MAX_TIES_PER_PERSON = 50.0

Progress = Callable[[int, int, str], None]
T = TypeVar("T")

# The articles' proportions: a few personal contacts, mostly career ones, a good share of targets.
LIST_SHARES = {"A": 0.08, "B": 0.62, "C": 0.30}
# Closeness 1..5 by list: most people are met-once or acquaintances.
CLOSENESS_WEIGHTS = {
    "A": (2, 8, 30, 35, 25),
    "B": (30, 37, 20, 9, 4),
    "C": (72, 22, 5, 1, 0),
}
STAGE_WEIGHTS = {
    "researching": 30,
    "networking": 30,
    "applied": 14,
    "interviewing": 12,
    "offer": 5,
    "closed": 9,
}
# Share of all ties by kind; the rest of the shape comes from who is drawn.
TIE_KINDS: list[tuple[str, float]] = [
    (Tie.Kind.COLLEAGUE, 0.42),
    (Tie.Kind.FORMER_COLLEAGUE, 0.16),
    (Tie.Kind.CLASSMATE, 0.10),
    (Tie.Kind.FRIEND, 0.17),
    (Tie.Kind.FAMILY, 0.03),
    (Tie.Kind.MANAGER, 0.05),
    (Tie.Kind.MENTOR, 0.03),
    (Tie.Kind.CLIENT, 0.04),
]
TIE_STRENGTHS: dict[str, tuple[int, ...]] = {
    Tie.Kind.COLLEAGUE: (5, 30, 40, 20, 5),
    Tie.Kind.FORMER_COLLEAGUE: (25, 40, 25, 8, 2),
    Tie.Kind.CLASSMATE: (30, 40, 20, 8, 2),
    Tie.Kind.FRIEND: (5, 15, 35, 30, 15),
    Tie.Kind.FAMILY: (0, 2, 10, 30, 58),
    Tie.Kind.MANAGER: (5, 20, 40, 25, 10),
    Tie.Kind.MENTOR: (2, 10, 30, 35, 23),
    Tie.Kind.CLIENT: (25, 45, 22, 6, 2),
}
# Journal kinds while searching for a job and in between.
KIND_WEIGHTS_SEARCHING = {
    "email": 30,
    "meeting": 20,
    "call": 17,
    "message": 15,
    "event": 7,
    "card": 4,
    "note": 5,
    "social": 2,
}
KIND_WEIGHTS_BETWEEN = {
    "email": 22,
    "message": 24,
    "call": 12,
    "meeting": 7,
    "social": 16,
    "event": 6,
    "card": 5,
    "note": 8,
}
PHONE_FORMATS = [
    # Ranges set aside for fiction (US 555-01xx, UK Ofcom drama, Australia ACMA, France ARCEP).
    lambda r: f"+1 202-555-01{r.randrange(100):02d}",
    lambda r: f"+44 20 7946 0{r.randrange(1000):03d}",
    lambda r: f"+61 491 570 {r.randrange(110, 160):03d}",
    lambda r: f"+33 6 39 98 {r.randrange(100):02d} {r.randrange(100):02d}",
]
PERSONAL_MAIL = ["mail.example", "inbox.example", "post.example", "home.example"]
_ASCII = str.maketrans(
    {"ł": "l", "ø": "o", "æ": "ae", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "œ": "oe", "'": ""}  # noqa: RUF001
)


@dataclass(frozen=True)
class DemoReport:
    """What `demo_generate` wrote."""

    seed: int
    years: int
    people: int
    organisations: int
    targets: int
    decision_makers: int
    lists: dict[str, int]
    tags: int
    emails: int
    phones: int
    links: int
    ties: int
    interactions: int
    participations: int
    # Meetings, leads, favours, introductions… by kind (see demo/activity.py).
    give_and_take: dict[str, int]
    seconds: float
    # Something to try first: a target's name, and an accented first name typed without accents.
    example_target: str
    example_search: str


@dataclass
class _Org:
    uuid: uuid.UUID
    name: str
    normalized: str
    domain: str
    industry: str
    location: str
    is_target: bool = False
    priority: int | None = None
    stage: str = "researching"
    notes: str = ""
    members: list[int] = field(default_factory=list)
    leaders: list[int] = field(default_factory=list)


@dataclass
class _Person:
    uuid: uuid.UUID
    given: str
    family: str
    contact_list: str
    closeness: int
    org: int | None
    title: str
    location: str
    is_decision_maker: bool
    weight: float
    former: list[int] = field(default_factory=list)
    cohort: tuple[int, int] | None = None
    how_we_met: str = ""
    met_on: dt.date | None = None
    introduced_by: int | None = None
    cadence_days: int | None = None
    birthday: tuple[int | None, int | None, int | None] = (None, None, None)
    notes: str = ""
    tags: list[int] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    created_at: dt.datetime | None = None

    @property
    def full_name(self) -> str:
        return f"{self.given} {self.family}"


def _email_label(address: str) -> str:
    return "personal" if address.rsplit("@", 1)[-1] in PERSONAL_MAIL else "work"


def _ascii_slug(text: str, sep: str = "") -> str:
    """ "Łukasz Wiśniewski" -> "lukasz" + sep + "wisniewski": safe in emails and URLs."""
    folded = fold(text).translate(_ASCII)
    parts = ["".join(ch for ch in word if ch.isascii() and ch.isalnum()) for word in folded.split()]
    return sep.join(p for p in parts if p)


class _Weighted:
    """Draw items with fixed weights in O(log n) each (cumulative sums and bisection)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1] if self.cum else 0.0

    def __bool__(self) -> bool:
        return bool(self.items) and self.total > 0

    def draw(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


@functools.cache
def _cumulative(weights: tuple[float, ...]) -> list[float]:
    return list(itertools.accumulate(weights))


def _draw(rng: random.Random, items: Sequence[T], weights: tuple[float, ...]) -> T:
    """One of `items` with these weights (like `rng.choices`, without its set-up per call)."""
    cum = _cumulative(weights)
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return _draw(rng, tuple(weights), tuple(weights.values()))


class _Lazy(dict[str, str]):
    """Template values made only when a template asks for them."""

    def __init__(self, makers: dict[str, Callable[[], str]], **given: str) -> None:
        super().__init__(given)
        self.makers = makers

    def __missing__(self, key: str) -> str:
        value = self[key] = self.makers[key]()
        return value


def _validate(people: int, years: int, interactions_per_person: float, seed: int) -> None:
    errors: dict[str, str] = {}
    if not 1 <= people <= MAX_PEOPLE:
        errors["people"] = f"Choose between 1 and {MAX_PEOPLE:,} people."
    if not 1 <= years <= MAX_YEARS:
        errors["years"] = f"Choose between 1 and {MAX_YEARS} years of journal."
    if not 0 <= interactions_per_person <= MAX_INTERACTIONS_PER_PERSON:
        errors["interactions_per_person"] = (
            f"Choose between 0 and {MAX_INTERACTIONS_PER_PERSON:g} interactions per person."
        )
    if seed < 0:
        errors["seed"] = "The seed is a whole number, 0 or more."
    if errors:
        raise ValidationError(errors)


class _Generator:
    def __init__(
        self,
        *,
        rng: random.Random,
        people: int,
        years: int,
        interactions: int,
        ties: int,
        now: dt.datetime,
        taken_org_names: set[str],
    ) -> None:
        self.rng = rng
        self.n_people = people
        self.years = years
        self.n_interactions = interactions
        self.n_ties = ties
        self.end = now
        self.start = now - dt.timedelta(days=365 * years)
        self.taken_org_names = taken_org_names
        self.orgs: list[_Org] = []
        self.people: list[_Person] = []
        self.ties: dict[tuple[int, int], tuple[str, int]] = {}
        self.searches: list[tuple[dt.datetime, dt.datetime]] = []
        # (occurred_at, kind, direction, summary, notes, organisation index, people indexes)
        self.journal: list[tuple[dt.datetime, str, str, str, str, int | None, list[int]]] = []

    # --- organisations ------------------------------------------------------------------

    def make_organisations(self) -> None:
        rng = self.rng
        count = max(3, round(self.n_people**0.6))
        accented = list(names.ORG_ACCENTED)
        rng.shuffle(accented)
        attempts = 0
        while len(self.orgs) < count and attempts < count * 50:
            attempts += 1
            industry = rng.choice(names.INDUSTRIES)
            if accented and rng.random() < 0.08:
                base = accented.pop()
            else:
                root = rng.choice(names.ORG_ROOTS)
                base = (
                    root
                    if rng.random() < 0.15
                    else f"{root} {rng.choice(names.ORG_NOUNS[industry])}"
                )
            if attempts > count * 10:  # the word lists are exhausted: add a place.
                base = f"{base} {rng.choice(names.CITIES)}"
            suffix = rng.choice(names.LEGAL_SUFFIXES)
            name = f"{base} {suffix}" if suffix else base
            # "Hooli" and "Hooli S.A." are one organisation to a reader: neither may repeat.
            keys = {normalize_org_name(base), normalize_org_name(name)}
            if keys & self.taken_org_names:
                continue
            self.taken_org_names |= keys
            self.orgs.append(
                _Org(
                    uuid=uuid.uuid4(),
                    name=name,
                    normalized=normalize_org_name(name),
                    domain=f"{_ascii_slug(base, '-')}.example",
                    industry=industry,
                    location=rng.choice(names.CITIES),
                )
            )
        # About 5% are targets, spread over sizes, each with a priority and a stage.
        targets = max(1, round(len(self.orgs) * 0.05))
        for index in rng.sample(range(len(self.orgs)), targets):
            org = self.orgs[index]
            org.is_target = True
            org.priority = _draw(rng, (1, 2, 3, 4, 5), (15, 25, 30, 20, 10))
            org.stage = _pick(rng, STAGE_WEIGHTS)
            org.notes = rng.choice(
                [
                    "Strong {industry} team; ask about their graduate programme.",
                    "The head of the team decides; find a way in through former colleagues.",
                    "Growing fast; several openings expected next quarter.",
                    "Values fit well with mine; research their latest annual report.",
                ]
            ).format(industry=org.industry.lower())

    # --- people -------------------------------------------------------------------------

    def _title(self, org: _Org | None, decision_maker: bool) -> str:
        rng = self.rng
        area = rng.choice(names.AREAS)
        if decision_maker:
            return rng.choice(names.DECISION_TITLES).format(area=area)
        if org is None:
            return rng.choice(
                [
                    "",
                    "",
                    "Student",
                    "Freelance " + rng.choice(names.ROLES),
                    "Retired",
                    "Career coach",
                ]
            )
        if rng.random() < 0.08:
            return rng.choice(names.MANAGER_TITLES).format(area=area)
        role = rng.choice(names.ROLES)
        tech = any(word in role for word in ("Engineer", "Data", "Designer", "Product"))
        level = rng.choice(names.TECH_LEVELS if tech else names.LEVELS)
        return f"{level} {role}" if level else role

    def make_people(self) -> None:
        rng = self.rng
        cultures = _Weighted(names.CULTURES, [c[0] for c in names.CULTURES])
        org_sizes = _Weighted(
            range(len(self.orgs)), [1 / (rank + 3) for rank in range(len(self.orgs))]
        )
        rng.shuffle(org_sizes.items)  # the biggest organisation isn't always the first made
        targets = [i for i, o in enumerate(self.orgs) if o.is_target]
        lists = tuple(LIST_SHARES)
        list_weights = tuple(LIST_SHARES.values())
        schools = _Weighted(
            range(len(names.SCHOOLS)), [1 / (r + 2) for r in range(len(names.SCHOOLS))]
        )
        tags = _Weighted(range(len(names.TAGS)), [1 / (r + 1.5) for r in range(len(names.TAGS))])
        used_emails: set[str] = set()
        first_day = self.start.date() - dt.timedelta(days=365 * 6)
        known_days = (self.end.date() - first_day).days
        for index in range(self.n_people):
            _, givens, families = cultures.draw(rng)
            given, family = rng.choice(givens), rng.choice(families)
            contact_list = _draw(rng, lists, list_weights)
            org_index: int | None = None
            if rng.random() < (0.65 if contact_list == "A" else 0.9):
                org_index = org_sizes.draw(rng)
                if contact_list == "C" and targets and rng.random() < 0.45:
                    org_index = rng.choice(targets)
            org = self.orgs[org_index] if org_index is not None else None
            dm_chance = 0.22 if (org and org.is_target and contact_list == "C") else 0.06
            decision_maker = org is not None and rng.random() < dm_chance
            closeness = _draw(rng, (1, 2, 3, 4, 5), CLOSENESS_WEIGHTS[contact_list])
            weight = min(rng.paretovariate(1.9), 60.0)
            person = _Person(
                uuid=uuid.uuid4(),
                given=given,
                family=family,
                contact_list=contact_list,
                closeness=closeness,
                org=org_index,
                title=self._title(org, decision_maker),
                location=org.location if org and rng.random() < 0.7 else rng.choice(names.CITIES),
                is_decision_maker=decision_maker,
                weight=weight * {"A": 1.4, "B": 1.0, "C": 0.6}[contact_list],
            )
            if org is not None:
                org.members.append(index)
                if decision_maker or "Manager" in person.title or "Lead" in person.title:
                    org.leaders.append(index)
            for _ in range(_draw(rng, (0, 1, 2), (35, 40, 25))):
                former = org_sizes.draw(rng)
                if former != org_index and former not in person.former:
                    person.former.append(former)
            if rng.random() < 0.7:
                person.cohort = (schools.draw(rng), rng.randrange(1990, 2024) // 3)
            # How we met, and who introduced us (always someone added before: no cycles).
            if index > 5 and rng.random() < (0.25 if contact_list == "C" else 0.12):
                if org and len(org.members) > 1 and rng.random() < 0.5:
                    person.introduced_by = rng.choice(org.members[:-1])
                else:
                    person.introduced_by = rng.randrange(index)
            person.how_we_met = self._how_we_met(person)
            person.met_on = first_day + dt.timedelta(days=rng.randrange(known_days))
            if rng.random() < 0.2:
                person.cadence_days = {"A": 90, "B": 60, "C": 120}[contact_list]
                if closeness == 5:
                    person.cadence_days = 30
            if rng.random() < 0.3:
                person.birthday = (
                    rng.randrange(1950, 2004) if rng.random() < 0.35 else None,
                    rng.randrange(1, 13),
                    rng.randrange(1, 29),
                )
            if rng.random() < 0.25:
                person.notes = self._fill(rng.choice(names.PERSON_NOTES), person)
            for _ in range(_draw(rng, (0, 1, 2, 3), (45, 30, 17, 8))):
                tag = tags.draw(rng)
                if tag not in person.tags:
                    person.tags.append(tag)
            if "Recruiter" in person.title or "Talent" in person.title:
                recruiter = names.TAGS.index("recruiter")
                if recruiter not in person.tags:
                    person.tags.append(recruiter)
            self._contact_details(person, org, used_emails)
            self.people.append(person)

    def _contact_details(self, person: _Person, org: _Org | None, used: set[str]) -> None:
        rng = self.rng
        given, family = _ascii_slug(person.given), _ascii_slug(person.family)
        candidates = []
        if org is not None and rng.random() < 0.85:
            candidates.append(f"{given}.{family}@{org.domain}")
        if rng.random() < (0.8 if person.contact_list == "A" else 0.35):
            candidates.append(
                f"{given}{rng.choice(['.', '_', ''])}{family}@{rng.choice(PERSONAL_MAIL)}"
            )
        for address in candidates:
            local, domain = address.split("@")
            unique, n = address, 1
            while unique in used:
                n += 1
                unique = f"{local}{n}@{domain}"
            used.add(unique)
            person.emails.append(unique)
        if rng.random() < (0.9 if person.contact_list == "A" else 0.5):
            person.phones.append(rng.choice(PHONE_FORMATS)(rng))
        if rng.random() < (0.3 if person.contact_list == "A" else 0.75):
            person.links.append(
                f"https://www.linkedin.com/in/{given}-{family}-{rng.getrandbits(24):06x}"
            )
        if "Engineer" in person.title and rng.random() < 0.3:
            person.links.append(f"https://github.com/{given}{family[:3]}")

    def _fill(self, template: str, person: _Person | None = None, **extra: str) -> str:
        rng = self.rng
        org = (
            self.orgs[person.org]
            if person is not None and person.org is not None
            else rng.choice(self.orgs)
        )
        industry = org.industry.lower()
        makers: dict[str, Callable[[], str]] = {
            "area": lambda: rng.choice(names.AREAS),
            "role": lambda: rng.choice(names.ROLES).lower(),
            "city": lambda: rng.choice(names.CITIES),
            "school": lambda: rng.choice(names.SCHOOLS),
            "event": lambda: rng.choice(names.EVENTS).format(org=org.name),
            "topic": lambda: rng.choice(names.TOPICS).format(
                org=org.name, industry=industry, city=rng.choice(names.CITIES)
            ),
        }
        text = template.format_map(_Lazy(makers, org=org.name, industry=industry, **extra))
        return text.replace("..", ".")  # "… at Cobalt Inc." ends one sentence, not two

    def _how_we_met(self, person: _Person) -> str:
        rng = self.rng
        if person.introduced_by is not None:
            return f"Introduced by {self.people[person.introduced_by].full_name}"
        roll = rng.random()
        if roll < 0.35:
            return ""
        if person.contact_list == "A":
            return rng.choice(
                [
                    "Old friend from school",
                    "Family",
                    f"Neighbours in {rng.choice(names.CITIES)}",
                    "Friends through the running club",
                    "Met at a wedding",
                ]
            )
        if person.former and roll < 0.55:
            return f"Worked together at {self.orgs[person.former[0]].name}"
        if person.cohort and roll < 0.7:
            return f"Classmates at {names.SCHOOLS[person.cohort[0]]}"
        return "Met at " + rng.choice(names.EVENTS).format(org=rng.choice(self.orgs).name)

    # --- ties ---------------------------------------------------------------------------

    def make_ties(self) -> None:
        """Ties drawn Chung-Lu style: both ends in proportion to each person's activity, so
        the number of ties per person follows a power law, within a community (colleagues,
        alumni of an organisation, a school cohort) or across the whole network."""
        rng = self.rng
        people = self.people
        weight = [p.weight for p in people]

        def community(members: list[int]) -> _Weighted:
            return _Weighted(members, [weight[m] for m in members])

        everyone = community(list(range(len(people))))
        with_org = community([i for i, p in enumerate(people) if p.org is not None])
        org_members = [community(o.members) for o in self.orgs]
        alumni_lists: list[list[int]] = [list(o.members) for o in self.orgs]
        for i, p in enumerate(people):
            for f in p.former:
                alumni_lists[f].append(i)
        alumni = [community(m) for m in alumni_lists]
        with_former = community([i for i, p in enumerate(people) if p.former])
        cohort_lists: dict[tuple[int, int], list[int]] = {}
        for i, p in enumerate(people):
            if p.cohort is not None:
                cohort_lists.setdefault(p.cohort, []).append(i)
        cohorts = {k: community(v) for k, v in cohort_lists.items()}
        with_cohort = community([i for i, p in enumerate(people) if p.cohort is not None])
        list_a = community([i for i, p in enumerate(people) if p.contact_list == "A"])
        friendly = _Weighted(
            range(len(people)),
            [
                w * (3.0 if p.contact_list == "A" else 1.0)
                for w, p in zip(weight, people, strict=True)
            ],
        )
        senior = community(
            [
                i
                for i, p in enumerate(people)
                if p.is_decision_maker or any(s in p.title for s in ("Senior", "Lead", "Principal"))
            ]
        )
        led_orgs = _Weighted(
            [i for i, o in enumerate(self.orgs) if o.leaders and len(o.members) > 1],
            [len(o.members) for o in self.orgs if o.leaders and len(o.members) > 1],
        )

        def colleague() -> tuple[int, int] | None:
            a = with_org.draw(rng)
            org = people[a].org
            return (a, org_members[org].draw(rng)) if org is not None else None

        def former_colleague() -> tuple[int, int] | None:
            if not with_former:
                return None
            a = with_former.draw(rng)
            return a, alumni[rng.choice(people[a].former)].draw(rng)

        def classmate() -> tuple[int, int] | None:
            if not with_cohort:
                return None
            a = with_cohort.draw(rng)
            cohort = people[a].cohort
            return (a, cohorts[cohort].draw(rng)) if cohort is not None else None

        def friend() -> tuple[int, int] | None:
            return friendly.draw(rng), friendly.draw(rng)

        def family() -> tuple[int, int] | None:
            return (list_a.draw(rng), list_a.draw(rng)) if list_a else None

        def manager() -> tuple[int, int] | None:
            if not led_orgs:
                return None
            index = led_orgs.draw(rng)
            return rng.choice(self.orgs[index].leaders), org_members[index].draw(rng)

        def mentor() -> tuple[int, int] | None:
            return (senior.draw(rng), everyone.draw(rng)) if senior else None

        def client() -> tuple[int, int] | None:
            a, b = with_org.draw(rng), with_org.draw(rng)
            return (a, b) if people[a].org != people[b].org else None

        draws: dict[str, Callable[[], tuple[int, int] | None]] = {
            Tie.Kind.COLLEAGUE: colleague,
            Tie.Kind.FORMER_COLLEAGUE: former_colleague,
            Tie.Kind.CLASSMATE: classmate,
            Tie.Kind.FRIEND: friend,
            Tie.Kind.FAMILY: family,
            Tie.Kind.MANAGER: manager,
            Tie.Kind.MENTOR: mentor,
            Tie.Kind.CLIENT: client,
        }
        kinds = tuple(k for k, _ in TIE_KINDS)
        shares = tuple(s for _, s in TIE_KINDS)
        # A small network can't hold many ties; stop at a third of all possible pairs.
        possible = len(people) * (len(people) - 1) // 2
        wanted = min(self.n_ties, possible // 3)
        attempts = 0
        while len(self.ties) < wanted and attempts < wanted * 6:
            attempts += 1
            kind = _draw(rng, kinds, shares)
            pair = draws[kind]()
            if pair is None or pair[0] == pair[1]:
                continue
            key = (pair[0], pair[1]) if pair[0] < pair[1] else (pair[1], pair[0])
            if key in self.ties:
                continue
            strength = _draw(rng, (1, 2, 3, 4, 5), TIE_STRENGTHS[kind])
            self.ties[key] = (kind, strength)

    # --- journal ------------------------------------------------------------------------

    def _search_periods(self) -> None:
        rng = self.rng
        span = (self.end - self.start).days
        count = max(1, round(self.years * 0.7))
        for n in range(count):
            length = rng.randrange(60, 181)
            if n == 0 and rng.random() < 0.7:  # most demo users are searching right now
                begin = self.end - dt.timedelta(days=length)
            else:
                begin = self.start + dt.timedelta(days=rng.randrange(max(1, span - length)))
            self.searches.append((begin, min(self.end, begin + dt.timedelta(days=length))))
        self.search_weights = tuple(float((e - b).days + 1) for b, e in self.searches)

    def _when(self, searching: bool) -> dt.datetime:
        rng = self.rng
        for _ in range(4):
            if searching:
                begin, end = _draw(rng, self.searches, self.search_weights)
            else:
                begin, end = self.start, self.end
            seconds = rng.uniform(0, (end - begin).total_seconds())
            day = begin + dt.timedelta(seconds=seconds)
            if day.weekday() < 5 or rng.random() < 0.3:
                break
        hour = min(max(int(rng.gauss(13, 3)), 7), 21)
        return day.replace(hour=hour, minute=rng.randrange(0, 60, 5), second=0, microsecond=0)

    def make_journal(self) -> None:
        rng = self.rng
        self._search_periods()
        people = self.people
        neighbours: list[list[int]] = [[] for _ in people]
        for a, b in self.ties:
            neighbours[a].append(b)
            neighbours[b].append(a)
        base = [
            p.weight * {"A": 1.6, "B": 1.0, "C": 0.4}[p.contact_list] * (0.5 + p.closeness / 2)
            for p in people
        ]
        between = _Weighted(range(len(people)), base)
        # While searching, targets and decision makers get much more attention.
        searching_weights = [
            w * (5.0 if p.contact_list == "C" else 1.0) * (2.0 if p.is_decision_maker else 1.0)
            for w, p in zip(base, people, strict=True)
        ]
        searching_people = _Weighted(range(len(people)), searching_weights)
        for _ in range(self.n_interactions):
            searching = rng.random() < 0.6
            when = self._when(searching)
            kind = _pick(rng, KIND_WEIGHTS_SEARCHING if searching else KIND_WEIGHTS_BETWEEN)
            first = (searching_people if searching else between).draw(rng)
            count = _draw(rng, (1, 2, 3), (45, 30, 25) if kind == "event" else (76, 17, 7))
            chosen = [first]
            for _ in range(count - 1):
                pool = neighbours[first]
                org = people[first].org
                if pool and rng.random() < 0.75:
                    other = rng.choice(pool)
                elif org is not None and rng.random() < 0.7:
                    other = rng.choice(self.orgs[org].members)
                else:
                    other = between.draw(rng)
                if other not in chosen:
                    chosen.append(other)
            person = people[first]
            direction, template = rng.choice(names.SUMMARIES[kind])
            given = [people[c].given for c in chosen]
            together = given[0] if len(given) == 1 else f"{', '.join(given[:-1])} and {given[-1]}"
            summary = self._fill(template, person, first=together)
            notes = ""
            if rng.random() < (0.75 if searching else 0.45):
                notes = " ".join(
                    self._fill(s, person)
                    for s in rng.sample(names.NOTE_SENTENCES, rng.choice([1, 1, 2, 3]))
                )
            if not direction:
                direction = _draw(
                    rng,
                    ("outgoing", "incoming", "mutual"),
                    (65, 25, 10) if searching else (45, 40, 15),
                )
            org_index = None
            if person.org is not None and (
                self.orgs[person.org].is_target or kind in ("meeting", "call", "event")
            ):
                org_index = person.org if rng.random() < 0.6 else None
            self.journal.append((when, kind, direction, summary[:300], notes, org_index, chosen))

    def added_dates(self) -> None:
        """Each person was added before anyone first wrote about them."""
        rng = self.rng
        first_contact: dict[int, dt.datetime] = {}
        for when, *_, chosen in self.journal:
            for c in chosen:
                if c not in first_contact or when < first_contact[c]:
                    first_contact[c] = when
        span = (self.end - self.start).total_seconds()
        for index, person in enumerate(self.people):
            # An initial import at the start, then a steady trickle of new contacts.
            if rng.random() < 0.4:
                added = self.start + dt.timedelta(minutes=rng.randrange(600))
            else:
                added = self.start + dt.timedelta(seconds=rng.uniform(0, span))
            seen = first_contact.get(index)
            if seen is not None and seen < added:
                added = seen - dt.timedelta(hours=rng.randrange(1, 72))
            person.created_at = added
            if person.met_on and person.met_on > added.date():
                person.met_on = added.date()


@transaction.atomic
def demo_generate(
    *,
    owner: User,
    people: int = 300,
    seed: int = 1,
    years: int = 3,
    interactions_per_person: float = 10.0,
    ties_per_person: float = 5.0,
    force: bool = False,
    progress: Progress | None = None,
) -> DemoReport:
    """Add a generated sample network to the owner's data and return what was made.

    Refuses (ValidationError) when the owner already has people, unless `force`: invented
    people mixed into a real network are hard to tell apart and tedious to remove.
    Deterministic for a seed on a given day; runs in one transaction, so a failure writes nothing.
    """
    _validate(people, years, interactions_per_person, seed)
    if not 0 <= ties_per_person <= MAX_TIES_PER_PERSON:
        raise ValidationError({"ties_per_person": f"Choose between 0 and {MAX_TIES_PER_PERSON:g}."})
    existing = Person.objects.filter(owner=owner).count()
    if existing and not force:
        raise ValidationError(
            f"{owner.username} already has {existing:,} "
            f"{'person' if existing == 1 else 'people'}; the sample network would mix invented "
            "people into them. Use a separate account for the demo (circleback user create "
            "demo), or --force to add it anyway."
        )
    started = time.perf_counter()
    now = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    taken = {
        key
        for name, normalized in Organisation.objects.filter(owner=owner).values_list(
            "name", "normalized_name"
        )
        for key in (normalized, normalize_org_name(name))
    }
    gen = _Generator(
        rng=random.Random(seed),
        people=people - activity_people(people),
        years=years,
        interactions=round(people * interactions_per_person),
        ties=round(people * ties_per_person),
        now=now,
        taken_org_names=taken,
    )
    gen.make_organisations()
    gen.make_people()
    gen.make_ties()
    gen.make_journal()
    gen.added_dates()
    writer = _Writer(owner=owner, gen=gen, now=now, progress=progress)
    with sqlite_room():
        report = writer.write()
    if progress is not None:
        progress(writer.total, writer.total, "give and take")
    # The give and take, through the services; its referrals are people of the network too.
    counted = (Person, Organisation, Tie, Interaction, Participation)
    before = [model._default_manager.filter(owner=owner).count() for model in counted]
    lists_before = _list_counts(owner)
    report["give_and_take"] = demo_activity(owner=owner, size=activity_size(people), seed=seed)
    report["give_and_take"].update(demo_jobs(owner=owner, seed=seed))
    report["give_and_take"].update(demo_group(owner=owner, seed=seed))
    for key, model, count in zip(
        ("people", "organisations", "ties", "interactions", "participations"),
        counted,
        before,
        strict=True,
    ):
        report[key] += model._default_manager.filter(owner=owner).count() - count
    for letter, count in _list_counts(owner).items():
        report["lists"][letter] += count - lists_before.get(letter, 0)
    return DemoReport(
        seed=seed,
        years=years,
        seconds=round(time.perf_counter() - started, 2),
        **report,
    )


def _list_counts(owner: User) -> dict[str, int]:
    return dict(
        Person.objects.filter(owner=owner)
        .values_list("contact_list")
        .annotate(n=models.Count("pk"))
        .order_by()
    )


class _Writer:
    """Writes the generated network with a few large inserts per table."""

    def __init__(
        self, *, owner: User, gen: _Generator, now: dt.datetime, progress: Progress | None
    ) -> None:
        self.owner = owner
        self.gen = gen
        self.now = now
        self.progress = progress
        participations = sum(len(entry[-1]) for entry in gen.journal)
        self.total = len(gen.people) * 2 + len(gen.ties) + len(gen.journal) * 2 + participations
        self.done = 0
        self.stage = ""

    def _advance(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total, self.stage)

    def _begin(self, stage: str) -> None:
        self.stage = stage
        self._advance(0)

    def write(self) -> dict[str, Any]:
        gen, owner, now = self.gen, self.owner, self.now
        oid = owner.pk
        self._begin("organisations")
        insert_rows(
            Organisation,
            [
                "uuid",
                "owner_id",
                "name",
                "normalized_name",
                "domain",
                "industry",
                "location",
                "is_target",
                "priority",
                "stage",
                "notes",
                "created_at",
                "updated_at",
            ],
            (
                (
                    o.uuid,
                    oid,
                    o.name,
                    o.normalized,
                    o.domain,
                    o.industry,
                    o.location,
                    o.is_target,
                    o.priority,
                    o.stage,
                    o.notes,
                    gen.start,
                    gen.start,
                )
                for o in gen.orgs
            ),
            now=now,
        )
        org_id = ids_of(Organisation, oid, [o.uuid for o in gen.orgs])

        tags = tags_get_or_create(owner=owner, names=names.TAGS)
        tag_id = [t.pk for t in tags]

        self._begin("people")
        insert_rows(
            Person,
            [
                "uuid",
                "owner_id",
                "contact_list",
                "full_name",
                "given_name",
                "family_name",
                "title",
                "organisation_id",
                "location",
                "how_we_met",
                "met_on",
                "closeness",
                "cadence_days",
                "is_decision_maker",
                "birthday_year",
                "birthday_month",
                "birthday_day",
                "notes",
                "source",
                "created_at",
                "updated_at",
            ],
            (
                (
                    p.uuid,
                    oid,
                    p.contact_list,
                    p.full_name,
                    p.given,
                    p.family,
                    p.title,
                    org_id[p.org] if p.org is not None else None,
                    p.location,
                    p.how_we_met,
                    p.met_on,
                    p.closeness,
                    p.cadence_days,
                    p.is_decision_maker,
                    *p.birthday,
                    p.notes,
                    Source.DEMO,
                    p.created_at,
                    p.created_at,
                )
                for p in gen.people
            ),
            now=now,
            on_batch=self._advance,
        )
        pid = ids_of(Person, oid, [p.uuid for p in gen.people])
        introductions = [
            (pid[p.introduced_by], pid[i])
            for i, p in enumerate(gen.people)
            if p.introduced_by is not None
        ]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {quote(Person._meta.db_table)} SET {quote('introduced_by_id')} = %s "
                f"WHERE {quote('id')} = %s",
                introductions,
            )

        def details(attr: str) -> Any:
            for i, p in enumerate(gen.people):
                for position, value in enumerate(getattr(p, attr)):
                    yield i, position, value

        emails = insert_rows(
            Email,
            ["owner_id", "person_id", "address", "normalized", "position", "label"],
            (
                (oid, pid[i], a, contact.normalize_email(a), n, _email_label(a))
                for i, n, a in details("emails")
            ),
            now=now,
        )
        phones = insert_rows(
            Phone,
            ["owner_id", "person_id", "number", "normalized", "position", "label"],
            (
                (oid, pid[i], num, contact.normalize_phone(num), n, "mobile")
                for i, n, num in details("phones")
            ),
            now=now,
        )
        links = insert_rows(
            Link,
            ["owner_id", "person_id", "url", "normalized", "position", "kind"],
            (
                (oid, pid[i], url, contact.normalize_url(url), n, contact.link_kind(url))
                for i, n, url in details("links")
            ),
            now=now,
        )
        through = Person.tags.through
        insert_rows(
            through,
            ["person_id", "tag_id"],
            ((pid[i], tag_id[t]) for i, p in enumerate(gen.people) for t in p.tags),
            now=now,
        )

        self._begin("ties")
        tie_rows = []
        for (a, b), (kind, strength) in gen.ties.items():
            ida, idb = pid[a], pid[b]
            if ida > idb:
                ida, idb = idb, ida
            tie_rows.append((uuid.uuid4(), oid, ida, idb, kind, strength, "", gen.start))
        insert_rows(
            Tie,
            [
                "uuid",
                "owner_id",
                "person_a_id",
                "person_b_id",
                "kind",
                "strength",
                "notes",
                "created_at",
            ],
            tie_rows,
            now=now,
            on_batch=self._advance,
        )

        self._begin("journal")
        interaction_uuids = [uuid.uuid4() for _ in gen.journal]
        insert_rows(
            Interaction,
            [
                "uuid",
                "owner_id",
                "occurred_at",
                "kind",
                "direction",
                "summary",
                "notes",
                "organisation_id",
                "source",
                "external_key",
                "created_at",
            ],
            (
                (
                    u,
                    oid,
                    when,
                    kind,
                    direction,
                    summary,
                    notes,
                    org_id[org] if org is not None else None,
                    "demo",
                    "",
                    when,
                )
                for u, (when, kind, direction, summary, notes, org, _) in zip(
                    interaction_uuids, gen.journal, strict=True
                )
            ),
            now=now,
            on_batch=self._advance,
        )
        iid = ids_of(Interaction, oid, interaction_uuids)
        self._begin("participants")
        participations = insert_rows(
            Participation,
            ["owner_id", "interaction_id", "person_id", "occurred_at"],
            (
                (oid, iid[n], pid[c], entry[0])
                for n, entry in enumerate(gen.journal)
                for c in entry[-1]
            ),
            now=now,
            on_batch=self._advance,
        )
        # Last contact for everyone in one aggregate UPDATE.
        newest = (
            Participation.objects.filter(person_id=models.OuterRef("pk"))
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        Person.objects.filter(owner=owner).update(last_contact_at=models.Subquery(newest))

        self._begin("search index")
        step = 2000
        for start in range(0, len(pid), step):
            search_index_people(person_ids=pid[start : start + step])
            self._advance(len(pid[start : start + step]))
        # Journal documents straight from the text in memory, without reading 200,000 back.
        search_index_new_interactions(
            entries=((oid, iid[n], e[3], e[4]) for n, e in enumerate(gen.journal)),
            on_batch=self._advance,
        )

        accented = next((p for p in gen.people if fold(p.given) != p.given.lower()), gen.people[0])
        target = next((o for o in gen.orgs if o.is_target), gen.orgs[0])
        lists = {key: 0 for key in LIST_SHARES}
        for p in gen.people:
            lists[p.contact_list] += 1
        return {
            "people": len(gen.people),
            "organisations": len(gen.orgs),
            "targets": sum(1 for o in gen.orgs if o.is_target),
            "decision_makers": sum(1 for p in gen.people if p.is_decision_maker),
            "lists": lists,
            "tags": len({t for p in gen.people for t in p.tags}),
            "emails": emails,
            "phones": phones,
            "links": links,
            "ties": len(tie_rows),
            "interactions": len(gen.journal),
            "participations": participations,
            "example_target": target.name,
            "example_search": fold(accented.given),
        }
