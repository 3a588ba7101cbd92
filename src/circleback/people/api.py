"""/api/v1/people, /organisations, /ties, /tags: the network itself, through the same
services and queries as the web app and the CLI."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import StrictInt

from circleback.api.common import locked, owner_of, referenced
from circleback.api.conditional import check_if_match, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of, paginate
from circleback.api.schemas import Day, Deleted, LongText, Text
from circleback.operations.erase import person_erase
from circleback.people import queries
from circleback.people.models import Organisation, Person, Stage, Tag, Tie
from circleback.people.serializers import introducer_uuids, organisation_to_dict
from circleback.people.services import organisations as organisations_services
from circleback.people.services import people as people_services
from circleback.people.services import ties as ties_services

router = Router()

if TYPE_CHECKING:  # mypy can't read a Literal built from the model's choices
    Emails = list[str]
    Phones = list[str]
    Links = list[str]
    TagNames = list[str]
    TieKind = str
    StageName = str
else:
    Emails = list[Text(320)]
    Phones = list[Text(60)]
    Links = list[Text(500)]
    TagNames = list[Text(60)]
    TieKind = Literal[tuple(Tie.Kind.values)]
    StageName = Literal[tuple(Stage.values)]

ListLetter = Literal["A", "B", "C"]
# Named here: inside a schema with a field called `list`, `list[...]` would mean the field.
Strings = list[str]
IfMatch = Header(None, alias="If-Match", description="An ETag you read; 412 if it is stale.")
IdempotencyKey = Header(
    None, alias="Idempotency-Key", description="Retrying with the same key creates one thing."
)


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


def _person_out(owner: Any, person_uuid: Any) -> dict[str, Any]:
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
    data = _person_out(owner, person.uuid)
    response["Location"] = f"{request.path.rstrip('/')}/{person.uuid}"
    return Status(201, with_etag(response, data))


@router.get("/people/{uuid:person_uuid}", response=PersonOut, tags=["people"], summary="A person")
def get_person(request: HttpRequest, person_uuid: UUID, response: HttpResponse) -> Any:
    owner = owner_of(request)
    queries.get_person_for(owner, person_uuid)
    return with_etag(response, _person_out(owner, person_uuid))


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
    with transaction.atomic():
        person = locked(queries.get_person_for(owner, person_uuid))
        check_if_match(request, _person_out(owner, person_uuid))
        people_services.person_update(
            person=person, **_person_args(owner, payload.dict(exclude_unset=True))
        )
    return with_etag(response, _person_out(owner, person_uuid))


@router.delete(
    "/people/{uuid:person_uuid}", response=Deleted, tags=["people"], summary="Delete a person"
)
def delete_person(request: HttpRequest, person_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    owner = owner_of(request)
    with transaction.atomic():
        person = locked(queries.get_person_for(owner, person_uuid))
        check_if_match(request, _person_out(owner, person_uuid))
        person_erase(person=person)
    return {"deleted": True}


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


# --- organisations ------------------------------------------------------------------------


class OrganisationOut(Schema):
    uuid: UUID
    name: str
    domain: str
    industry: str
    location: str
    is_target: bool
    priority: int | None
    stage: StageName
    notes: str
    people_count: int


class OrganisationFields(Schema):
    domain: Text(253) | None = None  # type: ignore[valid-type]
    industry: Text(120) | None = None  # type: ignore[valid-type]
    location: Text(200) | None = None  # type: ignore[valid-type]
    is_target: bool | None = Field(None, description="On your list C of target employers.")
    priority: StrictInt | None = Field(None, ge=1, le=5, description="1 is the highest.")
    stage: StageName | None = None
    notes: LongText | None = None


class OrganisationIn(OrganisationFields):
    name: Text(200, 1)  # type: ignore[valid-type]


class OrganisationPatch(OrganisationFields):
    name: Text(200, 1) | None = None  # type: ignore[valid-type]


def _org_out(organisation: Organisation) -> dict[str, Any]:
    """The organisation; lists annotate `people_count`, a single one counts (one query)."""
    data = organisation_to_dict(organisation)
    count = getattr(organisation, "people_count", None)
    if count is None:
        count = Person.objects.filter(organisation=organisation).count()
    data["people_count"] = count
    return data


def _org_changes(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None or k == "priority"}


@router.get(
    "/organisations",
    response=page_of(OrganisationOut),
    tags=["organisations"],
    summary="List organisations, targets first",
)
def list_organisations(
    request: HttpRequest,
    targets: bool = Query(False, description="Only your target organisations."),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> dict[str, Any]:
    organisations = Organisation.objects.filter(owner=owner_of(request))
    if targets:
        organisations = organisations.filter(is_target=True)
    return paginate(
        request,
        organisations.annotate(name_key=Lower("name")),
        order=[("is_target", True), ("name_key", False), ("pk", False)],
        limit=limit,
        cursor=cursor,
        serialize=_orgs_out,
    )


def _orgs_out(organisations: list[Any]) -> list[dict[str, Any]]:
    """A page of organisations, their people counted in one query for the page alone."""
    from django.db.models import Count

    counts = dict(
        Person.objects.filter(organisation__in=[o.pk for o in organisations])
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    for organisation in organisations:
        organisation.people_count = counts.get(organisation.pk, 0)
    return [_org_out(o) for o in organisations]


@router.post(
    "/organisations",
    response={201: OrganisationOut},
    tags=["organisations"],
    summary="Add an organisation",
)
@decorate_view(idempotent)
def create_organisation(
    request: HttpRequest,
    payload: OrganisationIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    data = payload.dict(exclude_unset=True)
    organisation = organisations_services.organisation_create(
        owner=owner_of(request), **_org_changes(data)
    )
    response["Location"] = f"{request.path.rstrip('/')}/{organisation.uuid}"
    return Status(201, with_etag(response, _org_out(organisation)))


@router.get(
    "/organisations/{uuid:organisation_uuid}",
    response=OrganisationOut,
    tags=["organisations"],
    summary="An organisation",
)
def get_organisation(request: HttpRequest, organisation_uuid: UUID, response: HttpResponse) -> Any:
    organisation = queries.get_organisation_for(owner_of(request), organisation_uuid)
    return with_etag(response, _org_out(organisation))


@router.patch(
    "/organisations/{uuid:organisation_uuid}",
    response=OrganisationOut,
    tags=["organisations"],
    summary="Change an organisation: target, stage, priority…",
)
def update_organisation(
    request: HttpRequest,
    organisation_uuid: UUID,
    payload: OrganisationPatch,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    owner = owner_of(request)
    with transaction.atomic():
        organisation = locked(queries.get_organisation_for(owner, organisation_uuid))
        check_if_match(request, _org_out(organisation))
        organisation = organisations_services.organisation_update(
            organisation=organisation, **_org_changes(payload.dict(exclude_unset=True))
        )
    return with_etag(response, _org_out(organisation))


@router.delete(
    "/organisations/{uuid:organisation_uuid}",
    response=Deleted,
    tags=["organisations"],
    summary="Delete an organisation (its people stay, without it)",
)
def delete_organisation(
    request: HttpRequest, organisation_uuid: UUID, if_match: str | None = IfMatch
) -> Any:
    owner = owner_of(request)
    with transaction.atomic():
        organisation = locked(queries.get_organisation_for(owner, organisation_uuid))
        check_if_match(request, _org_out(organisation))
        organisations_services.organisation_delete(organisation=organisation)
    return {"deleted": True}


# --- photo --------------------------------------------------------------------------------


_PHOTOS = ("image/jpeg", "image/png", "image/gif", "image/webp")


@router.get(
    "/people/{uuid:person_uuid}/photo",
    tags=["people"],
    summary="A person's photo (from an import), as an image",
    response={200: None},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The picture; its type is read from its bytes.",
                "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in _PHOTOS},
            }
        }
    },
)
def person_photo(request: HttpRequest, person_uuid: UUID) -> HttpResponse:
    from circleback.people.contact import image_type
    from circleback.people.models import Photo

    person = queries.get_person_for(owner_of(request), person_uuid)
    picture = Photo.objects.filter(person=person).first()
    data = bytes(picture.data) if picture is not None else b""
    kind = image_type(data)
    if not kind:
        raise Http404("This person has no photo.")
    response = HttpResponse(data, content_type=kind)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
