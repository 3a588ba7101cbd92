"""/api/v1/journal and /api/v1/search: the journal of everything, and search as you type —
the same services and queries as the journal pages and `circleback log` / `journal`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from circleback.api.common import owner_of, referenced
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.idempotency import idempotent
from circleback.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of, paginate
from circleback.api.schemas import (
    Day,
    Deleted,
    IdempotencyKey,
    IfMatch,
    LongText,
    Moment,
    Name,
    RequestBody,
    Text,
)
from circleback.journal import queries, services
from circleback.journal.models import Interaction
from circleback.journal.queries import search
from circleback.people.queries import get_organisation_for, get_person_for

router = Router()

if TYPE_CHECKING:  # mypy can't read a Literal built from the model's choices
    Kind = str
    Direction = str
else:
    Kind = Literal[tuple(Interaction.Kind.values)]
    Direction = Literal[tuple(Interaction.Direction.values)]

PersonIds = list[UUID]


class Participant(Schema):
    uuid: UUID
    full_name: str


class EntryOut(Schema):
    uuid: UUID
    occurred_at: dt.datetime
    kind: Kind
    direction: Direction
    summary: str
    notes: str
    organization_uuid: UUID | None
    people: list[Participant]


class EntryIn(RequestBody):
    summary: Text(300, 1)  # type: ignore[valid-type]
    kind: Kind = "note"
    direction: Direction = "mutual"
    occurred_at: Moment | None = Field(None, description="Default: now.")
    notes: LongText = ""
    people: PersonIds = Field([], max_length=200, description="Who took part, by id.")
    organization: UUID | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [{"summary": "Coffee with Ada", "kind": "meeting", "people": []}]
        }
    }


class EntryPatch(RequestBody):
    summary: Text(300, 1) | None = None  # type: ignore[valid-type]
    kind: Kind | None = None
    direction: Direction | None = None
    occurred_at: Moment | None = None
    notes: LongText | None = None
    people: PersonIds | None = Field(None, max_length=200, description="Everyone, from now on.")
    organization: UUID | None = None


def _entries_out(entries: list[Interaction]) -> list[dict[str, Any]]:
    org_uuids = dict(
        Interaction.objects.filter(pk__in=[e.pk for e in entries if e.organisation_id]).values_list(
            "pk", "organisation__uuid"
        )
    )
    return [
        {
            "uuid": e.uuid,
            "occurred_at": e.occurred_at,
            "kind": e.kind,
            "direction": e.direction,
            "summary": e.summary,
            "notes": e.notes,
            "organization_uuid": org_uuids.get(e.pk),
            "people": [{"uuid": p.uuid, "full_name": p.full_name} for p in e.people.all()],
        }
        for e in entries
    ]


def _entry_out(owner: Any, entry_uuid: Any) -> dict[str, Any]:
    return _entries_out(
        list(queries.with_people(Interaction.objects.filter(owner=owner, uuid=entry_uuid)))
    )[0]


def _people(owner: Any, ids: list[UUID]) -> list[Any]:
    return [referenced(get_person_for, owner, i, f"people.{n}") for n, i in enumerate(ids)]


@router.get("/journal", response=page_of(EntryOut), tags=["journal"], summary="The journal")
def list_entries(
    request: HttpRequest,
    kind: Kind | None = None,
    since: Day | None = Query(None, description="On or after this day."),
    until: Day | None = Query(None, description="On or before this day."),
    person: UUID | None = Query(None, description="Only entries with this person."),
    organization: UUID | None = Query(None),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    cursor: str | None = None,
) -> dict[str, Any]:
    """Newest first, filtered as the journal page and `circleback journal` filter."""
    owner = owner_of(request)
    filters = queries.JournalFilter(
        kind=kind or "",
        since=since,
        until=until,
        person=referenced(get_person_for, owner, person, "person") if person else None,
        organisation=(
            referenced(get_organisation_for, owner, organization, "organization")
            if organization
            else None
        ),
    )
    return paginate(
        request,
        queries.journal_list(owner=owner, filters=filters),
        order=[("occurred_at", True), ("pk", True)],
        limit=limit,
        cursor=cursor,
        serialize=_entries_out,
    )


@router.post("/journal", response={201: EntryOut}, tags=["journal"], summary="Log an entry")
@decorate_view(idempotent)
def create_entry(
    request: HttpRequest,
    payload: EntryIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    """Logging resets the keep-in-touch clock of everyone who took part."""
    owner = owner_of(request)
    entry = services.interaction_log(
        owner=owner,
        summary=payload.summary,
        people=_people(owner, payload.people),
        kind=payload.kind,
        occurred_at=payload.occurred_at,
        direction=payload.direction,
        notes=payload.notes,
        organisation=(
            referenced(get_organisation_for, owner, payload.organization, "organization")
            if payload.organization
            else None
        ),
    )
    response["Location"] = f"{request.path.rstrip('/')}/{entry.uuid}"
    return Status(201, with_etag(response, _entry_out(owner, entry.uuid)))


@router.get("/journal/{uuid:entry_uuid}", response=EntryOut, tags=["journal"], summary="An entry")
def get_entry(request: HttpRequest, entry_uuid: UUID, response: HttpResponse) -> Any:
    owner = owner_of(request)
    queries.get_interaction_for(owner, entry_uuid)
    return with_etag(response, _entry_out(owner, entry_uuid))


@router.patch(
    "/journal/{uuid:entry_uuid}",
    response=EntryOut,
    tags=["journal"],
    summary="Correct an entry (who took part too)",
)
def update_entry(
    request: HttpRequest,
    entry_uuid: UUID,
    payload: EntryPatch,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    owner = owner_of(request)
    data = payload.dict(exclude_unset=True)

    def change(entry: Interaction) -> Interaction:
        changes: dict[str, Any] = {
            k: v for k, v in data.items() if k not in ("people", "organization") and v is not None
        }
        if "organization" in data:
            changes["organisation"] = (
                referenced(get_organisation_for, owner, data["organization"], "organization")
                if data["organization"]
                else None
            )
        people = _people(owner, data["people"]) if data.get("people") is not None else None
        return services.interaction_update(interaction=entry, people=people, **changes)

    return change_guarded(
        request,
        fetch=lambda: queries.get_interaction_for(owner, entry_uuid),
        show=lambda entry: _entry_out(owner, entry.uuid),
        change=change,
        response=response,
    )


@router.delete(
    "/journal/{uuid:entry_uuid}", response=Deleted, tags=["journal"], summary="Delete an entry"
)
def delete_entry(request: HttpRequest, entry_uuid: UUID, if_match: str | None = IfMatch) -> Any:
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: queries.get_interaction_for(owner, entry_uuid),
        show=lambda entry: _entry_out(owner, entry.uuid),
        change=lambda entry: services.interaction_delete(interaction=entry),
    )


class EventContactIn(RequestBody):
    full_name: Name(200)  # type: ignore[valid-type]
    organization: Text(200) = ""  # type: ignore[valid-type]
    title: Text(200) = ""  # type: ignore[valid-type]
    email: Text(320) = ""  # type: ignore[valid-type]
    note: LongText = ""


EventContacts = list[EventContactIn]


class EventIn(RequestBody):
    event: Name(300)  # type: ignore[valid-type]
    contacts: EventContacts = Field(..., min_length=1, max_length=100)
    occurred_at: Moment | None = None
    notes: LongText = ""
    list: Literal["A", "B", "C"] = "B"


@router.post(
    "/journal/events",
    response={201: EntryOut},
    tags=["journal"],
    summary="Capture an event and everyone met there, in one step",
)
@decorate_view(idempotent)
def capture_event(
    request: HttpRequest,
    payload: EventIn,
    response: HttpResponse,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    owner = owner_of(request)
    entry = services.event_capture(
        owner=owner,
        event=payload.event,
        contacts=[
            services.EventContact(
                full_name=c.full_name,
                organisation=c.organization,
                title=c.title,
                email=c.email,
                note=c.note,
            )
            for c in payload.contacts
        ],
        occurred_at=payload.occurred_at,
        notes=payload.notes,
        contact_list=payload.list,
    )
    response["Location"] = f"{request.path.rsplit('/', 1)[0]}/{entry.uuid}"
    return Status(201, with_etag(response, _entry_out(owner, entry.uuid)))


# --- search -------------------------------------------------------------------------------


class PersonHit(Schema):
    uuid: UUID
    full_name: str
    organization: str | None
    title: str


class EntryHit(Schema):
    uuid: UUID
    occurred_at: dt.datetime
    kind: Kind
    summary: str


class SearchOut(Schema):
    people: list[PersonHit]
    journal: list[EntryHit]


@router.get("/search", response=SearchOut, tags=["search"], summary="Search as you type")
def search_all(
    request: HttpRequest,
    q: Text(200) = Query(..., description="Words; each matches as a prefix, accents ignored."),  # type: ignore[valid-type]
    kind: Literal["all", "person", "interaction"] = "all",
    limit: int = Query(20, ge=1, le=100),
) -> dict[str, Any]:
    """People (best match first), then journal entries (newest first): up to `limit` each."""
    kinds: tuple[Any, ...] = ("person", "interaction") if kind == "all" else (kind,)
    hits = search(owner=owner_of(request), text=q, kinds=kinds, limit=limit)
    return {
        "people": [
            {
                "uuid": h.person.uuid,
                "full_name": h.person.full_name,
                "organization": h.person.organisation.name if h.person.organisation else None,
                "title": h.person.title,
            }
            for h in hits
            if h.person is not None
        ],
        "journal": [
            {
                "uuid": h.interaction.uuid,
                "occurred_at": h.interaction.occurred_at,
                "kind": h.interaction.kind,
                "summary": h.interaction.summary,
            }
            for h in hits
            if h.interaction is not None
        ],
    }
