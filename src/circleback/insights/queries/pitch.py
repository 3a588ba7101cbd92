"""Reads for the two-minute pitch and its practice log."""

from __future__ import annotations

import uuid

from django.db.models import (
    Count,
    QuerySet,
)

from circleback.accounts.models import User
from circleback.insights.models import Pitch, PitchPractice
from circleback.people.models import Person

# --- pitch ---------------------------------------------------------------------------------


def pitch_current(owner: User) -> Pitch | None:
    """The newest version of the user's two-minute pitch (for meeting prep briefs)."""
    return Pitch.objects.filter(owner=owner).order_by("-created_at", "-pk").first()


def pitch_list(owner: User) -> QuerySet[Pitch]:
    return (
        Pitch.objects.filter(owner=owner)
        .annotate(practice_count=Count("practices"))
        .order_by("-created_at", "-pk")
    )


def get_pitch_for(owner: User, pitch_uuid: str | uuid.UUID) -> Pitch:
    """The owner's pitch version with this UUID, or 404 (also for another owner's)."""
    from django.http import Http404

    try:
        parsed = pitch_uuid if isinstance(pitch_uuid, uuid.UUID) else uuid.UUID(str(pitch_uuid))
    except ValueError:
        raise Http404("No such pitch.") from None
    pitch = Pitch.objects.filter(owner=owner, uuid=parsed).first()
    if pitch is None:
        raise Http404("No such pitch.")
    return pitch


def pitch_practices(owner: User, limit: int = 20) -> list[PitchPractice]:
    """The latest rehearsals, newest first, with whom and which version."""
    return list(
        PitchPractice.objects.filter(owner=owner)
        .select_related("person", "pitch")
        .order_by("-practised_on", "-pk")[:limit]
    )


def practice_partners(owner: User, limit: int = 12) -> list[Person]:
    """Whom to practise on: list A first (mistakes are cheap there), the closest first."""
    return list(
        Person.objects.filter(owner=owner, contact_list__in=["A", "B"]).order_by(
            "contact_list", "-closeness", "full_name"
        )[:limit]
    )
