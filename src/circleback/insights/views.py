"""Web pages: Today (the agenda), Goals, Health, Pitch and the keep-in-touch settings.

Thin: parse the form, call one service or query, render. Every page requires login, every
change is a POST with CSRF, and another owner's person or pitch is a 404.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.insights import services
from circleback.insights.cadence import CADENCE_FIELDS, DEFAULT_CADENCE, cadence_defaults
from circleback.insights.charts import goal_charts, list_balance
from circleback.insights.forms import (
    CadenceDefaultsForm,
    CadenceForm,
    GoalsForm,
    PitchForm,
    PracticeForm,
    SnoozeForm,
)
from circleback.insights.models import CadenceSettings, MonthlyGoals
from circleback.insights.queries import agenda as agenda_queries
from circleback.insights.queries import goals as goals_queries
from circleback.insights.queries import health as health_queries
from circleback.insights.queries import keep_in_touch as keep_in_touch_queries
from circleback.insights.queries import pitch as pitch_queries
from circleback.people.lookups import resolve_person
from circleback.people.models import Person
from circleback.people.queries import get_person_for
from circleback.people.services.people import role_change_dismiss
from circleback.web.helpers import (
    redirect_back,
    refusal_as_message,
    refusal_on_form,
    request_owner,
)
from circleback.web.widgets import ask_which

SNOOZE_DAYS = 14  # the snooze date offered by default: two weeks


def _form_message(form: forms.BaseForm) -> str:
    """The form's errors in one line, each after the label of the field it is about."""
    said: list[str] = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        said.extend(f"{label}{error}" for error in errors)
    return " ".join(said)


# --- today -----------------------------------------------------------------------------------


