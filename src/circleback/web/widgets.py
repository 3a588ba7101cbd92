"""What every form of ours shares."""

from __future__ import annotations

from typing import Any

from django import forms


class Form(forms.Form):
    """A form whose length limits are checked by the server, not enforced by the browser.

    A `maxlength` attribute makes the browser cut what is typed or pasted without a word, and
    what it cut then fails some other check with a message about the wrong field. Without it,
    too long a value comes back with a message on the field that is too long, and nothing is
    lost from what was typed.
    """

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
