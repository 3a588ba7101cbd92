from __future__ import annotations

from django import forms

from circleback.interchange.formats import FORMAT_NAMES
from circleback.interchange.records import max_import_bytes
from circleback.web.widgets import Form

FORMAT_LABELS = {
    "auto": "Find out from the file",
    "linkedin": "LinkedIn connections (Connections.csv)",
    "linkedin-messages": "LinkedIn messages (messages.csv)",
    "linkedin-invitations": "LinkedIn invitations (Invitations.csv)",
    "vcard": "vCard (.vcf) — phones, Apple Contacts, Outlook",
    "google-csv": "Google Contacts CSV",
    "outlook-csv": "Outlook CSV",
    "json": "Circleback backup (JSON)",
}


class _FileForm(Form):
    file = forms.FileField(
        label="File",
        help_text="At most 50 MB. Nothing is written until you confirm.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        limit = max_import_bytes(next(upload.chunks(4096), b""))
        upload.seek(0)
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {upload.size / 1024 / 1024:.0f} MB; Circleback imports files of "
                f"at most {limit // 1024 // 1024} MB. Split it, or export less at a time."
            )
        return upload


class ApplicationsUploadForm(_FileForm):
    """A job tracker's CSV of applications (or your own spreadsheet of them)."""


class UploadForm(_FileForm):
    format = forms.ChoiceField(
        choices=[(name, FORMAT_LABELS[name]) for name in FORMAT_NAMES], initial="auto"
    )
    contact_list = forms.ChoiceField(
        label="Put new people on list",
        choices=[("", "B — career (the default)"), ("A", "A — personal"), ("C", "C — target")],
        required=False,
    )
    tags = forms.CharField(
        label="Tag everyone imported",
        required=False,
        max_length=200,
        help_text="Separate several tags with commas, e.g. linkedin, 2024.",
    )

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]


class ConfirmForm(Form):
    skip_bad = forms.BooleanField(
        required=False, label="Skip the broken records and import the rest"
    )
