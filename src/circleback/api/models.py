"""What the REST API keeps besides the network: personal access tokens, the responses to
requests made with an Idempotency-Key, and rate-limit counters.

All three live in the database, not in a process's memory: an organisation runs several app
processes, and a token's limit or a retried request must mean the same in each.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models


class Token(models.Model):
    """A personal access token. Only a SHA-256 digest is stored; the token is shown once.

    Tokens are 256 random bits, so a fast digest is enough: nobody can guess one to match.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=60)
    # The first characters of the token, so a user can tell tokens apart ("cb_8f3a…").
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="api_token_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class IdempotentRequest(models.Model):
    """A creating request made with an Idempotency-Key, and the response it got.

    A retry with the same key and the same request gets the stored response instead of
    creating a second thing; the same key with a different request is refused.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    # Null while the first request is still being handled.
    status = models.PositiveSmallIntegerField(null=True, validators=[MaxValueValidator(599)])
    body = models.BinaryField(default=b"")
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="api_idempotency_unique_key"),
        ]


class RateCounter(models.Model):
    """Requests counted in one fixed window for one token or session (`bucket`)."""

    bucket = models.CharField(max_length=80)
    minute = models.BigIntegerField()  # minutes since the epoch
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bucket", "minute"], name="api_rate_unique_minute"),
        ]
        indexes = [models.Index(fields=["minute"], name="api_rate_minute")]
