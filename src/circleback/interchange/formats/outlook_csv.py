"""Outlook CSV: the desktop program's export ("Job Title", "Business Phone", "Categories"
separated by ";", "E-mail Type") and outlook.com's ("E-mail Address", "Mobile Phone" …).

"Title" in both is a salutation (Mr., Dr.); the job is "Job Title". Birthdays of "0/0/00"
mean none. Exchange-internal addresses (E-mail Type "EX") are not email addresses: dropped.
"""

from __future__ import annotations

from collections.abc import Iterator

from circleback.interchange.formats._common import (
    add_details,
    birthday,
    clean_name,
    csv_rows,
    decode,
    first_records,
    header_key,
    is_system_group,
    most_records,
    name_from_details,
)
from circleback.interchange.records import (
    InterchangeError,
    ParseResult,
    PersonRecord,
    Problem,
    Skipped,
)

NAME = "outlook-csv"
EXPECTED = "an Outlook contacts CSV (a header with First Name, Last Name and E-mail Address)"

_PHONES = [
    ("mobile phone", "mobile"),
    ("business phone", "work"),
    ("business phone 2", "work"),
    ("home phone", "home"),
    ("home phone 2", "home"),
    ("primary phone", ""),
    ("other phone", "other"),
    ("company main phone", "work"),
    ("car phone", "car"),
]
_EMAILS = [("e-mail address", "e-mail type"), ("e-mail 2 address", "e-mail 2 type")]
_EMAILS.append(("e-mail 3 address", "e-mail 3 type"))


def sniff(text: str) -> bool:
    records = first_records(text, 1)
    keys = {header_key(v) for v in records[0]} if records else set()
    return {"first name", "last name", "e-mail address"} <= keys


def parse(data: bytes) -> ParseResult:
    return stream(data).drain()


def stream(data: bytes) -> ParseResult:
    """The file's people to be read as they are asked for (ParseResult.pending). A file that
    is not an Outlook contacts file is refused here, before any is read."""
    text = decode(data, EXPECTED)
    if not sniff(text):
        raise InterchangeError(f"This is not an Outlook contacts file; expected {EXPECTED}.")
    result = ParseResult()
    result.pending = _people(text, result)
    result.expected = most_records(text, 0)
    return result


def _people(text: str, result: ParseResult) -> Iterator[PersonRecord]:
    problems = result.problems
    for row in csv_rows(text, 0):
        if row.blank():
            continue
        given = clean_name(" ".join(filter(None, [row.get("first name"), row.get("middle name")])))
        family = clean_name(row.get("last name"))
        location = ", ".join(
            filter(None, [row.get("business city", "home city"), row.get("location")])
        )
        record = PersonRecord(
            where=row.where,
            given_name=given[:100],
            family_name=family[:100],
            full_name=" ".join(filter(None, [given, family]))[:200],
            organisation=clean_name(row.get("company"))[:200],
            title=clean_name(row.get("job title"))[:200],
            notes=row.get("notes"),
            location=clean_name(location)[:200],
            source="outlook",
        )
        record.tags = [
            clean_name(t)[:60]
            for t in row.get("categories").split(";")
            if clean_name(t) and not is_system_group(t)
        ]
        emails = [
            (row.get(column), "", row.place(column))
            for column, kind in _EMAILS
            if row.get(column) and row.get(kind).upper() != "EX"
        ]
        add_details(
            record,
            problems,
            emails=emails,
            phones=[
                (row.get(column), label, row.place(column))
                for column, label in _PHONES
                if row.get(column)
            ],
            links=[
                (row.get(c), row.place(c)) for c in ("web page", "personal web page") if row.get(c)
            ],
        )
        bday = row.get("birthday")
        if bday and bday not in ("0/0/00", "0/0/0000", "00/00/0000", "1/1/1601"):
            parsed = birthday(bday)
            if parsed is None:
                problems.append(Problem(row.place("birthday"), bday, "not a date; left out"))
            else:
                record.birthday_year, record.birthday_month, record.birthday_day = parsed
        if not name_from_details(record, problems):
            if not record.organisation:
                result.skipped.append(
                    Skipped(row.where, "no name, email, phone or link: nothing to keep", False)
                )
            continue
        yield record
