"""People: the list with search, filters and bulk actions; a person's page; add, edit,
delete, ties, and merging two people into one."""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.views.decorators.http import require_http_methods, require_POST

from circleback.once.services import FIELD as ONCE
from circleback.once.services import submit_once
from circleback.operations.erase import people_erase, person_erase, person_erase_plan
from circleback.operations.merge import person_merge_chosen
from circleback.people.forms import MergePickForm, PeopleFilterForm, PersonForm, TieForm
from circleback.people.lookups import ALL_CANDIDATES, resolve_organisation, resolve_person
from circleback.people.models import Closeness, ContactList, Person, Tie
from circleback.people.queries import (
    PeopleFilter,
    get_person_for,
    get_person_shown_for,
    people_ids_for,
    people_introduced_by,
    people_list,
    people_suggest,
    person_has_photo,
    person_ties,
    tag_names,
)
from circleback.people.services.people import (
    PersonExists,
    people_set_list,
    person_create,
    person_update,
)
from circleback.people.services.tags import people_tag, people_untag
from circleback.people.services.ties import tie_delete, tie_set
from circleback.web.helpers import (
    apply_errors,
    query_without,
    refusal_as_message,
    request_owner,
    safe_query,
)
from circleback.web.widgets import PersonInput, ask_which

PAGE_SIZE = 50
# A well-connected person has hundreds of ties; the page shows the strongest.
TIES_SHOWN = 40
BULK_ACTIONS = {
    "tag": "Add a tag",
    "untag": "Remove a tag",
    "list": "Move to list",
    "delete": "Delete",
}


# --- the list -------------------------------------------------------------------------------


@login_required
def people_index(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = PeopleFilterForm(request.GET)
    filters = PeopleFilter()
    unknown_organisation = False
    if form.is_valid():
        data = form.cleaned_data
        organisation, error = resolve_organisation(owner, data["org"])
        if error:
            form.add_error("org", error)
            unknown_organisation = True
        filters = PeopleFilter(
            query=data["q"],
            contact_list=data["list"],
            tag=data["tag"].strip(),
            organisation=organisation,
            closeness_min=data["closeness"],
            last_contact_before=data["before"],
            last_contact_after=data["after"],
            sort=data["sort"] or "name",
        )
    filtered = any(
        request.GET.get(k) for k in ("q", "list", "tag", "org", "closeness", "before", "after")
    )
    people = people_list(owner=owner, filters=filters).prefetch_related("tags")
    if unknown_organisation:
        people = people.none()
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "filtered": filtered,
        "query": query_without(request, "page", "partial"),
        "bulk_actions": BULK_ACTIONS,
        "lists": ContactList.choices,
    }
    if request.GET.get("partial"):
        return render(request, "people/_results.html", context)
    context["tags"] = tag_names(owner)
    context["has_anyone"] = page.paginator.count > 0 or Person.objects.filter(owner=owner).exists()
    return render(request, "people/list.html", context)


@login_required
@require_POST
def people_bulk(request: HttpRequest) -> HttpResponse:
    """Tag, untag, move or delete the selected people; deleting asks first, saying how many."""
    owner = request_owner(request)
    back = reverse("people") + "?" + safe_query(request.POST.get("back", ""))
    uuids = request.POST.getlist("ids")[:5000]
    action = request.POST.get("action", "")
    if action not in BULK_ACTIONS:
        messages.error(request, "Choose what to do with the selected people.")
        return redirect(back)
    if not uuids:
        messages.error(request, "Select at least one person first (tick the boxes in the list).")
        return redirect(back)
    ids = people_ids_for(owner, uuids)
    if ids is None:
        messages.error(
            request, "Some of the selected people aren't in your network; nothing was changed."
        )
        return redirect(back)
    count = len(ids)
    noun = "person" if count == 1 else "people"
    tag = request.POST.get("tag", "").strip()
    with refusal_as_message(request):
        if action in ("tag", "untag"):
            if not tag:
                raise ValidationError("Type the tag to add or remove.")
            if action == "tag":
                people_tag(owner=owner, person_ids=ids, tag_names=[tag])
                messages.success(request, f"Tagged {count} {noun} “{tag}”.")
            else:
                people_untag(owner=owner, person_ids=ids, tag_names=[tag])
                messages.success(request, f"Removed “{tag}” from {count} {noun}.")
        elif action == "list":
            letter = request.POST.get("contact_list", "")
            people_set_list(owner=owner, person_ids=ids, contact_list=letter)
            messages.success(request, f"Moved {count} {noun} to list {letter.upper()}.")
        elif request.POST.get("confirm") != "yes":
            names = list(
                Person.objects.filter(pk__in=ids)
                .order_by("full_name")
                .values_list("full_name", flat=True)[:20]
            )
            return render(
                request,
                "people/bulk_delete.html",
                {
                    "uuids": uuids,
                    "count": count,
                    "noun": noun,
                    "names": names,
                    "back": back,
                    "back_query": safe_query(request.POST.get("back", "")),
                },
            )
        else:
            deleted = people_erase(owner=owner, person_ids=ids)
            messages.success(
                request, f"Deleted {deleted} {'person' if deleted == 1 else 'people'}."
            )
    return redirect(back)


