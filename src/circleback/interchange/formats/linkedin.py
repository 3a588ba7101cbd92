"""LinkedIn's Connections.csv, every era.

Today's export starts with a `Notes:` preamble, then
`First Name,Last Name,URL,Email Address,Company,Position,Connected On`; older ones have no URL
column and no preamble; a file re-saved by a spreadsheet adds a BOM, CRLF, `Notes:,,,,,,`
padding and dates like `4-Apr-21`. Columns are found by name, never by position. Rows of
profiles their owners hid carry only the date: they are skipped with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError

from circleback.interchange.formats._common import (
    Row,
    clean_name,
    csv_rows,
    decode,
    email_or_error,
    first_records,
    header_key,
    most_records,
    parse_date,
    url_or_error,
)
from circleback.interchange.records import (
    InterchangeError,
    ParseResult,
    PersonRecord,
    Skipped,
)

NAME = "linkedin"
EXPECTED = (
    "LinkedIn's Connections.csv (a header with First Name, Last Name, Company, Position, "
    "Connected On)"
)


# Each field's column, by the names LinkedIn has given it over the years.
_COLUMNS = {
    "given": ("first name",),
    "family": ("last name",),
    "url": ("url", "profile url"),
    "email": ("email address", "email"),
    "company": ("company",),
    "position": ("position",),
    "connected": ("connected on",),
}


def header_line(text: str) -> int | None:
    """Which record is the header, or None if this is not a Connections.csv."""
    for number, values in enumerate(first_records(text)):
        keys = {header_key(v) for v in values}
        if {"first name", "last name", "connected on"} <= keys:
            return number
    return None


def sniff(text: str) -> bool:
    return header_line(text) is not None


def parse(data: bytes) -> ParseResult:
    return stream(data).drain()


def stream(data: bytes) -> ParseResult:
    """The file's people to be read as they are asked for (ParseResult.pending). A file that
    is not a Connections.csv is refused here, before any is read."""
    text = decode(data, EXPECTED)
    header = header_line(text)
    if header is None:
        raise InterchangeError(f"This is not a LinkedIn connections file; expected {EXPECTED}.")
    result = ParseResult()
    result.pending = _people(text, header, result)
    result.expected = most_records(text, header)
    return result


def _people(text: str, header: int, result: ParseResult) -> Iterator[PersonRecord]:
    dates: dict[str, dt.date] = {}  # an export has a few thousand distinct dates
    pick: dict[str, Callable[[Row], str]] = {}
    for row in csv_rows(text, header):
        if not pick:
            pick = {key: row.picker(*names) for key, names in _COLUMNS.items()}
        if row.blank():
            continue
        where = f"line {row.line}"
        given, family = clean_name(pick["given"](row)), clean_name(pick["family"](row))
        url, email = pick["url"](row), pick["email"](row)
        connected = pick["connected"](row)
        if not (given or family):
            if url or email or pick["company"](row) or pick["position"](row):
                result.skipped.append(Skipped(where, "no name on this row"))
            else:
                result.skipped.append(
                    Skipped(where, "a hidden profile: LinkedIn exported only the date", False)
                )
            continue
        record = PersonRecord(
            where=where,
            given_name=given[:100],
            family_name=family[:100],
            full_name=f"{given} {family}"[:200] if given and family else (given or family)[:200],
            organisation=clean_name(pick["company"](row))[:200],
            title=clean_name(pick["position"](row))[:200],
            source="linkedin",
        )
        try:
            if email:
                record.emails.append(email_or_error(email))
            if url:
                record.links.append(url_or_error(url))
        except ValidationError as exc:
            result.skipped.append(Skipped(where, " ".join(exc.messages)))
            continue
        if connected:
            met_on = dates.get(connected)
            if met_on is None:
                try:
                    met_on = dates[connected] = parse_date(connected)
                except ValueError:
                    result.skipped.append(
                        Skipped(where, f"{connected!r} is not a date (Connected On)")
                    )
                    continue
            record.met_on = met_on
        yield record
