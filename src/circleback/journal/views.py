"""The journal: every interaction, logging one, changing one, and capturing an event."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from circleback.journal.forms import (
    Ambiguous,
    EventForm,
    EventRowFormSet,
    JournalFilterForm,
    LogForm,
    chosen_people,
    people_field_value,
    resolve_people,
)
from circleback.journal.queries import JournalFilter, get_interaction_for, journal_list
from circleback.journal.services import (
    EventContact,
    event_capture,
    interaction_delete,
    interaction_log,
    interaction_update,
)
from circleback.once.services import FIELD as ONCE
from circleback.once.services import submit_once
from circleback.people.lookups import resolve_organisation, resolve_person
from circleback.people.models import Person
from circleback.people.queries import get_person_for
from circleback.people.services.people import PeopleToChoose
from circleback.people.views.people import person_page
from circleback.web.helpers import apply_errors, local_when, query_without, request_owner

PAGE_SIZE = 50


@login_required
def journal_index(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = JournalFilterForm(request.GET)
    filters = JournalFilter()
    nothing = False
    candidates: list[Person] = []
    if form.is_valid():
        data = form.cleaned_data
        person = None
        if data["person"].strip():
            person, error, candidates = resolve_person(owner, data["person"], picker=True)
            if error:
                form.add_error("person", error)
                nothing = True
        organisation, error = resolve_organisation(owner, data["org"])
        if error:
            form.add_error("org", error)
            nothing = True
        filters = JournalFilter(
            kind=data["kind"],
            since=data["since"],
            until=data["until"],
            person=person,
            organisation=organisation,
        )
    entries = journal_list(owner=owner, filters=filters).select_related("organisation")
    if nothing:
        entries = entries.none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "journal/list.html",
        {
            "form": form,
            "page": page,
            "query": query_without(request, "page"),
            "filtered": any(request.GET.get(k) for k in form.fields),
            "candidates": candidates[:10],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def journal_new(request: HttpRequest) -> HttpResponse:
    """Log an interaction with any number of people (the home page's one line posts here)."""
    owner = request_owner(request)
    form = LogForm(request.POST or None, prefix="log", initial={"kind": "meeting"})
    ambiguous: list[Ambiguous] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people, errors, ambiguous = resolve_people(
            owner, data["people"], chosen=chosen_people(request.POST), picker=True
        )
        for error in errors:
            form.add_error("people", error)
        organisation, error = resolve_organisation(owner, data["organisation"])
        if error:
            form.add_error("organisation", error)
        if not form.errors:

            def work() -> str | None:
                try:
                    interaction_log(
                        owner=owner,
                        summary=data["summary"],
                        people=people,
                        kind=data["kind"],
                        direction=data["direction"] or "mutual",
                        occurred_at=local_when(data["day"], data["time"]),
                        notes=data["notes"],
                        organisation=organisation,
                    )
                except ValidationError as exc:
                    apply_errors(form, exc, {"occurred_at": "day"})
                    return None
                messages.success(request, f"Logged “{data['summary']}”.")
                if len(people) == 1:
                    return reverse("person", args=[people[0].uuid])
                return reverse("journal")

            url, again = submit_once(owner=owner, token=request.POST.get(ONCE, ""), work=work)
            if again:
                messages.info(request, "That form was already sent; this is what it made.")
                return redirect(url or "journal")
            if url is not None:
                return redirect(url)
    return render(
        request,
        "journal/form.html",
        {"form": form, "ambiguous": ambiguous},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def journal_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    """Correct a journal entry, who took part included; delete it from here too."""
    owner = request_owner(request)
    entry = get_interaction_for(owner, uuid)
    local = timezone.localtime(entry.occurred_at)
    people = list(entry.people.order_by("full_name", "pk"))
    initial = {
        "summary": entry.summary,
        "people": people_field_value(people),
        "kind": entry.kind,
        "direction": entry.direction,
        "day": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "organisation": entry.organisation.name if entry.organisation else "",
        "notes": entry.notes,
    }
    form = LogForm(request.POST or None, prefix="log", initial=initial)
    ambiguous: list[Ambiguous] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen, errors, ambiguous = resolve_people(
            owner, data["people"], prefer=people, chosen=chosen_people(request.POST), picker=True
        )
        for message in errors:
            form.add_error("people", message)
        organisation, error = resolve_organisation(owner, data["organisation"])
        if error:
            form.add_error("organisation", error)
        if not form.errors:
            try:
                interaction_update(
                    interaction=entry,
                    people=chosen,
                    summary=data["summary"],
                    kind=data["kind"],
                    direction=data["direction"] or entry.direction,
                    occurred_at=local_when(data["day"] or local.date(), data["time"]),
                    notes=data["notes"],
                    organisation=organisation,
                )
            except ValidationError as exc:
                apply_errors(form, exc, {"occurred_at": "day"})
            else:
                messages.success(request, "Journal entry saved.")
                return redirect("journal")
        entry.refresh_from_db()
    # The loops area's meeting that wrote this entry, through the relation it declares on
    # the journal's model (the journal, below loops, imports nothing of it).
    meeting = getattr(entry, "meeting", None)
    return render(
        request,
        "journal/edit.html",
        {
            "form": form,
            "entry": entry,
            "people": people,
            "meeting": meeting,
            "ambiguous": ambiguous,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def journal_delete(request: HttpRequest, uuid: str) -> HttpResponse:
    entry = get_interaction_for(request_owner(request), uuid)
    interaction_delete(interaction=entry)
    messages.success(request, f"Deleted “{entry.summary}” from the journal.")
    return redirect("journal")


# --- event capture -----------------------------------------------------------------------------

MORE_ROWS = 5


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    """Several people met at one event, from business cards: one step, all or nothing."""
    owner = request_owner(request)
    data: Any = request.POST.copy() if request.method == "POST" else None
    if data is not None and "more" in data:
        # "More rows" without JavaScript: the same form back with empty rows added.
        total = min(int(data.get("row-TOTAL_FORMS") or 0) + MORE_ROWS, 40)
        data["row-TOTAL_FORMS"] = str(total)
        return render(
            request,
            "journal/event.html",
            {"form": EventForm(data), "rows": EventRowFormSet(data, prefix="row")},
        )
    form = EventForm(data, initial={"day": timezone.localdate()})
    rows = EventRowFormSet(data, prefix="row")
    if data is not None and form.is_valid() and rows.is_valid():
        contacts = [
            EventContact(
                **{k: v for k, v in (row.cleaned_data or {}).items() if k != "DELETE"},
                choice=getattr(row, "picked", "") or str(data.get(f"{row.prefix}-choice", "")),
            )
            for row in rows.forms
        ]

        def work() -> str | None:
            try:
                interaction = event_capture(
                    owner=owner,
                    event=form.cleaned_data["event"],
                    contacts=contacts,
                    occurred_at=local_when(form.cleaned_data["day"], None),
                    notes=form.cleaned_data["notes"],
                    contact_list=form.cleaned_data["contact_list"],
                )
            except PeopleToChoose as exc:
                # Whom each row means, asked on the row itself with the picker the person
                # form shows. A question is not an error: only the rows' real errors are.
                asked = set()
                for key, matches in exc.matches.items():
                    row = rows.forms[int(key.split(".")[1])]
                    row.matches = matches  # type: ignore[attr-defined]
                    asked.add(f"{key}.full_name")
                errors = {k: v for k, v in exc.message_dict.items() if k not in asked}
                if errors:
                    _event_errors(form, rows, ValidationError(errors))
                return None
            except ValidationError as exc:
                _event_errors(form, rows, exc)
                return None
            count = interaction.people.count()
            messages.success(
                request,
                f"Logged {interaction.summary} with {count} "
                f"{'person' if count == 1 else 'people'}.",
            )
            return reverse("journal")

        url, again = submit_once(owner=owner, token=data.get(ONCE, ""), work=work)
        if again:
            messages.info(request, "That form was already sent; this is what it made.")
            return redirect(url or "journal")
        if url is not None:
            return redirect(url)
    asking = any(getattr(row, "matches", None) for row in rows.forms)
    # Answering who someone is is a question, as on the person form: 200 unless something
    # typed is wrong.
    wrong = data is not None and (form.errors or any(rows.errors) or rows.non_form_errors())
    status = 400 if wrong else 200
    context = {"form": form, "rows": rows, "asking": asking}
    return render(request, "journal/event.html", context, status=status)


def _event_errors(form: EventForm, rows: Any, exc: ValidationError) -> None:
    rename = {"name": "organisation", "organisation": "organisation", "emails": "email"}
    for key, messages_ in exc.message_dict.items():
        parts = key.split(".")
        if parts[0] == "contacts" and len(parts) >= 2 and parts[1].isdigit():
            row = rows.forms[int(parts[1])]
            field = rename.get(parts[2], parts[2]) if len(parts) > 2 else None
            for message in messages_:
                row.add_error(field if field in row.fields else None, message)
        else:
            for message in messages_:
                form.add_error(key if key in form.fields else None, message)


# --- logging from a person's page --------------------------------------------------------


@login_required
@require_POST
def person_log(request: HttpRequest, uuid: str) -> HttpResponse:
    """The quick "log an interaction" form on a person's page."""
    owner = request_owner(request)
    person = get_person_for(owner, uuid)
    form = LogForm(request.POST, prefix="log")
    if form.is_valid():
        data = form.cleaned_data
        try:
            interaction_log(
                owner=owner,
                summary=data["summary"],
                people=[person],
                kind=data["kind"],
                direction=data["direction"] or "mutual",
                occurred_at=local_when(data["day"], data["time"]),
                notes=data["notes"],
                organisation=person.organisation,
            )
        except ValidationError as exc:
            apply_errors(form, exc, {"occurred_at": "day"})
        else:
            messages.success(request, f"Logged “{data['summary']}” with {person.full_name}.")
            return redirect(reverse("person", args=[person.uuid]) + "#timeline")
    return person_page(request, person, log_form=form, status=400)
