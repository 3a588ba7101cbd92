"""Web views for meetings, loops, favours, introductions, shares, permissions and drafts.

Thin: parse the form, call one service or query, render. Every page requires login, every
change is a POST, and another owner's meeting or step is a 404.
"""

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

from circleback.accounts.models import User
from circleback.accounts.queries import user_zone
from circleback.loops import queries
from circleback.loops.forms import (
    MeetingEditForm,
    MeetingForm,
    OutcomeForm,
    ReferralFormSet,
    local_datetime,
)
from circleback.loops.models import Meeting
from circleback.loops.services import (
    meetings,
)
from circleback.loops.views._pages import _confirm, _page, _prefill_person
from circleback.operations import prep
from circleback.people.services.people import PeopleToChoose
from circleback.web.helpers import (
    apply_errors,
    refusal_as_message,
    refusal_on_form,
    request_owner,
)

# --- meetings -------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    upcoming = _page(
        request, queries.meetings_list(owner=owner, status=Meeting.Status.SCHEDULED), "upcoming"
    )
    past = _page(
        request, queries.meetings_list(owner=owner).exclude(status=Meeting.Status.SCHEDULED)
    )
    return render(request, "loops/meeting_list.html", {"upcoming": upcoming, "past": past})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = MeetingForm(
        request.POST or None,
        owner=owner,
        initial={**_prefill_person(request, owner), "duration_minutes": 30},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            meeting = meetings.meeting_schedule(
                owner=owner,
                person=data["person"],
                scheduled_for=local_datetime(owner, data["scheduled_for"]),
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                purposes=data["purposes"],
                referred_by=data["referred_by"],
                prep_notes=data["prep_notes"],
            )
            messages.success(request, f"Meeting with {meeting.person} scheduled.")
            for warning in meetings.meeting_warnings(meeting):
                messages.warning(request, warning)
            return redirect("loops:meeting_prep", uuid=meeting.uuid)
    return render(request, "loops/meeting_form.html", {"form": form})


@login_required
def meeting_prep(request: HttpRequest, uuid: str) -> HttpResponse:
    meeting = queries.get_meeting_for(request_owner(request), uuid)
    brief = prep.meeting_prep(meeting=meeting)
    return render(request, "loops/meeting_prep.html", {"brief": brief, "meeting": meeting})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_log(request: HttpRequest, uuid: str) -> HttpResponse:
    meeting = queries.get_meeting_for(request_owner(request), uuid)
    if meeting.status != Meeting.Status.SCHEDULED:
        messages.info(request, "This meeting's outcome is already recorded.")
        return redirect("loops:meeting_prep", uuid=meeting.uuid)
    form = OutcomeForm(request.POST or None)
    referrals = ReferralFormSet(request.POST or None, prefix="referral")
    if request.method == "POST" and form.is_valid() and referrals.is_valid():
        data = form.cleaned_data
        named = [f for f in referrals.forms if f.cleaned_data.get("full_name", "").strip()]
        rows = [
            meetings.ReferralInput(
                full_name=f.cleaned_data["full_name"],
                organisation=f.cleaned_data["organisation"],
                about=f.cleaned_data["about"],
                contact_list=f.cleaned_data["contact_list"],
                may_use_name=f.cleaned_data["may_use_name"],
                choice=str(request.POST.get(f"{f.prefix}-choice", "")),
            )
            for f in named
        ]
        offered = (
            meetings.OfferInput(
                kind=data["offered_kind"], note=data["offered_note"], standing=data["standing"]
            )
            if data["offered_kind"]
            else None
        )
        try:
            result = meetings.meeting_log_outcome(
                meeting=meeting,
                learned=data["learned"],
                outcome=data["outcome"],
                next_steps=data["next_steps"],
                referrals=rows,
                offered=offered,
            )
        except PeopleToChoose as exc:
            # Whom each referral means, asked on the referral's own row.
            for number, row in enumerate(named):
                row.matches = exc.matches.get(f"referrals.{number}", [])  # type: ignore[attr-defined]
            form.add_error(None, "Some of the names you were given may be people you know.")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            count = len(result.referrals)
            messages.success(
                request,
                f"Recorded. {count} new lead{'s' if count != 1 else ''}. "
                f"Thank {meeting.person} within a day: the thank-you is in your loops below, "
                "with the lead steps, oldest first.",
            )
            return redirect("loops:loop_list")
    return render(
        request,
        "loops/meeting_log.html",
        {"meeting": meeting, "form": form, "referrals": referrals},
    )


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, uuid: str) -> HttpResponse:
    meeting = queries.get_meeting_for(request_owner(request), uuid)
    with refusal_as_message(request):
        meetings.meeting_cancel(meeting=meeting)
        messages.success(request, f"Meeting with {meeting.person} cancelled.")
    return redirect("loops:meeting_list")


