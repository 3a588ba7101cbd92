"""Template filters that say things as a person would."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from circleback.text import full_stop as text_full_stop
from circleback.text import since_words

register = template.Library()


@register.filter
def since(moment: dt.datetime | None) -> str:
    """{{ person.last_contact_at|since }} → "today", "3 days ago", "in March 2024" — in the
    zone the request activated (the user's)."""
    if moment is None:
        return ""
    return since_words(moment, timezone.now(), timezone.get_current_timezone())


@register.filter
def full_stop(text: str) -> str:
    """End a sentence on `text` with one full stop (circleback.text.full_stop)."""
    return text_full_stop(text)
