"""The formats Circleback reads and writes, and telling them apart by their content."""

from __future__ import annotations

from types import ModuleType

from circleback.interchange.formats import (
    circleback_json,
    google_csv,
    linkedin,
    linkedin_invitations,
    linkedin_messages,
    outlook_csv,
    vcard,
)
from circleback.interchange.formats._common import decode
from circleback.interchange.records import InterchangeError

# In the order detection tries them: the most specific header first.
FORMATS: dict[str, ModuleType] = {
    "json": circleback_json,
    "vcard": vcard,
    "linkedin": linkedin,
    "linkedin-messages": linkedin_messages,
    "linkedin-invitations": linkedin_invitations,
    "google-csv": google_csv,
    "outlook-csv": outlook_csv,
}
FORMAT_NAMES = ("auto", *FORMATS)

# What each format is, as a person would say it: "This file is a LinkedIn connections export."
DESCRIBED = {
    "json": "a Circleback backup",
    "vcard": "an address book of vCards",
    "linkedin": "a LinkedIn connections export",
    "linkedin-messages": "a LinkedIn messages export",
    "linkedin-invitations": "a LinkedIn invitations export",
    "google-csv": "a Google Contacts export",
    "outlook-csv": "an Outlook contacts export",
    # Not a contact format (never detected): chosen on the jobs' import page.
    "job-tracker-csv": "a job tracker's export of applications",
}


def described(name: str) -> str:
    """The format `name` in words ("a LinkedIn connections export"); unknown: "a file"."""
    return DESCRIBED.get(name, "a file")


WHAT_WE_READ = (
    "a LinkedIn Connections.csv, messages.csv or Invitations.csv, a vCard (.vcf), "
    "a Google Contacts or Outlook CSV, or a Circleback JSON backup"
)


def detect(data: bytes) -> str:
    """The name of the format of these bytes, judged by their content; InterchangeError if
    they are none of the formats Circleback reads."""
    text = decode(data[: 256 * 1024], WHAT_WE_READ)
    for name, module in FORMATS.items():
        if module.sniff(text):
            return name
    raise InterchangeError(f"Circleback can't tell what this file is; expected {WHAT_WE_READ}.")


def module_for(name: str) -> ModuleType:
    try:
        return FORMATS[name]
    except KeyError:
        raise InterchangeError(
            f"{name!r} is not a format; use one of {', '.join(FORMAT_NAMES)}."
        ) from None
