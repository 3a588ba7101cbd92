"""LinkedIn's Connections.csv, every era.

Today's export starts with a `Notes:` preamble, then
`First Name,Last Name,URL,Email Address,Company,Position,Connected On`; older ones have no URL
column and no preamble; a file re-saved by a spreadsheet adds a BOM, CRLF, `Notes:,,,,,,`
padding and dates like `4-Apr-21`. Columns are found by name, never by position. Rows of
profiles their owners hid carry only the date: they are skipped with a reason. 2018's export
writes `Connected On` as `1/8/18, 6:14 PM` and may hold `urn:li:member:…` in Email Address.
A bad value (an email that isn't one, a date that isn't one) costs that value, reported with
its row and column; a row with no name but an address or profile is named after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.core.exceptions import ValidationError

from circleback.interchange.formats._common import (
    clean_name,
    csv_rows,
    decode,
    email_or_error,
    first_records,
    header_key,
    most_records,
    name_from_details,
    parse_date,
    take_email,
    take_link,
    url_or_error,
)
from circleback.interchange.records import (
    InterchangeError,
    ParseResult,
    PersonRecord,
    Problem,
    Skipped,
)

NAME = "linkedin"
EXPECTED = (
    "LinkedIn's Connections.csv (a header with First Name, Last Name, Company, Position, "
    "Connected On)"
)


# Each field's column, by the names LinkedIn has given it over the years (in this order).
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
    dates: dict[str, dt.date | None] = {}  # an export has a few thousand distinct dates
    positions: list[int] = []
    problems = result.problems
    for row in csv_rows(text, header):
        if not positions:
            # Each field's column: the first of its names the header has (-1: none).
            positions = [
                next((row.index[n] for n in names if n in row.index), -1)
                for names in _COLUMNS.values()
            ]
            width = max(positions) + 1
        values = row.values
        if len(values) >= width:
            fields = [values[p].strip() if p >= 0 else "" for p in positions]
        else:
            fields = [values[p].strip() if 0 <= p < len(values) else "" for p in positions]
        given, family, url, email, company, position, connected = fields
        if not any(fields) and row.blank():
            continue
        given, family = clean_name(given), clean_name(family)
        record = PersonRecord(
            where=row.where,
            given_name=given[:100],
            family_name=family[:100],
            full_name=f"{given} {family}"[:200] if given and family else (given or family)[:200],
            organisation=clean_name(company)[:200],
            title=clean_name(position)[:200],
            source="linkedin",
        )
        if email and not email.startswith("urn:li:"):
            # 2018's exports put a member id ("urn:li:member:664293716") where the member
            # shared no address: nothing to keep, nothing wrong.
            try:
                record.emails.append(email_or_error(email))
            except ValidationError:
                take_email(record, email, "", row.place(*_COLUMNS["email"]), problems, {})
        if url:
            try:
                record.links.append(url_or_error(url))
            except ValidationError:
                take_link(record, url, row.place(*_COLUMNS["url"]), problems, {})
        if not (given or family):
            if not (record.emails or record.links):
                result.skipped.append(
                    Skipped(row.where, "a hidden profile: LinkedIn exported only the date", False)
                )
                continue
            name_from_details(record, problems)
        if connected:
            if connected in dates:
                met_on = dates[connected]
            else:
                try:
                    met_on = dates[connected] = parse_date(connected)
                except ValueError:
                    met_on = dates[connected] = None
            if met_on is None:
                problems.append(
                    Problem(
                        row.place(*_COLUMNS["connected"]),
                        connected,
                        "not a date; left out",
                    )
                )
            record.met_on = met_on
            if met_on is not None:
                # Connecting is the last contact the file records: the keep-in-touch clock
                # starts there, not at the import (or 200 connections from 2012 on would all
                # look freshly touched, and Today would have no one to reconnect with).
                record.last_contact_at = dt.datetime.combine(met_on, dt.time(12), tzinfo=dt.UTC)
        yield record
