"""Forms for the loops screens. People are chosen by name (or UUID), resolved within the
owner's network, so a page never lists 30,000 people in a select."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms

from circleback.accounts.models import User
from circleback.loops.models import Favour, Purpose
from circleback.people.models import Person
from circleback.people.queries import person_find

FAVOUR_KINDS = Favour.Kind.choices


def resolve_person_name(owner: User, text: str) -> Person:
    """One of the owner's people for a typed name, email or UUID, or a ValidationError."""
    text = " ".join(text.split())
    found = person_find(owner=owner, query=text, limit=6)
    if not found:
        raise forms.ValidationError(
            f"No one in your network matches “{text}”. Check the spelling or add them first."
        )
    exact = [p for p in found if p.full_name.lower() == text.lower()]
    if len(exact) == 1:
        return exact[0]
    if len(found) > 1:
        names = "; ".join(
            p.full_name + (f" ({p.organisation.name})" if p.organisation else "") for p in found[:5]
        )
        raise forms.ValidationError(f"“{text}” could be several people: {names}. Be more precise.")
    return found[0]


class PersonField(forms.CharField):
    """A person typed by name; the form resolves it against its owner in `clean_<field>`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "list": "loops-people"})
        )
        super().__init__(**kwargs)


class OwnedForm(forms.Form):
    person_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        self.owner = owner
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.person_fields:
            value = data.get(name)
            if isinstance(value, str) and value.strip():
                try:
                    data[name] = resolve_person_name(self.owner, value)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
            elif name in data:
                data[name] = None
        return data


class MeetingForm(OwnedForm):
    person_fields = ("person", "referred_by")

    person = PersonField(label="Whom you're meeting")
    scheduled_for = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label="Minutes you'll ask for",
        initial=30,
        min_value=5,
        max_value=240,
        help_text="The articles advise never requesting more than 30 minutes.",
    )
    location = forms.CharField(
        label="Where or how",
        required=False,
        max_length=200,
        help_text="A café, their office, a video call…",
    )
    purposes = forms.MultipleChoiceField(
        label="Purposes",
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Never to ask for a job: ask for advice, information and referrals.",
    )
    referred_by = PersonField(label="Who referred you", required=False)
    prep_notes = forms.CharField(
        label="Prep notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReferralForm(forms.Form):
    full_name = forms.CharField(label="Name", max_length=200, required=False)
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    about = forms.CharField(label="For what", max_length=300, required=False)
    contact_list = forms.ChoiceField(
        label="List", choices=[("C", "C — target"), ("B", "B — career")], initial="C"
    )
    may_use_name = forms.BooleanField(
        label="“May I use your name?” — they said yes", required=False
    )


ReferralFormSet = forms.formset_factory(ReferralForm, extra=2, max_num=20, validate_max=True)


class OutcomeForm(forms.Form):
    learned = forms.CharField(
        label="What you learned", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.CharField(
        label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_steps = forms.CharField(
        label="Next steps", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    offered_kind = forms.ChoiceField(
        label="What did you offer in return?",
        choices=[("", "Nothing this time"), *FAVOUR_KINDS],
        required=False,
        help_text="Always offer help in return.",
    )
    offered_note = forms.CharField(label="What exactly", required=False, max_length=300)
    standing = forms.BooleanField(label="Keep it as a standing offer", required=False)


class FavourForm(OwnedForm):
    person_fields = ("person",)

    person = PersonField(label="With whom")
    direction = forms.ChoiceField(
        label="Direction", choices=Favour.Direction.choices, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(label="Kind", choices=FAVOUR_KINDS, initial=Favour.Kind.ADVICE)
    note = forms.CharField(label="What it was", required=False, max_length=1000)
    occurred_on = forms.DateField(
        label="On", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class NameGiveForm(OwnedForm):
    person_fields = ("helped", "name")

    helped = PersonField(label="Whom you helped")
    name = PersonField(label="Whose name you gave them")


class IntroductionForm(OwnedForm):
    person_fields = ("person_x", "person_y")

    person_x = PersonField(label="Introduce")
    person_y = PersonField(label="To")
    reason = forms.CharField(
        label="Why they should meet", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ShareForm(OwnedForm):
    title = forms.CharField(label="Title", max_length=300)
    url = forms.URLField(label="Link", required=False, max_length=500, assume_scheme="https")
    topics = forms.CharField(
        label="Topics", required=False, max_length=300, help_text="Separated by commas."
    )
    people = forms.CharField(
        label="Shared with",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One name per line.",
    )
    event = forms.BooleanField(label="It's an event invitation", required=False)

    def clean_people(self) -> list[Person]:
        names = [n for n in self.cleaned_data["people"].splitlines() if n.strip()]
        if not names:
            raise forms.ValidationError("Say whom you shared it with.")
        if len(names) > 50:
            raise forms.ValidationError("Share with at most 50 people at once.")
        people, errors = [], []
        for name in names:
            try:
                people.append(resolve_person_name(self.owner, name))
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return people


class PermissionForm(OwnedForm):
    person_fields = ("person",)

    person = PersonField(label="Who said you may use their name")
    organisation = forms.CharField(
        label="With which organisation",
        required=False,
        max_length=200,
        help_text="Leave empty for any organisation.",
    )
    note = forms.CharField(label="Note", required=False, max_length=300)


class DraftForm(OwnedForm):
    person_fields = ("person", "referrer", "target")

    kind = forms.ChoiceField(
        label="What to draft",
        choices=[
            ("invitation", "An invitation to meet"),
            ("introduction", "A request for an introduction"),
        ],
        initial="invitation",
    )
    person = PersonField(label="To")
    about = forms.CharField(label="About which organisation", required=False, max_length=200)
    referrer = PersonField(label="Who referred you", required=False)
    target = PersonField(label="Whom you'd like to be introduced to", required=False)
    purposes = forms.MultipleChoiceField(
        label="Why you'd like to meet",
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class SnoozeForm(forms.Form):
    until = forms.DateField(label="Follow up on", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="Note", required=False, max_length=500)


def local_datetime(owner: User, value: dt.datetime) -> dt.datetime:
    """A form's naive or active-zone datetime, read in the owner's time zone."""
    try:
        zone: dt.tzinfo = zoneinfo.ZoneInfo(owner.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value
