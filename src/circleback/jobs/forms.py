"""Forms for the jobs screens. People are typed by name and resolved in the owner's network
(as on the loops screens); the models hold the one definition of a valid value."""

from __future__ import annotations

from typing import Any

from django import forms

from circleback.jobs.models import Interview, JobStage, Opening, Role, Route
from circleback.loops.forms import OwnedForm, PersonField
from circleback.text import MAX_TEXT
from circleback.web.widgets import DateInput, Form

_opening = Opening._meta


class OpeningForm(OwnedForm):
    person_fields: tuple[str, ...] = ("source_person",)

    title = forms.CharField(label="Role", max_length=_opening.get_field("title").max_length)
    organisation = forms.CharField(label="Organisation", max_length=200)
    url = forms.URLField(
        label="Link to the posting", required=False, max_length=500, assume_scheme="https"
    )
    source = forms.ChoiceField(label="Where it came from", choices=Route.choices)
    source_person = PersonField(
        label="Through whom",
        required=False,
        help_text="Who referred you, the recruiter, or the contact who told you about it.",
    )
    found_on = forms.DateField(label="Found on", required=False, widget=DateInput())
    deadline = forms.DateField(label="Deadline", required=False, widget=DateInput())
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class OpeningEditForm(OwnedForm):
    """An opening's details as `opening_update` changes them (not its organisation: an
    opening elsewhere is another opening; not its stage: that moves on its page)."""

    person_fields: tuple[str, ...] = ("source_person",)

    title = OpeningForm.base_fields["title"]
    url = OpeningForm.base_fields["url"]
    source = OpeningForm.base_fields["source"]
    source_person = OpeningForm.base_fields["source_person"]
    deadline = OpeningForm.base_fields["deadline"]
    notes = OpeningForm.base_fields["notes"]

    @classmethod
    def for_opening(cls, opening: Opening, data: Any = None) -> OpeningEditForm:
        initial = {
            "title": opening.title,
            "url": opening.url,
            "source": opening.source,
            "source_person": opening.source_person.full_name if opening.source_person else "",
            "deadline": opening.deadline,
            "notes": opening.notes,
        }
        return cls(data, owner=opening.owner, initial=initial)


class AdvanceForm(Form):
    to = forms.ChoiceField(label="Move to", choices=JobStage.choices)
    on = forms.DateField(label="On", required=False, widget=DateInput())
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, stages: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if stages is not None:
            labels = dict(JobStage.choices)
            to = self.fields["to"]
            assert isinstance(to, forms.ChoiceField)
            to.choices = [(s, labels[s]) for s in stages]


class PersonRoleForm(OwnedForm):
    person_fields: tuple[str, ...] = ("person",)

    person = PersonField(label="Who")
    role = forms.ChoiceField(
        label="Their part",
        choices=[c for c in Role.choices if c[0] != Role.INTERVIEWER],
        help_text="Someone who referred you makes this a referred application: you'll be "
        "reminded to tell them what came of it.",
    )


class InterviewForm(OwnedForm):
    scheduled_for = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(label="Minutes", initial=45, min_value=5, max_value=480)
    kind = forms.ChoiceField(label="Kind", choices=Interview.Kind.choices, initial="video")
    location = forms.CharField(label="Where or how", required=False, max_length=200)
    interviewers = forms.CharField(
        label="Interviewers",
        required=False,
        max_length=1000,
        help_text="Names from your network, separated by commas.",
    )

    def clean_interviewers(self) -> list[Any]:
        from circleback.loops.forms import resolve_person_name

        text = self.cleaned_data.get("interviewers") or ""
        return [resolve_person_name(self.owner, name) for name in text.split(",") if name.strip()]


class AskForm(Form):
    via = forms.UUIDField()
    target = forms.UUIDField()


class ImportForm(Form):
    file = forms.FileField(label="A CSV of applications")
