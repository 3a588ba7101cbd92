"""Web views for meetings, loops, favours, introductions, shares, permissions and drafts.

Thin: parse the form, call one service or query, render. Every page requires login, every
change is a POST, and another owner's meeting or step is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from circleback.accounts.models import User
from circleback.loops import flow, queries, services
from circleback.loops.forms import (
    DraftForm,
    FavourEditForm,
    FavourForm,
    IntroductionForm,
    LeadForm,
    LoopSettingsForm,
    MeetingEditForm,
    MeetingForm,
    NameGiveForm,
    OutcomeForm,
    PermissionForm,
    ReferralFormSet,
    ShareForm,
    SnoozeForm,
    local_datetime,
)
from circleback.loops.models import Favour, LoopStep, Meeting
from circleback.once.services import FIELD as ONCE
from circleback.once.services import submit_once
from circleback.people.queries import get_person_for
from circleback.people.services import PeopleToChoose
from circleback.web.helpers import (
    apply_errors,
    redirect_back,
    refusal_as_message,
    refusal_on_form,
    request_owner,
)

PER_PAGE = 50


def _page(request: HttpRequest, rows: QuerySet[Any], param: str = "page") -> Page[Any]:
    """One page of `rows`, counted and sliced in the database; a bad page number is page 1
    (or the last page when it's past the end)."""
    return Paginator(rows, PER_PAGE).get_page(request.GET.get(param))


def _prefill_person(request: HttpRequest, owner: User, field: str = "person") -> dict[str, str]:
    uuid = request.GET.get(field, "")
    if not uuid:
        return {}
    return {field: get_person_for(owner, uuid).full_name}


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
            messages.success(request, f"Meeting with {meeting.person} scheduled.")
            for warning in services.meeting_warnings(meeting):
                messages.warning(request, warning)
            return redirect("loops:meeting_prep", uuid=meeting.uuid)
    return render(request, "loops/meeting_form.html", {"form": form})


@login_required
def meeting_prep(request: HttpRequest, uuid: str) -> HttpResponse:
    meeting = queries.get_meeting_for(request_owner(request), uuid)
    brief = services.meeting_prep(meeting=meeting)
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
            services.ReferralInput(
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
        services.meeting_cancel(meeting=meeting)
        messages.success(request, f"Meeting with {meeting.person} cancelled.")
    return redirect("loops:meeting_list")


def _edit_initial(owner: User, meeting: Meeting) -> dict[str, Any]:
    when = timezone.localtime(meeting.scheduled_for, services.owner_zone(owner))
    return {
        "scheduled_for": when.replace(tzinfo=None),
        "duration_minutes": meeting.duration_minutes,
        "location": meeting.location,
        "purposes": meeting.purposes,
        "referred_by": meeting.referred_by.full_name if meeting.referred_by else "",
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
            services.meeting_update(
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
            for warning in services.meeting_warnings(meeting):
                messages.warning(request, warning)
            return redirect("loops:meeting_prep", uuid=meeting.uuid)
    return render(
        request, "loops/meeting_form.html", {"form": form, "meeting": meeting, "editing": True}
    )


def _confirm(
    request: HttpRequest, *, title: str, consequences: list[str], cancel_url: str
) -> HttpResponse:
    return render(
        request,
        "loops/confirm_delete.html",
        {"title": title, "consequences": consequences, "cancel_url": cancel_url},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    meeting = queries.get_meeting_for(owner, uuid)
    if request.method == "POST":
        services.meeting_delete(owner=owner, meeting=meeting)
        messages.success(request, f"Deleted the meeting with {meeting.person}.")
        return redirect("loops:meeting_list")
    when = timezone.localtime(meeting.scheduled_for, services.owner_zone(owner))
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
            services.thank_you_mark_sent(owner=owner, step=step, how=how or "email", note=note)
        else:
            services.loop_advance(owner=owner, step=step, to=to, note=note)
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
            services.loop_snooze(
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
                services.favour_log(
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
            services.name_give(
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
            services.favour_update(
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
        services.favour_delete(owner=owner, favour=favour)
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
    services.standing_offer_taken_up(owner=owner, offer=offer)
    messages.success(request, f"Taken up: {offer.offer}. Well given.")
    return redirect_back(request, reverse("loops:favour_list"))


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
                lead = services.lead_record(
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
    current = services.loop_settings_for(owner)
    form = LoopSettingsForm(
        request.POST or None, initial={f: getattr(current, f) for f in services.SETTING_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            services.loop_settings_update(owner=owner, **form.cleaned_data)
            messages.success(request, "Loop settings saved. New steps fall due by them.")
            return redirect("loops:loop_settings")
    return render(request, "loops/loop_settings.html", {"form": form})


@login_required
def people_json(request: HttpRequest) -> JsonResponse:
    """Names for the people pickers: the owner's best matches for what's typed so far."""
    people = queries.people_suggestions(owner=request_owner(request), text=request.GET.get("q", ""))
    return JsonResponse(
        {
            "people": [
                {
                    "uuid": str(p.uuid),
                    "name": p.full_name,
                    "organisation": p.organisation.name if p.organisation else "",
                }
                for p in people
            ]
        }
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
            services.introduction_make(
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


@login_required
@require_http_methods(["GET", "POST"])
def share_list(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = ShareForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            share = services.share_log(
                owner=owner,
                people=data["people"],
                title=data["title"],
                url=data["url"],
                topics=data["topics"],
                kind="event" if data["event"] else "information",
            )
            messages.success(
                request, f"Shared “{share.title}” — a favour and a journal entry for each."
            )
            return redirect("loops:share_list")
    return render(
        request,
        "loops/share_list.html",
        {"form": form, "shares": _page(request, queries.shares_list(owner=owner))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_delete(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    share = queries.get_share_for(owner, uuid)
    if request.method == "POST":
        services.share_delete(owner=owner, share=share)
        messages.success(request, f"Deleted the share “{share.title}”.")
        return redirect("loops:share_list")
    return _confirm(
        request,
        title=f"Delete the share “{share.title}”?",
        consequences=[
            "The favours it logged go with it.",
            "The journal entries stay: you did pass it on. Delete them from the journal if "
            "they're wrong.",
        ],
        cancel_url=reverse("loops:share_list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def permission_list(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = PermissionForm(
        request.POST or None, owner=owner, initial=_prefill_person(request, owner)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            services.permission_grant(
                owner=owner,
                person=data["person"],
                organisation=data["organisation"] or None,
                note=data["note"],
            )
            messages.success(request, "Permission recorded.")
            return redirect("loops:permission_list")
    return render(
        request,
        "loops/permission_list.html",
        {"form": form, "permissions": _page(request, queries.permissions_list(owner=owner))},
    )


@login_required
@require_POST
def permission_revoke(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    permission = queries.get_permission_for(owner, uuid)
    services.permission_revoke(owner=owner, permission=permission)
    messages.success(request, f"Revoked: {permission}.")
    return redirect_back(request, reverse("loops:permission_list"))


# --- drafts ---------------------------------------------------------------------------------


@login_required
def outreach_draft(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    bound = "person" in request.GET and request.GET.get("person", "").strip() != ""
    initial: dict[str, Any] = {}
    if not bound and request.GET.get("to"):
        initial["person"] = get_person_for(owner, request.GET["to"]).full_name
    form = DraftForm(request.GET if bound else None, owner=owner, initial=initial)
    draft = None
    if bound and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            draft = services.outreach_draft(
                owner=owner,
                person=data["person"],
                kind=data["kind"],
                about=data["about"],
                referrer=data["referrer"],
                target=data["target"],
                purposes=data["purposes"],
            )
    return render(request, "loops/draft.html", {"form": form, "draft": draft})
