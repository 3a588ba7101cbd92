"""Loop settings (how long each kind of step waits) and the owner's day."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from circleback.accounts.models import User
from circleback.accounts.queries import user_zone
from circleback.loops.models import (
    LoopSettings,
)

INTRO_ASK_DAYS = 2

# The settings a user can change on /loops/settings/ and with `circleback loop settings`.
SETTING_FIELDS = (
    "thank_you_hours",
    "lead_contact_days",
    "lead_meet_days",
    "lead_tell_days",
    "check_back_days",
)


# --- helpers ------------------------------------------------------------------------------


def loop_settings_for(owner: User) -> LoopSettings:
    """The owner's loop settings (defaults until they change one)."""
    found = LoopSettings.objects.filter(user=owner).first()
    return found or LoopSettings(user=owner)


@transaction.atomic
def loop_settings_update(
    *,
    owner: User,
    thank_you_hours: int | None = None,
    lead_contact_days: int | None = None,
    lead_meet_days: int | None = None,
    lead_tell_days: int | None = None,
    check_back_days: int | None = None,
) -> LoopSettings:
    """Change when loop steps fall due: thank_you_hours (1 to 168), lead_contact_days,
    lead_meet_days, lead_tell_days and check_back_days (1 to 90 each). `None` leaves one as
    it is. Steps already open keep their due dates; new steps use the new settings.
    """
    changes = {
        "thank_you_hours": thank_you_hours,
        "lead_contact_days": lead_contact_days,
        "lead_meet_days": lead_meet_days,
        "lead_tell_days": lead_tell_days,
        "check_back_days": check_back_days,
    }
    settings = loop_settings_for(owner)
    for name, value in changes.items():
        if value is not None:
            setattr(settings, name, value)
    settings.full_clean(exclude=["user"])
    settings.save()
    return settings


def due_after(settings: LoopSettings, name: str) -> dt.timedelta:
    """How long after now a step falls due, for a `flow.Transition.due_after` name."""
    if not name:
        return dt.timedelta(0)
    if name == "thank_you_hours":
        return dt.timedelta(hours=settings.thank_you_hours)
    if name == "intro_ask_days":
        return dt.timedelta(days=INTRO_ASK_DAYS)
    return dt.timedelta(days=int(getattr(settings, name)))


def start_of_day(owner: User, day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the owner's time zone (stored in UTC)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=user_zone(owner))
