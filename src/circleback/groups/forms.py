"""Forms for the group pages: each field's bounds come from the model (one definition)."""

from __future__ import annotations

from typing import Any

from django import forms

from circleback.groups.models import CONSENT, REASON_MAX, BoardPost, Part
from circleback.people.models import Person
from circleback.web.widgets import Form as FormBase
from circleback.web.widgets import PersonInput


class GroupForm(FormBase):
    name = forms.CharField(max_length=120, label="Name", help_text="e.g. Thursday job club")
    description = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OpenForm(FormBase):
    WHAT = [("person", "One person"), ("list", "A whole list"), ("tag", "Everyone with a tag")]
    what = forms.ChoiceField(choices=WHAT, widget=forms.RadioSelect, initial="person")
    person = forms.CharField(
        required=False,
        max_length=200,
        label="Person",
        help_text="Start typing a name or an email, then choose them from the list.",
        widget=PersonInput(),
    )
    contact_list = forms.ChoiceField(
        required=False,
        label="List",
        choices=[("", "—"), ("A", "A — personal"), ("B", "B — career"), ("C", "C — target")],
    )
    tag = forms.CharField(required=False, max_length=60, label="Tag")
    shows_title = forms.BooleanField(required=False, initial=True, label="Show their title")
    shows_closeness = forms.BooleanField(
        required=False, initial=True, label="Show how close you are (1 to 5)"
    )
    consent = forms.BooleanField(required=True, label=CONSENT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Several people of the typed name: the page lists them to choose from.
        self.candidates: list[Person] = []


class AskForm(FormBase):
    reason = forms.CharField(
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Why you'd like to meet them",
        help_text="Say who you are and why; the member passes it on. Never ask for a job.",
    )


class AnswerForm(FormBase):
    answer = forms.CharField(
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="A word back (optional)",
    )


class GrantForm(FormBase):
    coach = forms.CharField(max_length=150, label="Coach's sign-in name")
    parts = forms.MultipleChoiceField(
        choices=Part.choices, widget=forms.CheckboxSelectMultiple, initial=Part.values
    )


class PostForm(FormBase):
    kind = forms.ChoiceField(
        choices=[("ask", "I'm asking for"), ("offer", "I'm offering")], label="Ask or offer"
    )
    what = forms.ChoiceField(
        choices=[
            ("advice", "Advice"),
            ("introduction", "An introduction"),
            ("article", "An article"),
            ("mock_interview", "A mock interview"),
        ],
        label="What",
    )
    text = forms.CharField(
        max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}), label="In a line or two"
    )


class BoardFilterForm(FormBase):
    """The board's filters, named and valued as the API's GET /groups/{id}/board takes them
    (?kind=ask&what=advice&closed=false); every value comes from the model's choices."""

    kind = forms.ChoiceField(
        required=False, label="Asks or offers", choices=[("", "Both"), *BoardPost.Kind.choices]
    )
    what = forms.ChoiceField(
        required=False, label="About", choices=[("", "Anything"), *BoardPost.What.choices]
    )
    closed = forms.TypedChoiceField(
        required=False,
        label="Open or closed",
        choices=[("", "Both"), ("false", "Open only"), ("true", "Closed only")],
        coerce=lambda value: value == "true",
        empty_value=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the posting form on the same page has a kind and a what too.
        super().__init__(*args, auto_id="board_%s", **kwargs)

    def filters(self) -> dict[str, Any]:
        """board_list's keyword arguments, once the form is valid."""
        data = self.cleaned_data
        return {
            "kind": data["kind"] or None,
            "what": data["what"] or None,
            "closed": data["closed"],
        }
