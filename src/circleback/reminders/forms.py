from __future__ import annotations

from django import forms

from circleback.reminders.models import DigestSettings

HOURS = [(h, f"{h:02d}:00") for h in range(24)]
WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class DigestForm(forms.Form):
    enabled = forms.BooleanField(label="Email me my agenda", required=False)
    frequency = forms.ChoiceField(
        label="How often", choices=DigestSettings.Frequency.choices, widget=forms.RadioSelect
    )
    hour = forms.TypedChoiceField(label="Hour (your time)", choices=HOURS, coerce=int)
    weekday = forms.TypedChoiceField(
        label="Day (for weekly)", choices=WEEKDAYS, coerce=int, required=False, empty_value=None
    )
    send_when_empty = forms.BooleanField(
        label="Weekly: send a summary even when nothing is due", required=False
    )
