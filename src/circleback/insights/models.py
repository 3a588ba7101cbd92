"""Keep in touch and keep score: cadence defaults, snoozes, monthly goals and the pitch.

A person's own cadence lives on `people.Person.cadence_days`; this app holds the user's defaults
(by list and closeness, per mode), the snoozes, the goals and the two-minute pitch.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from circleback.people.models import Person
from circleback.text import MAX_TEXT

# Speaking pace the articles' "two-minute drill" is timed at.
WORDS_PER_MINUTE = 150
PITCH_LIMIT_SECONDS = 120

_cadence_validators = [MinValueValidator(1), MaxValueValidator(3650)]


class CadenceSettings(models.Model):
    """The user's keep-in-touch defaults. An empty field means the default for their mode."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cadence_settings"
    )
    inner_circle_days = models.PositiveIntegerField(
        null=True, blank=True, validators=_cadence_validators
    )
    list_a_days = models.PositiveIntegerField(null=True, blank=True, validators=_cadence_validators)
    list_b_days = models.PositiveIntegerField(null=True, blank=True, validators=_cadence_validators)
    list_c_days = models.PositiveIntegerField(null=True, blank=True, validators=_cadence_validators)

    def __str__(self) -> str:
        return f"cadence defaults of {self.owner_id}"


class MonthlyGoals(models.Model):
    """The user's monthly targets. An empty field means the default for their mode."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="monthly_goals"
    )
    new_contacts = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    meetings = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    favours_given = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(500)]
    )

    class Meta:
        verbose_name_plural = "monthly goals"

    def __str__(self) -> str:
        return f"monthly goals of {self.owner_id}"


class Snooze(models.Model):
    """Don't suggest reconnecting with this person before `until` (the user's calendar date)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="snooze")
    until = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "until"], name="snooze_owner_until")]

    def __str__(self) -> str:
        return f"{self.person_id} until {self.until}"


def count_words(text: str) -> int:
    # Words are runs of letters and digits, with apostrophes (also typographic) and hyphens
    # inside them; a lone dash or quote is punctuation, not a word.
    return len(re.findall(r"\w(?:[\w'\u2019-]*\w)?", text))


class Pitch(models.Model):
    """One version of the two-minute drill. The newest version is the current one."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(max_length=120, blank=True)
    text = models.TextField(validators=[MaxLengthValidator(MAX_TEXT)])
    word_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "pitches"
        indexes = [models.Index(fields=["owner", "-created_at"], name="pitch_owner_when")]

    def __str__(self) -> str:
        return self.label or f"Pitch of {self.created_at:%Y-%m-%d}"

    @property
    def speaking_seconds(self) -> int:
        return round(self.word_count * 60 / WORDS_PER_MINUTE)

    @property
    def speaking_time(self) -> str:
        minutes, seconds = divmod(self.speaking_seconds, 60)
        return f"{minutes}:{seconds:02d}"

    @property
    def too_long(self) -> bool:
        return self.speaking_seconds > PITCH_LIMIT_SECONDS


class PitchPractice(models.Model):
    """A time you rehearsed a pitch version on someone — list A first, where mistakes are cheap."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="practices")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    practised_on = models.DateField()
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-practised_on"], name="practice_owner_when")]

    def __str__(self) -> str:
        return f"practice on {self.practised_on}"
