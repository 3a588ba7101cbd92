"""/api/v1 Shares, permission to use a name, and outreach drafts."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view

from circleback.api.common import owner_of, referenced
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import page_of, paginate
from circleback.api.schemas import Day, Deleted, IfMatch, LongText, RequestBody, Text
from circleback.loops import queries
from circleback.loops.api._common import (
    FavourKind,
    IdempotencyKey,
    Limit,
    PersonRef,
    Purposes,
    _person,
    _ref,
)
from circleback.loops.models import (
    NamePermission,
    Share,
)
from circleback.loops.services import (
    drafts,
    permissions,
    shares,
)
from circleback.people.queries import get_organisation_for

router = Router()


# --- shares ----------------------------------------------------------------------------------


class ShareOut(Schema):
    uuid: UUID
    title: str
    url: str
    topics: str
    note: str
    shared_on: dt.date
    people: list[PersonRef]


def _share_out(share: Share) -> dict[str, Any]:
    return {
        "uuid": share.uuid,
        "title": share.title,
        "url": share.url,
        "topics": share.topics,
        "note": share.note,
        "shared_on": share.shared_on,
        "people": [_ref(f.person) for f in share.favours.all()],
    }


PersonIds = list[UUID]


class ShareIn(RequestBody):
    people: PersonIds = Field(..., min_length=1, max_length=200)
    title: Text(300, 1)  # type: ignore[valid-type]
    url: Text(500) = ""  # type: ignore[valid-type]
    topics: Text(300) = ""  # type: ignore[valid-type]
    note: LongText = ""
    kind: FavourKind = "information"


@router.get("/shares", response=page_of(ShareOut), tags=["shares"], summary="What you passed on")
def list_shares(
    request: HttpRequest, limit: int = Limit, cursor: str | None = None
) -> dict[str, Any]:
    return paginate(
        request,
        queries.shares_list(owner=owner_of(request)),
        order=[("shared_on", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_share_out(s) for s in rows],
    )


@router.post(
    "/shares",
    response={201: ShareOut},
    tags=["shares"],
    summary="Pass on an article, event or news to people",
)
@decorate_view(idempotent)
def log_share(
    request: HttpRequest,
    payload: ShareIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    share = shares.share_log(
        owner=owner,
        people=[_person(owner, p, f"people.{i}") for i, p in enumerate(payload.people)],
        title=payload.title,
        url=payload.url,
        topics=payload.topics,
        note=payload.note,
        kind=payload.kind,
    )
    share = queries.shares_list(owner=owner).get(pk=share.pk)
    response["Location"] = f"{request.path.rstrip('/')}/{share.uuid}"
    return Status(201, _share_out(share))


@router.get("/shares/{uuid:share_uuid}", response=ShareOut, tags=["shares"], summary="A share")
def get_share(request: HttpRequest, share_uuid: UUID, response: HttpResponse) -> Any:
    owner = owner_of(request)
    return with_etag(response, _show_share(owner, queries.get_share_for(owner, share_uuid)))


def _show_share(owner: Any, share: Any) -> dict[str, Any]:
    return _share_out(queries.shares_list(owner=owner).get(pk=share.pk))


@router.delete(
    "/shares/{uuid:share_uuid}",
    response=Deleted,
    tags=["shares"],
    summary="Delete a share (and the favours it logged)",
)
def delete_share(request: HttpRequest, share_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    """`If-Match`, if sent, names the share's ETag (GET /shares/{id})."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: queries.get_share_for(owner, share_uuid),
        show=lambda share: _show_share(owner, share),
        change=lambda share: shares.share_delete(owner=owner, share=share),
    )


# --- name permissions -------------------------------------------------------------------------


class PermissionOut(Schema):
    uuid: UUID
    person: PersonRef
    organization: str | None = Field(description="Only for this organisation; null: anywhere.")
    granted_on: dt.date
    note: str
    revoked_on: dt.date | None


