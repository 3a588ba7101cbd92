from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms

_ZONES = sorted(zoneinfo.available_timezones())


class WelcomeForm(forms.Form):
    username = forms.CharField(label="Your name for signing in", max_length=150)
    password1 = forms.CharField(
        label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    time_zone = forms.ChoiceField(
        label="Your time zone", choices=[(z, z) for z in _ZONES], initial="UTC"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords differ; type the same one twice.")
        return data
