"""Google Contacts CSV, today's header (`First Name`, `Labels`, `E-mail 1 - Value` …) and the
older one (`Name`, `Given Name`, `Group Membership`, `Organization 1 - Name` …).

A cell may hold several values joined by ` ::: `. Labels become tags, except the system
labels Google and Android give everyone (`* myContacts`, `My Contacts`, `Starred in Android`).
"""

from __future__ import annotations

from collections.abc import Iterator

from circleback.interchange.formats._common import (
    Row,
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
    split_multi,
)
from circleback.interchange.records import (
    InterchangeError,
    ParseResult,
    PersonRecord,
    Problem,
    Skipped,
)

NAME = "google-csv"
EXPECTED = "a Google Contacts CSV (a header with Name or First Name and E-mail 1 - Value)"


def _is_header(keys: set[str]) -> bool:
    named = {"first name", "last name"} <= keys or {"given name", "family name"} <= keys
    return named and ("e-mail 1 - value" in keys or "group membership" in keys or "labels" in keys)


def sniff(text: str) -> bool:
    records = first_records(text, 1)
    return bool(records) and _is_header({header_key(v) for v in records[0]})


def _numbered(row: Row, kind: str) -> list[tuple[str, str, str]]:
    """("value", "label", place) from `<kind> N - Value` / `- Label` (or `- Type`) columns."""
    found: list[tuple[str, str, str]] = []
    for n in range(1, 11):
        column = f"{kind} {n} - value"
        value = row.get(column)
        if not value and column not in row.index:
            break
        label = row.get(f"{kind} {n} - label", f"{kind} {n} - type").lstrip("* ").lower()
        place = row.place(column)
        found.extend((part, label, place) for part in split_multi(value))
    return found


def parse(data: bytes) -> ParseResult:
    return stream(data).drain()


def stream(data: bytes) -> ParseResult:
    """The file's people to be read as they are asked for (ParseResult.pending). A file that
    is not a Google Contacts file is refused here, before any is read."""
    text = decode(data, EXPECTED)
    if not sniff(text):
        raise InterchangeError(f"This is not a Google Contacts file; expected {EXPECTED}.")
    result = ParseResult()
    result.pending = _people(text, result)
    result.expected = most_records(text, 0)
    return result


def _people(text: str, result: ParseResult) -> Iterator[PersonRecord]:
    problems = result.problems
    for row in csv_rows(text, 0):
        if row.blank():
            continue
        given = clean_name(
            " ".join(filter(None, [row.get("first name", "given name"), row.get("middle name")]))
        )
        family = clean_name(row.get("last name", "family name"))
        record = PersonRecord(
            where=row.where,
            given_name=given[:100],
            family_name=family[:100],
            full_name=clean_name(row.get("name") or " ".join(filter(None, [given, family])))[:200],
            organisation=clean_name(row.get("organization name", "organization 1 - name"))[:200],
            title=clean_name(row.get("organization title", "organization 1 - title"))[:200],
            notes=row.get("notes"),
            location=clean_name(row.get("location", "address 1 - city"))[:200],
            source="google",
        )
        labels = split_multi(row.get("labels", "group membership"))
        record.tags = [clean_name(t)[:60] for t in labels if not is_system_group(t)]
        add_details(
            record,
            problems,
            emails=_numbered(row, "e-mail"),
            phones=_numbered(row, "phone"),
            links=[(url, place) for url, _label, place in _numbered(row, "website")],
        )
        bday = row.get("birthday")
        if bday:
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
            continue  # a company entry with no person in it
        yield record
