"""Writes for the journal. Logging an interaction also moves each person's last contact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from circleback.accounts.models import User
from circleback.journal.models import Interaction, Participation
from circleback.people.models import Organisation, Person
from circleback.people.services import last_contact_refresh
from circleback.search.services import search_index_interactions

MAX_PEOPLE_PER_INTERACTION = 500


def _check_people(owner: User, people: Sequence[Person]) -> list[Person]:
    unique = list({p.pk: p for p in people}.values())
    if any(p.owner_id != owner.pk for p in unique):
        raise ValidationError(
            {"people": "Every person in a journal entry must be in your network."}
        )
    if len(unique) > MAX_PEOPLE_PER_INTERACTION:
        raise ValidationError(
            {"people": f"A journal entry can name at most {MAX_PEOPLE_PER_INTERACTION} people."}
        )
    return unique


@transaction.atomic
def interaction_log(
    *,
    owner: User,
    summary: str,
    people: Sequence[Person] = (),
    kind: str = Interaction.Kind.NOTE,
    occurred_at: dt.datetime | None = None,
    direction: str = Interaction.Direction.MUTUAL,
    notes: str = "",
    organisation: Organisation | None = None,
    source: str = "manual",
    external_key: str = "",
) -> Interaction:
    """Write a journal entry with the people it involved; it counts as contact with each."""
    people = _check_people(owner, people)
    if organisation is not None and organisation.owner_id != owner.pk:
        raise ValidationError({"organisation": "That organisation is not yours."})
    when = occurred_at or timezone.now()
    if timezone.is_naive(when):
        raise ValidationError({"occurred_at": "The time of an interaction needs a time zone."})
    interaction = Interaction(
        owner=owner,
        summary=" ".join(summary.split()),
        kind=kind,
        direction=direction,
        occurred_at=when,
        notes=notes.strip(),
        organisation=organisation,
        source=source,
        external_key=external_key,
    )
    if not interaction.summary:
        raise ValidationError({"summary": "Say in a few words what happened."})
    interaction.full_clean(exclude=["owner", "organisation"])
    interaction.save()
    Participation.objects.bulk_create(
        [
            Participation(owner=owner, interaction=interaction, person=p, occurred_at=when)
            for p in people
        ]
    )
    # Only ever moves forward: logging an old entry doesn't make someone look less recent.
    Person.objects.filter(pk__in=[p.pk for p in people]).filter(
        models.Q(last_contact_at__isnull=True) | models.Q(last_contact_at__lt=when)
    ).update(last_contact_at=when)
    search_index_interactions(interaction_ids=[interaction.pk])
    return interaction


@transaction.atomic
def interaction_update(
    *,
    interaction: Interaction,
    people: Sequence[Person] | None = None,
    **changes: object,
) -> Interaction:
    allowed = {"summary", "kind", "direction", "occurred_at", "notes", "organisation"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Unknown journal fields: {', '.join(sorted(unknown))}.")
    owner = interaction.owner
    before = set(
        Participation.objects.filter(interaction=interaction).values_list("person_id", flat=True)
    )
    for field, value in changes.items():
        if field == "summary" and isinstance(value, str):
            value = " ".join(value.split())
        setattr(interaction, field, value)
    if not interaction.summary:
        raise ValidationError({"summary": "Say in a few words what happened."})
    interaction.full_clean(exclude=["owner", "organisation"])
    interaction.save()
    if people is not None:
        people = _check_people(owner, people)
        Participation.objects.filter(interaction=interaction).delete()
        Participation.objects.bulk_create(
            [
                Participation(
                    owner=owner,
                    interaction=interaction,
                    person=p,
                    occurred_at=interaction.occurred_at,
                )
                for p in people
            ]
        )
    else:
        Participation.objects.filter(interaction=interaction).update(
            occurred_at=interaction.occurred_at
        )
    after = set(
        Participation.objects.filter(interaction=interaction).values_list("person_id", flat=True)
    )
    last_contact_refresh(person_ids=before | after)
    search_index_interactions(interaction_ids=[interaction.pk])
    return interaction


@transaction.atomic
def interaction_delete(*, interaction: Interaction) -> None:
    person_ids = list(
        Participation.objects.filter(interaction=interaction).values_list("person_id", flat=True)
    )
    interaction.delete()
    last_contact_refresh(person_ids=person_ids)


def participations_move(*, from_person: Person, to_person: Person) -> None:
    """Give `to_person` every journal entry of `from_person` (used when merging people)."""
    already = set(
        Participation.objects.filter(person=to_person).values_list("interaction_id", flat=True)
    )
    moving = Participation.objects.filter(person=from_person)
    moving.filter(interaction_id__in=already).delete()
    moving.update(person=to_person)
