"""Screens for introductions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from circleback.loops import queries
from circleback.loops.forms import (
    IntroductionForm,
)
from circleback.loops.services import (
    introductions,
)
from circleback.loops.views._pages import _page, _prefill_person
from circleback.web.helpers import (
    refusal_on_form,
    request_owner,
)

# --- introductions, shares, permissions ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def introduction_list(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = IntroductionForm(
        request.POST or None, owner=owner, initial=_prefill_person(request, owner, "person_x")
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            introductions.introduction_make(
                owner=owner,
                person_x=data["person_x"],
                person_y=data["person_y"],
                reason=data["reason"],
            )
            messages.success(
                request, f"Planned. First ask {data['person_x']} — it's on your loops."
            )
            return redirect("loops:introduction_list")
    return render(
        request,
        "loops/introduction_list.html",
        {"form": form, "introductions": _page(request, queries.introductions_list(owner=owner))},
    )
