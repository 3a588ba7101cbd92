"""/api/v1 The favours ledger, names given, balances and standing offers."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import StrictInt

from circleback.api.common import owner_of
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import page_of, paginate
from circleback.api.schemas import Day, Deleted, LongText, RequestBody, Text
from circleback.loops import queries
from circleback.loops.api._common import (
    FavourDirection,
    FavourKind,
    IdempotencyKey,
    IfMatch,
    Limit,
    PersonRef,
    _person,
    _ref,
)
from circleback.loops.models import (
    Favour,
    StandingOffer,
)
from circleback.loops.services import favours as favours_services
from circleback.loops.services import (
    introductions,
)

router = Router()


# --- favours and standing offers ----------------------------------------------------------


class FavourOut(Schema):
    uuid: UUID
    person: PersonRef
    direction: FavourDirection
    kind: FavourKind
    note: str
    occurred_on: dt.date
    name_given: PersonRef | None


def _favour_out(favour: Favour) -> dict[str, Any]:
    return {
        "uuid": favour.uuid,
        "person": _ref(favour.person),
        "direction": favour.direction,
        "kind": favour.kind,
        "note": favour.note,
        "occurred_on": favour.occurred_on,
        "name_given": _ref(favour.name_given),
    }


def _favour(owner: Any, favour_uuid: UUID) -> Favour:
    favour = queries.get_favour_for(owner, favour_uuid)
    return Favour.objects.select_related("person", "name_given").get(pk=favour.pk)


class FavourIn(RequestBody):
    person: UUID
    direction: FavourDirection
    kind: FavourKind = "other"
    note: LongText = ""
    occurred_on: Day | None = Field(None, description="Default: today.")


class FavourPatch(RequestBody):
    direction: FavourDirection | None = None
    kind: FavourKind | None = None
    note: LongText | None = None
    occurred_on: Day | None = None


@router.get("/favours", response=page_of(FavourOut), tags=["favours"], summary="Favours ledger")
def list_favours(
    request: HttpRequest,
    person: UUID | None = None,
    direction: FavourDirection | None = None,
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    owner = owner_of(request)
    favours = queries.favours_list(
        owner=owner, person=_person(owner, person, "person"), direction=direction or ""
    )
    return paginate(
        request,
        favours,
        order=[("occurred_on", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_favour_out(f) for f in rows],
    )


@router.post(
    "/favours",
    response={201: FavourOut},
    tags=["favours"],
    summary="Log a favour given or received",
)
@decorate_view(idempotent)
def log_favour(
    request: HttpRequest,
    payload: FavourIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    """A favour received opens a thank-you, due within the hours your settings say."""
    owner = owner_of(request)
    favour = favours_services.favour_log(
        owner=owner,
        person=_person(owner, payload.person, "person"),
        direction=payload.direction,
        kind=payload.kind,
        note=payload.note,
        occurred_on=payload.occurred_on,
    )
    response["Location"] = f"{request.path.rstrip('/')}/{favour.uuid}"
    return Status(201, with_etag(response, _favour_out(_favour(owner, favour.uuid))))


@router.get("/favours/{uuid:favour_uuid}", response=FavourOut, tags=["favours"], summary="A favour")
def get_favour(request: HttpRequest, favour_uuid: UUID, response: HttpResponse) -> Any:
    return with_etag(response, _favour_out(_favour(owner_of(request), favour_uuid)))


@router.patch(
    "/favours/{uuid:favour_uuid}", response=FavourOut, tags=["favours"], summary="Change a favour"
)
def update_favour(
    request: HttpRequest,
    favour_uuid: UUID,
    payload: FavourPatch,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    owner = owner_of(request)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return change_guarded(
        request,
        fetch=lambda: _favour(owner, favour_uuid),
        show=_favour_out,
        change=lambda favour: favours_services.favour_update(owner=owner, favour=favour, **changes),
        response=response,
    )


@router.delete(
    "/favours/{uuid:favour_uuid}", response=Deleted, tags=["favours"], summary="Delete a favour"
)
def delete_favour(request: HttpRequest, favour_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: _favour(owner, favour_uuid),
        show=_favour_out,
        change=lambda favour: favours_services.favour_delete(owner=owner, favour=favour),
    )


class NameGivenIn(RequestBody):
    helped: UUID = Field(description="Whom you gave a name to.")
    name: UUID = Field(description="Whose name you gave.")
    note: LongText = ""


@router.post(
    "/favours/names-given",
    response={201: FavourOut},
    tags=["favours"],
    summary="You gave someone a name: opens 'tell them to expect a call' and 'check back'",
)
@decorate_view(idempotent)
def give_name(
    request: HttpRequest,
    payload: NameGivenIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    favour = introductions.name_give(
        owner=owner,
        helped=_person(owner, payload.helped, "helped"),
        name=_person(owner, payload.name, "name"),
        note=payload.note,
    )
    response["Location"] = f"{request.path.rsplit('/', 1)[0]}/{favour.uuid}"
    return Status(201, _favour_out(_favour(owner, favour.uuid)))


class BalanceOut(Schema):
    person: PersonRef
    given: int
    received: int
    net: StrictInt = Field(description="Positive: you have given more than you got.")


@router.get(
    "/favours-balances",
    response=page_of(BalanceOut),
    tags=["favours"],
    summary="Favour balance per person, the people you owe most first",
)
def list_balances(request: HttpRequest, limit: int = Limit, cursor: str | None = None) -> Any:
    """Every person you have exchanged a favour with, a page at a time: follow `next`."""
    owner = owner_of(request)
    return paginate(
        request,
        queries.favour_ledger_rows(owner),
        order=[("net", False), ("received", True), ("person_id", False)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [
            {
                "person": _ref(r.person),
                "given": r.balance.given,
                "received": r.balance.received,
                "net": r.balance.net,
            }
            for r in queries.ledger_rows(owner, rows)
        ],
    )


class OfferOut(Schema):
    uuid: UUID
    person: PersonRef
    offer: str
    made_on: dt.date
    taken_up_on: dt.date | None


def _offer_out(offer: StandingOffer) -> dict[str, Any]:
    return {
        "uuid": offer.uuid,
        "person": _ref(offer.person),
        "offer": offer.offer,
        "made_on": offer.made_on,
        "taken_up_on": offer.taken_up_on,
    }


class OfferMadeIn(RequestBody):
    person: UUID
    offer: Text(300, 1)  # type: ignore[valid-type]
    made_on: Day | None = None


@router.get(
    "/standing-offers",
    response=page_of(OfferOut),
    tags=["favours"],
    summary="Standing offers not yet taken up",
)
def list_offers(
    request: HttpRequest,
    person: UUID | None = None,
    limit: int = Limit,
    cursor: str | None = None,
) -> dict[str, Any]:
    owner = owner_of(request)
    offers = queries.standing_offers(owner=owner, person=_person(owner, person, "person"))
    return paginate(
        request,
        offers.select_related("person"),
        order=[("made_on", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=lambda rows: [_offer_out(o) for o in rows],
    )


@router.post(
    "/standing-offers",
    response={201: OfferOut},
    tags=["favours"],
    summary="Extend a standing offer to return the favour",
)
@decorate_view(idempotent)
def make_offer(
    request: HttpRequest,
    payload: OfferMadeIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    offer = favours_services.standing_offer_make(
        owner=owner,
        person=_person(owner, payload.person, "person"),
        offer=payload.offer,
        made_on=payload.made_on,
    )
    response["Location"] = f"{request.path.rstrip('/')}/{offer.uuid}"
    return Status(201, with_etag(response, _offer_out(_offer(owner, offer.uuid))))


def _offer(owner: Any, offer_uuid: UUID) -> StandingOffer:
    offer = queries.get_offer_for(owner, offer_uuid)
    return StandingOffer.objects.select_related("person").get(pk=offer.pk)


@router.get(
    "/standing-offers/{uuid:offer_uuid}",
    response=OfferOut,
    tags=["favours"],
    summary="A standing offer",
)
def get_offer(request: HttpRequest, offer_uuid: UUID, response: HttpResponse) -> Any:
    """Taken up or not (the list shows those not yet taken up); its ETag is what If-Match
    names when you mark it taken up."""
    return with_etag(response, _offer_out(_offer(owner_of(request), offer_uuid)))


@router.post(
    "/standing-offers/{uuid:offer_uuid}/taken-up",
    response=OfferOut,
    tags=["favours"],
    summary="They took you up on a standing offer",
)
def offer_taken_up(
    request: HttpRequest,
    offer_uuid: UUID,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """`If-Match`, if sent, names the offer's ETag (GET /standing-offers/{id})."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: _offer(owner, offer_uuid),
        show=_offer_out,
        change=lambda offer: favours_services.standing_offer_taken_up(owner=owner, offer=offer),
        response=response,
    )
