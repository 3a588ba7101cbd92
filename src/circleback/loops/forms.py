"""Forms for the loops screens. People are chosen by name (or UUID), resolved within the
owner's network, so a page never lists 30,000 people in a select."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from circleback.accounts.models import User
from circleback.accounts.queries import user_zone
from circleback.loops.models import Favour, Purpose
from circleback.people.models import Person
from circleback.people.queries import person_find
from circleback.web.widgets import Form, PersonInput

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
    """A person typed by name (or chosen in the person picker); the form resolves it against
    its owner in `clean`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", PersonInput())
        super().__init__(**kwargs)


class OwnedForm(Form):
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
    person_fields: tuple[str, ...] = ("person", "referred_by")

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


class ReferralForm(Form):
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


class OutcomeForm(Form):
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
        max_length=10000,
        widget=PersonInput(separator=","),
        help_text="Names from your network, separated by commas.",
    )
    event = forms.BooleanField(label="It's an event invitation", required=False)

    def clean_people(self) -> list[Person]:
        text = self.cleaned_data["people"].replace("\n", ",")
        names = [n for n in text.split(",") if n.strip()]
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


class SnoozeForm(Form):
    until = forms.DateField(label="Follow up on", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="Note", required=False, max_length=500)


def local_datetime(owner: User, value: dt.datetime) -> dt.datetime:
    """A form's naive or active-zone datetime, read in the owner's time zone."""
    zone: dt.tzinfo = user_zone(owner)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value


class MeetingEditForm(MeetingForm):
    """The scheduling form without the person (another person is another meeting); a held
    meeting also shows what came of it."""

    person_fields = ("referred_by",)

    learned = forms.CharField(
        label="What you learned", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.CharField(
        label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_steps = forms.CharField(
        label="Next steps", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, held: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["person"]
        if not held:
            for name in ("learned", "outcome", "next_steps"):
                del self.fields[name]


class FavourEditForm(Form):
    direction = forms.ChoiceField(
        label="Direction", choices=Favour.Direction.choices, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(label="Kind", choices=FAVOUR_KINDS)
    note = forms.CharField(label="What it was", required=False, max_length=1000)
    occurred_on = forms.DateField(label="On", widget=forms.DateInput(attrs={"type": "date"}))


def find_by_exact_name(owner: User, text: str) -> Person | None:
    """The owner's one person with exactly this name, None if nobody has it; several is an
    error, since a new lead must not guess between them."""
    name = " ".join(text.split())
    found = list(
        Person.objects.filter(owner=owner, full_name__iexact=name).select_related("organisation")[
            :5
        ]
    )
    if len(found) > 1:
        names = "; ".join(
            p.full_name + (f" ({p.organisation.name})" if p.organisation else "") for p in found
        )
        raise forms.ValidationError(
            f"Several people are called “{name}”: {names}. Open the right one's page and use "
            "“Someone gave you a name” there."
        )
    return found[0] if found else None


class LeadForm(OwnedForm):
    """ "Someone gave me a name": the lead, and the person if they're new."""

    person_fields = ("referrer",)

    referrer = PersonField(label="Who gave you the name")
    person = forms.CharField(
        label="Whose name",
        max_length=200,
        widget=PersonInput(allow_new=True),
        help_text="Someone in your network, or a new name: they're added, introduced by the "
        "person who gave it.",
    )
    organisation = forms.CharField(label="At which organisation", required=False, max_length=200)
    about = forms.CharField(
        label="For what", required=False, max_length=300, help_text="e.g. “the data team”"
    )
    contact_list = forms.ChoiceField(
        label="If they're new, put them on",
        choices=[("C", "List C — target employers"), ("B", "List B — career contacts")],
        initial="C",
    )
    may_use_name = forms.BooleanField(
        label="“May I use your name?” — they said yes", required=False
    )

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        # A person chosen from their own page: no name to type, no guessing.
        self.fixed_person = person
        super().__init__(*args, **kwargs)
        if person is not None:
            self.fields["person"].required = False
            self.fields["person"].widget = forms.HiddenInput()

    def clean_person(self) -> Person | str:
        if self.fixed_person is not None:
            return self.fixed_person
        widget = self.fields["person"].widget
        if isinstance(widget, PersonInput) and widget.typed is not None:
            # Chosen in the picker: that very person, even when others share the name.
            found = person_find(owner=self.owner, query=self.cleaned_data["person"])
            if len(found) == 1:
                return found[0]
        # Who they are is the service's to find (people.queries.person_matches): it uses
        # someone only when sure, and otherwise the form asks with a picker.
        return " ".join(self.cleaned_data["person"].split())


class LoopSettingsForm(Form):
    thank_you_hours = forms.IntegerField(
        label="Thank someone within (hours)",
        min_value=1,
        max_value=168,
        help_text="After a meeting or a favour. 1 to 168 hours; the default is 24.",
    )
    lead_contact_days = forms.IntegerField(
        label="Contact a lead within (days)",
        min_value=1,
        max_value=90,
        help_text="After someone gives you a name. 1 to 90 days; the default is 3.",
    )
    lead_meet_days = forms.IntegerField(
        label="Meet the lead within (days)",
        min_value=1,
        max_value=90,
        help_text="After you contact them. 1 to 90 days; the default is 14.",
    )
    lead_tell_days = forms.IntegerField(
        label="Tell the referrer what came of it within (days)",
        min_value=1,
        max_value=90,
        help_text="After you meet the lead (or they decline). 1 to 90 days; the default is 2.",
    )
    check_back_days = forms.IntegerField(
        label="Check back after (days)",
        min_value=1,
        max_value=90,
        help_text="With someone you helped with a name or an introduction. 1 to 90 days; the "
        "default is 14.",
    )