def _edit_initial(owner: User, meeting: Meeting) -> dict[str, Any]:
    when = timezone.localtime(meeting.scheduled_for, user_zone(owner))
    return {
        "scheduled_for": when.replace(tzinfo=None),
        "duration_minutes": meeting.duration_minutes,
        "location": meeting.location,
        "purposes": meeting.purposes,
        "referred_by": meeting.referred_by,
        "prep_notes": meeting.prep_notes,
        "learned": meeting.learned,
        "outcome": meeting.outcome,
        "next_steps": meeting.next_steps,
    }


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    meeting = queries.get_meeting_for(owner, uuid)
    if meeting.status == Meeting.Status.CANCELLED:
        messages.info(request, "This meeting was cancelled; schedule a new one instead.")
        return redirect("loops:meeting_prep", uuid=meeting.uuid)
    held = meeting.status == Meeting.Status.HELD
    form = MeetingEditForm(
        request.POST or None, owner=owner, held=held, initial=_edit_initial(owner, meeting)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meetings.meeting_update(
                owner=owner,
                meeting=meeting,
                scheduled_for=local_datetime(owner, data["scheduled_for"]),
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                purposes=data["purposes"],
                referred_by=data["referred_by"],
                prep_notes=data["prep_notes"],
                **({k: data[k] for k in ("learned", "outcome", "next_steps")} if held else {}),
            )
        except ValidationError as exc:
            meeting.refresh_from_db()
            apply_errors(form, exc)
        else:
            messages.success(request, f"Meeting with {meeting.person} saved.")
            for warning in meetings.meeting_warnings(meeting):
                messages.warning(request, warning)
            return redirect("loops:meeting_prep", uuid=meeting.uuid)
    return render(
        request, "loops/meeting_form.html", {"form": form, "meeting": meeting, "editing": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    meeting = queries.get_meeting_for(owner, uuid)
    if request.method == "POST":
        meetings.meeting_delete(owner=owner, meeting=meeting)
        messages.success(request, f"Deleted the meeting with {meeting.person}.")
        return redirect("loops:meeting_list")
    when = timezone.localtime(meeting.scheduled_for, user_zone(owner))
    consequences = ["Its open loop steps go with it."]
    if meeting.status == Meeting.Status.HELD:
        consequences += [
            "So do its journal entry and the favours recorded with it.",
            "The people you were referred to, and their leads, stay.",
        ]
    moved_on = sorted(
        {
            step.lead.referred.full_name
            for step in meeting.closed_steps.select_related("lead__referred")
            if step.lead is not None
        }
    )
    if moved_on:
        consequences.append(
            f"Your lead with {', '.join(moved_on)} goes back to where it was before this "
            "meeting (unless you've moved it on since)."
        )
    return _confirm(
        request,
        title=f"Delete the meeting with {meeting.person.full_name} on {when:%d %b %Y, %H:%M}?",
        consequences=consequences,
        cancel_url=reverse("loops:meeting_prep", args=[meeting.uuid]),
    )
