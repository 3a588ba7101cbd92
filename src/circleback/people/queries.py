"""Reads for people and organisations, always scoped to one owner."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.http import Http404

from circleback.accounts.models import User
from circleback.people.models import Email, Organisation, Person, Photo, Tag, Tie
from circleback.search.queries import people_matching, search_people_ids

PeopleSort = Literal["name", "-name", "last_contact", "-last_contact", "added", "-added"]


def _parse_uuid(value: str | uuid_module.UUID) -> uuid_module.UUID | None:
    if isinstance(value, uuid_module.UUID):
        return value
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        return None


def get_person_for(owner: User, person_uuid: str | uuid_module.UUID) -> Person:
    """The owner's person with this UUID, or Http404 (also for someone else's person)."""
    return _person_for(owner, person_uuid, Person.objects.select_related("organisation"))


def get_person_shown_for(owner: User, person_uuid: str | uuid_module.UUID) -> Person:
    """`get_person_for`, with what the person's page shows of them read along: their
    organisation and introducer, and whether they have a photo (`has_photo`), in one query.
    (Their emails, phones, links and tags are a query each, however many: prefetching them
    for one person makes the same queries at more CPU.)"""
    people = Person.objects.select_related("organisation", "introduced_by").annotate(
        has_photo=Exists(Photo.objects.filter(person=OuterRef("pk")))
    )
    return _person_for(owner, person_uuid, people)


def person_has_photo(person: Person) -> bool:
    """Read along by `get_person_shown_for`; otherwise asked."""
    known = getattr(person, "has_photo", None)
    if known is not None:
        return bool(known)
    return Photo.objects.filter(person=person).exists()


def _person_for(
    owner: User, person_uuid: str | uuid_module.UUID, people: QuerySet[Person]
) -> Person:
    parsed = _parse_uuid(person_uuid)
    person = people.filter(owner=owner, uuid=parsed).first() if parsed else None
    if person is None:
        raise Http404("No such person.")
    person.owner = owner  # known: what reads it next (keep in touch, loops) reads no row
    return person


def get_organisation_for(owner: User, organisation_uuid: str | uuid_module.UUID) -> Organisation:
    parsed = _parse_uuid(organisation_uuid)
    organisation = Organisation.objects.filter(owner=owner, uuid=parsed).first() if parsed else None
    if organisation is None:
        raise Http404("No such organisation.")
    return organisation


def person_find(*, owner: User, query: str, limit: int = 10) -> list[Person]:
    """People a user may mean by `query`: a UUID, an exact name, an email, or a search.

    One result means it is unambiguous; several mean the caller should ask which.
    """
    query = query.strip()
    if not query:
        return []
    parsed = _parse_uuid(query)
    base = Person.objects.filter(owner=owner).select_related("organisation")
    if parsed:
        return list(base.filter(uuid=parsed))
    exact = list(base.filter(full_name__iexact=query)[:limit])
    if exact:
        return exact
    if "@" in query:
        by_email = list(base.filter(emails__normalized=query.lower()).distinct()[:limit])
        if by_email:
            return by_email
    ids = search_people_ids(owner=owner, text=query, limit=limit)
    found = base.in_bulk(ids)
    return [found[i] for i in ids if i in found]


# The people a name picker offers for what's typed so far: a handful, best first.
SUGGESTIONS = 8


@dataclass(frozen=True)
class Suggestions:
    people: list[Person]
    more: bool  # others match too: typing more narrows them down


def people_suggest(*, owner: User, text: str, limit: int = SUGGESTIONS) -> Suggestions:
    """The owner's people a picker suggests for `text`: exact names first, then the search's
    best matches; `more` says whether others match beyond `limit`."""
    text = " ".join(text.split())[:100]
    limit = max(1, min(limit, 20))
    if not text:
        return Suggestions(people=[], more=False)
    base = Person.objects.filter(owner=owner).select_related("organisation")
    exact = list(base.filter(full_name__iexact=text).order_by("full_name", "pk")[: limit + 1])
    ids = [p.pk for p in exact]
    if len(ids) <= limit:
        found_ids = search_people_ids(owner=owner, text=text, limit=limit + 1)
        ids += [i for i in found_ids if i not in ids]
    found = base.in_bulk(ids[: limit + 1])
    people = [found[i] for i in ids if i in found]
    return Suggestions(people=people[:limit], more=len(people) > limit)


def organisation_find(*, owner: User, query: str) -> list[Organisation]:
    from circleback.text import normalize_org_name

    query = query.strip()
    parsed = _parse_uuid(query)
    if parsed:
        return list(Organisation.objects.filter(owner=owner, uuid=parsed))
    exact = list(
        Organisation.objects.filter(owner=owner, normalized_name=normalize_org_name(query))
    )
    if exact:
        return exact
    return list(
        Organisation.objects.filter(owner=owner, name__icontains=query).order_by("name")[:10]
    )


@dataclass(frozen=True)
class PeopleFilter:
    query: str = ""
    contact_list: str = ""
    tag: str = ""
    organisation: Organisation | None = None
    closeness_min: int | None = None
    last_contact_before: dt.date | None = None
    last_contact_after: dt.date | None = None
    sort: PeopleSort = "name"


_SORTS: dict[str, list[Any]] = {
    "name": [Lower("full_name").asc(), "pk"],
    "-name": [Lower("full_name").desc(), "-pk"],
    "last_contact": [F("last_contact_at").asc(nulls_first=True), "pk"],
    "-last_contact": [F("last_contact_at").desc(nulls_last=True), "-pk"],
    "added": ["created_at", "pk"],
    "-added": ["-created_at", "-pk"],
}


def people_list(*, owner: User, filters: PeopleFilter | None = None) -> QuerySet[Person]:
    """The owner's people, filtered and sorted; a query for a page, not a list in memory."""
    f = filters or PeopleFilter()
    people = Person.objects.select_related("organisation")
    if f.query.strip():
        # Every match, however many, found in SQL (search/queries.py). The owner compared as
        # `owner_id + 0`, which no index serves: otherwise SQLite (without statistics) reads
        # the owner's whole name index in order and tests each person against the matches —
        # 20,000 entries for a surname one person has, 5 ms — where looking the matches up
        # and sorting them takes 1.5 ms.
        matching = people_matching(owner_id=owner.pk, text=f.query)
        people = people.alias(owner_unindexed=F("owner_id") + 0).filter(owner_unindexed=owner.pk)
        people = people.filter(pk__in=RawSQL(*matching)) if matching else people.none()
    else:
        people = people.filter(owner=owner)
    if f.contact_list:
        people = people.filter(contact_list=f.contact_list.upper())
    if f.tag:
        people = people.filter(tags__name__iexact=f.tag)
    if f.organisation is not None:
        people = people.filter(organisation=f.organisation)
    if f.closeness_min is not None:
        # Compared as `closeness + 0`, which no index serves: otherwise SQLite (without
        # statistics) picks the closeness index and sorts every match by name — 4,000 rows of
        # a 20,000-person network, 60 ms — where reading the name index in order and skipping
        # the rest finds a page in 4 ms.
        people = people.alias(closeness_unindexed=F("closeness") + 0).filter(
            closeness_unindexed__gte=f.closeness_min
        )
    if f.last_contact_before is not None:
        people = people.filter(
            Q(last_contact_at__date__lt=f.last_contact_before) | Q(last_contact_at__isnull=True)
        )
    if f.last_contact_after is not None:
        people = people.filter(last_contact_at__date__gte=f.last_contact_after)
    return people.order_by(*_SORTS.get(f.sort, _SORTS["name"]))


