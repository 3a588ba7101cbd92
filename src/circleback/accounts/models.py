from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            f"{value!r} is not a time zone; use a name like Europe/London or America/New_York."
        )


class User(AbstractUser):
    """An account. Everything a user records is owned by exactly one account."""

    class Mode(models.TextChoices):
        JOB_SEARCHING = "job_searching", "Job searching"
        EMPLOYED = "employed", "Employed"

    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.JOB_SEARCHING)

    def sign_off(self) -> str:
        """The name drafts are signed with: the real one, never the sign-in name ("sam"); a
        bracketed prompt until the user has given it (at first run or in Settings)."""
        return self.get_full_name() or "[your name]"
