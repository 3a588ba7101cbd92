"""Fragments other pages embed: the day's agenda on home, keep-in-touch on a person's page.

{% load insights_tags %}
{% agenda_summary %}               the top of today's agenda, each item with its action
{% agenda_summary limit=5 %}       … with up to 5 items per section (default 3)
{% person_keep_in_touch person %}  cadence, due/overdue, snooze and cadence forms, and a
                                   gentle note if contact only comes when you need something
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from circleback.insights import sources
from circleback.insights.queries.agenda import agenda_for
from circleback.insights.queries.health import drive_through
from circleback.insights.queries.keep_in_touch import keep_in_touch_for, keep_in_touch_many
from circleback.web.helpers import context_owner

register = template.Library()


@register.inclusion_tag("insights/_agenda_summary.html", takes_context=True)
def agenda_summary(context: template.Context, limit: int = 3) -> dict[str, Any]:
    owner = context_owner(context)
    # One more than shown, to know whether there is more.
    agenda = agenda_for(owner, limit=limit + 1) if owner is not None else None
    more = False
    if agenda is not None:
        for name in ("loops_overdue", "thank_yous", "meetings", "reconnects", "gives"):
            items = getattr(agenda, name)
            more = more or len(items) > limit
            setattr(agenda, name, items[:limit])
        for section in agenda.extra:
            more = more or len(section.items) > limit
            section.items = section.items[:limit]
    return {
        "agenda": agenda,
        "more": more,
        "snooze_default": agenda.today + dt.timedelta(days=14) if agenda else None,
        "snooze_min": agenda.today + dt.timedelta(days=1) if agenda else None,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("insights/_person_keep_in_touch.html", takes_context=True)
def person_keep_in_touch(context: template.Context, person: Any) -> dict[str, Any]:
    owner = context_owner(context)
    mine = owner is not None and person.owner_id == owner.pk
    status = keep_in_touch_for(person) if mine else None
    # Read once for the page: give and take ({% person_give_and_take %}) shows the same
    # balance, and finds it in the render context.
    favours = sources.favour_balances(owner, [person.pk]) if mine else None
    context.render_context[f"favour_balances:{person.pk}"] = favours
    flagged = (
        drive_through(owner, [person.pk], owned=True, favours=favours).get(person.pk)
        if mine
        else None
    )
    today = status.due_on + dt.timedelta(days=status.days_overdue) if status else None
    return {
        "person": person,
        "mine": mine,
        "status": status,
        "drive_through": flagged,
        "snooze_default": today + dt.timedelta(days=14) if today else None,
        "snooze_min": today + dt.timedelta(days=1) if today else None,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def keep_in_touch_statuses(context: template.Context, people: Any) -> dict[int, Any]:
    """{person id: KeepInTouch} for the people on a page (the owner's only)."""
    owner = context_owner(context)
    if owner is None:
        return {}
    return keep_in_touch_many(owner, people)


@register.simple_tag
def due_badge(statuses: dict[int, Any], person: Any) -> str:
    """A person's badge in a list: snoozed, overdue by so many days, or due today.

    Written out here rather than by an included template: a list shows one per row, and
    rendering a template per row cost a people page more than the rest of the row."""
    status = statuses.get(person.pk) if statuses else None
    if status is None:
        return ""
    if status.snoozed_until:
        until = dateformat.format(status.snoozed_until, "j M Y")
        return format_html('<span class="badge" title="Snoozed until {}">snoozed</span>', until)
    if status.days_overdue > 0:
        return format_html(
            '<span class="badge" title="Every {} days; due {}">overdue {}&nbsp;d</span>',
            status.cadence,
            dateformat.format(status.due_on, "j M Y"),
            status.days_overdue,
        )
    if status.days_overdue == 0:
        return mark_safe('<span class="badge">due today</span>')
    return ""
