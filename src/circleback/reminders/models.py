"""Reminders that reach the user: the email digest, the calendar feed, and the worker that
sends them.

A digest is claimed before it is sent: one `Digest` row per (account, period), moved from
"due" to "sending" by one conditional update, so two workers never send the same one and a
worker killed mid-way leaves a row that says so. The calendar feed's token is stored hashed:
whoever reads the database can't subscribe to anyone's calendar.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models


class DigestSettings(models.Model):
    """One account's choice: whether, how often and at what local hour to get the digest."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Every day"
        WEEKLY = "weekly", "Once a week"

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    enabled = models.BooleanField(default=False)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default="daily")
    hour = models.PositiveSmallIntegerField(default=7, validators=[MaxValueValidator(23)])  # local
    # 0 Monday .. 6 Sunday (weekly)
    weekday = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(6)])
    # Weekly: send a short summary even on a week when nothing is due.
    send_when_empty = models.BooleanField(default=False)
    # The address a verification link was last sent to, and when one was followed: the
    # digest goes only to `verified_email`, and only while it is still the account's address.
    pending_email = models.EmailField(blank=True)
    verified_email = models.EmailField(blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    # When the next digest falls due (UTC), from the local hour in the user's time zone.
    next_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["next_at"], name="digest_due", condition=models.Q(enabled=True))
        ]


class Digest(models.Model):
    """One digest for one period ("2026-12-03", or "2026-W49" for a weekly one).

    due -> sending (claimed) -> sent | empty (nothing due, nothing sent) | failed (retrying
    at next_attempt_at, or given up) | missed (no worker ran until the period was over).
    """

    class Status(models.TextChoices):
        DUE = "due", "Due"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        EMPTY = "empty", "Nothing due, not sent"
        FAILED = "failed", "Failed"
        MISSED = "missed", "Missed"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=16)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DUE)
    attempts = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(1000)])
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.EmailField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    server_reply = models.CharField(max_length=500, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "period"], name="digest_once_per_period")
        ]
        indexes = [
            models.Index(fields=["owner", "-due_at"], name="digest_owner_recent"),
            models.Index(
                fields=["next_attempt_at"],
                name="digest_retry_due",
                condition=models.Q(status="failed"),
            ),
        ]


class CalendarFeed(models.Model):
    """A private subscription address: only the SHA-256 of its token is kept."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)


class WorkerHeartbeat(models.Model):
    """A running worker says it is alive every few seconds; one that stops saying so is dead,
    and whatever it had claimed is taken up again by another."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)


class ScheduledJob(models.Model):
    """A periodic job and when it next runs: a worker that moves `next_run_at` forward with
    one conditional update is the one that enqueues it, however many workers run."""

    name = models.CharField(max_length=64, primary_key=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_worker = models.CharField(max_length=64, blank=True)
