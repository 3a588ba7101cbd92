"""`{% reminders_card %}`: the digest's and the calendar feed's part of the settings page."""

from __future__ import annotations

from typing import Any

from django import template

from circleback.accounts.models import User
from circleback.reminders.forms import DigestForm
from circleback.reminders.mail import mail_configured
from circleback.reminders.queries import calendar_feed_exists, digest_status, worker_running

register = template.Library()


@register.inclusion_tag("reminders/_settings.html", takes_context=True)
def reminders_card(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    assert isinstance(user, User)
    status = digest_status(user)
    chosen = status.settings
    form = DigestForm(
        initial={
            "enabled": chosen.enabled,
            "frequency": chosen.frequency,
            "hour": chosen.hour,
            "weekday": chosen.weekday,
            "send_when_empty": chosen.send_when_empty,
        }
    )
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "status": status,
        "form": form,
        "mail_configured": mail_configured(),
        "worker_running": worker_running(),
        "calendar_exists": calendar_feed_exists(user),
        "time_zone": user.time_zone,
    }
