"""Small pieces the views share (the apps' views too): the signed-in owner, turning a
service's refusal into form errors or a message, going back where a form was posted from,
resolving the names people type into records of theirs, and times in the user's zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from django import forms, template
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from circleback.accounts.models import User
from circleback.journal.services import MAX_PEOPLE_PER_INTERACTION
from circleback.people.models import Organisation, Person
from circleback.people.queries import organisation_find, person_find


def request_owner(request: HttpRequest) -> User:
    """The signed-in account a view acts for (views require login)."""
    user = request.user
    assert isinstance(user, User)
    return user


def context_owner(context: template.Context) -> Any:
    """The signed-in account a template tag shows things for, or None when no one is."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def redirect_back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was posted from (its `next`, when on this site), or `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@contextmanager
def refusal_on_form(form: forms.BaseForm) -> Iterator[None]:
    """Call a service inside: if it refuses the input, its reasons go on `form` to show again.

    What follows the call inside the block (the success message, the redirect) is skipped.
    """
    try:
        yield
    except ValidationError as exc:
        apply_errors(form, exc)


@contextmanager
def refusal_as_message(request: HttpRequest, prefix: str = "") -> Iterator[None]:
    """Call a service inside: if it refuses, say why as an error message (after `prefix`).

    For buttons that post and go straight back; what follows the call inside is skipped.
    """
    try:
        yield
    except ValidationError as exc:
        messages.error(request, prefix + " ".join(exc.messages))


def apply_errors(
    form: forms.BaseForm, exc: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError next to the form's fields (or above the form)."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.message_dict.items():
        target = (rename or {}).get(field, field)
        for message in errors:
            form.add_error(target if target in form.fields else None, message)


def describe(person: Person) -> str:
    org = person.organisation.name if person.organisation_id and person.organisation else ""
    return f"{person.full_name} ({org})" if org else person.full_name


def resolve_person(
    owner: User, text: str, *, exclude: Person | None = None
) -> tuple[Person | None, str, list[Person]]:
    """(person, error, candidates) for what someone typed: a name, an email or a UUID."""
    text = text.strip()
    found = [p for p in person_find(owner=owner, query=text) if exclude is None or p != exclude]
    if len(found) == 1:
        return found[0], "", []
    if not found:
        return None, f"Nobody in your network matches “{text}”; check the spelling.", []
    names = "; ".join(describe(p) for p in found[:5])
    return None, f"{len(found)} people match “{text}”: {names}. Pick one.", found


def people_field_value(people: list[Person]) -> str:
    """People as the "With" field shows them: names, or a UUID for a name with a comma."""
    return ", ".join(str(p.uuid) if "," in p.full_name else p.full_name for p in people)


def resolve_people(
    owner: User, text: str, *, prefer: list[Person] | None = None
) -> tuple[list[Person], list[str]]:
    """People named in a comma-separated list, and an error for each name that didn't resolve.

    A name that is exactly one of `prefer` (the people already on an entry being edited) means
    them, even when others in the network share it.
    """
    people: list[Person] = []
    errors: list[str] = []
    names = [n.strip() for n in text.split(",") if n.strip()]
    if len(names) > MAX_PEOPLE_PER_INTERACTION:
        return [], [f"Name at most {MAX_PEOPLE_PER_INTERACTION} people, not {len(names)}."]
    for name in names:
        known = [p for p in prefer or () if p.full_name.lower() == name.lower()]
        if len(known) == 1:
            people.append(known[0])
            continue
        person, error, _ = resolve_person(owner, name)
        if person is not None:
            people.append(person)
        else:
            errors.append(error)
    return people, errors


def resolve_organisation(owner: User, text: str) -> tuple[Organisation | None, str]:
    text = text.strip()
    if not text:
        return None, ""
    found = organisation_find(owner=owner, query=text)
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, f"You have no organisation called “{text}”."
    exact = [o for o in found if o.name.lower() == text.lower()]
    if len(exact) == 1:
        return exact[0], ""
    names = ", ".join(o.name for o in found[:5])
    return None, f"Several organisations match “{text}”: {names}. Type the full name."


def local_when(day: dt.date | None, at: dt.time | None) -> dt.datetime:
    """A moment from a date and time typed in the user's zone; "today" with no time is now."""
    now = timezone.localtime()
    if day is None or (day == now.date() and at is None):
        return timezone.now() if at is None else now.replace(hour=at.hour, minute=at.minute)
    return dt.datetime.combine(day, at or dt.time(12, 0), tzinfo=timezone.get_current_timezone())


def query_without(request: HttpRequest, *names: str) -> str:
    """The request's query string without some parameters (for pagers and "back" links)."""
    params = [(k, v) for k, v in request.GET.items() if k not in names and v]
    return urlencode(params)


def safe_query(raw: str) -> str:
    """A query string from a form field, re-encoded so it can only ever be a query string."""
    return QueryDict(raw[:2000]).urlencode()
