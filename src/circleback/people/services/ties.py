"""Writes for ties: who knows whom, how, and how well."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from circleback.accounts.models import User
from circleback.people.models import (
    Person,
    Tie,
)

# --- ties ---------------------------------------------------------------------------------


@transaction.atomic
def tie_set(
    *,
    owner: User,
    person: Person,
    other: Person,
    kind: str = Tie.Kind.OTHER,
    strength: int = 2,
    notes: str = "",
) -> Tie:
    """Record that two people know each other, or update how they do."""
    if person.pk == other.pk:
        raise ValidationError(
            "A tie joins two different people; a person can't be tied to themselves."
        )
    if person.owner_id != owner.pk or other.owner_id != owner.pk:
        raise ValidationError("Both people must be in your network.")
    if kind not in Tie.Kind.values:
        raise ValidationError(
            {"kind": f"{kind!r} is not a kind of tie; use one of {', '.join(Tie.Kind.values)}."}
        )
    if not isinstance(strength, int) or not 1 <= strength <= 5:
        raise ValidationError({"strength": f"Strength must be from 1 to 5, not {strength!r}."})
    a, b = sorted((person.pk, other.pk))
    # The two people locked (in one order), as an update takes them: two requests tying the
    # same pair at once take turns, and the second changes the tie the first made instead of
    # failing on the one-tie-a-pair constraint (PostgreSQL; SQLite's writes take turns anyway).
    list(Person.objects.select_for_update(no_key=True).filter(pk__in=(a, b)).order_by("pk"))
    tie = Tie.objects.filter(person_a_id=a, person_b_id=b).first() or Tie(
        owner=owner, person_a_id=a, person_b_id=b
    )
    tie.kind, tie.strength, tie.notes = kind, strength, notes or tie.notes
    tie.full_clean(exclude=["person_a", "person_b", "owner"])
    tie.save()
    return tie


def tie_delete(*, tie: Tie) -> None:
    tie.delete()
