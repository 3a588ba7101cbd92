"""The new roles to congratulate people on: every one Home and Today would suggest, in turn.

Today suggests the newest one at a time (agenda's give); a re-imported export can bring
hundreds at once, so `circleback new-roles` and the API list them all and dismiss any of them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet

from circleback.accounts.models import User
from circleback.ops import clock
from circleback.people.models import RoleChange

NEW_ROLE_DAYS = 60  # congratulations on a new role still read naturally two months on
# Newest first; among changes noted at the same moment (an import notes all of its changes at
# once) in the order they were noted. The list and Today's one suggestion share this order,
# so the list's first is the one Today shows.
NEWEST_FIRST = ("-changed_at", "pk")


def new_roles_to_congratulate(
    *, owner: User, now: dt.datetime | None = None
) -> QuerySet[RoleChange]:
    """The owner's new roles of the last two months whose people they haven't been in touch
    with since (the give's own rule), newest first (`NEWEST_FIRST`), with each person and
    organisation."""
    moment = now or clock.now()
    return (
        RoleChange.objects.filter(
            owner=owner, changed_at__gte=moment - dt.timedelta(days=NEW_ROLE_DAYS)
        )
        .filter(
            Q(person__last_contact_at__isnull=True) | Q(person__last_contact_at__lt=F("changed_at"))
        )
        .select_related("person", "person__organisation")
        .order_by(*NEWEST_FIRST)
    )
