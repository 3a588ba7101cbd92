"""Forms: parse and check what a browser sends. Business rules stay in the services."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms

from circleback.accounts.models import User
from circleback.journal.models import Interaction
from circleback.people.contact import MAX_DETAILS
from circleback.people.models import Closeness, ContactList, Stage, Tie

_ZONES = sorted(zoneinfo.available_timezones())
TIME_ZONE_CHOICES = [(z, z) for z in _ZONES]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


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


class WelcomeForm(forms.Form):
    full_name = forms.CharField(
        label="Your name",
        max_length=150,
        required=False,
        help_text="As you sign your emails; outreach drafts end with it. E.g. Sam Okafor.",
    )
    username = forms.CharField(
        label="A name for signing in", max_length=150, help_text="Short, e.g. sam."
    )
    password1 = forms.CharField(
        label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    time_zone = forms.ChoiceField(label="Your time zone", choices=TIME_ZONE_CHOICES, initial="UTC")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords differ; type the same one twice.")
        return data


# --- people -------------------------------------------------------------------------------

SORT_CHOICES = [
    ("", "Name, A to Z"),
    ("-name", "Name, Z to A"),
    ("-last_contact", "Last contact, newest"),
    ("last_contact", "Last contact, oldest first"),
    ("-added", "Added, newest"),
    ("added", "Added, oldest"),
]


class PeopleFilterForm(forms.Form):
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


class PersonForm(forms.Form):
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


class QuickPersonForm(forms.Form):
    """The one-line "add a person" of the home page."""

    full_name = forms.CharField(label="Name", max_length=200)
    contact_list = forms.ChoiceField(label="List", choices=ContactList.choices, initial="B")
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)


class TieForm(forms.Form):
    other = forms.CharField(
        label="Who do they know?",
        max_length=200,
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


class MergePickForm(forms.Form):
    q = forms.CharField(label="Merge with", max_length=200, required=False)


# --- organisations ------------------------------------------------------------------------


class OrganisationForm(forms.Form):
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


# --- journal ------------------------------------------------------------------------------

KIND_CHOICES = Interaction.Kind.choices


class LogForm(forms.Form):
    """Log an interaction: from the journal, a person's page or the home page's one line."""

    summary = forms.CharField(
        label="What happened", max_length=300, help_text="e.g. “Coffee, talked about fintech”."
    )
    people = forms.CharField(
        label="With",
        required=False,
        max_length=50000,  # an event's entry can name hundreds of people
        help_text="Names or emails from your network, separated by commas.",
    )
    kind = forms.ChoiceField(label="Kind", choices=KIND_CHOICES, initial=Interaction.Kind.MEETING)
    direction = forms.ChoiceField(
        label="Who reached out",
        choices=Interaction.Direction.choices,
        initial=Interaction.Direction.MUTUAL,
        required=False,
    )
    day = forms.DateField(label="Date", required=False, widget=DateInput())
    time = forms.TimeField(label="Time", required=False, widget=TimeInput())
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you learned, referrals you got, what you offered back.",
    )


class JournalFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *KIND_CHOICES]
    )
    since = forms.DateField(label="From", required=False, widget=DateInput())
    until = forms.DateField(label="To", required=False, widget=DateInput())
    person = forms.CharField(label="Person", required=False, max_length=200)
    org = forms.CharField(label="Organisation", required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "“To” is before “From”; swap the dates.")
        return data


class EventForm(forms.Form):
    event = forms.CharField(
        label="Event", max_length=300, help_text="e.g. “Fintech Forum, London”."
    )
    day = forms.DateField(label="Date", required=False, widget=DateInput())
    contact_list = forms.ChoiceField(
        label="Add new people to list", choices=ContactList.choices, initial=ContactList.B
    )
    notes = forms.CharField(
        label="Notes about the event",
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EventRowForm(forms.Form):
    full_name = forms.CharField(label="Name", max_length=200, required=False)
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    title = forms.CharField(label="Title", max_length=200, required=False)
    email = forms.CharField(label="Email", max_length=320, required=False)
    note = forms.CharField(label="Note", max_length=5000, required=False)


EventRowFormSet = forms.formset_factory(EventRowForm, extra=5, max_num=40, absolute_max=40)


# --- settings -----------------------------------------------------------------------------


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label="Time zone", choices=TIME_ZONE_CHOICES)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "time_zone", "mode"]
        labels = {"mode": "Right now I am", "email": "Your email"}
        widgets = {"mode": forms.RadioSelect}
