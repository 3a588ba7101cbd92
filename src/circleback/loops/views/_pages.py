"""What the loops area's screens share: paging, a person picked in advance, the confirm page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from circleback.accounts.models import User
from circleback.people.queries import get_person_for

PER_PAGE = 50


def _page(request: HttpRequest, rows: QuerySet[Any], param: str = "page") -> Page[Any]:
    """One page of `rows`, counted and sliced in the database; a bad page number is page 1
    (or the last page when it's past the end)."""
    return Paginator(rows, PER_PAGE).get_page(request.GET.get(param))


def _prefill_person(request: HttpRequest, owner: User, field: str = "person") -> dict[str, Any]:
    """The person a link chose (`?person=<uuid>`), for the form's person picker: shown by name,
    sent as themselves, so a namesake can't be taken for them."""
    uuid = request.GET.get(field, "")
    if not uuid:
        return {}
    return {field: get_person_for(owner, uuid)}


def _confirm(
    request: HttpRequest, *, title: str, consequences: list[str], cancel_url: str
) -> HttpResponse:
    return render(
        request,
        "loops/confirm_delete.html",
        {"title": title, "consequences": consequences, "cancel_url": cancel_url},
    )
