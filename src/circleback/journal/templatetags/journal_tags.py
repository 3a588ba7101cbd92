"""Fragments other areas' pages embed: the journal on a person's or an organisation's page,
and the form that logs an interaction from a person's page.

    {% load journal_tags %}
    {% person_log_form person %}           log an interaction with this person (its errors too)
    {% person_journal person %}            their timeline, newest first
    {% organisation_journal organisation %} entries that touch an organisation
"""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.template.loader import render_to_string

from circleback.journal.forms import LogForm
from circleback.journal.queries import JournalFilter, journal_list, person_timeline
from circleback.web.helpers import context_owner

register = template.Library()


def _mine(context: template.Context, row: Any) -> bool:
    owner = context_owner(context)
    return owner is not None and row.owner_id == owner.pk


@register.inclusion_tag("journal/_person_log_form.html", takes_context=True)
def person_log_form(context: template.Context, person: Any) -> dict[str, Any]:
    """The page's own `log_form` when it is showing one back with its errors."""
    form = context.get("log_form")
    return {
        "person": person,
        "log_form": form,
        "fresh_fields": _fresh_log_fields() if form is None else None,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@functools.cache
def _fresh_log_fields() -> str:
    """The fields of a new log form, the same on every person's page: rendered once (Django
    renders a form's fields through ~40 templates, 3 ms of each person page's CPU)."""
    form = LogForm(prefix="log", initial={"kind": "meeting"})
    return render_to_string("journal/_person_log_fields.html", {"form": form})


@register.inclusion_tag("journal/_person_journal.html", takes_context=True)
def person_journal(context: template.Context, person: Any) -> dict[str, Any]:
    timeline = list(person_timeline(person, limit=30)) if _mine(context, person) else []
    return {"person": person, "timeline": timeline, "request": context.get("request")}


@register.inclusion_tag("journal/_organisation_journal.html", takes_context=True)
def organisation_journal(context: template.Context, organisation: Any) -> dict[str, Any]:
    journal = (
        list(
            journal_list(
                owner=context_owner(context), filters=JournalFilter(organisation=organisation)
            ).select_related("organisation")[:30]
        )
        if _mine(context, organisation)
        else []
    )
    return {"organisation": organisation, "journal": journal, "request": context.get("request")}
