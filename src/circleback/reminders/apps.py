from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _follow_zone(user: Any) -> None:
    """The account's time zone changed: its next digest comes at the chosen hour there."""
    from circleback.reminders.services import digest_reschedule

    digest_reschedule(owner=user)


class RemindersConfig(AppConfig):
    name = "circleback.reminders"
    label = "reminders"
    verbose_name = "Reminders: the digest, the calendar feed and the worker"

    def ready(self) -> None:
        from circleback.accounts.services import ZONE_CHANGED

        if _follow_zone not in ZONE_CHANGED:
            ZONE_CHANGED.append(_follow_zone)
