"""Forms for the journal: logging an interaction, filtering, and capturing an event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from circleback.accounts.models import User
from circleback.journal.models import Interaction
from circleback.journal.services import MAX_PEOPLE_PER_INTERACTION
from circleback.people.lookups import ALL_CANDIDATES, resolve_person
from circleback.people.models import ContactList, Person
from circleback.web.widgets import DateInput, Form, PersonInput, TimeInput

# --- journal ------------------------------------------------------------------------------

KIND_CHOICES = Interaction.Kind.choices


class LogForm(Form):
    """Log an interaction: from the journal, a person's page or the home page's one line."""

    summary = forms.CharField(
        label="What happened", max_length=300, help_text="e.g. “Coffee, talked about fintech”."
    )
    people = forms.CharField(
        label="With",
        required=False,
        max_length=50000,  # an event's entry can name hundreds of people
        widget=PersonInput(separator=","),
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


class JournalFilterForm(Form):
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *KIND_CHOICES]
    )
    since = forms.DateField(label="From", required=False, widget=DateInput())
    until = forms.DateField(label="To", required=False, widget=DateInput())
    person = forms.CharField(label="Person", required=False, max_length=200, widget=PersonInput())
    org = forms.CharField(label="Organisation", required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "“To” is before “From”; swap the dates.")
        return data


class EventForm(Form):
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


class EventRowForm(Form):
    full_name = forms.CharField(
        label="Name", max_length=200, required=False, widget=PersonInput(allow_new=True)
    )
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    title = forms.CharField(label="Title", max_length=200, required=False)
    email = forms.CharField(label="Email", max_length=320, required=False)
    note = forms.CharField(label="Note", max_length=5000, required=False)

    def clean_full_name(self) -> str:
        """The name as typed; someone chosen in the person picker is kept as `picked` (their
        UUID), so a namesake is never asked about again."""
        value = str(self.cleaned_data["full_name"])
        widget = self.fields["full_name"].widget
        self.picked = ""
        if isinstance(widget, PersonInput) and widget.typed is not None:
            self.picked, value = value, widget.typed
        return " ".join(value.split())


EventRowFormSet = forms.formset_factory(EventRowForm, extra=5, max_num=40, absolute_max=40)


def people_field_value(people: list[Person]) -> str:
    """People as the "With" field shows them: names, or a UUID for a name with a comma."""
    return ", ".join(str(p.uuid) if "," in p.full_name else p.full_name for p in people)


@dataclass(frozen=True)
class Ambiguous:
    """A name in the "With" field that several people answer to: the page asks which."""

    typed: str
    candidates: list[Person]
    more: bool  # more match than are listed


def chosen_people(data: Mapping[str, str]) -> dict[str, str]:
    """The answers a form sent to "which one?" (`choose-N` = a UUID for the name in
    `choose-N-name`), by the name as typed, in lower case."""
    chosen: dict[str, str] = {}
    for key, typed in data.items():
        if key.startswith("choose-") and key.endswith("-name"):
            picked = str(data.get(key[: -len("-name")], "")).strip()
            if picked:
                chosen[" ".join(str(typed).split()).lower()] = picked
    return chosen


def resolve_people(
    owner: User,
    text: str,
    *,
    prefer: list[Person] | None = None,
    chosen: Mapping[str, str] | None = None,
    picker: bool = False,
) -> tuple[list[Person], list[str], list[Ambiguous]]:
    """People named in a comma-separated list, an error for each name that didn't resolve,
    and the names several people answer to (for a page that asks which, `picker`).

    A name that is exactly one of `prefer` (the people already on an entry being edited) means
    them, even when others in the network share it; `chosen` holds the answers to "which one?"
    (chosen_people).
    """
    people: list[Person] = []
    errors: list[str] = []
    ambiguous: list[Ambiguous] = []
    names = [n.strip() for n in text.split(",") if n.strip()]
    if len(names) > MAX_PEOPLE_PER_INTERACTION:
        return [], [f"Name at most {MAX_PEOPLE_PER_INTERACTION} people, not {len(names)}."], []
    for name in names:
        known = [p for p in prefer or () if p.full_name.lower() == name.lower()]
        if len(known) == 1:
            people.append(known[0])
            continue
        answer = (chosen or {}).get(" ".join(name.split()).lower())
        if answer:
            person, error, _ = resolve_person(owner, answer)
        else:
            person, error, candidates = resolve_person(owner, name, picker=picker)
            if candidates:
                ambiguous.append(
                    Ambiguous(
                        typed=name,
                        candidates=candidates[:ALL_CANDIDATES],
                        more=len(candidates) > ALL_CANDIDATES,
                    )
                )
        if person is not None:
            people.append(person)
        else:
            errors.append(error)
    return people, errors, ambiguous
