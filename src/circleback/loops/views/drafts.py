"""The outreach draft screen."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from circleback.loops.forms import (
    DraftForm,
)
from circleback.loops.models import LoopStep
from circleback.loops.queries import get_step_for, loop_item
from circleback.loops.services import (
    drafts,
)
from circleback.people.queries import get_person_for
from circleback.web.helpers import (
    refusal_on_form,
    request_owner,
)

# --- drafts ---------------------------------------------------------------------------------


@login_required
def outreach_draft(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    bound = "person" in request.GET and request.GET.get("person", "").strip() != ""
    initial: dict[str, Any] = {}
    if not bound and request.GET.get("to"):
        initial["person"] = get_person_for(owner, request.GET["to"])
    form = DraftForm(request.GET if bound else None, owner=owner, initial=initial)
    draft = None
    if bound and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            draft = drafts.outreach_draft(
                owner=owner,
                person=data["person"],
                kind=data["kind"],
                about=data["about"],
                referrer=data["referrer"],
                target=data["target"],
                purposes=data["purposes"],
            )
    return render(request, "loops/draft.html", {"form": form, "draft": draft})


@login_required
def thank_you_draft(request: HttpRequest, uuid: str) -> HttpResponse:
    """A thank-you note for a loop step that owes one, to copy, with the button that records
    it sent."""
    owner = request_owner(request)
    step = get_step_for(owner, uuid)
    if step.kind not in (LoopStep.Kind.THANK_YOU, LoopStep.Kind.LEAD_THANK):
        raise Http404("That loop step owes no thank-you.")
    draft = drafts.thank_you_draft(owner=owner, step=step)
    return render(
        request,
        "loops/thank_you_draft.html",
        {"draft": draft, "item": loop_item(step), "step": step},
    )
