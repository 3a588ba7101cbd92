"""Forms: parse and check what a browser sends. Business rules stay in the services."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from circleback.accounts.models import User
from circleback.accounts.services import account_erase_check
from circleback.web.widgets import Form

_ZONES = sorted(zoneinfo.available_timezones())
TIME_ZONE_CHOICES = [(z, z) for z in _ZONES]


class WelcomeForm(Form):
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


# --- settings -----------------------------------------------------------------------------


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label="Time zone", choices=TIME_ZONE_CHOICES)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "time_zone", "mode"]
        labels = {"mode": "Right now I am", "email": "Your email"}
        widgets = {"mode": forms.RadioSelect}


class DeleteAccountForm(Form):
    """Deleting the account: the password again, and the account's name typed to be sure."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.CharField(label="Type your account's name to confirm")

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        """The one rule (accounts.services.account_erase_check), as the API asks it too."""
        cleaned = super().clean() or {}
        try:
            account_erase_check(
                user=self.user,
                password=str(cleaned.get("password", "")),
                confirm=str(cleaned.get("confirm", "")),
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field in cleaned:  # a field left empty already says so
                    self.add_error(field, messages)
        return cleaned