@login_required
def today(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    agenda = agenda_queries.agenda_for(owner)
    return render(
        request,
        "insights/today.html",
        {
            "agenda": agenda,
            "snooze_default": agenda.today + dt.timedelta(days=SNOOZE_DAYS),
            "snooze_min": agenda.today + dt.timedelta(days=1),
        },
    )


@login_required
@require_POST
def reconnect(request: HttpRequest, uuid: str) -> HttpResponse:
    """Log a reconnect with this person (a message by default): it resets their cadence."""
    owner = request_owner(request)
    person = get_person_for(owner, uuid)
    summary = request.POST.get("summary", "").strip()[:300]
    with refusal_as_message(request):
        services.reconnect_log(owner=owner, person=person, summary=summary)
        messages.success(request, f"Logged: you reconnected with {person.full_name}.")
    return redirect_back(request, reverse("insights:today"))


@login_required
@require_POST
def snooze(request: HttpRequest, uuid: str) -> HttpResponse:
    """Snooze this person's reconnect until a date, or lift the snooze (`off`)."""
    owner = request_owner(request)
    person = get_person_for(owner, uuid)
    if request.POST.get("off"):
        services.person_unsnooze(owner=owner, person=person)
        messages.success(request, f"{person.full_name} is no longer snoozed.")
        return redirect_back(request, reverse("insights:today"))
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Not snoozed: {_form_message(form)}")
        return redirect_back(request, reverse("insights:today"))
    until = form.cleaned_data["until"]
    with refusal_as_message(request, "Not snoozed: "):
        services.person_snooze(owner=owner, person=person, until=until)
        messages.success(request, f"Snoozed {person.full_name} until {until:%d %b %Y}.")
    return redirect_back(request, reverse("insights:today"))


@login_required
@require_POST
def cadence(request: HttpRequest, uuid: str) -> HttpResponse:
    """Set this person's own cadence; empty returns them to the default."""
    owner = request_owner(request)
    person = get_person_for(owner, uuid)
    form = CadenceForm(request.POST)
    default = reverse("person", args=[person.uuid])
    if not form.is_valid():
        messages.error(request, f"Cadence not changed: {_form_message(form)}")
        return redirect_back(request, default)
    days = form.cleaned_data["days"]
    with refusal_as_message(request, "Cadence not changed: "):
        services.cadence_set(owner=owner, person=person, days=days)
        what = f"every {days} days" if days else "on your default cadence"
        messages.success(request, f"Keeping in touch with {person.full_name} {what}.")
    return redirect_back(request, default)


@login_required
@require_POST
def give(request: HttpRequest) -> HttpResponse:
    """Log a suggested give as done (an introduction made, something passed on)."""
    owner = request_owner(request)
    people = [get_person_for(owner, value) for value in request.POST.getlist("person")[:10]]
    summary = request.POST.get("summary", "")[:300]
    with refusal_as_message(request):
        entry = services.give_log(owner=owner, people=people, summary=summary)
        messages.success(request, f"Logged: {entry.summary}. Giving keeps the network warm.")
    return redirect_back(request, reverse("insights:today"))


@login_required
@require_POST
def new_role_dismiss(request: HttpRequest, uuid: str) -> HttpResponse:
    """Not congratulating this one: the suggestion goes, and the journal is left as it is."""
    owner = request_owner(request)
    person = get_person_for(owner, uuid)
    role_change_dismiss(owner=owner, person=person)
    messages.success(request, f"No more suggestions to congratulate {person.full_name}.")
    return redirect_back(request, reverse("insights:today"))


# --- goals -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def goals(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    row = MonthlyGoals.objects.filter(owner=owner).first()
    initial = {f: getattr(row, f) for f in goals_queries.GOAL_METRICS} if row else {}
    form = GoalsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            services.goals_update(owner=owner, **form.cleaned_data)
            messages.success(request, "Goals saved.")
            return redirect("insights:goals")
    found = goals_queries.goals_for(owner)
    mode_defaults = goals_queries.DEFAULT_GOALS.get(owner.mode, {})
    for name, field in form.fields.items():
        field.widget.attrs["placeholder"] = str(mode_defaults.get(name, ""))
    return render(
        request,
        "insights/goals.html",
        {"goals": found, "charts": goal_charts(found), "form": form},
    )


# --- health ----------------------------------------------------------------------------------


@login_required
def health(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    found = health_queries.health_for(owner)
    given, received = found.favours or (0, 0)
    return render(
        request,
        "insights/health.html",
        {
            "health": found,
            "segments": list_balance(found.lists),
            "given": given,
            "received": received,
            "name_ten_percent": min(100, found.name_ten * 10),
            "snooze_default": user_today(owner) + dt.timedelta(days=SNOOZE_DAYS),
        },
    )


# --- pitch -----------------------------------------------------------------------------------


def _partners(owner: User) -> list[str]:
    """A few names from list A to suggest practising on (the picker finds anyone else)."""
    return [p.full_name for p in pitch_queries.practice_partners(owner, limit=3)]


def _pitch_page(
    request: HttpRequest,
    owner: User,
    *,
    form: PitchForm,
    practice_form: PracticeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    versions = list(pitch_queries.pitch_list(owner)[:20])
    current = versions[0] if versions else None
    if current is not None and not form.is_bound:
        form.initial = {"text": current.text}
    return render(
        request,
        "insights/pitch.html",
        {
            "form": form,
            "current": current,
            "versions": versions,
            "practices": pitch_queries.pitch_practices(owner),
            "practice_form": practice_form or PracticeForm(partners=_partners(owner)),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pitch(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = PitchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            saved = services.pitch_add(
                owner=owner, text=form.cleaned_data["text"], label=form.cleaned_data["label"]
            )
            note = " That's over two minutes: cut it down." if saved.too_long else ""
            messages.success(
                request,
                f"Saved: {saved.word_count} words, about {saved.speaking_time} to say.{note}",
            )
            return redirect("insights:pitch")
    return _pitch_page(request, owner, form=form)


@login_required
@require_POST
def pitch_practice(request: HttpRequest, uuid: str) -> HttpResponse:
    """Log a practice; a partner who can't be found is asked about at the field, the rest of
    what was typed kept."""
    owner = request_owner(request)
    version = pitch_queries.get_pitch_for(owner, uuid)
    form = PracticeForm(request.POST, partners=_partners(owner))
    person: Person | None = None
    if form.is_valid() and form.cleaned_data["person"].strip():
        person, error, candidates = resolve_person(owner, form.cleaned_data["person"], picker=True)
        if error:
            ask_which(form, "person", candidates)
            form.add_error("person", error)
    if form.errors:
        return _pitch_page(request, owner, form=PitchForm(), practice_form=form, status=400)
    advice = services.practice_advice(owner=owner, pitch=version, person=person)
    with refusal_on_form(form):
        services.pitch_practice_log(
            owner=owner,
            pitch=version,
            person=person,
            practised_on=form.cleaned_data["practised_on"],
            notes=form.cleaned_data["notes"],
        )
        whom = f" with {person.full_name}" if person else ""
        messages.success(request, f"Practice logged{whom}. {advice}".strip())
        return redirect("insights:pitch")
    return _pitch_page(request, owner, form=PitchForm(), practice_form=form, status=400)


# --- keep-in-touch settings ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def keep_in_touch(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    row = CadenceSettings.objects.filter(owner=owner).first()
    initial = {f: getattr(row, f) for f in CADENCE_FIELDS.values()} if row else {}
    form = CadenceDefaultsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            services.cadence_defaults_update(owner=owner, **form.cleaned_data)
            messages.success(request, "Keep-in-touch defaults saved.")
            return redirect("insights:keep_in_touch")
    mode_defaults = DEFAULT_CADENCE.get(owner.mode, DEFAULT_CADENCE[User.Mode.JOB_SEARCHING])
    for bucket, field in CADENCE_FIELDS.items():
        form.fields[field].widget.attrs["placeholder"] = str(mode_defaults[bucket])
        form.fields[field].help_text = f"Empty: {mode_defaults[bucket]} days (your mode's default)."
    snoozes = keep_in_touch_queries.snoozes_list(owner)
    return render(
        request,
        "insights/keep_in_touch.html",
        {
            "form": form,
            "defaults": cadence_defaults(owner),
            "snoozes": snoozes,
            "mode": owner.get_mode_display(),
        },
    )
