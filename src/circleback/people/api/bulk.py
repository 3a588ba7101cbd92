"""/api/v1/people/bulk and /people/{id}/merge: what the people list does to many people at
once (tag, untag, move to a list, delete), and folding a duplicate into the person kept —
through the services the people list and the merge screen use."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Router, Schema

from circleback.api.common import owner_of, referenced
from circleback.api.conditional import change_guarded, check_if_match_each
from circleback.api.schemas import IfMatch, RequestBody, Text
from circleback.operations.erase import people_erase
from circleback.operations.merge import person_merge_chosen
from circleback.people import queries
from circleback.people.api.people import PersonOut, _people_out, _rows, person_out
from circleback.people.models import Person
from circleback.people.services.people import people_set_list
from circleback.people.services.tags import people_tag, people_untag

router = Router(tags=["people"])

IfMatches = Header(
    None,
    alias="If-Match",
    description=(
        "The ETags of the people named, as you read them (GET /people/{id}), comma-separated: "
        "412 if any of them has changed since, and nothing is done."
    ),
)

MAX_BULK = 5000
# Named here: inside a schema with a field called `list`, `list[...]` would mean the field.
UUIDs = list[UUID]


class BulkIn(RequestBody):
    action: Literal["tag", "untag", "list", "delete"] = Field(
        description=(
            "tag / untag: add or remove `tag`; list: move to `list`; delete: delete them and "
            "every mention of them, as the people list's Delete does."
        )
    )
    people: UUIDs = Field(min_length=1, max_length=MAX_BULK)
    tag: Text(60) = ""  # type: ignore[valid-type]
    list: Literal["A", "B", "C"] | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "action": "tag",
                    "people": ["1b4e28ba-2fa1-11d2-883f-0016d3cca427"],
                    "tag": "fintech",
                }
            ]
        }
    }


class BulkOut(Schema):
    action: str
    count: int = Field(description="How many people it was done to.")


@router.post(
    "/people/bulk",
    response=BulkOut,
    summary="Tag, untag, move to a list or delete several people at once",
)
def people_bulk(request: HttpRequest, payload: BulkIn, if_match: str | None = IfMatches) -> Any:
    """All or nothing: if any id is not one of your people, nothing is changed (422 naming
    it); with `If-Match`, nor if any of them changed since you read them (412 naming them)."""
    with transaction.atomic():  # the check and the change: all or nothing
        return _bulk(request, payload, if_match)


def _bulk(request: HttpRequest, payload: BulkIn, if_match: str | None) -> Any:
    owner = owner_of(request)
    ids = queries.people_ids_for(owner, [str(u) for u in payload.people])
    if ids is None:
        found = set(
            str(u)
            for u in queries.Person.objects.filter(
                owner=owner, uuid__in=payload.people
            ).values_list("uuid", flat=True)
        )
        raise ValidationError(
            {
                "people": [
                    f"Nothing of yours has the id {u}; nothing was changed."
                    for u in payload.people
                    if str(u) not in found
                ][:20]
            }
        )
    if if_match is not None:
        # Locked as an UPDATE would lock them, then each one's ETag checked.
        list(Person.objects.select_for_update(no_key=True).filter(pk__in=ids).values("pk"))
        shown = _people_out(list(_rows(Person.objects.filter(pk__in=ids))))
        check_if_match_each(request, {row["uuid"]: row for row in shown}, "people")
    if payload.action in ("tag", "untag"):
        if not payload.tag.strip():
            raise ValidationError({"tag": "Say which tag to add or remove."})
        act = people_tag if payload.action == "tag" else people_untag
        act(owner=owner, person_ids=ids, tag_names=[payload.tag])
        count = len(ids)
    elif payload.action == "list":
        if payload.list is None:
            raise ValidationError({"contact_list": "Say which list to move them to: A, B or C."})
        count = people_set_list(owner=owner, person_ids=ids, contact_list=payload.list)
    else:
        count = people_erase(owner=owner, person_ids=ids)
    return {"action": payload.action, "count": count}


# The person fields a merge can take from the other person (the merge screen's choices), by
# their API names.
TAKEABLE = Literal[
    "full_name",
    "given_name",
    "family_name",
    "title",
    "organization",
    "list",
    "closeness",
    "is_decision_maker",
    "cadence_days",
    "location",
    "how_we_met",
    "met_on",
    "introduced_by",
]
Takeable = list[TAKEABLE]
_SERVICE_NAMES = {"organization": "organisation", "list": "contact_list"}


class MergeIn(RequestBody):
    other: UUID = Field(description="The duplicate: folded into this person, then deleted.")
    take_from_other: Takeable = Field(
        [],
        max_length=20,
        description=(
            "Fields whose value wins from the other person. Every other field keeps this "
            "person's value (the other's goes into the notes when it would be lost); emails, "
            "phones, links, tags, ties, journal entries, meetings, loops and favours of both "
            "are kept."
        ),
    )


@router.post(
    "/people/{uuid:person_uuid}/merge",
    response=PersonOut,
    summary="Merge a duplicate into this person",
)
def merge_person(
    request: HttpRequest,
    person_uuid: UUID,
    payload: MergeIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Any:
    """`If-Match` names this person's ETag: the merge happens only if they are as you read
    them."""
    owner = owner_of(request)
    other = referenced(queries.get_person_for, owner, payload.other, "other")
    take = [_SERVICE_NAMES.get(f, f) for f in payload.take_from_other]
    return change_guarded(
        request,
        fetch=lambda: queries.get_person_for(owner, person_uuid),
        show=lambda person: person_out(owner, person.uuid),
        change=lambda keep: person_merge_chosen(keep=keep, other=other, take_from_other=take),
        response=response,
    )
