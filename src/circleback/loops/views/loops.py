"""Screens for open loops: the list, advancing and snoozing a step, a new lead, loop settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from circleback.loops import flow, queries
from circleback.loops.forms import (
    LeadForm,
    LoopSettingsForm,
    SnoozeForm,
)
from circleback.loops.hooks import loop_sections
from circleback.loops.models import LoopStep
from circleback.loops.services import (
    leads,
    loops,
    settings,
)
from circleback.loops.views._pages import _page, _prefill_person
from circleback.once.services import FIELD as ONCE
from circleback.once.services import submit_once
from circleback.people.queries import get_person_for
from circleback.people.services.people import PeopleToChoose
from circleback.web.helpers import (
    apply_errors,
    redirect_back,
    refusal_as_message,
    refusal_on_form,
    request_owner,
)

# --- loops --------------------------------------------------------------------------------


@login_required
def loop_list(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    page = _page(request, queries.open_loop_steps(owner))
    now = timezone.now()
    total, overdue = queries.open_loop_count(owner=owner)
    return render(
        request,
        "loops/loop_list.html",
        {
            "items": [queries.loop_item(step, now) for step in page],
            "page_obj": page,
            "total": total,
            "overdue": overdue,
            # Requests other areas have waiting on the owner's answer (groups' introductions).
            "waiting": loop_sections(owner=owner),
        },
    )


@login_required
@require_POST
def step_advance(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    step = queries.get_step_for(owner, uuid)
    to = request.POST.get("to") or None
    note = request.POST.get("note", "")[:2000]
    how = request.POST.get("how") or None
    with refusal_as_message(request):
        if how is not None or (
            step.kind in (LoopStep.Kind.THANK_YOU, LoopStep.Kind.LEAD_THANK) and to is None
        ):
            loops.thank_you_mark_sent(owner=owner, step=step, how=how or "email", note=note)
        else:
            loops.loop_advance(owner=owner, step=step, to=to, note=note)
        messages.success(request, f"Done: {queries.loop_item(step).title}.")
        if any(t.thanks for t in flow.transitions(step.kind) if t.to == step.resolution):
            messages.info(
                request,
                f"Thank {step.person} within a day: the thank-you is in your loops, and what "
                "you noted is in your journal.",
            )
    return redirect_back(request, reverse("loops:loop_list"))


@login_required
@require_http_methods(["GET", "POST"])
def step_snooze(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    step = queries.get_step_for(owner, uuid)
    form = SnoozeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            loops.loop_snooze(
                owner=owner,
                step=step,
                until=form.cleaned_data["until"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, f"Snoozed until {form.cleaned_data['until']:%d %b %Y}.")
            return redirect_back(request, reverse("loops:loop_list"))
    return render(
        request, "loops/step_snooze.html", {"form": form, "item": queries.loop_item(step)}
    )


# --- leads and settings -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def lead_new(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    person = get_person_for(owner, request.GET["person"]) if request.GET.get("person") else None
    matches: list[Any] = []
    form = LeadForm(
        request.POST or None,
        owner=owner,
        person=person,
        initial=_prefill_person(request, owner, "referrer"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = data["person"]

        def work() -> str | None:
            nonlocal matches
            try:
                lead = leads.lead_record(
                    owner=owner,
                    referrer=data["referrer"],
                    person=chosen if not isinstance(chosen, str) else None,
                    full_name=chosen if isinstance(chosen, str) else "",
                    organisation=data["organisation"],
                    about=data["about"],
                    contact_list=data["contact_list"],
                    may_use_name=data["may_use_name"],
                    choice=str(request.POST.get("choice", "")),
                )
            except PeopleToChoose as exc:
                matches = exc.matches.get("person", [])
                return None
            except ValidationError as exc:
                apply_errors(form, exc)
                return None
            lead.refresh_from_db()
            messages.success(
                request,
                f"Lead recorded: contact {lead.referred.full_name} by "
                f"{timezone.localtime(lead.steps.get().due_at):%a %d %b}, then tell "
                f"{lead.referrer.full_name} what came of it.",
            )
            return reverse("loops:loop_list")

        url, again = submit_once(owner=owner, token=request.POST.get(ONCE, ""), work=work)
        if again:
            messages.info(request, "That form was already sent; this is what it made.")
            return redirect(url or "loops:loop_list")
        if url is not None:
            return redirect(url)
    return render(
        request, "loops/lead_form.html", {"form": form, "person": person, "matches": matches}
    )


@login_required
@require_http_methods(["GET", "POST"])
def loop_settings(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    current = settings.loop_settings_for(owner)
    form = LoopSettingsForm(
        request.POST or None, initial={f: getattr(current, f) for f in settings.SETTING_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            settings.loop_settings_update(owner=owner, **form.cleaned_data)
            messages.success(request, "Loop settings saved. New steps fall due by them.")
            return redirect("loops:loop_settings")
    return render(request, "loops/loop_settings.html", {"form": form})