def with_details(people: QuerySet[Person]) -> QuerySet[Person]:
    """Prefetch what a list row or a card shows, so a page is a fixed number of queries."""
    return people.prefetch_related(
        Prefetch("emails", queryset=Email.objects.order_by("position", "pk")),
        "phones",
        "links",
        "tags",
    )


@dataclass(frozen=True)
class PersonTies:
    ties: list[tuple[Person, Tie]]
    total: int


def person_ties(person: Person, *, limit: int | None = None) -> PersonTies:
    """The people this person is tied to, strongest first, at most `limit` of them.

    A well-connected person can have hundreds of ties; a page shows the strongest and says
    how many there are in all. One query: both ends of each tie come with their organisation
    (one end is this person), and the count of them all is a window over the same rows.
    """
    query = (
        Tie.objects.filter(Q(person_a=person) | Q(person_b=person))
        .select_related("person_a__organisation", "person_b__organisation")
        .order_by("-strength", "pk")
    )
    if limit is not None:
        query = query.annotate(total=Window(Count("pk")))[:limit]
    ties = list(query)
    total = ties[0].total if limit is not None and ties else len(ties)
    return PersonTies(
        ties=[(t.person_b if t.person_a_id == person.pk else t.person_a, t) for t in ties],
        total=total,
    )