# --- add and edit ------------------------------------------------------------------------------


def _person_changes(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in data.items() if k not in ("organisation", "introduced_by")}
    if fields.get("closeness") is None:
        fields.pop("closeness", None)
    return fields


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    """Add a person (the form, or the quick capture on the home page).

    Someone who may already be them (people.queries.person_matches) is shown in a picker:
    open them, or "Add as a new person" — adding a second copy is a choice. The form is sent
    once: sent again (back button, double click) it shows what the first one made.
    """
    owner = request_owner(request)
    form = PersonForm(request.POST or None)
    matches: list[Any] = []

    def work() -> str | None:
        nonlocal matches
        data = dict(form.cleaned_data)
        choice = str(request.POST.get("choice", "")).strip()
        if choice and choice != "new":
            existing = get_person_for(owner, choice)
            messages.info(
                request, f"{existing.full_name} was already in your network; nothing was added."
            )
            return reverse("person", args=[existing.uuid])
        introducer = None
        if data["introduced_by"]:
            introducer, error, candidates = resolve_person(
                owner, data["introduced_by"], picker=True
            )
            if error:
                ask_which(form, "introduced_by", candidates)
                form.add_error("introduced_by", error)
                return None
        try:
            person = person_create(
                owner=owner,
                organisation=data["organisation"] or None,
                introduced_by=introducer,
                if_exists="new" if choice == "new" else "ask",
                **_person_changes(data),
            )
        except PersonExists as exc:
            matches = exc.matches
            return None
        except ValidationError as exc:
            apply_errors(form, exc, {"name": "organisation"})
            return None
        messages.success(request, f"Added {person.full_name}.")
        return reverse("person", args=[person.uuid])

    if request.method == "POST" and form.is_valid():
        url, again = submit_once(owner=owner, token=request.POST.get(ONCE, ""), work=work)
        if again:
            messages.info(request, "That form was already sent; this is what it made.")
            return redirect(url or "people")
        if url is not None:
            return redirect(url)
    # A question (who is this?) is not an error: the page answers 200, as a browser should show.
    status = 400 if form.errors else 200
    context = {"form": form, "person": None, "matches": matches}
    return render(request, "people/form.html", context, status=status)


