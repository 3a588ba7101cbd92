"""Reads for introduction paths and connector/informer suggestions, always for one owner.

`paths_to_organisation` and `paths_to_person` search the owner's cached graph (see
`graph.py`) and explain each path in words; the score is documented in `scoring.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone

from circleback.accounts.models import User
from circleback.accounts.queries import user_zone
from circleback.paths import scoring
from circleback.paths.graph import KINDS, PeopleGraph, graph_for
from circleback.paths.signals import NEUTRAL, Signals, first_hop_signals
from circleback.people.models import Organisation, Person, Tie
from circleback.text import since_words

MAX_LIMIT = 50
DEFAULT_LIMIT = 10

_KIND_PHRASE = {
    "colleague": "colleague",
    "former_colleague": "former colleague",
    "manager": "manager or report",
    "friend": "friend",
    "family": "family",
    "classmate": "classmate",
    "mentor": "mentor or mentee",
    "client": "client or supplier",
    "other": "acquaintance",
}
_CLOSENESS_WORD = {1: "met once", 2: "acquaintance", 3: "friendly", 4: "close", 5: "inner circle"}
_LIST_WORD = {"A": "personal contact", "B": "career contact", "C": "list C contact"}
_TIMES = {1: "once", 2: "twice"}


def check_limit(limit: int) -> int:
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": f"Ask for 1 to {MAX_LIMIT} paths, not {limit!r}."})
    return limit


def _times(n: int) -> str:
    return _TIMES.get(n, f"{n} times")


def _first_name(person: Person) -> str:
    return person.given_name or person.full_name.split()[0]


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    person: Person
    note: str  # the words in brackets after the name
    tie_kind: str = ""  # how this person knows the previous one ("" for the first)
    tie_strength: int = 0


@dataclass(frozen=True)
class IntroPath:
    score: float
    steps: tuple[Step, ...]

    @property
    def hops(self) -> int:
        return len(self.steps)

    @property
    def first(self) -> Person:
        return self.steps[0].person

    @property
    def target(self) -> Person:
        return self.steps[-1].person

    @property
    def sentence(self) -> str:
        parts = ["You"] + [f"{s.person.full_name} ({s.note})" for s in self.steps]
        return " → ".join(parts)

    @property
    def ends_at_decision_maker(self) -> bool:
        return self.target.is_decision_maker

    @property
    def why(self) -> str:
        """Why it sits where it does: a decision maker can say yes; anyone else there can
        only pass you on."""
        if self.ends_at_decision_maker:
            return "Ends at a decision maker, who can say yes."
        return (
            f"Ends at {self.target.full_name}, who can't hire you but could introduce you to "
            "whoever decides."
        )

    @property
    def key(self) -> str:
        """The people's UUIDs in order: how a page asks for this path's draft."""
        return ",".join(str(s.person.uuid) for s in self.steps)

    def as_dict(self) -> dict[str, object]:
        return {
            "score": round(self.score, 4),
            "hops": self.hops,
            "sentence": self.sentence,
            "ends_at_decision_maker": self.ends_at_decision_maker,
            "why": self.why,
            "people": [
                {
                    "uuid": str(s.person.uuid),
                    "name": s.person.full_name,
                    "title": s.person.title,
                    "organisation": s.person.organisation.name if s.person.organisation else "",
                    "decision_maker": s.person.is_decision_maker,
                    "note": s.note,
                    "tie_kind": s.tie_kind,
                    "tie_strength": s.tie_strength,
                }
                for s in self.steps
            ],
        }


@dataclass(frozen=True)
class Opening:
    """A way to start when there is no path: someone to talk to, and why."""

    person: Person
    kind: str  # "industry" | "former" | "neighbour"
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {
            "uuid": str(self.person.uuid),
            "name": self.person.full_name,
            "kind": self.kind,
            "reason": self.reason,
        }


@dataclass
class PathsResult:
    target: str  # what was searched for, in words
    organisation: Organisation | None
    person: Person | None
    people_there: int  # how many of your people are the target
    paths: list[IntroPath] = field(default_factory=list)
    openings: list[Opening] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "target": self.target,
            "organisation": str(self.organisation.uuid) if self.organisation else None,
            "person": str(self.person.uuid) if self.person else None,
            "people_there": self.people_there,
            "paths": [p.as_dict() for p in self.paths],
            "openings": [o.as_dict() for o in self.openings],
        }


# --- paths --------------------------------------------------------------------------------


def _factors(graph: PeopleGraph, known: dict[int, Signals]) -> np.ndarray:
    """first_hop for every node: neutral everywhere except people loops knows about."""
    factors = np.full(graph.size, scoring.first_hop(NEUTRAL), dtype=np.float32)
    if known:
        pks = list(known)
        nodes = graph.nodes_of(pks)
        by_pk = dict(zip(graph.ids[nodes].tolist(), nodes.tolist(), strict=True))
        for pk, signals in known.items():
            if pk in by_pk:
                factors[by_pk[pk]] = scoring.first_hop(signals)
    return factors


def _first_hop_note(
    person: Person, graph: PeopleGraph, node: int, signals: Signals, now: dt.datetime, zone: Any
) -> str:
    name = _first_name(person)
    parts = [f"{_LIST_WORD.get(person.contact_list, 'contact')}, "
             f"{_CLOSENESS_WORD.get(person.closeness, 'acquaintance')}"]  # fmt: skip
    if person.last_contact_at:
        parts.append(f"last spoke {since_words(person.last_contact_at, now, zone)}")
    else:
        parts.append("no contact logged yet")
    count = int(graph.interactions[node])
    if count:
        parts.append(f"{count} interaction{'s' if count != 1 else ''} in your journal")
    if signals.favours_given:
        parts.append(f"you've helped {name} {_times(signals.favours_given)}")
    if signals.favours_received:
        parts.append(f"{name} has helped you {_times(signals.favours_received)}")
    if signals.permission == "granted":
        parts.append("has cleared you to use their name")
    return "; ".join(parts)


def _role(person: Person) -> str:
    org = person.organisation.name if person.organisation else ""
    return ", ".join(x for x in (person.title, org) if x)


def _explain(
    owner: User,
    graph: PeopleGraph,
    found: Sequence[tuple[float, tuple[int, ...]]],
    signals: dict[int, Signals],
) -> list[IntroPath]:
    if not found:
        return []
    nodes = {n for _, path in found for n in path}
    people = Person.objects.filter(owner=owner).select_related("organisation")
    by_pk = people.in_bulk([int(graph.ids[n]) for n in nodes])
    now, zone = timezone.now(), user_zone(owner)
    explained = []
    for score, path in found:
        steps: list[Step] = []
        for i, node in enumerate(path):
            person = by_pk.get(int(graph.ids[node]))
            if person is None:  # deleted since the graph was loaded
                break
            notes: list[str] = []
            kind, strength = "", 0
            if i == 0:
                notes.append(
                    _first_hop_note(person, graph, node, signals.get(person.pk, NEUTRAL), now, zone)
                )
            else:
                tie = graph.tie_between(path[i - 1], node)
                strength, code = tie if tie else (0, len(KINDS) - 1)
                kind = KINDS[code]
                previous = _first_name(steps[-1].person)
                where = (
                    f" at {person.organisation.name}"
                    if person.organisation and i < len(path) - 1
                    else ""
                )
                phrase = f"{previous}'s {_KIND_PHRASE.get(kind, 'acquaintance')}{where}"
                if strength <= 2:
                    phrase += ", a weak tie"
                notes.append(phrase)
            if i == len(path) - 1:
                role = _role(person)
                target_bits = [role] if role else []
                if person.is_decision_maker:
                    target_bits.append("decision maker")
                if target_bits:
                    # The target's role leads; a first hop's relationship stays first.
                    notes.insert(1 if i == 0 else 0, "; ".join(target_bits))
            steps.append(Step(person, "; ".join(n for n in notes if n), kind, strength))
        else:
            explained.append(IntroPath(score=score, steps=tuple(steps)))
    return explained


def _graph(owner: User, graph: PeopleGraph | None) -> PeopleGraph:
    if graph is None:
        return graph_for(owner)
    if graph.owner_id != owner.pk:
        raise ValueError("A graph is only ever searched for its own owner.")
    return graph


def paths_to_organisation(
    *,
    owner: User,
    organisation: Organisation,
    limit: int = DEFAULT_LIMIT,
    graph: PeopleGraph | None = None,
) -> PathsResult:
    """The best introduction paths to people at `organisation`, or openings if there are none.

    `graph` skips the version check (the benchmark passes the one it just loaded).
    """
    check_limit(limit)
    if organisation.owner_id != owner.pk:
        raise ValidationError({"organisation": "That organisation is not yours."})
    graph = _graph(owner, graph)
    targets = np.flatnonzero(graph.organisation == organisation.pk)
    # One read of loops' records serves both the ranking and the explanations.
    signals = first_hop_signals(owner, None, organisation.pk)
    found = graph.best_paths(targets, first_hop_factor=_factors(graph, signals), limit=limit)
    paths = _explain(owner, graph, found, signals)
    # A way to the person who can say yes comes before any way to someone who can only pass
    # you on, however short; within each, the scored, most-diverse-first order stands.
    paths.sort(key=lambda path: not path.ends_at_decision_maker)
    result = PathsResult(
        target=organisation.name,
        organisation=organisation,
        person=None,
        people_there=len(targets),
        paths=paths,
    )
    if not result.paths:
        result.openings = openings_for(owner=owner, organisation=organisation)
    return result


def paths_to_person(*, owner: User, person: Person, limit: int = DEFAULT_LIMIT) -> PathsResult:
    """The best introduction paths to one person (typically on list C)."""
    check_limit(limit)
    if person.owner_id != owner.pk:
        raise ValidationError({"person": "That person is not in your network."})
    graph = graph_for(owner)
    node = graph.node_of(person.pk)
    targets = np.asarray([node] if node is not None else [], dtype=np.int64)
    organisation_id = person.organisation_id
    signals = first_hop_signals(owner, None, organisation_id)
    found = graph.best_paths(targets, first_hop_factor=_factors(graph, signals), limit=limit)
    result = PathsResult(
        target=person.full_name,
        organisation=person.organisation,
        person=person,
        people_there=len(targets),
        paths=_explain(owner, graph, found, signals),
    )
    if not result.paths and person.organisation is not None:
        result.openings = openings_for(owner=owner, organisation=person.organisation)
    return result


def ways_in(
    *, owner: User, organisations: Iterable[Organisation], limit: int = 10
) -> dict[int, int]:
    """How many diverse paths (up to `limit`) lead into each organisation: for the index page."""
    graph = graph_for(owner)
    counts: dict[int, int] = {}
    for organisation in organisations:
        targets = np.flatnonzero(graph.organisation == organisation.pk)
        counts[organisation.pk] = len(graph.best_paths(targets, limit=limit))
    return counts


# --- openings when there is no path -------------------------------------------------------

OPENINGS_PER_KIND = 5


def openings_for(*, owner: User, organisation: Organisation) -> list[Opening]:
    """Nearest openings: same industry, former employees, people who know a neighbour."""
    known = Q(contact_list__in=["A", "B"])
    people = Person.objects.filter(owner=owner).select_related("organisation")
    openings: list[Opening] = []
    seen: set[int] = set()

    def add(person: Person, kind: str, reason: str) -> None:
        if person.pk not in seen and person.organisation_id != organisation.pk:
            seen.add(person.pk)
            openings.append(Opening(person, kind, reason))

    industry = organisation.industry.strip()
    if industry:
        for person in people.filter(known, organisation__industry__iexact=industry).order_by(
            "-closeness", F("last_contact_at").desc(nulls_last=True), "pk"
        )[:OPENINGS_PER_KIND]:
            add(
                person,
                "industry",
                f"works in {industry} too, at {person.organisation.name}"
                if person.organisation
                else f"works in {industry} too",
            )

    name = organisation.name
    former_ties = (
        Tie.objects.filter(owner=owner, kind=Tie.Kind.FORMER_COLLEAGUE)
        .filter(Q(person_a__organisation=organisation) | Q(person_b__organisation=organisation))
        .values_list("person_a_id", "person_b_id")[:50]
    )
    former_ids = {b if a_in else a for a, b, a_in in _with_side(former_ties, organisation)}
    mentions = people.filter(
        Q(notes__icontains=name) | Q(how_we_met__icontains=name) | Q(pk__in=former_ids)
    ).exclude(organisation=organisation)
    for person in mentions.order_by("-closeness", "pk")[:OPENINGS_PER_KIND]:
        reason = (
            f"a former colleague of someone at {name}"
            if person.pk in former_ids
            else f"your notes on {_first_name(person)} mention {name}"
        )
        add(person, "former", reason)

    if industry:
        neighbours = (
            Tie.objects.filter(owner=owner)
            .filter(
                Q(
                    person_a__contact_list__in=["A", "B"],
                    person_b__organisation__industry__iexact=industry,
                )
                | Q(
                    person_b__contact_list__in=["A", "B"],
                    person_a__organisation__industry__iexact=industry,
                )
            )
            .exclude(person_a__organisation=organisation)
            .exclude(person_b__organisation=organisation)
            .order_by("-strength", "pk")
            .values_list("person_a_id", "person_b_id")[:200]
        )
        pairs = list(neighbours)
        involved = people.in_bulk({x for pair in pairs for x in pair})
        added = 0
        for a, b in pairs:
            for mine, other in ((a, b), (b, a)):
                me, them = involved.get(mine), involved.get(other)
                if (
                    me is None or them is None or me.contact_list == "C"
                    or them.organisation is None
                    or them.organisation.industry.lower() != industry.lower()
                    or me.organisation_id == them.organisation_id
                ):  # fmt: skip
                    continue
                if me.pk not in seen and added < OPENINGS_PER_KIND:
                    added += 1
                    add(
                        me,
                        "neighbour",
                        f"knows {them.full_name} at {them.organisation.name}, also in {industry}",
                    )
    return openings


def _with_side(
    ties: Iterable[tuple[int, int]], organisation: Organisation
) -> list[tuple[int, int, bool]]:
    pairs = list(ties)
    at_org = set(
        Person.objects.filter(
            organisation=organisation, pk__in={x for pair in pairs for x in pair}
        ).values_list("pk", flat=True)
    )
    return [(a, b, a in at_org) for a, b in pairs]
