"""What loops & favours know about a first hop: may you use their name, and do you owe them?

This is the one seam between introduction paths and the loops app (issue 5). Until
`circleback.loops` is installed with its `Favour` and `NamePermission` models, every person
gets the neutral `Signals()`, which scales every path alike and so leaves the ranking to the
links themselves. Once they exist, the same function reads them — two queries for any
number of people — and nothing else in the paths app changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from circleback.accounts.models import User

Permission = Literal["granted", "unknown"]


@dataclass(frozen=True)
class Signals:
    """Loops' view of one first hop. The defaults are the neutral values."""

    permission: Permission = "unknown"
    favours_given: int = 0  # favours you did them
    favours_received: int = 0  # favours they did you

    @property
    def owed(self) -> int:
        """How many favours you owe them (never negative: being owed is not a debt)."""
        return max(0, self.favours_received - self.favours_given)


NEUTRAL = Signals()


def _model(name: str) -> type | None:
    if not apps.is_installed("circleback.loops"):
        return None
    try:
        return apps.get_model("loops", name)
    except LookupError:
        return None


def loops_available() -> bool:
    return _model("Favour") is not None or _model("NamePermission") is not None


def first_hop_signals(
    owner: User, person_ids: Iterable[int] | None, organisation_id: int | None = None
) -> dict[int, Signals]:
    """Signals for each person id (neutral for everyone while the loops app is absent).

    `person_ids=None` asks for everyone who has any favour or permission on record (the
    rest are neutral), which is what a search over the whole graph needs. A permission
    counts when it is not revoked and covers any organisation or this one.
    """
    ids = None if person_ids is None else list({int(i) for i in person_ids})
    result = {i: NEUTRAL for i in ids or ()}
    if ids is not None and not ids:
        return result
    by_person = Q() if ids is None else Q(person_id__in=ids)
    given: dict[int, int] = {}
    received: dict[int, int] = {}
    granted: set[int] = set()
    favour = _model("Favour")
    if favour is not None:
        rows = (
            favour.objects.filter(by_person, owner=owner)  # type: ignore[attr-defined]
            .values("person_id")
            .annotate(
                given=Count("pk", filter=Q(direction="given")),
                received=Count("pk", filter=Q(direction="received")),
            )
        )
        for row in rows:
            given[row["person_id"]] = row["given"]
            received[row["person_id"]] = row["received"]
    permission = _model("NamePermission")
    if permission is not None:
        today: dt.date = timezone.localdate()
        where = Q(organisation__isnull=True)
        if organisation_id is not None:
            where |= Q(organisation_id=organisation_id)
        granted = set(
            permission.objects.filter(by_person, owner=owner)  # type: ignore[attr-defined]
            .filter(where)
            .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=today))
            .values_list("person_id", flat=True)
        )
    for i in ids if ids is not None else given.keys() | received.keys() | granted:
        if i in given or i in received or i in granted:
            result[i] = Signals(
                permission="granted" if i in granted else "unknown",
                favours_given=given.get(i, 0),
                favours_received=received.get(i, 0),
            )
    return result
