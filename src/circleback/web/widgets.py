"""What every form of ours shares."""

from __future__ import annotations

from typing import Any

from django import forms


class FocusedBoundField(forms.BoundField):
    """A field that takes the focus when the form comes back with it the first one wrong.

    The browser moves to it (however far down the page the form is) and a screen reader reads
    its label with the error, which Django ties to it (`aria-invalid`, `aria-describedby` →
    `<id>_error`, the id our field templates give the errors).
    """

    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> Any:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and not (widget or self.field.widget).is_hidden:
            first = next((name for name in self.form.fields if name in self.form.errors), None)
            if first == self.name:
                attrs["autofocus"] = True
        return attrs


class Form(forms.Form):
    """A form whose length limits are checked by the server, not enforced by the browser, and
    whose first wrong field takes the focus when it comes back (FocusedBoundField).

    A `maxlength` attribute makes the browser cut what is typed or pasted without a word, and
    what it cut then fails some other check with a message about the wrong field. Without it,
    too long a value comes back with a message on the field that is too long, and nothing is
    lost from what was typed.
    """

    bound_field_class = FocusedBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class PersonInput(forms.TextInput):
    """A field that names someone in the owner's network: a text box the person picker
    (static/circleback/combobox.js) turns into a combobox suggesting people as you type.

    Without JavaScript it is a plain text box: what is typed (a name, an email) goes to the
    server, which finds the person or asks which one (people/lookups.py). With it, choosing a
    suggestion also sends that person's id in a hidden `<name>_picked` field, so two people of
    one name are told apart; typing again forgets the choice. `separator` lets one box name
    several people (the picker completes the name after the last separator); `allow_new` says
    that a name not yet in the network is welcome (it is added), so the picker offers it.
    """

    template_name = "web/_person_input.html"
    PICKED = "_picked"
    # The ambiguity picker's radio group (web/_which_person.html), and the name it answers.
    CHOICE = "_choice"
    CHOICE_FOR = "_choice_for"
    # Candidates listed (the first ten at once, the rest behind "Show the other …"); more
    # than that are found by typing more, or on the People page.
    LISTED = 100

    def __init__(
        self,
        *,
        separator: str = "",
        allow_new: bool = False,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.separator = separator
        self.allow_new = allow_new
        self.typed: str | None = None
        self.candidates: list[Any] = []
        self.more = False

    def ask_which(self, candidates: list[Any]) -> None:
        """List these people under the field for the user to choose one (a radio group that
        works without JavaScript): the name typed matches each of them."""
        self.candidates, self.more = candidates[: self.LISTED], len(candidates) > self.LISTED

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        typed = data.get(name)
        picked = "" if self.separator else str(data.get(name + self.PICKED, "")).strip()
        if not picked and not self.separator and typed:
            # A choice from the list of candidates, if it answers the name still typed.
            answered = " ".join(str(data.get(name + self.CHOICE_FOR, "")).split()).lower()
            if answered == " ".join(str(typed).split()).lower():
                picked = str(data.get(name + self.CHOICE, "")).strip()
        if picked and typed and _is_uuid(picked):
            # The id of the person chosen, shown again as the name that was typed.
            self.typed = typed
            return picked
        self.typed = None
        return typed

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        from django.urls import reverse

        picked = ""
        if self.typed is not None and value is not None and _is_uuid(str(value)):
            picked, value = str(value), self.typed
        elif hasattr(value, "uuid") and hasattr(value, "full_name"):
            # A person chosen in advance (a link from their page, the record being edited).
            picked, value = str(value.uuid), value.full_name
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            picked=picked,
            picked_name=name + self.PICKED,
            source=reverse("people_suggest"),
            separator=self.separator,
            allow_new=self.allow_new,
            candidates=self.candidates,
            more=self.more,
            choice_name=name + self.CHOICE,
            choice_for_name=name + self.CHOICE_FOR,
        )
        return context


def ask_which(form: forms.Form, name: str, candidates: list[Any]) -> None:
    """List the people a name typed in `form`'s field `name` matches under the field, to
    choose one — a radio group, so no JavaScript is needed (see PersonInput.ask_which)."""
    widget = form.fields[name].widget
    if candidates and isinstance(widget, PersonInput):
        widget.ask_which(candidates)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
