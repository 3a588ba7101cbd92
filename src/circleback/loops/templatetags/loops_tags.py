"""Fragments other pages embed: a person's loops, favour balance and permissions, and the
home page's overdue steps and thank-yous owed.

    {% load loops_tags %}
    {% person_loops person %}        open loops with this person (with one-click actions)
    {% person_give_and_take person %} favour balance, standing offers, name permissions
    {% home_loops %}                  overdue loop steps and thank-yous owed
    {% page_url "page" 2 %}           this page's URL on another page of a list
    {% page_url "page" 2 path %}      the same, at `path` (a page that also answers a POST)
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

from circleback.loops.models import LoopStep
from circleback.loops.queries import (
    Balance,
    favour_balances,
    name_permissions,
    open_loops,
    standing_offers,
)
from circleback.web.helpers import context_owner

register = template.Library()


@register.inclusion_tag("loops/_person_loops.html", takes_context=True)
def person_loops(context: template.Context, person: Any) -> dict[str, Any]:
    owner = context_owner(context)
    mine = owner is not None and person.owner_id == owner.pk
    return {
        "person": person,
        "items": open_loops(owner=owner, person=person, limit=20) if mine else [],
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("loops/_person_give_and_take.html", takes_context=True)
def person_give_and_take(context: template.Context, person: Any) -> dict[str, Any]:
    owner = context_owner(context)
    mine = owner is not None and person.owner_id == owner.pk
    balance = Balance()
    if mine:
        # {person id: (given, received)}, when keep in touch ({% person_keep_in_touch %})
        # has read it for the page already.
        known = context.render_context.get(f"favour_balances:{person.pk}")
        if known is not None:
            balance = Balance(*known.get(person.pk, (0, 0)))
        else:
            balance = favour_balances(owner, [person.pk]).get(person.pk, Balance())
    return {
        "person": person,
        "balance": balance,
        "offers": list(standing_offers(owner=owner, person=person)[:5]) if mine else [],
        "permissions": name_permissions(owner, [person.pk]).get(person.pk, []) if mine else [],
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, param: str, number: int, path: str = "") -> str:
    """This page's URL with `param` set to `number`, other filters and pagers kept. `path`,
    when given, is the page's own address: for a page also shown as the answer to a POST,
    whose URL (the form's) can't be got."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query[param] = str(number)
    return f"{path}?{query.urlencode()}"


@register.inclusion_tag("loops/_home_loops.html", takes_context=True)
def home_loops(context: template.Context) -> dict[str, Any]:
    owner = context_owner(context)
    if owner is None:
        return {"overdue": [], "thanks": []}
    overdue = open_loops(owner=owner, overdue_only=True, limit=10)
    overdue_ids = {i.step.pk for i in overdue}
    thanks = [
        i
        for i in open_loops(
            owner=owner, kinds=[LoopStep.Kind.THANK_YOU, LoopStep.Kind.LEAD_THANK], limit=10
        )
        if i.step.pk not in overdue_ids
    ]
    return {
        "overdue": overdue,
        "thanks": thanks,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
