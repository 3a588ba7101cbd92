"""The journal: every call, meeting, email, event and note, with the people it involved."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Now

from circleback.people.models import Organisation, OwnedModel, Person
from circleback.text import MAX_TEXT


class Interaction(OwnedModel):
    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        CALL = "call", "Call"
        EMAIL = "email", "Email"
        MESSAGE = "message", "Message"
        EVENT = "event", "Event"
        SOCIAL = "social", "Social"
        CARD = "card", "Card or letter"
        NOTE = "note", "Note"

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", "I reached out"
        INCOMING = "incoming", "They reached out"
        MUTUAL = "mutual", "Mutual"

    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NOTE)
    direction = models.CharField(max_length=16, choices=Direction.choices, default=Direction.MUTUAL)
    summary = models.CharField(max_length=300)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="interactions"
    )
    people: models.ManyToManyField[Person, Participation] = models.ManyToManyField(
        Person, through="Participation", related_name="interactions"
    )
    source = models.CharField(max_length=16, default="manual")
    # Identifies an imported entry (e.g. a LinkedIn message) so importing twice adds nothing.
    external_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # db_default keeps raw bulk inserts (imports, demo data) valid without naming the column.
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        indexes = [
            models.Index(fields=["owner", "updated_at"], name="interaction_owner_updated"),
            models.Index(fields=["owner", "-occurred_at"], name="interaction_owner_when"),
            models.Index(fields=["owner", "kind", "-occurred_at"], name="interaction_owner_kind"),
            models.Index(fields=["organisation", "-occurred_at"], name="interaction_org_when"),
            models.Index(fields=["owner", "external_key"], name="interaction_external_key"),
            # The paths graph's load joins an owner's participations to their entries for
            # the direction: read from this index alone (PostgreSQL's INCLUDE; SQLite keeps
            # the key), not by scanning every account's journal.
            models.Index(
                fields=["owner", "id"], include=["direction"], name="interaction_owner_id"
            ),
        ]

    def __str__(self) -> str:
        return self.summary


class Participation(models.Model):
    """A person's part in an interaction. Carries the time so a timeline is one index scan."""

    # Indexed first in participation_owner_id, not on its own.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    occurred_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["interaction", "person"], name="participation_unique_person"
            )
        ]
        indexes = [
            models.Index(fields=["person", "-occurred_at"], name="participation_person_when"),
            # An owner's participations (the paths graph's load) and the newest of them (its
            # version stamp's MAX(id)) from one index: the primary key walked down from the
            # newest row passed every other account's newer rows first.
            # Its person and entry included (PostgreSQL), so the graph's load reads an
            # owner's participations from the index alone: the table holds every account's
            # rows side by side, in the order they were written.
            models.Index(
                fields=["owner", "id"],
                include=["person", "interaction"],
                name="participation_owner_id",
            ),
        ]
