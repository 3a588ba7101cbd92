"""Screens for openings and applications: the list, adding one (the network first), one
opening's page with its timeline, moving it on, people, interviews and their prep brief,
follow-ups, and what worked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from circleback.jobs import charts, queries, services
from circleback.jobs.forms import (
    AdvanceForm,
    AskForm,
    InterviewForm,
    OpeningEditForm,
    OpeningForm,
    PersonRoleForm,
)
from circleback.jobs.models import JobStage
from circleback.operations.prep import interview_prep
from circleback.people.queries import get_person_for
from circleback.web.helpers import refusal_as_message, refusal_on_form, request_owner

PER_PAGE = 50


@login_required
def opening_list(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    stage = request.GET.get("stage", "")
    if stage not in JobStage.values:
        stage = ""
    rows = queries.openings_list(owner=owner, stage=stage)
    return render(
        request,
        "jobs/opening_list.html",
        {
            "openings": Paginator(rows, PER_PAGE).get_page(request.GET.get("page")),
            "stage": stage,
            "stages": JobStage.choices,
            "counts": queries.stage_counts(owner),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def opening_add(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    initial = {"organisation": request.GET.get("org", "")[:200]}
    form = OpeningForm(request.POST or None, owner=owner, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            opening = services.opening_add(
                owner=owner,
                title=data["title"],
                organisation=data["organisation"],
                url=data["url"],
                source=data["source"],
                source_person=data["source_person"],
                found_on=data["found_on"],
                deadline=data["deadline"],
                notes=data["notes"],
            )
            messages.success(
                request,
                f"Added {opening.title} at {opening.organisation.name}. Before you apply: "
                "see who you know there.",
            )
            return redirect("jobs:opening_detail", opening.uuid)
    return render(request, "jobs/opening_form.html", {"form": form})


@login_required
def opening_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    opening = queries.get_opening_for(owner, uuid)
    detail = queries.opening_detail(opening)
    stage = detail.application.stage
    network = None
    if stage in (JobStage.FOUND, JobStage.APPLIED):
        network = queries.network_at(owner=owner, organisation=opening.organisation)
    return render(
        request,
        "jobs/opening_detail.html",
        {
            "d": detail,
            "opening": opening,
            "network": network,
            "advance_form": AdvanceForm(stages=services.next_stages(stage)),
            "person_form": PersonRoleForm(owner=owner),
            "interview_form": InterviewForm(owner=owner),
            # The part of the person it came through: changed with the route, not removed.
            "came_through": services.came_through(detail.opening, detail.people),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def opening_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    opening = queries.get_opening_for(owner, uuid)
    form = OpeningEditForm.for_opening(opening, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            services.opening_update(opening=opening, **form.cleaned_data)
            messages.success(request, f"Saved {opening.title}.")
            return redirect("jobs:opening_detail", opening.uuid)
    return render(request, "jobs/opening_edit.html", {"form": form, "opening": opening})


@login_required
@require_POST
def opening_advance(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    opening = queries.get_opening_for(owner, uuid)
    application = opening.application
    form = AdvanceForm(request.POST, stages=services.next_stages(application.stage))
    if not form.is_valid():
        messages.error(request, _form_message(form))
        return redirect("jobs:opening_detail", opening.uuid)
    data = form.cleaned_data
    with refusal_as_message(request, "Not moved: "):
        services.application_advance(
            application=application, to=data["to"], on=data["on"], note=data["note"]
        )
        messages.success(request, f"Moved to {JobStage(data['to']).label.lower()}.")
    return redirect("jobs:opening_detail", opening.uuid)


def _form_message(form: AdvanceForm | PersonRoleForm | InterviewForm | AskForm) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label else text)
    return "Nothing changed — " + "; ".join(parts)


@login_required
@require_POST
def opening_ask(request: HttpRequest, uuid: str) -> HttpResponse:
    """Ask the first person on a way in for an introduction (advice and a referral)."""
    owner = request_owner(request)
    opening = queries.get_opening_for(owner, uuid)
    form = AskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_message(form))
        return redirect("jobs:opening_detail", opening.uuid)
    via = get_person_for(owner, form.cleaned_data["via"])
    target = get_person_for(owner, form.cleaned_data["target"])
    with refusal_as_message(request):
        services.opening_ask_network(opening=opening, via=via, target=target)
        messages.success(
            request,
            f"Noted: you asked {via.full_name} to introduce you to {target.full_name}. The "
            "loops page will remind you to follow up.",
        )
    return redirect("jobs:opening_detail", opening.uuid)


@login_required
@require_POST
def opening_person_add(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    opening = queries.get_opening_for(owner, uuid)
    form = PersonRoleForm(request.POST, owner=owner)
    if not form.is_valid():
        messages.error(request, _form_message(form))
        return redirect("jobs:opening_detail", opening.uuid)
    with refusal_as_message(request):
        involved = services.application_person_add(
            application=opening.application,
            person=form.cleaned_data["person"],
            role=form.cleaned_data["role"],
        )
        messages.success(request, f"Added {involved.person.full_name}.")
    return redirect("jobs:opening_detail", opening.uuid)


@login_required
@require_POST
def opening_person_remove(request: HttpRequest, uuid: str, person_uuid: str) -> HttpResponse:
    owner = request_owner(request)
    opening = queries.get_opening_for(owner, uuid)
    involvement = queries.get_involvement_for(owner, opening, person_uuid)
    with refusal_as_message(request, "Not taken off: "):
        services.application_person_remove(involvement=involvement)
        messages.success(
            request,
            f"Took {involvement.person.full_name} off as {involvement.get_role_display().lower()}.",
        )
    return redirect("jobs:opening_detail", opening.uuid)


@login_required
@require_POST
def interview_add(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    opening = queries.get_opening_for(owner, uuid)
    form = InterviewForm(request.POST, owner=owner)
    if not form.is_valid():
        messages.error(request, _form_message(form))
        return redirect("jobs:opening_detail", opening.uuid)
    data = form.cleaned_data
    with refusal_as_message(request, "Not scheduled: "):
        interview = services.interview_schedule(
            application=opening.application,
            scheduled_for=data["scheduled_for"],
            duration_minutes=data["duration_minutes"],
            kind=data["kind"],
            location=data["location"],
            interviewers=data["interviewers"],
        )
        messages.success(request, "Interview scheduled; its prep brief is ready.")
        return redirect("jobs:interview_prep", interview.uuid)
    return redirect("jobs:opening_detail", opening.uuid)


@login_required
def interview_prep_page(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    interview = queries.get_interview_for(owner, uuid)
    return render(
        request,
        "jobs/interview_prep.html",
        {"brief": interview_prep(interview=interview), "interview": interview},
    )


@login_required
@require_POST
def interview_cancel(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    interview = queries.get_interview_for(owner, uuid)
    with refusal_as_message(request):
        services.interview_cancel(interview=interview)
        messages.success(request, "Interview cancelled; its thank-yous are off the agenda.")
    return redirect("jobs:opening_detail", interview.application.opening.uuid)


@login_required
@require_POST
def follow_up_done(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    follow_up = queries.get_follow_up_for(owner, uuid)
    with refusal_as_message(request):
        nxt = services.follow_up_done(follow_up=follow_up, note=request.POST.get("note", ""))
        messages.success(
            request,
            "Done, and in the journal."
            + (
                f" If there's still no answer, one more follow-up falls due {nxt.due_on:%d %b}."
                if nxt
                else ""
            ),
        )
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("jobs:opening_detail", follow_up.application.opening.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def opening_delete(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    opening = queries.get_opening_for(owner, uuid)
    if request.method == "POST":
        services.opening_delete(opening=opening)
        messages.success(request, f"Deleted the opening {opening.title}.")
        return redirect("jobs:opening_list")
    return render(
        request,
        "loops/confirm_delete.html",
        {
            "title": f"Delete the opening “{opening.title}” at {opening.organisation.name}?",
            "consequences": [
                "Its application, stages, interviews and follow-ups go with it.",
                "The journal keeps its entries; a referral loop stays on the loops page.",
            ],
            "cancel_url": reverse("jobs:opening_detail", args=[opening.uuid]),
        },
    )


@login_required
def what_worked(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    stats = queries.job_stats(owner=owner)
    return render(
        request,
        "jobs/what_worked.html",
        {"stats": stats, "chart": charts.routes_chart(stats)},
    )


@login_required
def follow_up_thank_you(request: HttpRequest, uuid: str) -> HttpResponse:
    """A thank-you note to an interviewer, to copy, with the button that records it sent."""
    owner = request_owner(request)
    follow_up = queries.get_follow_up_for(owner, uuid)
    draft = queries.interview_thank_you_draft(owner=owner, follow_up=follow_up)
    return render(request, "jobs/thank_you_draft.html", {"draft": draft, "follow_up": follow_up})