def _person_initial(person: Person) -> dict[str, Any]:
    initial = {
        name: getattr(person, name) for name in PersonForm.base_fields if hasattr(person, name)
    }
    initial["organisation"] = person.organisation.name if person.organisation else ""
    initial["introduced_by"] = person.introduced_by.full_name if person.introduced_by else ""
    initial["emails"] = "\n".join(e.address for e in person.emails.all())
    initial["phones"] = "\n".join(p.number for p in person.phones.all())
    initial["links"] = "\n".join(link.url for link in person.links.all())
    initial["tags"] = ", ".join(t.name for t in person.tags.all())
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    person = get_person_for(owner, uuid)
    initial = _person_initial(person)
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        introducer = person.introduced_by
        typed = data["introduced_by"].strip()
        if not typed:
            introducer = None
        elif typed != initial["introduced_by"]:
            introducer, error, candidates = resolve_person(
                owner, typed, exclude=person, picker=True
            )
            if error:
                ask_which(form, "introduced_by", candidates)
                form.add_error("introduced_by", error)
        if not form.errors:
            try:
                person_update(
                    person=person,
                    organisation=data["organisation"] or None,
                    introduced_by=introducer,
                    **_person_changes(data),
                )
            except ValidationError as exc:
                apply_errors(form, exc, {"name": "organisation"})
            else:
                messages.success(request, f"Saved {person.full_name}.")
                return redirect("person", person.uuid)
        person.refresh_from_db()
    status = 400 if form.errors else 200
    return render(request, "people/form.html", {"form": form, "person": person}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def person_remove(request: HttpRequest, uuid: str) -> HttpResponse:
    person = get_person_for(request_owner(request), uuid)
    if request.method == "POST":
        done = person_erase(person=person)
        messages.success(request, done.deleted(done.name))
        return redirect("people")
    plan = person_erase_plan(person=person)
    return render(request, "people/delete.html", {"person": person, "plan": plan})


# --- the name picker ----------------------------------------------------------------------------


@login_required
def people_suggestions(request: HttpRequest) -> JsonResponse:
    """The person picker's suggestions (web/static/circleback/combobox.js): the signed-in
    owner's people matching what is typed so far, never anyone else's."""
    found = people_suggest(owner=request_owner(request), text=request.GET.get("q", ""))
    return JsonResponse(
        {
            "people": [
                {
                    "uuid": str(p.uuid),
                    "name": p.full_name,
                    "organisation": p.organisation.name if p.organisation else "",
                    "title": p.title,
                    "list": p.contact_list,
                }
                for p in found.people
            ],
            "more": found.more,
        },
        headers={"Cache-Control": "private, no-store"},
    )


# --- a person's page ----------------------------------------------------------------------------


def person_page(
    request: HttpRequest,
    person: Person,
    *,
    log_form: forms.Form | None = None,
    tie_form: TieForm | None = None,
    tie_candidates: list[Person] | None = None,
    status: int = 200,
) -> HttpResponse:
    """A person's page; `log_form` and `tie_form` when showing one back with its errors (the
    journal's view shows its log form back here)."""
    ties = person_ties(person, limit=TIES_SHOWN)
    context = {
        "person": person,
        "introducer": person.introduced_by if person.introduced_by_id else None,
        "emails": list(person.emails.all()),
        "phones": list(person.phones.all()),
        "links": list(person.links.all()),
        "tags": list(person.tags.all()),
        "ties": ties.ties,
        "ties_total": ties.total,
        "has_photo": person_has_photo(person),
        "introduced": people_introduced_by(person),
        "log_form": log_form,
        "tie_form": tie_form,
        "tie_fields": _fresh_tie_fields(get_script_prefix()) if tie_form is None else None,
        "tie_candidates": tie_candidates or [],
    }
    return render(request, "people/detail.html", context, status=status)


@functools.cache
def _fresh_tie_fields(script_prefix: str) -> str:
    """The fields of a new tie form, the same on every person's page: rendered once (Django
    renders a form's fields through a dozen templates, ~1.5 ms of each page's CPU). Per
    script prefix, as the person picker's suggestion URL in them begins with it."""
    del script_prefix  # the cache's key: reverse() reads it itself
    return render_to_string("people/_tie_fields.html", {"form": TieForm(prefix="tie")})


@login_required
def person_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    return person_page(request, get_person_shown_for(request_owner(request), uuid))


@login_required
@require_POST
def tie_add(request: HttpRequest, uuid: str) -> HttpResponse:
    """Tie this person to another; an ambiguous name offers the candidates to pick from."""
    owner = request_owner(request)
    person = get_person_for(owner, uuid)
    form = TieForm(request.POST, prefix="tie")
    candidates: list[Person] = []
    if form.is_valid():
        data = form.cleaned_data
        typed = data["other_choice"] or data["other"]
        other, error, candidates = resolve_person(owner, typed, picker=True)
        if other is not None:
            try:
                tie_set(
                    owner=owner,
                    person=person,
                    other=other,
                    kind=data["kind"],
                    strength=data["strength"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("other", message)
            else:
                messages.success(request, f"{person.full_name} and {other.full_name} are tied.")
                return redirect(reverse("person", args=[person.uuid]) + "#ties")
        else:
            form.add_error("other", error)
    return person_page(
        request, person, tie_form=form, tie_candidates=candidates[:ALL_CANDIDATES], status=400
    )


@login_required
@require_POST
def tie_remove(request: HttpRequest, uuid: str, tie_uuid: str) -> HttpResponse:
    owner = request_owner(request)
    person = get_person_for(owner, uuid)
    tie = Tie.objects.filter(owner=owner, uuid__in=[tie_uuid] if _is_uuid(tie_uuid) else []).first()
    if tie is None or person.pk not in (tie.person_a_id, tie.person_b_id):
        messages.error(request, "That tie no longer exists.")
    else:
        tie_delete(tie=tie)
        messages.success(request, "Tie removed.")
    return redirect(reverse("person", args=[person.uuid]) + "#ties")


def _is_uuid(value: str) -> bool:
    import uuid as uuid_module

    try:
        uuid_module.UUID(value)
    except ValueError:
        return False
    return True


# --- merge ---------------------------------------------------------------------------------------

# (field, label) in the order the merge screen shows them.
MERGE_FIELDS = [
    ("full_name", "Name"),
    ("given_name", "Given name"),
    ("family_name", "Family name"),
    ("title", "Job title"),
    ("organisation", "Organisation"),
    ("contact_list", "List"),
    ("closeness", "Closeness"),
    ("is_decision_maker", "Decision maker"),
    ("cadence_days", "Keep in touch every (days)"),
    ("location", "Location"),
    ("how_we_met", "How we met"),
    ("met_on", "Met on"),
    ("introduced_by", "Introduced by"),
    ("birthday_day", "Birthday day"),
    ("birthday_month", "Birthday month"),
    ("birthday_year", "Birthday year"),
]


def _shown(person: Person, field: str) -> str:
    value = getattr(person, field)
    if value in (None, ""):
        return ""
    if field == "contact_list":
        return ContactList(value).label
    if field == "closeness":
        return Closeness(value).label
    if field == "is_decision_maker":
        return "Yes" if value else "No"
    if field == "met_on":
        return value.strftime("%-d %b %Y")
    return str(value)


def merge_rows(keep: Person, other: Person) -> list[dict[str, Any]]:
    rows = []
    for field, label in MERGE_FIELDS:
        mine, theirs = _shown(keep, field), _shown(other, field)
        if not mine and not theirs:
            continue
        rows.append(
            {
                "field": field,
                "label": label,
                "keep": mine,
                "other": theirs,
                "choose": bool(mine and theirs and mine != theirs),
            }
        )
    return rows


@login_required
def merge_pick(request: HttpRequest, uuid: str) -> HttpResponse:
    """Find the other half of a duplicate: a search that lists candidates to compare with."""
    owner = request_owner(request)
    person = get_person_for(owner, uuid)
    form = MergePickForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    widget = form.fields["q"].widget
    if isinstance(widget, PersonInput) and widget.typed is not None:
        # Chosen in the person picker: straight to the comparison, unless it is them.
        other = get_person_for(owner, query)
        if other.pk != person.pk:
            return redirect("person_merge_confirm", person.uuid, other.uuid)
        query = widget.typed
    candidates: list[Person] = []
    if query.strip():
        candidates = [
            p
            for p in people_list(owner=owner, filters=PeopleFilter(query=query))[:21]
            if p.pk != person.pk
        ][:20]
    else:
        candidates = list(
            Person.objects.filter(owner=owner, full_name__iexact=person.full_name)
            .exclude(pk=person.pk)
            .select_related("organisation")[:20]
        )
    return render(
        request,
        "people/merge_pick.html",
        {"person": person, "form": form, "candidates": candidates, "query": query},
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge_confirm(request: HttpRequest, uuid: str, other_uuid: str) -> HttpResponse:
    """Side by side: for each value that differs, choose which one wins; the rest is combined."""
    owner = request_owner(request)
    keep = get_person_for(owner, uuid)
    other = get_person_for(owner, other_uuid)
    error = ""
    if keep.pk == other.pk:
        error = "That's the same person; choose someone else to merge with."
    rows = merge_rows(keep, other) if not error else []
    if request.method == "POST" and not error:
        take = [r["field"] for r in rows if r["choose"] and request.POST.get(r["field"]) == "other"]
        try:
            merged = person_merge_chosen(keep=keep, other=other, take_from_other=take)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                f"Merged into {merged.full_name}: details, tags, ties and journal entries "
                "of both are kept here.",
            )
            return redirect("person", merged.uuid)
    counts = {
        "keep": _merge_counts(keep),
        "other": _merge_counts(other),
    }
    return render(
        request,
        "people/merge_confirm.html",
        {"keep": keep, "other": other, "rows": rows, "error": error, "counts": counts},
        status=400 if error else 200,
    )


def _merge_counts(person: Person) -> dict[str, Any]:
    return {
        "emails": [e.address for e in person.emails.all()],
        "phones": [p.number for p in person.phones.all()],
        "tags": [t.name for t in person.tags.all()],
        "notes": person.notes,
    }
