"""Reviewing possible duplicates: what two people really share, and keeping them apart.
(Merging them is `operations.merge.person_merge`: it must know every area.)"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from circleback.interchange.models import PossibleDuplicate
from circleback.people.queries import what_they_share


def duplicates_with_reasons(pairs: Sequence[PossibleDuplicate]) -> list[PossibleDuplicate]:
    """The pairs, each with `shown_reason`: what the two have in common now, found from their
    records (the reason stored when they were paired only when they share nothing any more)."""
    shared = what_they_share([(p.person_a, p.person_b) for p in pairs])
    for pair, reason in zip(pairs, shared, strict=True):
        pair.shown_reason = reason or pair.reason  # type: ignore[attr-defined]
    return list(pairs)


@transaction.atomic
def duplicate_keep_apart(*, pair: PossibleDuplicate) -> PossibleDuplicate:
    """The two are different people: they won't be proposed again."""
    pair.status = PossibleDuplicate.Status.KEPT_APART
    pair.save(update_fields=["status"])
    return pair
