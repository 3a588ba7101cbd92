"""Writes for permission to use someone's name."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.loops.models import (
    NamePermission,
)
from circleback.loops.services._checks import _mine, _org
from circleback.people.models import Organisation, Person

# --- name permissions -----------------------------------------------------------------------


@transaction.atomic
def permission_grant(
    *,
    owner: User,
    person: Person | None,
    organisation: Organisation | str | None = None,
    note: str = "",
    granted_on: dt.date | None = None,
) -> NamePermission:
    """Record that `person` agreed you may use their name — with `organisation`, or anywhere."""
    _mine(owner, "person", person)
    org = _org(owner, organisation)
    when = granted_on or user_today(owner)
    if when > user_today(owner):
        raise ValidationError({"granted_on": "Permission can't be granted in the future."})
    existing = NamePermission.objects.filter(
        owner=owner, person=person, organisation=org, revoked_on__isnull=True
    ).first()
    if existing is not None:
        return existing
    permission = NamePermission(
        owner=owner, person=person, organisation=org, granted_on=when, note=note.strip()
    )
    permission.full_clean(exclude=["owner", "person", "organisation"])
    permission.save()
    return permission


@transaction.atomic
def permission_revoke(*, owner: User, permission: NamePermission) -> NamePermission:
    if permission.owner_id != owner.pk:
        raise ValidationError("That permission is not yours.")
    if permission.revoked_on is None:
        permission.revoked_on = user_today(owner)
        permission.save(update_fields=["revoked_on"])
    return permission
