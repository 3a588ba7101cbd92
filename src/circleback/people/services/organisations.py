"""Writes for organisations: create, change, delete, and find-or-create by name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

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


def organisation_name_refusals(*, names: Iterable[str]) -> dict[str, ValidationError]:
    """Why each of these names can't name an organisation (those that can are left out):
    what `organisations_get_or_create_many` would refuse, read without writing anything."""
    refused: dict[str, ValidationError] = {}
    for raw in set(names):
        try:
            _clean_org_name(raw)
        except ValidationError as exc:
            refused[raw] = exc
    return refused


def organisation_get_or_create(*, owner: User, name: str) -> Organisation:
    """The owner's organisation with this name, however it is spelt ("Hooli, Inc." = "Hooli")."""
    name, key = _clean_org_name(name)
    organisation = Organisation.objects.filter(owner=owner, normalized_name=key).first()
    if organisation is None:
        organisation = Organisation(owner=owner, name=name, normalized_name=key)
        organisation.full_clean()
        try:
            with transaction.atomic():
                organisation.save()
        except IntegrityError:
            # Another request added it between the look and the insert (PostgreSQL; SQLite's
            # writes take turns): it is theirs and ours, one organisation, not a 500.
            organisation = Organisation.objects.get(owner=owner, normalized_name=key)
    return organisation


def organisations_get_or_create_many(
    *, owner: User, names: Iterable[str]
) -> dict[str, Organisation | ValidationError]:
    """`organisation_get_or_create` for many names at once (an import's): {name: the
    organisation, or why the name can't be one}, in a query per thousand names and one
    insert for the new ones."""
    out: dict[str, Organisation | ValidationError] = {}
    keys: dict[str, tuple[str, str]] = {}
    for raw in set(names):
        try:
            keys[raw] = _clean_org_name(raw)
        except ValidationError as exc:
            out[raw] = exc
    wanted = sorted({key for _name, key in keys.values()})
    found: dict[str, Organisation] = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        for org in Organisation.objects.filter(owner=owner, normalized_name__in=chunk):
            found.setdefault(org.normalized_name, org)
    new: dict[str, Organisation] = {}
    for name, key in sorted(keys.values()):
        if key not in found and key not in new:
            new[key] = Organisation(owner=owner, name=name, normalized_name=key)
    Organisation.objects.bulk_create(new.values())
    found.update(new)
    for raw, (_name, key) in keys.items():
        out[raw] = found[key]
    return out


def organisations_set_many(*, changes: dict[Organisation, dict[str, Any]]) -> None:
    """Set a stage or "target" on many organisations: an update per distinct change, not
    per organisation."""
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    for organisation, change in changes.items():
        unknown = set(change) - {"stage", "is_target"}
        if unknown:
            raise ValidationError(f"Unknown organisation fields: {', '.join(sorted(unknown))}.")
        if "stage" in change and change["stage"] not in Stage.values:
            raise ValidationError({"stage": f"{change['stage']!r} is not a stage."})
        groups.setdefault(tuple(sorted(change.items())), []).append(organisation.pk)
        for name, value in change.items():
            setattr(organisation, name, value)
    for change_items, ids in groups.items():
        for start in range(0, len(ids), 900):
            Organisation.objects.filter(pk__in=ids[start : start + 900]).update(
                **dict(change_items)
            )


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
