"""Plain dicts for people, organisations and ties: one shape for the CLI's --json, the API and
the JSON backup, so a script written against one works against the others.

Keys follow the backup format of issue 2 (`organization`, `list`, `introduced_by` as a UUID).
Callers pass people loaded through `queries.with_details` so that a list is a fixed number of
queries; `people_to_dicts` looks the introducers' UUIDs up in one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db.models import QuerySet

from circleback.people.models import Organisation, Person, Tie


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def person_to_dict(person: Person, *, introduced_by_uuid: str | None = None) -> dict[str, Any]:
    """One person as the backup format writes them.

    `introduced_by_uuid` saves a query when the caller already knows it; otherwise it is read
    from `person.introduced_by` (one query unless select_related).
    """
    if introduced_by_uuid is None and person.introduced_by_id is not None:
        introducer = person.introduced_by
        introduced_by_uuid = str(introducer.uuid) if introducer is not None else None
    organisation = person.organisation if person.organisation_id else None
    return {
        "uuid": str(person.uuid),
        "given_name": person.given_name,
        "family_name": person.family_name,
        "full_name": person.full_name,
        "emails": [e.address for e in person.emails.all()],
        "phones": [p.number for p in person.phones.all()],
        "links": [link.url for link in person.links.all()],
        "organization": organisation.name if organisation is not None else None,
        "title": person.title,
        "list": person.contact_list,
        "tags": sorted((t.name for t in person.tags.all()), key=str.lower),
        "notes": person.notes,
        "introduced_by": introduced_by_uuid,
        "closeness": person.closeness,
        "cadence_days": person.cadence_days,
        "is_decision_maker": person.is_decision_maker,
        "last_contact_at": _iso(person.last_contact_at),
        "location": person.location,
        "how_we_met": person.how_we_met,
        "met_on": _iso(person.met_on),
    }


def introducer_uuids(people: Iterable[Person]) -> Mapping[int, str]:
    """{introducer id: UUID} for these people, in one query."""
    ids = {p.introduced_by_id for p in people if p.introduced_by_id is not None}
    if not ids:
        return {}
    return {pk: str(u) for pk, u in Person.objects.filter(pk__in=ids).values_list("pk", "uuid")}


def people_to_dicts(people: Iterable[Person]) -> list[dict[str, Any]]:
    people = list(people)
    uuids = introducer_uuids(people)
    return [
        person_to_dict(
            p,
            introduced_by_uuid=uuids.get(p.introduced_by_id) if p.introduced_by_id else None,
        )
        for p in people
    ]


def organisation_to_dict(organisation: Organisation) -> dict[str, Any]:
    return {
        "uuid": str(organisation.uuid),
        "name": organisation.name,
        "domain": organisation.domain,
        "industry": organisation.industry,
        "location": organisation.location,
        "is_target": organisation.is_target,
        "priority": organisation.priority,
        "stage": organisation.stage,
        "notes": organisation.notes,
    }


def tie_to_dict(tie: Tie, *, person_a_uuid: str, person_b_uuid: str) -> dict[str, Any]:
    return {
        "uuid": str(tie.uuid),
        "person_a": person_a_uuid,
        "person_b": person_b_uuid,
        "kind": tie.kind,
        "strength": tie.strength,
        "notes": tie.notes,
    }


# The columns of a person that `person_to_dict` writes, read as plain values: a list of people
# as JSON is then a few set-based queries a batch (`people_dicts_of_rows`), not a model and four
# prefetched relations a row.
PERSON_COLUMNS = (
    "pk",
    "uuid",
    "given_name",
    "family_name",
    "full_name",
    "organisation__name",
    "title",
    "contact_list",
    "notes",
    "introduced_by__uuid",
    "closeness",
    "cadence_days",
    "is_decision_maker",
    "last_contact_at",
    "location",
    "how_we_met",
    "met_on",
)


def person_rows(people: QuerySet[Person]) -> QuerySet[Any]:
    """`people` (filtered and sorted as a list shows them) as rows of PERSON_COLUMNS."""
    return people.select_related(None).prefetch_related(None).values_list(*PERSON_COLUMNS)


@dataclass(frozen=True, slots=True)
class PersonDetails:
    """A batch of people's emails, phones and links, each with its label (links with their
    kind), in each person's order; and their tags' names, as the database sorts them."""

    emails: dict[int, list[tuple[str, str]]]
    phones: dict[int, list[tuple[str, str]]]
    links: dict[int, list[tuple[str, str, str]]]
    tags: dict[int, list[str]]


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for key, *values in rows:
        grouped.setdefault(key, []).append(values[0] if len(values) == 1 else tuple(values))
    return grouped


def person_details(ids: Sequence[int]) -> PersonDetails:
    """The details of these people: four queries, whatever their number (a batch's)."""
    from circleback.people.models import Email, Link, Phone

    ids = list(ids)

    def of(model: Any, *columns: str) -> dict[int, list[Any]]:
        return _grouped(
            model.objects.filter(person_id__in=ids)
            .order_by("person_id", "position", "pk")
            .values_list("person_id", *columns)
        )

    return PersonDetails(
        emails=of(Email, "address", "label"),
        phones=of(Phone, "number", "label"),
        links=of(Link, "url", "kind", "label"),
        tags=_grouped(
            Person.tags.through.objects.filter(person_id__in=ids)
            .order_by("tag__name")
            .values_list("person_id", "tag__name")
        ),
    )


def person_batches(
    rows: QuerySet[Any], *, size: int
) -> Iterator[tuple[list[tuple[Any, ...]], PersonDetails]]:
    """The rows of `rows` (a values_list whose first column is the person's id) `size` at a
    time, read with a database cursor, each batch with its people's details: what a list
    of 30,000 people as JSON, or the backup, holds is one batch. The people's own columns
    are each caller's (the backup adds when each was added, and the photo)."""
    iterator = rows.iterator(chunk_size=size)
    while batch := list(islice(iterator, size)):
        yield batch, person_details([row[0] for row in batch])


def people_dicts_of_rows(rows: Sequence[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Rows of `person_rows` as `person_to_dict` writes them: one query each for the batch's
    emails, phones, links and tags, whatever its size."""
    details = person_details([row[0] for row in rows])
    emails, phones, links, tags = details.emails, details.phones, details.links, details.tags
    result = []
    for (
        pk,
        uuid,
        given_name,
        family_name,
        full_name,
        organisation,
        title,
        contact_list,
        notes,
        introducer,
        closeness,
        cadence_days,
        is_decision_maker,
        last_contact_at,
        location,
        how_we_met,
        met_on,
    ) in rows:
        result.append(
            {
                "uuid": str(uuid),
                "given_name": given_name,
                "family_name": family_name,
                "full_name": full_name,
                "emails": [address for address, _label in emails.get(pk, ())],
                "phones": [number for number, _label in phones.get(pk, ())],
                "links": [url for url, _kind, _label in links.get(pk, ())],
                "organization": organisation,
                "title": title,
                "list": contact_list,
                "tags": sorted(tags.get(pk, ()), key=str.lower),
                "notes": notes,
                "introduced_by": str(introducer) if introducer is not None else None,
                "closeness": closeness,
                "cadence_days": cadence_days,
                "is_decision_maker": is_decision_maker,
                "last_contact_at": _iso(last_contact_at),
                "location": location,
                "how_we_met": how_we_met,
                "met_on": _iso(met_on),
            }
        )
    return result
