"""Screens for the favours ledger and standing offers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from circleback.loops import queries
from circleback.loops.forms import (
    FavourEditForm,
    FavourForm,
    NameGiveForm,
)
from circleback.loops.models import Favour
from circleback.loops.services import (
    favours,
    introductions,
)
from circleback.loops.views._pages import _confirm, _page, _prefill_person
from circleback.web.helpers import (
    redirect_back,
    refusal_on_form,
    request_owner,
)

# --- favours --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def favour_list(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = FavourForm(
        request.POST if request.POST.get("form") == "favour" else None,
        owner=owner,
        initial={"direction": "given", **_prefill_person(request, owner)},
        prefix="favour",
    )
    name_form = NameGiveForm(
        request.POST if request.POST.get("form") == "name" else None, owner=owner, prefix="name"
    )
    if request.method == "POST" and form.is_bound and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            with transaction.atomic():
                favours.favour_log(
                    owner=owner,
                    person=data["person"],
                    direction=data["direction"],
                    kind=data["kind"],
                    note=data["note"],
                    occurred_on=data["occurred_on"],
                )
            received = data["direction"] == "received"
            messages.success(
                request,
                f"Logged. Thank {data['person']} — it's on your loops." if received else "Logged.",
            )
            return redirect("loops:favour_list")
    if request.method == "POST" and name_form.is_bound and name_form.is_valid():
        with refusal_on_form(name_form):
            introductions.name_give(
                owner=owner,
                helped=name_form.cleaned_data["helped"],
                name=name_form.cleaned_data["name"],
            )
            messages.success(
                request,
                "Logged. Two steps are on your loops: tell them to expect a call, and "
                "check back later.",
            )
            return redirect("loops:favour_list")
    ledger = _page(request, queries.favour_ledger_rows(owner), "ledger")
    return render(
        request,
        "loops/favour_list.html",
        {
            "form": form,
            "name_form": name_form,
            "ledger": ledger,
            "ledger_rows": queries.ledger_rows(owner, ledger),
            "favours": _page(request, queries.favours_list(owner=owner)),
            "offers": _page(request, queries.standing_offers(owner=owner), "offers"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def favour_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    favour = queries.get_favour_for(owner, uuid)
    form = FavourEditForm(
        request.POST or None,
        initial={
            "direction": favour.direction,
            "kind": favour.kind,
            "note": favour.note,
            "occurred_on": favour.occurred_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            favours.favour_update(
                owner=owner,
                favour=favour,
                direction=data["direction"],
                kind=data["kind"],
                note=data["note"],
                occurred_on=data["occurred_on"],
            )
            messages.success(request, "Favour saved.")
            return redirect("loops:favour_list")
    return render(request, "loops/favour_form.html", {"form": form, "favour": favour})


@login_required
@require_http_methods(["GET", "POST"])
def favour_delete(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    favour = queries.get_favour_for(owner, uuid)
    if request.method == "POST":
        favours.favour_delete(owner=owner, favour=favour)
        messages.success(request, "Favour deleted.")
        return redirect("loops:favour_list")
    gave = favour.direction == Favour.Direction.GIVEN
    return _confirm(
        request,
        title=f"Delete the {favour.get_kind_display().lower()} you "
        f"{'gave' if gave else 'received from'} {'to ' if gave else ''}"
        f"{favour.person.full_name} on {favour.occurred_on:%d %b %Y}?",
        consequences=[
            "Any open step it started (a thank-you, “expect a call”, a check-back) goes with it."
        ],
        cancel_url=reverse("loops:favour_list"),
    )


@login_required
@require_POST
def offer_taken_up(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    offer = queries.get_offer_for(owner, uuid)
    favours.standing_offer_taken_up(owner=owner, offer=offer)
    messages.success(request, f"Taken up: {offer.offer}. Well given.")
    return redirect_back(request, reverse("loops:favour_list"))
