"""/api/v1/people/{id}/new-role: the new role noted for someone (their title or organisation
changed — on their page, through the CLI or the API, or by a newer export imported again), and
dismissing it, as Today's "Dismiss" does. Through people's own service; no rule is written here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from circleback.api.common import owner_of
from circleback.api.conditional import change_guarded, with_etag
from circleback.api.schemas import IfMatch
from circleback.people import queries
from circleback.people.models import Person, RoleChange
from circleback.people.services.people import role_change_dismiss

router = Router()


class PersonNewRoleOut(Schema):
    person: UUID
    noted: bool = Field(
        description="Whether a new role is noted: Home and Today suggest congratulating them "
        "while it is of the last two months and you haven't been in touch since."
    )
    title: str = Field(description="Their title now.")
    organization: str | None = Field(description="Their organisation now.")
    title_before: str = Field(description="What their title was; empty when none is noted.")
    organization_before: str = Field(description="Where they were; empty when none is noted.")
    changed_at: dt.datetime | None = Field(description="When the change was noted.")


def _new_role_out(person: Person) -> dict[str, Any]:
    change = RoleChange.objects.filter(person=person).first()
    return {
        "person": str(person.uuid),
        "noted": change is not None,
        "title": person.title,
        "organization": person.organisation.name if person.organisation else None,
        "title_before": change.title_before if change else "",
        "organization_before": change.organisation_before if change else "",
        "changed_at": change.changed_at.isoformat() if change else None,
    }


@router.get(
    "/people/{uuid:person_uuid}/new-role",
    response=PersonNewRoleOut,
    tags=["people"],
    summary="The new role noted for a person, if any",
)
def get_new_role(request: HttpRequest, person_uuid: UUID, response: HttpResponse) -> Any:
    person = queries.get_person_for(owner_of(request), person_uuid)
    return with_etag(response, _new_role_out(person))


@router.delete(
    "/people/{uuid:person_uuid}/new-role",
    response=PersonNewRoleOut,
    tags=["people"],
    summary="Dismiss a new role: no more suggestions to congratulate them",
)
def dismiss_new_role(
    request: HttpRequest, person_uuid: UUID, response: HttpResponse, if_match: str | None = IfMatch
) -> Any:
    """Their title and the journal stay as they are. `If-Match`, if sent, names the ETag of
    GET at this address. Dismissing when none is noted changes nothing and answers the same,
    so a retry is safe."""
    owner = owner_of(request)
    return change_guarded(
        request,
        fetch=lambda: queries.get_person_for(owner, person_uuid),
        show=_new_role_out,
        change=lambda person: role_change_dismiss(owner=owner, person=person),
        response=response,
    )