def _permission_out(p: NamePermission) -> dict[str, Any]:
    return {
        "uuid": p.uuid,
        "person": _ref(p.person),
        "organization": p.organisation.name if p.organisation_id else None,  # type: ignore[union-attr]
        "granted_on": p.granted_on,
        "note": p.note,
        "revoked_on": p.revoked_on,
    }


class PermissionIn(RequestBody):
    person: UUID
    organization: UUID | None = None
    note: Text(300) = ""  # type: ignore[valid-type]
    granted_on: Day | None = None


@router.get(
    "/permissions",
    response=page_of(PermissionOut),
    tags=["permissions"],
    summary="Who cleared you to use their name",
)
def list_permissions(
    request: HttpRequest,
    include_revoked: bool = False,
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    perms = queries.permissions_list(
        owner=owner_of(request), include_revoked=include_revoked
    ).select_related("person", "organisation")
    return paginate(
        request,
        perms,
        order=[("created_at", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_permission_out(p) for p in rows],
    )


@router.post(
    "/permissions",
    response={201: PermissionOut},
    tags=["permissions"],
    summary="Record that someone cleared you to use their name",
)
@decorate_view(idempotent)
def grant_permission(
    request: HttpRequest,
    payload: PermissionIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    perm = permissions.permission_grant(
        owner=owner,
        person=_person(owner, payload.person, "person"),
        organisation=(
            referenced(get_organisation_for, owner, payload.organization, "organization")
            if payload.organization
            else None
        ),
        note=payload.note,
        granted_on=payload.granted_on,
    )
    perm = NamePermission.objects.select_related("person", "organisation").get(pk=perm.pk)
    response["Location"] = f"{request.path.rstrip('/')}/{perm.uuid}"
    return Status(201, _permission_out(perm))


@router.get(
    "/permissions/{uuid:permission_uuid}",
    response=PermissionOut,
    tags=["permissions"],
    summary="A permission to use someone's name (revoked ones too)",
)
def get_permission(request: HttpRequest, permission_uuid: UUID, response: HttpResponse) -> Any:
    owner = owner_of(request)
    return with_etag(response, _show_permission(queries.get_permission_for(owner, permission_uuid)))


def _show_permission(perm: Any) -> dict[str, Any]:
    return _permission_out(
        NamePermission.objects.select_related("person", "organisation").get(pk=perm.pk)
    )


@router.post(
    "/permissions/{uuid:permission_uuid}/revoke",
    response=PermissionOut,
    tags=["permissions"],
    summary="They withdrew permission to use their name",
)
def revoke_permission(
    request: HttpRequest,
    permission_uuid: UUID,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """`If-Match`, if sent, names the permission's ETag (GET /permissions/{id})."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: queries.get_permission_for(owner, permission_uuid),
        show=_show_permission,
        change=lambda perm: permissions.permission_revoke(owner=owner, permission=perm),
        answer=lambda perm: with_etag(response, _show_permission(perm)),
    )


# --- outreach drafts ----------------------------------------------------------------------------


class DraftIn(RequestBody):
    person: UUID = Field(description="Whom the message is to.")
    kind: Literal["invitation", "introduction"] = "invitation"
    about: Text(200) = Field("", description="An organisation, by name.")  # type: ignore[valid-type]
    referrer: UUID | None = None
    target: UUID | None = None
    purposes: Purposes = Field([], max_length=5)


class DraftOut(Schema):
    subject: str
    body: str
    warnings: list[str]


@router.post(
    "/drafts/outreach",
    response=DraftOut,
    tags=["drafts"],
    summary="Draft an outreach message from the record (nothing is saved or sent)",
)
def draft_outreach(request: HttpRequest, payload: DraftIn) -> Any:
    owner = owner_of(request)
    person = _person(owner, payload.person, "person")
    draft = drafts.outreach_draft(
        owner=owner,
        person=person,
        kind=payload.kind,
        about=payload.about or None,
        referrer=_person(owner, payload.referrer, "referrer"),
        target=_person(owner, payload.target, "target"),
        purposes=payload.purposes,
    )
    return {"subject": draft.subject, "body": draft.body, "warnings": list(draft.warnings)}