def organisations_list(*, owner: User) -> QuerySet[Organisation]:
    """Targets first, by priority then stage order; then everything else by name."""
    return (
        Organisation.objects.filter(owner=owner)
        .annotate(people_count=Count("people"))
        .order_by(
            F("is_target").desc(),
            F("priority").asc(nulls_last=True),
            Lower("name"),
        )
    )


# --- reads for the web app ----------------------------------------------------------------


def people_ids_for(owner: User, uuids: list[str]) -> list[int] | None:
    """Primary keys of the owner's people with these UUIDs, or None if any isn't theirs.

    A selection is all-or-nothing: one stale or foreign UUID means the caller should refuse.
    """
    parsed = {_parse_uuid(u) for u in uuids}
    if None in parsed or not parsed:
        return None
    ids = list(Person.objects.filter(owner=owner, uuid__in=parsed).values_list("pk", flat=True))
    return ids if len(ids) == len(parsed) else None


def people_recently_added(owner: User, *, limit: int = 5) -> list[Person]:
    return list(
        Person.objects.filter(owner=owner)
        .select_related("organisation")
        .order_by("-created_at", "-pk")[:limit]
    )


def organisation_people(organisation: Organisation, *, limit: int = 200) -> list[Person]:
    """An organisation's people, decision makers first, then by name."""
    return list(
        Person.objects.filter(owner_id=organisation.owner_id, organisation=organisation)
        .prefetch_related("tags")
        .order_by(F("is_decision_maker").desc(), Lower("full_name"), "pk")[:limit]
    )


def tag_names(owner: User, *, limit: int = 300) -> list[str]:
    """The owner's tag names, for suggestions in filters and forms."""
    return list(
        Tag.objects.filter(owner=owner)
        .order_by(Lower("name"))
        .values_list("name", flat=True)[:limit]
    )


def people_introduced_by(person: Person, *, limit: int = 20) -> list[Person]:
    return list(
        Person.objects.filter(owner_id=person.owner_id, introduced_by=person).order_by(
            Lower("full_name")
        )[:limit]
    )


# Furthest along first within a priority; closed searches sink to the bottom.
_STAGE_RANK = ["offer", "interviewing", "applied", "networking", "researching", "closed"]


def organisations_ranked(*, owner: User, targets_only: bool = False) -> QuerySet[Organisation]:
    """Targets first by priority (1 first), then by how far along their stage is; then by name.

    Each row carries `people_count`.
    """
    from django.db.models import Case, IntegerField, Value, When

    stage_rank = Case(
        *[When(stage=stage, then=Value(i)) for i, stage in enumerate(_STAGE_RANK)],
        default=Value(len(_STAGE_RANK)),
        output_field=IntegerField(),
    )
    organisations = Organisation.objects.filter(owner=owner)
    if targets_only:
        organisations = organisations.filter(is_target=True)
    return organisations.annotate(people_count=Count("people")).order_by(
        F("is_target").desc(), F("priority").asc(nulls_last=True), stage_rank, Lower("name"), "pk"
    )


# --- who already exists ---------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """Someone already in the network who may be the person about to be added, and why."""

    person: Person
    reason: str
    # The same email address or LinkedIn profile: the same person, not a guess.
    strong: bool

    @property
    def details(self) -> str:
        """What tells people apart in a picker: organisation, title, email's domain, list."""
        person = self.person
        parts = []
        if person.title and person.organisation_id and person.organisation:
            parts.append(f"{person.title}, {person.organisation.name}")
        elif person.organisation_id and person.organisation:
            parts.append(person.organisation.name)
        elif person.title:
            parts.append(person.title)
        domains = sorted({e.address.rsplit("@", 1)[-1] for e in person.emails.all()})
        if domains:
            parts.append("email at " + ", ".join(domains[:3]))
        parts.append(f"list {person.contact_list}")
        return " · ".join(parts)


