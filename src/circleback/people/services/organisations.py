"""Writes for organisations: create, change, delete, and find-or-create by name."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from circleback.accounts.models import User
from circleback.people.models import (
    Organisation,
    Person,
    Stage,
)
from circleback.people.services.index import search_index_people
from circleback.text import normalize_org_name

# --- organisations -----------------------------------------------------------------------


def _clean_org_name(name: str) -> tuple[str, str]:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "An organisation needs a name."})
    if len(name) > 200:
        raise ValidationError({"name": "An organisation's name can be at most 200 characters."})
    key = normalize_org_name(name)
    if not key:
        raise ValidationError({"name": f"{name!r} has no letters or digits to name it by."})
    return name, key


def organisation_get_or_create(*, owner: User, name: str) -> Organisation:
    """The owner's organisation with this name, however it is spelt ("Hooli, Inc." = "Hooli")."""
    name, key = _clean_org_name(name)
    organisation = Organisation.objects.filter(owner=owner, normalized_name=key).first()
    if organisation is None:
        organisation = Organisation(owner=owner, name=name, normalized_name=key)
        organisation.full_clean()
        organisation.save()
    return organisation


@transaction.atomic
def organisation_create(
    *,
    owner: User,
    name: str,
    domain: str = "",
    industry: str = "",
    location: str = "",
    is_target: bool = False,
    priority: int | None = None,
    stage: str = Stage.RESEARCHING,
    notes: str = "",
) -> Organisation:
    name, key = _clean_org_name(name)
    existing = Organisation.objects.filter(owner=owner, normalized_name=key).first()
    if existing is not None:
        raise ValidationError(
            {"name": f"You already have {existing.name!r}; edit it instead of adding it again."}
        )
    organisation = Organisation(
        owner=owner,
        name=name,
        normalized_name=key,
        domain=domain.strip().lower(),
        industry=industry.strip(),
        location=location.strip(),
        is_target=is_target,
        priority=priority,
        stage=stage,
        notes=notes,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **changes: Any) -> Organisation:
    allowed = {"name", "domain", "industry", "location", "is_target", "priority", "stage", "notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Unknown organisation fields: {', '.join(sorted(unknown))}.")
    renamed = "name" in changes and changes["name"] != organisation.name
    if "name" in changes:
        name, key = _clean_org_name(changes.pop("name"))
        clash = (
            Organisation.objects.filter(owner_id=organisation.owner_id, normalized_name=key)
            .exclude(pk=organisation.pk)
            .first()
        )
        if clash is not None:
            raise ValidationError({"name": f"You already have {clash.name!r}."})
        organisation.name, organisation.normalized_name = name, key
    for field, value in changes.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    if renamed:
        search_index_people(
            person_ids=Person.objects.filter(organisation=organisation).values_list("pk", flat=True)
        )
    return organisation


@transaction.atomic
def organisation_delete(*, organisation: Organisation) -> None:
    """Delete an organisation; its people stay, without a current organisation."""
    person_ids = list(Person.objects.filter(organisation=organisation).values_list("pk", flat=True))
    organisation.delete()
    search_index_people(person_ids=person_ids)
