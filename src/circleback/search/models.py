"""One searchable document per person and per journal entry.

Text is stored as folded words (lower case, no accents, no punctuation), so both databases
match "chloe" to "Chloé"
the same way. The full-text index itself is database-specific and made by the migration:
an FTS5 table kept in sync by triggers on SQLite, a GIN index on a weighted tsvector on
PostgreSQL. Documents cascade away with the person or interaction they describe.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        INTERACTION = "interaction", "Journal entry"

    # Indexed first in searchdoc_owner_kind_id, not on its own. The person's or journal
    # entry's owner, whose own keys guarantee it exists: no constraint (migration 0007).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    interaction = models.OneToOneField(
        "journal.Interaction", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.TextField()
    body = models.TextField(blank=True)

    class Meta:
        # Newest first within an owner's documents of one kind (the journal search on
        # PostgreSQL reads the newest few hundred this way).
        indexes = [models.Index(fields=["owner", "kind", "-id"], name="searchdoc_owner_kind_id")]