def person_matches(
    *,
    owner: User,
    full_name: str = "",
    organisation: Organisation | str | None = None,
    emails: Sequence[str] = (),
    links: Sequence[str] = (),
    limit: int = 10,
) -> list[Match]:
    """Who in the owner's network may already be this person — the one rule every path that
    adds someone asks first (forms, quick capture, events, referrals, leads, the CLI).

    In order: the same email address or LinkedIn profile (strong: the same person); the same
    name at the same organisation; the same name alone. Each person once, with the strongest
    reason.
    """
    from circleback.people import contact
    from circleback.text import normalize_org_name

    found: dict[int, Match] = {}
    base = Person.objects.filter(owner=owner).select_related("organisation")

    def add(people: Any, reason: Any, strong: bool) -> None:
        for person in people:
            if person.pk not in found and len(found) < limit:
                found[person.pk] = Match(person, reason(person), strong)

    email_keys = {contact.normalize_email(e) for e in emails if e and e.strip()}
    if email_keys:
        people = base.filter(emails__normalized__in=email_keys).distinct()
        add(people, lambda p: "the same email address", True)
    profile_keys = set()
    for url in links:
        try:
            cleaned = contact.clean_url(url)
        except Exception:  # a bad link is the service's to report; it matches no one
            continue
        if contact.link_kind(cleaned) == "linkedin":
            profile_keys.add(contact.normalize_url(cleaned))
    if profile_keys:
        people = base.filter(links__normalized__in=profile_keys).distinct()
        add(people, lambda p: "the same LinkedIn profile", True)
    name = " ".join(full_name.split())
    if name:
        named = base.filter(full_name__iexact=name).order_by("pk")
        org_key = ""
        if isinstance(organisation, Organisation):
            org_key = organisation.normalized_name
        elif organisation and organisation.strip():
            org_key = normalize_org_name(organisation)
        if org_key:
            add(
                named.filter(organisation__normalized_name=org_key),
                lambda p: f"the same name at {p.organisation.name}",
                False,
            )
        add(named, lambda p: "the same name", False)
    matches = list(found.values())
    people_by_pk = with_details(Person.objects.filter(pk__in=[m.person.pk for m in matches]))
    detailed = {p.pk: p for p in people_by_pk.select_related("organisation")}
    return [Match(detailed[m.person.pk], m.reason, m.strong) for m in matches]


def what_they_share(pairs: Sequence[tuple[Person, Person]]) -> list[str]:
    """Why each pair of people may be one, in words, from what they have in common now: the
    same email address, phone number or link; the same (or a similar) name at one organisation;
    the same name. Empty for a pair that shares nothing any more. Three queries for any
    number of pairs (the people's organisations are expected select_related)."""
    from circleback.people.models import Link, Phone
    from circleback.text import fold

    ids = {p.pk for pair in pairs for p in pair}
    details: dict[int, list[tuple[str, str, str]]] = {pk: [] for pk in ids}
    for model, what, shown in (
        (Email, "the email address", "address"),
        (Phone, "the phone number", "number"),
        (Link, "the link", "url"),
    ):
        rows = model.objects.filter(person_id__in=ids).values_list("person_id", "normalized", shown)
        for person_id, key, value in rows:
            details[person_id].append((what, key, value))
    reasons = []
    for a, b in pairs:
        theirs = {(what, key) for what, key, _v in details[b.pk]}
        shared = [
            f"share {what} {value}" for what, key, value in details[a.pk] if (what, key) in theirs
        ]
        same_org = a.organisation_id is not None and a.organisation_id == b.organisation_id
        org = a.organisation.name if same_org and a.organisation else ""
        if " ".join(fold(a.full_name).split()) == " ".join(fold(b.full_name).split()):
            shared.append(f"have the same name at {org}" if org else "have the same name")
        elif org and fold(a.family_name) == fold(b.family_name) and a.family_name:
            shared.append(f"have similar names at {org}")
        reasons.append(" and ".join(shared))
    return reasons
