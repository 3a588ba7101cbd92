"""Organisations: target employers first, each with its people and everything touching it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from circleback.people.forms import OrganisationForm
from circleback.people.models import Organisation
from circleback.people.queries import (
    get_organisation_for,
    organisation_people,
    organisations_list,
)
from circleback.people.services.organisations import (
    organisation_create,
    organisation_delete,
    organisation_update,
)
from circleback.web.helpers import apply_errors, redirect_back, request_owner

PAGE_SIZE = 100


@login_required
def organisations_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(organisations_list(owner=request_owner(request)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "people/organisations/list.html", {"page": page})


@login_required
def organisation_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    organisation = get_organisation_for(owner, uuid)
    people = organisation_people(organisation)
    return render(
        request,
        "people/organisations/detail.html",
        {
            "organisation": organisation,
            "people": people,
            "decision_makers": sum(1 for p in people if p.is_decision_maker),
        },
    )


def _save(request: HttpRequest, organisation: Organisation | None) -> HttpResponse:
    owner = request_owner(request)
    initial = (
        {name: getattr(organisation, name) for name in OrganisationForm.base_fields}
        if organisation
        else {}
    )
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if organisation is None:
                organisation = organisation_create(owner=owner, **form.cleaned_data)
                messages.success(request, f"Added {organisation.name}.")
            else:
                organisation_update(organisation=organisation, **form.cleaned_data)
                messages.success(request, f"Saved {organisation.name}.")
        except ValidationError as exc:
            apply_errors(form, exc)
            if organisation is not None:
                organisation.refresh_from_db()
        else:
            return redirect("organisation", organisation.uuid)
    return render(
        request,
        "people/organisations/form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    return _save(request, get_organisation_for(request_owner(request), uuid))


@login_required
@require_POST
def organisation_target(request: HttpRequest, uuid: str) -> HttpResponse:
    """Make an organisation a target (or stop) in one step, from wherever you noticed it."""
    organisation = get_organisation_for(request_owner(request), uuid)
    target = request.POST.get("target") != "0"
    organisation_update(organisation=organisation, is_target=target)
    if target:
        messages.success(
            request,
            f"{organisation.name} is now one of your targets. Its ways in are under Ways in.",
        )
    else:
        messages.success(request, f"{organisation.name} is no longer a target.")
    return redirect_back(request, reverse("organisation", args=[organisation.uuid]))


@login_required
@require_http_methods(["GET", "POST"])
def organisation_remove(request: HttpRequest, uuid: str) -> HttpResponse:
    organisation = get_organisation_for(request_owner(request), uuid)
    if request.method == "POST":
        name = organisation.name
        organisation_delete(organisation=organisation)
        messages.success(request, f"Deleted {name}; its people stay in your network.")
        return redirect("organisations")
    return render(
        request,
        "people/organisations/delete.html",
        {"organisation": organisation, "people_count": organisation.people.count()},
    )
