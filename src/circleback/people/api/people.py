"""/api/v1/people, /ties, /tags: the network itself, through the same services and queries
as the web app and the CLI."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import BaseModel, StrictBool, StrictInt

from circleback.api.common import owner_of, referenced
from circleback.api.conditional import change_guarded, check_if_match, etag_of, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of, paginate
from circleback.api.problems import Problem
from circleback.api.schemas import (
    Day,
    Deleted,
    IdempotencyKey,
    IfMatch,
    LongText,
    RequestBody,
    Text,
)
from circleback.operations.erase import person_erase
from circleback.people import queries
from circleback.people.models import Person, Tag, Tie
from circleback.people.services import people as people_services
from circleback.people.services import ties as ties_services

router = Router()

if TYPE_CHECKING:  # mypy can't read a Literal built from the model's choices
    Emails = list[str]
    Phones = list[str]
    Links = list[str]
    TagNames = list[str]
    TieKind = str
else:
    Emails = list[Text(320)]
    Phones = list[Text(60)]
    Links = list[Text(500)]
    TagNames = list[Text(60)]
    TieKind = Literal[tuple(Tie.Kind.values)]

ListLetter = Literal["A", "B", "C"]
# Named here: inside a schema with a field called `list`, `list[...]` would mean the field.
Strings = list[str]


# --- people -------------------------------------------------------------------------------


class PersonOut(BaseModel):
    """A plain pydantic model, not a ninja Schema: a page validates 50 of them, and ninja's
    wrapper (which reads Django models attribute by attribute) would cost a call per field
    per person on rows that are already plain dicts."""

    uuid: UUID
    full_name: str
    given_name: str
    family_name: str
    title: str
    list: ListLetter
    organization: str | None
    organization_uuid: UUID | None
    emails: Strings
    phones: Strings
    links: Strings
    tags: Strings
    notes: str
    introduced_by: UUID | None
    closeness: int
    cadence_days: int | None
    is_decision_maker: bool
    last_contact_at: dt.datetime | None
    location: str
    how_we_met: str
    met_on: dt.date | None
    etag: str = Field(
        description="The person's ETag, as GET /people/{id} answers in its ETag header: send "
        "it as If-Match to change them safely without reading them again."
    )


class PersonFields(RequestBody):
    given_name: Text(100) | None = None  # type: ignore[valid-type]
    family_name: Text(100) | None = None  # type: ignore[valid-type]
    title: Text(200) | None = None  # type: ignore[valid-type]
    list: ListLetter | None = Field(None, description="A personal, B career, C target.")
    organization: Text(200) | None = Field(  # type: ignore[valid-type]
        None, description="The organisation's name: found, or added if new. Empty clears it."
    )
    emails: Emails | None = Field(None, max_length=50)
    phones: Phones | None = Field(None, max_length=50)
    links: Links | None = Field(None, max_length=50)
    tags: TagNames | None = Field(None, max_length=50)
    notes: LongText | None = None
    introduced_by: UUID | None = Field(None, description="The id of who introduced you.")
    closeness: StrictInt | None = Field(None, ge=1, le=5)
    cadence_days: StrictInt | None = Field(None, ge=1, le=3650)
    is_decision_maker: StrictBool | None = None
    location: Text(200) | None = None  # type: ignore[valid-type]
    how_we_met: LongText | None = None
    met_on: Day | None = None


class PersonIn(PersonFields):
    full_name: Text(200, 1)  # type: ignore[valid-type]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "full_name": "Ada Quill",
                    "organization": "Hooli",
                    "title": "VP Engineering",
                    "list": "B",
                    "emails": ["ada@example.org"],
                    "tags": ["mentor"],
                }
            ]
        }
    }


class PersonPatch(PersonFields):
    full_name: Text(200, 1) | None = None  # type: ignore[valid-type]


_NULLABLE = {"cadence_days", "met_on", "introduced_by", "organization"}


def _person_args(owner: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The body's fields as person_create / person_update's arguments."""
    args: dict[str, Any] = {}
    for key, value in data.items():
        if value is None and key not in _NULLABLE:
            continue  # null means "leave as it is" for fields that can't be empty
        if key == "list":
            args["contact_list"] = value
        elif key == "organization":
            args["organisation"] = value or None
        elif key == "introduced_by":
            args["introduced_by"] = (
                referenced(queries.get_person_for, owner, value, "introduced_by") if value else None
            )
        else:
            args[key] = value
    return args


