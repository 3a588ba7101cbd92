"""/api/v1/people, /ties, /tags: the network itself, through the same services and queries
as the web app and the CLI."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from django.db.models import Q
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import StrictInt

from circleback.api.common import owner_of, referenced
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of, paginate
from circleback.api.schemas import Day, Deleted, IdempotencyKey, IfMatch, LongText, Text
from circleback.operations.erase import person_erase
from circleback.people import queries
from circleback.people.models import Person, Tag, Tie
from circleback.people.serializers import introducer_uuids
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


class PersonOut(Schema):
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


class PersonFields(Schema):
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
    is_decision_maker: bool | None = None
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


def _people_out(people: list[Any]) -> list[dict[str, Any]]:
    """People as `people_to_dicts` writes them (a test holds the two equal), plus their
    organisation's id — read as plain values in five queries, without building a model per
    email, phone, link and tag: a page of 50 takes a third of the time."""
    from circleback.people.models import Email, Link, Phone

    ids = [p.pk for p in people]
    details: dict[str, dict[int, list[str]]] = {}
    for key, model, column in (
        ("emails", Email, "address"),
        ("phones", Phone, "number"),
        ("links", Link, "url"),
    ):
        found: dict[int, list[str]] = {}
        rows = (
            model.objects.filter(person_id__in=ids)
            .order_by("position", "pk")
            .values_list("person_id", column)
        )
        for person_id, value in rows:
            found.setdefault(person_id, []).append(value)
        details[key] = found
    tags: dict[int, list[str]] = {}
    for person_id, name in Person.tags.through.objects.filter(person_id__in=ids).values_list(
        "person_id", "tag__name"
    ):
        tags.setdefault(person_id, []).append(name)
    introducers = introducer_uuids(people)
    out = []
    for p in people:
        organisation = p.organisation if p.organisation_id else None
        out.append(
            {
                "uuid": str(p.uuid),
                "given_name": p.given_name,
                "family_name": p.family_name,
                "full_name": p.full_name,
                "emails": details["emails"].get(p.pk, []),
                "phones": details["phones"].get(p.pk, []),
                "links": details["links"].get(p.pk, []),
                "organization": organisation.name if organisation is not None else None,
                "organization_uuid": organisation.uuid if organisation is not None else None,
                "title": p.title,
                "list": p.contact_list,
                "tags": sorted(tags.get(p.pk, []), key=str.lower),
                "notes": p.notes,
                "introduced_by": introducers.get(p.introduced_by_id)
                if p.introduced_by_id
                else None,
                "closeness": p.closeness,
                "cadence_days": p.cadence_days,
                "is_decision_maker": p.is_decision_maker,
                "last_contact_at": p.last_contact_at.isoformat() if p.last_contact_at else None,
                "location": p.location,
                "how_we_met": p.how_we_met,
                "met_on": p.met_on.isoformat() if p.met_on else None,
            }
        )
    return out


def person_out(owner: Any, person_uuid: Any) -> dict[str, Any]:
    person = Person.objects.filter(owner=owner, uuid=person_uuid).select_related("organisation")
    return _people_out(list(person))[0]


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
        people,
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
    other = tie.person_b if tie.person_a_id == person.pk else tie.person_a
    return {
        "uuid": tie.uuid,
        "person": person.uuid,
        "other": other.uuid,
        "other_name": other.full_name,
        "kind": tie.kind,
        "strength": tie.strength,
        "notes": tie.notes,
    }


# --- ties ---------------------------------------------------------------------------------


class TieIn(Schema):
    person: UUID
    other: UUID
    kind: TieKind = "other"
    strength: StrictInt = Field(2, ge=1, le=5)
    notes: LongText = ""


@router.post(
    "/ties",
    response={200: TieOut},
    tags=["ties"],
    summary="Tie two people (or change how they know each other)",
)
def set_tie(request: HttpRequest, payload: TieIn) -> Any:
    """Setting a tie that exists changes it: sending the same request twice changes nothing."""
    owner = owner_of(request)
    person = referenced(queries.get_person_for, owner, payload.person, "person")
    other = referenced(queries.get_person_for, owner, payload.other, "other")
    tie = ties_services.tie_set(
        owner=owner,
        person=person,
        other=other,
        kind=payload.kind,
        strength=payload.strength,
        notes=payload.notes,
    )
    tie = Tie.objects.select_related("person_a", "person_b").get(pk=tie.pk)
    return _tie_out(tie, person)


@router.delete("/ties/{uuid:tie_uuid}", response=Deleted, tags=["ties"], summary="Remove a tie")
def delete_tie(request: HttpRequest, tie_uuid: UUID) -> Any:
    tie = Tie.objects.filter(owner=owner_of(request), uuid=tie_uuid).first()
    if tie is None:
        raise Http404("No such tie.")
    ties_services.tie_delete(tie=tie)
    return {"deleted": True}


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
