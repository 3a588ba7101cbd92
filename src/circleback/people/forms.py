"""Forms for people, ties and organisations: parse and check what a browser sends; business rules
stay in the services.
"""

from __future__ import annotations

from typing import Any

from django import forms

from circleback.people.contact import MAX_DETAILS
from circleback.people.models import Closeness, ContactList, Stage, Tie
from circleback.web.widgets import DateInput, Form, PersonInput


def _lines(value: str, label: str) -> list[str]:
    lines = [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]
    if len(lines) > MAX_DETAILS:
        raise forms.ValidationError(f"At most {MAX_DETAILS} {label}, one per line.")
    return lines


def _small_int(label: str, low: int, high: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


# --- people -------------------------------------------------------------------------------

SORT_CHOICES = [
    ("", "Name, A to Z"),
    ("-name", "Name, Z to A"),
    ("-last_contact", "Last contact, newest"),
    ("last_contact", "Last contact, oldest first"),
    ("-added", "Added, newest"),
    ("added", "Added, oldest"),
]


class PeopleFilterForm(Form):
    q = forms.CharField(label="Search people", required=False)
    list = forms.ChoiceField(
        label="List", required=False, choices=[("", "Any list"), *ContactList.choices]
    )
    tag = forms.CharField(label="Tag", required=False, max_length=60)
    org = forms.CharField(label="Organisation", required=False, max_length=200)
    closeness = forms.TypedChoiceField(
        label="Closeness at least",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any"), *Closeness.choices],
    )
    after = forms.DateField(label="Last contact on or after", required=False, widget=DateInput())
    before = forms.DateField(label="Last contact before", required=False, widget=DateInput())
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["list"].error_messages["invalid_choice"] = (
            "%(value)s is not a list; use A, B or C."
        )

    def clean_q(self) -> str:
        return str(self.cleaned_data["q"])[:200]


class PersonForm(Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    given_name = forms.CharField(label="Given name", max_length=100, required=False)
    family_name = forms.CharField(label="Family name", max_length=100, required=False)
    title = forms.CharField(label="Job title", max_length=200, required=False)
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        required=False,
        help_text="A name you already use is matched (“Hooli, Inc.” is Hooli); a new one is added.",
    )
    contact_list = forms.ChoiceField(
        label="List",
        choices=ContactList.choices,
        initial=ContactList.B,
        help_text="A: friends and family. B: career contacts. C: people at target employers.",
    )
    closeness = forms.TypedChoiceField(
        label="Closeness",
        coerce=int,
        empty_value=None,
        required=False,
        choices=Closeness.choices,
        initial=Closeness.ACQUAINTANCE,
    )
    cadence_days = _small_int("Keep in touch every … days", 1, 3650)
    is_decision_maker = forms.BooleanField(
        label="Decision maker (can hire or open doors)", required=False
    )
    emails = forms.CharField(
        label="Emails",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text="One per line.",
    )
    phones = forms.CharField(
        label="Phones",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line.",
    )
    links = forms.CharField(
        label="Links",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="LinkedIn profile, website … one per line.",
    )
    location = forms.CharField(label="Location", max_length=200, required=False)
    how_we_met = forms.CharField(
        label="How we met",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    met_on = forms.DateField(label="Met on", required=False, widget=DateInput())
    introduced_by = forms.CharField(
        label="Introduced by",
        max_length=200,
        required=False,
        widget=PersonInput(),
        help_text="The name or email of someone already in your network.",
    )
    tags = forms.CharField(
        label="Tags", max_length=1000, required=False, help_text="Separated by commas."
    )
    birthday_day = _small_int("Day", 1, 31)
    birthday_month = _small_int("Month", 1, 12)
    birthday_year = _small_int("Year", 1900, 2100)
    notes = forms.CharField(
        label="Notes", required=False, max_length=50000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_emails(self) -> list[str]:
        return _lines(self.cleaned_data["emails"], "emails")

    def clean_phones(self) -> list[str]:
        return [p.strip() for p in self.cleaned_data["phones"].splitlines() if p.strip()][
            :MAX_DETAILS
        ]

    def clean_links(self) -> list[str]:
        return _lines(self.cleaned_data["links"], "links")

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class TieForm(Form):
    other = forms.CharField(
        label="Who do they know?",
        max_length=200,
        widget=PersonInput(),
        help_text="A name or email from your network.",
    )
    other_choice = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="How", choices=Tie.Kind.choices, initial=Tie.Kind.OTHER)
    strength = forms.TypedChoiceField(
        label="Strength",
        coerce=int,
        initial=2,
        choices=[(1, "1 — faint"), (2, "2"), (3, "3"), (4, "4"), (5, "5 — strong")],
    )


class MergePickForm(Form):
    q = forms.CharField(
        label="Merge with",
        max_length=200,
        required=False,
        widget=PersonInput(attrs={"placeholder": "Name, email or organisation"}),
    )


# --- organisations ------------------------------------------------------------------------


class OrganisationForm(Form):
    name = forms.CharField(label="Name", max_length=200)
    is_target = forms.BooleanField(label="A target employer (list C)", required=False)
    priority = forms.TypedChoiceField(
        label="Priority",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, "1 — highest"), (2, "2"), (3, "3"), (4, "4"), (5, "5 — lowest")],
    )
    stage = forms.ChoiceField(label="Stage", choices=Stage.choices, initial=Stage.RESEARCHING)
    domain = forms.CharField(label="Web domain", max_length=253, required=False)
    industry = forms.CharField(label="Industry", max_length=120, required=False)
    location = forms.CharField(label="Location", max_length=200, required=False)
    notes = forms.CharField(
        label="Notes", max_length=50000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
