"""Ownership checks every write in the loops area makes first."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from circleback.accounts.models import User
from circleback.loops.models import (
    Favour,
    Meeting,
    Share,
)
from circleback.people.models import Organisation, Person
from circleback.people.services.organisations import organisation_get_or_create


def _mine(owner: User, field_name: str, person: Person | None, *, required: bool = True) -> None:
    if person is None:
        if required:
            raise ValidationError({field_name: "Say who: choose a person from your network."})
        return
    if person.owner_id != owner.pk:
        raise ValidationError({field_name: "That person is not in your network."})


def _org(owner: User, organisation: Organisation | str | None) -> Organisation | None:
    if organisation is None or organisation == "":
        return None
    if isinstance(organisation, Organisation):
        if organisation.owner_id != owner.pk:
            raise ValidationError({"organisation": "That organisation is not yours."})
        return organisation
    return organisation_get_or_create(owner=owner, name=organisation)


def _check_owner(owner: User, row: Meeting | Favour | Share, what: str) -> None:
    if row.owner_id != owner.pk:
        raise ValidationError(f"That {what} is not yours.")
