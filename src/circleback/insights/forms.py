"""Forms for the insights pages. They parse and label input; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms

from circleback.insights.services import MAX_CADENCE_DAYS, MAX_PITCH_WORDS
from circleback.web.widgets import Form, PersonInput


class DateInput(forms.DateInput):
    input_type = "date"


class SnoozeForm(Form):
    until = forms.DateField(
        label="Snooze until",
        widget=DateInput,
        error_messages={"invalid": "Enter a date, e.g. 2026-12-01."},
    )


class CadenceForm(Form):
    days = forms.IntegerField(
        label="Keep in touch every … days",
        required=False,
        min_value=1,
        max_value=MAX_CADENCE_DAYS,
        help_text="Leave empty to use your default for their list.",
    )


class CadenceDefaultsForm(Form):
    inner_circle_days = forms.IntegerField(
        label="Inner circle (closeness 5)", required=False, min_value=1, max_value=MAX_CADENCE_DAYS
    )
    list_a_days = forms.IntegerField(
        label="List A — personal", required=False, min_value=1, max_value=MAX_CADENCE_DAYS
    )
    list_b_days = forms.IntegerField(
        label="List B — career", required=False, min_value=1, max_value=MAX_CADENCE_DAYS
    )
    list_c_days = forms.IntegerField(
        label="List C — target employers", required=False, min_value=1, max_value=MAX_CADENCE_DAYS
    )


class GoalsForm(Form):
    new_contacts = forms.IntegerField(
        label="New contacts a month",
        required=False,
        min_value=0,
        max_value=500,
        help_text="The articles suggest three or four.",
    )
    meetings = forms.IntegerField(
        label="Meetings a month", required=False, min_value=0, max_value=500
    )
    favours_given = forms.IntegerField(
        label="Favours given a month", required=False, min_value=0, max_value=500
    )


class PitchForm(Form):
    label = forms.CharField(
        label="Name this version",
        required=False,
        max_length=120,
        help_text="e.g. “product roles” or “career change”.",
    )
    text = forms.CharField(
        label="Your two-minute pitch",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_PITCH_WORDS * 12,
        help_text=(
            "Who you are, what you've done, what you're looking for — about 300 words at most."
        ),
    )


class PracticeForm(Form):
    person = forms.CharField(
        label="Practised with",
        required=False,
        max_length=200,
        widget=PersonInput(),
        help_text="Anyone in your network, or nobody in particular. List A first: mistakes are "
        "cheap there.",
    )
    practised_on = forms.DateField(
        label="When",
        required=False,
        widget=DateInput,
        error_messages={"invalid": "Enter a date, e.g. 2026-11-20."},
    )
    notes = forms.CharField(
        label="What you learned",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, partners: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partners:
            self.fields["person"].help_text = (
                f"Anyone in your network, or nobody in particular. List A first, where mistakes "
                f"are cheap: {', '.join(partners)}, say."
            )
