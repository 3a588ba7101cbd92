"""Web views for meetings, loops, favours, introductions, shares, permissions and drafts.

Thin: parse the form, call one service or query, render. Every page requires login, every
change is a POST, and another owner's meeting or step is a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from circleback.accounts.models import User
from circleback.loops import queries, services
from circleback.loops.forms import (
    DraftForm,
    FavourForm,
    IntroductionForm,
    MeetingForm,
    NameGiveForm,
    OutcomeForm,
    PermissionForm,
    ReferralFormSet,
    ShareForm,
    SnoozeForm,
    local_datetime,
)
from circleback.loops.models import LoopStep, Meeting
from circleback.people.queries import get_person_for


def _owner(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _errors_to_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's messages next to the fields they concern (or on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _prefill_person(request: HttpRequest, owner: User, field: str = "person") -> dict[str, str]:
    uuid = request.GET.get(field, "")
    if not uuid:
        return {}
    return {field: get_person_for(owner, uuid).full_name}


# --- meetings -------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    upcoming = list(queries.meetings_list(owner=owner, status=Meeting.Status.SCHEDULED)[:100])
    past = list(queries.meetings_list(owner=owner).exclude(status=Meeting.Status.SCHEDULED)[:50])
    return render(request, "loops/meeting_list.html", {"upcoming": upcoming, "past": past})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = MeetingForm(
        request.POST or None,
        owner=owner,
        initial={**_prefill_person(request, owner), "duration_minutes": 30},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                owner=owner,
                person=data["person"],
                scheduled_for=local_datetime(owner, data["scheduled_for"]),
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                purposes=data["purposes"],
                referred_by=data["referred_by"],
                prep_notes=data["prep_notes"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"Meeting with {meeting.person} scheduled.")
            for warning in services.meeting_warnings(meeting):
                messages.warning(request, warning)
            return redirect("loops:meeting_prep", uuid=meeting.uuid)
    return render(request, "loops/meeting_form.html", {"form": form})


@login_required
def meeting_prep(request: HttpRequest, uuid: str) -> HttpResponse:
    meeting = queries.get_meeting_for(_owner(request), uuid)
    brief = services.meeting_prep(meeting=meeting)
    return render(request, "loops/meeting_prep.html", {"brief": brief, "meeting": meeting})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_log(request: HttpRequest, uuid: str) -> HttpResponse:
    meeting = queries.get_meeting_for(_owner(request), uuid)
    if meeting.status != Meeting.Status.SCHEDULED:
        messages.info(request, "This meeting's outcome is already recorded.")
        return redirect("loops:meeting_prep", uuid=meeting.uuid)
    form = OutcomeForm(request.POST or None)
    referrals = ReferralFormSet(request.POST or None, prefix="referral")
    if request.method == "POST" and form.is_valid() and referrals.is_valid():
        data = form.cleaned_data
        rows = [
            services.ReferralInput(
                full_name=r["full_name"],
                organisation=r["organisation"],
                about=r["about"],
                contact_list=r["contact_list"],
                may_use_name=r["may_use_name"],
            )
            for r in (f.cleaned_data for f in referrals.forms)
            if r and r.get("full_name", "").strip()
        ]
        offered = (
            services.OfferInput(
                kind=data["offered_kind"], note=data["offered_note"], standing=data["standing"]
            )
            if data["offered_kind"]
            else None
        )
        try:
            result = services.meeting_log_outcome(
                meeting=meeting,
                learned=data["learned"],
                outcome=data["outcome"],
                next_steps=data["next_steps"],
                referrals=rows,
                offered=offered,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            count = len(result.referrals)
            messages.success(
                request,
                f"Recorded. {count} new lead{'s' if count != 1 else ''}. "
                f"Thank {meeting.person} within a day — it's at the top of your loops.",
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
    meeting = queries.get_meeting_for(_owner(request), uuid)
    try:
        services.meeting_cancel(meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Meeting with {meeting.person} cancelled.")
    return redirect("loops:meeting_list")


# --- loops --------------------------------------------------------------------------------


@login_required
def loop_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    items = queries.open_loops(owner=owner, limit=500)
    return render(
        request,
        "loops/loop_list.html",
        {"items": items, "overdue": sum(1 for i in items if i.overdue)},
    )


@login_required
@require_POST
def step_advance(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = _owner(request)
    step = queries.get_step_for(owner, uuid)
    to = request.POST.get("to") or None
    note = request.POST.get("note", "")[:2000]
    how = request.POST.get("how") or None
    try:
        if how is not None or (
            step.kind in (LoopStep.Kind.THANK_YOU, LoopStep.Kind.LEAD_THANK) and to is None
        ):
            services.thank_you_mark_sent(owner=owner, step=step, how=how or "email", note=note)
        else:
            services.loop_advance(owner=owner, step=step, to=to, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Done: {queries.loop_item(step).title}.")
    return _back(request, reverse("loops:loop_list"))


@login_required
@require_http_methods(["GET", "POST"])
def step_snooze(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = _owner(request)
    step = queries.get_step_for(owner, uuid)
    form = SnoozeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.loop_snooze(
                owner=owner,
                step=step,
                until=form.cleaned_data["until"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"Snoozed until {form.cleaned_data['until']:%d %b %Y}.")
            return _back(request, reverse("loops:loop_list"))
    return render(
        request, "loops/step_snooze.html", {"form": form, "item": queries.loop_item(step)}
    )


# --- favours --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def favour_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
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
        try:
            with transaction.atomic():
                services.favour_log(
                    owner=owner,
                    person=data["person"],
                    direction=data["direction"],
                    kind=data["kind"],
                    note=data["note"],
                    occurred_on=data["occurred_on"],
                )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            received = data["direction"] == "received"
            messages.success(
                request,
                f"Logged. Thank {data['person']} — it's on your loops." if received else "Logged.",
            )
            return redirect("loops:favour_list")
    if request.method == "POST" and name_form.is_bound and name_form.is_valid():
        try:
            services.name_give(
                owner=owner,
                helped=name_form.cleaned_data["helped"],
                name=name_form.cleaned_data["name"],
            )
        except ValidationError as exc:
            _errors_to_form(name_form, exc)
        else:
            messages.success(
                request,
                "Logged. Two steps are on your loops: tell them to expect a call, and "
                "check back later.",
            )
            return redirect("loops:favour_list")
    return render(
        request,
        "loops/favour_list.html",
        {
            "form": form,
            "name_form": name_form,
            "ledger": queries.favour_ledger(owner=owner, limit=100),
            "favours": list(queries.favours_list(owner=owner)[:50]),
            "offers": list(queries.standing_offers(owner=owner)[:50]),
        },
    )


# --- introductions, shares, permissions ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def introduction_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = IntroductionForm(
        request.POST or None, owner=owner, initial=_prefill_person(request, owner, "person_x")
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.introduction_make(
                owner=owner,
                person_x=data["person_x"],
                person_y=data["person_y"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, f"Planned. First ask {data['person_x']} — it's on your loops."
            )
            return redirect("loops:introduction_list")
    return render(
        request,
        "loops/introduction_list.html",
        {"form": form, "introductions": list(queries.introductions_list(owner=owner)[:100])},
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = ShareForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            share = services.share_log(
                owner=owner,
                people=data["people"],
                title=data["title"],
                url=data["url"],
                topics=data["topics"],
                kind="event" if data["event"] else "information",
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, f"Shared “{share.title}” — a favour and a journal entry for each."
            )
            return redirect("loops:share_list")
    return render(
        request,
        "loops/share_list.html",
        {"form": form, "shares": list(queries.shares_list(owner=owner)[:100])},
    )


@login_required
@require_http_methods(["GET", "POST"])
def permission_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = PermissionForm(
        request.POST or None, owner=owner, initial=_prefill_person(request, owner)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.permission_grant(
                owner=owner,
                person=data["person"],
                organisation=data["organisation"] or None,
                note=data["note"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Permission recorded.")
            return redirect("loops:permission_list")
    return render(
        request,
        "loops/permission_list.html",
        {"form": form, "permissions": list(queries.permissions_list(owner=owner)[:200])},
    )


@login_required
@require_POST
def permission_revoke(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = _owner(request)
    permission = queries.get_permission_for(owner, uuid)
    services.permission_revoke(owner=owner, permission=permission)
    messages.success(request, f"Revoked: {permission}.")
    return _back(request, reverse("loops:permission_list"))


# --- drafts ---------------------------------------------------------------------------------


@login_required
def outreach_draft(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    bound = "person" in request.GET and request.GET.get("person", "").strip() != ""
    initial: dict[str, Any] = {}
    if not bound and request.GET.get("to"):
        initial["person"] = get_person_for(owner, request.GET["to"]).full_name
    form = DraftForm(request.GET if bound else None, owner=owner, initial=initial)
    draft = None
    if bound and form.is_valid():
        data = form.cleaned_data
        try:
            draft = services.outreach_draft(
                owner=owner,
                person=data["person"],
                kind=data["kind"],
                about=data["about"],
                referrer=data["referrer"],
                target=data["target"],
                purposes=data["purposes"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
    return render(request, "loops/draft.html", {"form": form, "draft": draft})
