"""/api/v1/organisations: target, stage, priority — through the same services as the
organisation pages and `circleback org`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from django.db.models import Count
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import StrictBool, StrictInt

from circleback.api.common import owner_of
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of, paginate
from circleback.api.schemas import Deleted, IdempotencyKey, IfMatch, LongText, RequestBody, Text
from circleback.people import queries
from circleback.people.models import Organisation, Person, Stage
from circleback.people.serializers import organisation_to_dict
from circleback.people.services import organisations as organisations_services

router = Router()

if TYPE_CHECKING:  # mypy can't read a Literal built from the model's choices
    StageName = str
else:
    StageName = Literal[tuple(Stage.values)]


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


class OrganisationFields(RequestBody):
    domain: Text(253) | None = None  # type: ignore[valid-type]
    industry: Text(120) | None = None  # type: ignore[valid-type]
    location: Text(200) | None = None  # type: ignore[valid-type]
    is_target: StrictBool | None = Field(None, description="On your list C of target employers.")
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
    return change_guarded(
        request,
        fetch=lambda: queries.get_organisation_for(owner, organisation_uuid),
        show=_org_out,
        change=lambda organisation: organisations_services.organisation_update(
            organisation=organisation, **_org_changes(payload.dict(exclude_unset=True))
        ),
        response=response,
    )


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
    return change_guarded(
        request,
        fetch=lambda: queries.get_organisation_for(owner, organisation_uuid),
        show=_org_out,
        change=lambda organisation: organisations_services.organisation_delete(
            organisation=organisation
        ),
    )
