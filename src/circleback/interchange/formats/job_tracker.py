"""Applications exported by a job tracker (a spreadsheet, Huntr/Teal-like apps, home-grown
trackers): one row an application — title, company, link, status, dates.

Not among the contact formats (`FORMATS`): its rows are applications, not people, and they
are imported by `interchange.applications`, never by the contact import. The column names
are the ones trackers write (see tests/fixtures/job-trackers/PROVENANCE.md); a status is
read by its meaning ("Interviewing", "Phone screen", "Offer received" …).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from circleback.interchange.formats._common import csv_rows, decode, header_key, parse_date
from circleback.interchange.records import InterchangeError, Problem, Skipped

WHAT = "a CSV of job applications with at least a title and a company column"
TITLE = ("job title", "title", "position", "role", "job post title", "job")
COMPANY = ("company", "company name", "employer", "organization", "organisation")
URL = ("job url", "url", "link", "job link", "job post url", "posting url", "application url")
STATUS = ("status", "application status", "stage", "list")
SAVED = ("date saved", "date added", "saved", "created", "date created", "found on")
APPLIED = ("date applied", "application date", "applied date", "applied on", "initial app date")
RESPONSE = ("response date", "last action date")
INTERVIEW = ("interview date", "interview dates")
DEADLINE = ("deadline", "response deadline", "apply by")
NOTES = ("notes", "comments", "description")
ROUTE = ("platform", "source", "application method", "referral source")
REFERRER = ("referred by", "referral", "referrer", "contact name")
LOCATION = ("location",)

# A status, read by its words: the first rule whose word the status contains wins.
STATUS_WORDS: tuple[tuple[str, str], ...] = (
    ("withdr", "withdrawn"),
    ("accept", "accepted"),
    ("hired", "accepted"),
    ("declin", "declined"),
    ("reject", "rejected"),
    ("not selected", "rejected"),
    ("no longer", "rejected"),
    ("offer", "offer"),
    ("interview", "interviewing"),
    ("screen", "interviewing"),
    ("onsite", "interviewing"),
    ("on-site", "interviewing"),
    ("applied", "applied"),
    ("submitted", "applied"),
    ("pending", "applied"),
    ("applying", "found"),
    ("saved", "found"),
    ("wishlist", "found"),
    ("bookmark", "found"),
    ("interested", "found"),
    ("new", "found"),
)
ROUTE_WORDS: tuple[tuple[str, str], ...] = (
    ("referr", "referral"),
    ("recruit", "recruiter"),
    ("agency", "recruiter"),
    ("company", "site"),
    ("career", "site"),
    ("workday", "site"),
    ("greenhouse", "site"),
    ("lever", "site"),
    ("website", "site"),
    ("linkedin", "board"),
    ("indeed", "board"),
    ("glassdoor", "board"),
    ("board", "board"),
)


@dataclass
class ApplicationRecord:
    where: str  # "row 4"
    title: str
    company: str
    url: str = ""
    stage: str = "found"
    route: str = "board"
    referrer: str = ""
    saved_on: dt.date | None = None
    applied_on: dt.date | None = None
    interview_on: dt.date | None = None
    answered_on: dt.date | None = None
    deadline: dt.date | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class ApplicationsFile:
    records: list[ApplicationRecord] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _header(text: str) -> set[str]:
    first = text.splitlines()[0] if text.strip() else ""
    return {header_key(name) for name in first.split(",")}


def sniff(text: str) -> bool:
    keys = _header(text)
    return bool(keys & set(TITLE)) and bool(keys & set(COMPANY))


def stage_of(status: str) -> str | None:
    lowered = status.lower()
    for word, stage in STATUS_WORDS:
        if word in lowered:
            return stage
    return None


def route_of(value: str) -> str | None:
    lowered = value.lower()
    for word, route in ROUTE_WORDS:
        if word in lowered:
            return route
    return None


def parse(data: bytes) -> ApplicationsFile:
    """The applications in a tracker's CSV. A bad value (a date that isn't one, a status not
    understood) costs the value — reported, kept in the notes — not the row; a row without
    a title or a company can't be an application and is skipped as broken."""
    text = decode(data, WHAT)
    if not sniff(text):
        raise InterchangeError(
            f"This file has no title and company columns; expected {WHAT} (for example "
            "“Job Title,Company,Status,Date Applied,URL”)."
        )
    result = ApplicationsFile()
    for row in csv_rows(text, 0):
        if row.blank():
            continue
        title, company = row.get(*TITLE), row.get(*COMPANY)
        if not title or not company:
            missing = "title" if not title else "company"
            result.skipped.append(Skipped(row.where, f"it has no {missing}"))
            continue
        record = ApplicationRecord(where=row.where, title=title, company=company)
        record.url = row.get(*URL)
        status = row.get(*STATUS)
        if status:
            stage = stage_of(status)
            if stage is None:
                result.problems.append(
                    Problem(row.place(*STATUS), status, "not a status Circleback knows; kept in "
                    "the notes, the stage read from the dates")
                )  # fmt: skip
                record.notes.append(f"Status in the tracker: {status}")
            else:
                record.stage = stage
        route = row.get(*ROUTE)
        if route:
            found = route_of(route)
            if found:
                record.route = found
            else:
                record.notes.append(f"Came from: {route}")
        record.referrer = row.get(*REFERRER)
        if record.referrer and not route:
            record.route = "referral"  # a "Referred By" says how it came
        for names, attribute in (
            (SAVED, "saved_on"),
            (APPLIED, "applied_on"),
            (INTERVIEW, "interview_on"),
            (RESPONSE, "answered_on"),
            (DEADLINE, "deadline"),
        ):
            value = row.get(*names)
            if not value:
                continue
            first = value.split(";")[0].strip()  # several interview dates: the first
            try:
                setattr(record, attribute, parse_date(first))
            except ValueError:
                result.problems.append(Problem(row.place(*names), value, "not a date; left out"))
        location = row.get(*LOCATION)
        if location:
            record.notes.append(f"Location: {location}")
        notes = row.get(*NOTES)
        if notes:
            record.notes.append(notes)
        if record.stage == "found" and record.applied_on and not status:
            record.stage = "applied"
        result.records.append(record)
    return result