# A person's columns as one list row reads them: plain values, the organisation's and the
# introducer's ids by join — no model built per person, organisation, email, phone, link or tag.
_COLUMNS = (
    "pk",
    "uuid",
    "given_name",
    "family_name",
    "full_name",
    "title",
    "contact_list",
    "notes",
    "closeness",
    "cadence_days",
    "is_decision_maker",
    "last_contact_at",
    "location",
    "how_we_met",
    "met_on",
    "organisation__name",
    "organisation__uuid",
    "introduced_by__uuid",
)


def _rows(people: QuerySet[Person]) -> QuerySet[Any]:
    return people.values(*_COLUMNS)


def _people_out(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """People as `people_to_dicts` writes them (a test holds the two equal), plus their
    organisation's id — from rows of `_rows`, their details read as plain values in four
    queries for the whole page."""
    from circleback.people.models import Email, Link, Phone

    ids = [row["pk"] for row in rows]
    details: dict[str, dict[int, list[str]]] = {}
    for key, model, column in (
        ("emails", Email, "address"),
        ("phones", Phone, "number"),
        ("links", Link, "url"),
    ):
        found: dict[int, list[str]] = {}
        values = (
            model.objects.filter(person_id__in=ids)
            .order_by("position", "pk")
            .values_list("person_id", column)
        )
        for person_id, value in values:
            found.setdefault(person_id, []).append(value)
        details[key] = found
    tags: dict[int, list[str]] = {}
    for person_id, name in Person.tags.through.objects.filter(person_id__in=ids).values_list(
        "person_id", "tag__name"
    ):
        tags.setdefault(person_id, []).append(name)
    out = [
        {
            "uuid": str(row["uuid"]),
            "given_name": row["given_name"],
            "family_name": row["family_name"],
            "full_name": row["full_name"],
            "emails": details["emails"].get(row["pk"], []),
            "phones": details["phones"].get(row["pk"], []),
            "links": details["links"].get(row["pk"], []),
            "organization": row["organisation__name"],
            "organization_uuid": row["organisation__uuid"],
            "title": row["title"],
            "list": row["contact_list"],
            "tags": sorted(tags.get(row["pk"], []), key=str.lower),
            "notes": row["notes"],
            "introduced_by": str(row["introduced_by__uuid"])
            if row["introduced_by__uuid"]
            else None,
            "closeness": row["closeness"],
            "cadence_days": row["cadence_days"],
            "is_decision_maker": row["is_decision_maker"],
            "last_contact_at": row["last_contact_at"].isoformat()
            if row["last_contact_at"]
            else None,
            "location": row["location"],
            "how_we_met": row["how_we_met"],
            "met_on": row["met_on"].isoformat() if row["met_on"] else None,
        }
        for row in rows
    ]
    for person in out:
        person["etag"] = etag_of(person)
    return out


def person_out(owner: Any, person_uuid: Any) -> dict[str, Any]:
    return _people_out(list(_rows(Person.objects.filter(owner=owner, uuid=person_uuid))))[0]


_PEOPLE_ORDER = {
    "name": [("name_key", False), ("pk", False)],
    "-name": [("name_key", True), ("pk", True)],
    "added": [("created_at", False), ("pk", False)],
    "-added": [("created_at", True), ("pk", True)],
}


@router.get("/people", response=page_of(PersonOut), tags=["people"], summary="List people")
def list_people(
    request: HttpRequest,
    q: Text(200) = Query("", description="Search as you type: names, emails, organisations."),  # type: ignore[valid-type]
    list: ListLetter | None = Query(None, description="Only this list: A, B or C."),
    tag: Text(60) = Query("", description="Only people with this tag."),  # type: ignore[valid-type]
    organization: UUID | None = Query(None, description="Only this organisation's people."),
    closeness_min: int | None = Query(None, ge=1, le=5),
    last_contact_before: Day | None = Query(None, description="Silent since before this day."),
    last_contact_after: Day | None = Query(None),
    sort: Literal["name", "-name", "added", "-added"] = "name",
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> dict[str, Any]:
    """Your people, filtered as the people page and `circleback people` filter them."""
    owner = owner_of(request)
    filters = queries.PeopleFilter(
        query=q,
        contact_list=list or "",
        tag=tag,
        organisation=(
            referenced(queries.get_organisation_for, owner, organization, "organization")
            if organization
            else None
        ),
        closeness_min=closeness_min,
        last_contact_before=last_contact_before,
        last_contact_after=last_contact_after,
    )
    people = queries.people_list(owner=owner, filters=filters).annotate(name_key=Lower("full_name"))
    return paginate(
        request,
        people.values(*_COLUMNS, "name_key", "created_at"),
        order=_PEOPLE_ORDER[sort],
        limit=limit,
        cursor=cursor,
        serialize=_people_out,
    )


@router.post("/people", response={201: PersonOut}, tags=["people"], summary="Add a person")
@decorate_view(idempotent)
def create_person(
    request: HttpRequest,
    payload: PersonIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    args = _person_args(owner, payload.dict(exclude_unset=True))
    person = people_services.person_create(owner=owner, **args)
    data = person_out(owner, person.uuid)
    response["Location"] = f"{request.path.rstrip('/')}/{person.uuid}"
    return Status(201, with_etag(response, data))


@router.get("/people/{uuid:person_uuid}", response=PersonOut, tags=["people"], summary="A person")
def get_person(request: HttpRequest, person_uuid: UUID, response: HttpResponse) -> Any:
    owner = owner_of(request)
    queries.get_person_for(owner, person_uuid)
    return with_etag(response, person_out(owner, person_uuid))


@router.patch(
    "/people/{uuid:person_uuid}", response=PersonOut, tags=["people"], summary="Change a person"
)
def update_person(
    request: HttpRequest,
    person_uuid: UUID,
    payload: PersonPatch,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """Fields sent replace the current ones; lists (emails, phones, links, tags) replace the
    whole list."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: queries.get_person_for(owner, person_uuid),
        show=lambda person: person_out(owner, person.uuid),
        change=lambda person: people_services.person_update(
            person=person, **_person_args(owner, payload.dict(exclude_unset=True))
        ),
        response=response,
    )


@router.delete(
    "/people/{uuid:person_uuid}",
    response=Deleted,
    tags=["people"],
    summary="Delete a person, and every mention of them (as the web app's Delete does)",
)
def delete_person(request: HttpRequest, person_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    """Their details, ties, meetings, leads and favours go; journal entries only with them go;
    their name in your notes becomes "someone"."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: queries.get_person_for(owner, person_uuid),
        show=lambda person: person_out(owner, person.uuid),
        change=lambda person: person_erase(person=person),
    )


class TieOut(Schema):
    uuid: UUID
    person: UUID
    other: UUID
    other_name: str
    kind: TieKind
    strength: int
    notes: str
    etag: str = Field(
        description="The tie's ETag, as GET /ties/{id} answers in its ETag header (whichever "
        "of the two people it is read from): send it as If-Match to change or remove it."
    )


@router.get(
    "/people/{uuid:person_uuid}/ties",
    response=page_of(TieOut),
    tags=["ties"],
    summary="A person's ties, strongest first",
)
def person_ties(
    request: HttpRequest,
    person_uuid: UUID,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> dict[str, Any]:
    person = queries.get_person_for(owner_of(request), person_uuid)
    ties = Tie.objects.filter(Q(person_a=person) | Q(person_b=person)).select_related(
        "person_a", "person_b"
    )
    return paginate(
        request,
        ties,
        order=[("strength", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_tie_out(t, person) for t in rows],
    )


def _tie_out(tie: Tie, person: Person) -> dict[str, Any]:
    """The tie as `person` sees it (the other is the one they know), with the tie's ETag."""
    other = tie.person_b if tie.person_a_id == person.pk else tie.person_a
    out = {
        "uuid": tie.uuid,
        "person": person.uuid,
        "other": other.uuid,
        "other_name": other.full_name,
        "kind": tie.kind,
        "strength": tie.strength,
        "notes": tie.notes,
    }
    out["etag"] = etag_of(_tie_plain(tie))
    return out


def _tie_plain(tie: Tie) -> dict[str, Any]:
    """What GET /ties/{id} shows (from its first person's side): one ETag, whichever of the
    two people's lists it is read from."""
    return {
        "uuid": tie.uuid,
        "person": tie.person_a.uuid,
        "other": tie.person_b.uuid,
        "other_name": tie.person_b.full_name,
        "kind": tie.kind,
        "strength": tie.strength,
        "notes": tie.notes,
    }


def _tie(owner: Any, tie_uuid: UUID) -> Tie:
    tie = (
        Tie.objects.filter(owner=owner, uuid=tie_uuid)
        .select_related("person_a", "person_b")
        .first()
    )
    if tie is None:
        raise Http404("No such tie.")
    return tie


def _tie_between(owner: Any, person: Person, other: Person) -> Tie | None:
    a, b = sorted((person.pk, other.pk))
    return (
        Tie.objects.filter(owner=owner, person_a_id=a, person_b_id=b)
        .select_related("person_a", "person_b")
        .first()
    )


# --- ties ---------------------------------------------------------------------------------


class TieIn(RequestBody):
    person: UUID
    other: UUID
    kind: TieKind = "other"
    strength: StrictInt = Field(2, ge=1, le=5)
    notes: LongText = ""


@router.post(
    "/ties",
    response={200: TieOut, 201: TieOut},
    tags=["ties"],
    summary="Tie two people (201), or change how they know each other (200)",
)
@decorate_view(idempotent)
def set_tie(
    request: HttpRequest,
    payload: TieIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
    idempotency_key: str | None = IdempotencyKey,
) -> Any:
    """Setting a tie that exists changes it: sending the same request twice changes nothing.
    `If-Match`, if sent, names the ETag of the tie you read (GET /ties/{id}): a tie changed
    since, or one removed since, is a 412 and nothing changes."""
    owner = owner_of(request)
    person = referenced(queries.get_person_for, owner, payload.person, "person")
    other = referenced(queries.get_person_for, owner, payload.other, "other")
    with transaction.atomic():
        existing = _tie_between(owner, person, other)
        if request.headers.get("If-Match") is not None:
            if existing is None:
                raise Problem(
                    412,
                    "No tie joins them now (it was removed since you read it, or never was): "
                    "send it without If-Match to tie them.",
                    errors=[{"field": None, "location": "header", "message": "no such tie"}],
                )
            Tie.objects.select_for_update(no_key=True).filter(pk=existing.pk).first()
            check_if_match(request, _tie_plain(_tie(owner, existing.uuid)))
        tie = ties_services.tie_set(
            owner=owner,
            person=person,
            other=other,
            kind=payload.kind,
            strength=payload.strength,
            notes=payload.notes,
        )
    tie = _tie(owner, tie.uuid)
    response["ETag"] = etag_of(_tie_plain(tie))
    if existing is None:
        response["Location"] = f"{request.path.rstrip('/')}/{tie.uuid}"
        return Status(201, _tie_out(tie, person))
    return _tie_out(tie, person)


@router.get("/ties/{uuid:tie_uuid}", response=TieOut, tags=["ties"], summary="A tie")
def get_tie(request: HttpRequest, tie_uuid: UUID, response: HttpResponse) -> Any:
    """The tie from its first person's side (a person's ties list shows it from theirs)."""
    tie = _tie(owner_of(request), tie_uuid)
    response["ETag"] = etag_of(_tie_plain(tie))
    return _tie_out(tie, tie.person_a)


@router.delete("/ties/{uuid:tie_uuid}", response=Deleted, tags=["ties"], summary="Remove a tie")
def delete_tie(request: HttpRequest, tie_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    """`If-Match`, if sent, names the tie's ETag (GET /ties/{id})."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: _tie(owner, tie_uuid),
        show=_tie_plain,
        change=lambda tie: ties_services.tie_delete(tie=tie),
    )


# --- tags ---------------------------------------------------------------------------------


class TagOut(Schema):
    name: str


@router.get("/tags", response=page_of(TagOut), tags=["people"], summary="Your tags")
def list_tags(
    request: HttpRequest,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> dict[str, Any]:
    tags = Tag.objects.filter(owner=owner_of(request)).annotate(name_key=Lower("name"))
    return paginate(
        request,
        tags,
        order=[("name_key", False), ("pk", False)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [{"name": t.name} for t in rows],
    )
