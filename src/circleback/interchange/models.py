"""What imports leave behind: uploads waiting for confirmation and possible duplicates.

An upload waits between its preview and its confirmation as a file of its own in the data
folder (`upload_files`: owner-only, read a buffer at a time, removed once imported), its row
here saying what it is; a big file imports in the background, recording its progress here
so the page can show it. Possible duplicates are pairs of people an import thought
might be one; the user merges them or keeps them apart, and "apart" is remembered so the
pair is never proposed again.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q

from circleback.people.models import Person


class ImportUpload(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Waiting for confirmation"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filename = models.CharField(max_length=255)
    # Bytes of the file waiting in upload_files (0 once it is imported and removed); at most
    # the biggest file an import reads (records.MAX_BACKUP_BYTES, a whole-account backup).
    size = models.PositiveBigIntegerField(default=0, validators=[MaxValueValidator(512 << 20)])
    format = models.CharField(max_length=32)
    contact_list = models.CharField(max_length=1, blank=True)
    tags = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    report = models.JSONField(default=dict)
    took_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # While a big file imports in the background: how far it has got, and when it last said
    # so (a process that stops mid-import leaves a stale time behind; nothing was written).
    progress_stage = models.CharField(max_length=16, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_at = models.DateTimeField(null=True, blank=True)
    # Why the last attempt to import it wrote nothing, shown with the preview.
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-created_at"], name="importupload_owner_when")]


class PossibleDuplicate(models.Model):
    """Two people who may be one (similar names at the same organisation). person_a has the
    lower id, so a pair is stored once whichever way round it was found."""

    class Status(models.TextChoices):
        OPEN = "open", "To review"
        KEPT_APART = "kept_apart", "Kept apart"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_unique_pair"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="duplicate_ordered_pair"
            ),
        ]
        indexes = [models.Index(fields=["owner", "status"], name="duplicate_owner_status")]
