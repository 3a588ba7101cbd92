"""What the format modules share: decoding bytes, reading CSV by column name, dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence

from circleback.interchange.records import InterchangeError, PersonRecord

# One CSV field may legitimately be long (a note, a message); anything past this is not a CSV.
csv.field_size_limit(10 * 1024 * 1024)


def decode(data: bytes, what: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Binary data (NUL bytes in an 8-bit file) is refused with a message naming `what`.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InterchangeError(f"This file is not readable text; expected {what}.") from None
    if b"\x00" in data[:4096]:
        raise InterchangeError(f"This looks like a binary file; expected {what}.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save CSV in the ANSI code page; cp1252 keeps "é" an "é".
        return data.decode("cp1252", errors="replace")


def header_key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().strip('"').lower().split())


class Row:
    """A CSV row read by column name (case- and space-insensitive); `line` is 1-based."""

    __slots__ = ("index", "line", "values")

    def __init__(self, values: Sequence[str], index: dict[str, int], line: int) -> None:
        self.values = values
        self.index = index
        self.line = line

    def get(self, *names: str) -> str:
        for name in names:
            position = self.index.get(name)
            if position is not None and position < len(self.values):
                value = self.values[position].strip()
                if value:
                    return value
        return ""

    def blank(self) -> bool:
        return not any(v.strip() for v in self.values)

    def picker(self, *names: str) -> Callable[[Row], str]:
        """A faster `get(*names)` for every row of this file (they share the header)."""
        positions = [self.index[name] for name in names if name in self.index]
        if not positions:
            return lambda row: ""
        if len(positions) == 1:
            (position,) = positions

            def pick(row: Row) -> str:
                values = row.values
                return values[position].strip() if position < len(values) else ""

            return pick
        return lambda row: row.get(*names)


def csv_rows(text: str, header_at: int) -> Iterator[Row]:
    """Rows after the header (the `header_at`-th physical record, 0-based), by column name."""
    reader = csv.reader(io.StringIO(text, newline=""))
    index: dict[str, int] = {}
    try:
        for number, values in enumerate(reader):
            if number < header_at:
                continue
            if number == header_at:
                for position, name in enumerate(values):
                    index.setdefault(header_key(name), position)
                continue
            yield Row(values, index, reader.line_num)
    except csv.Error as exc:
        raise InterchangeError(
            f"The CSV breaks off near line {reader.line_num} ({exc}); "
            "expected a complete comma-separated file."
        ) from None


def most_records(text: str, header_at: int) -> int:
    """At most how many records follow the header: one a line (a quoted value may span lines;
    an old Mac file ends its lines with CR alone)."""
    return max(0, max(text.count("\n"), text.count("\r")) - header_at)


def first_records(text: str, limit: int = 12) -> list[list[str]]:
    """The first physical CSV records, to find the header among a preamble."""
    reader = csv.reader(io.StringIO(text[:65536], newline=""))
    records: list[list[str]] = []
    try:
        for values in reader:
            records.append(values)
            if len(records) >= limit:
                break
    except csv.Error:
        pass
    return records


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_DAY_MON_YEAR = re.compile(r"^(\d{1,2})[\s\-/.]+([A-Za-z]{3})[A-Za-z]*\.?[\s\-/.,]+(\d{2,4})$")
_MON_DAY_YEAR = re.compile(r"^([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,4})[/\-.](\d{1,2})[/\-.](\d{1,4})$")


def _year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:
        year += 2000 if year < 70 else 1900
    return year


def parse_date(value: str) -> dt.date:
    """The dates LinkedIn and spreadsheets write: "05 Mar 2024", "4-Apr-21", "2024-03-05",
    "Mar 5, 2024", "3/5/24" (month first, as US spreadsheets do). ValueError otherwise."""
    text = value.strip()
    match = _DAY_MON_YEAR.match(text)
    if match and match.group(2).lower() in _MONTHS:
        return dt.date(_year(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
    match = _MON_DAY_YEAR.match(text)
    if match and match.group(1).lower() in _MONTHS:
        return dt.date(int(match.group(3)), _MONTHS[match.group(1).lower()], int(match.group(2)))
    match = _NUMERIC.match(text)
    if match:
        a, b, c = match.groups()
        if len(a) == 4:
            return dt.date(int(a), int(b), int(c))
        return dt.date(_year(c), int(a), int(b))
    raise ValueError(f"{value!r} is not a date")


def parse_datetime(value: str) -> dt.datetime:
    """An aware UTC datetime from "2024-03-05 14:22:10 UTC", ISO 8601, or "1/15/24, 10:42 AM"."""
    text = value.strip()
    if text.endswith(" UTC"):
        text = text[:-4] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        for pattern in ("%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%y %I:%M %p"):
            try:
                parsed = dt.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if parsed is None:
        parsed = dt.datetime.combine(parse_date(text), dt.time(12))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def split_multi(value: str, separator: str = " ::: ") -> list[str]:
    return [part.strip() for part in value.split(separator) if part.strip()]


def clean_name(value: str) -> str:
    return " ".join(value.split())


def add_details(
    record: PersonRecord,
    emails: Sequence[tuple[str, str]] = (),
    phones: Sequence[tuple[str, str]] = (),
    links: Sequence[str] = (),
) -> str:
    """Validate and add (value, label) emails and phones and links; "" or why the record is
    broken. Non-web links (an app's own scheme) are dropped: they mean nothing elsewhere."""
    from django.core.exceptions import ValidationError

    from circleback.people.contact import clean_phone

    try:
        for value, label in emails:
            address = email_or_error(value)
            record.emails.append(address)
            if label:
                record.labels[address] = label[:40]
        for value, label in phones:
            number = clean_phone(value)
            record.phones.append(number)
            if label:
                record.labels[number] = label[:40]
    except ValidationError as exc:
        return " ".join(exc.messages)
    for value in links:
        try:
            if len(value) <= 500:
                record.links.append(url_or_error(value))
        except ValidationError:
            continue
    return ""


def birthday(value: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) from "1985-04-15", "--04-15", "4/15/1985"; None if empty
    or Outlook's "0/0/00" placeholder."""
    text = value.strip()
    match = re.match(r"^--(\d{1,2})-(\d{1,2})$", text)
    try:
        if match:
            month, day = int(match.group(1)), int(match.group(2))
            dt.date(2000, month, day)
            return None, month, day
        parsed = parse_date(text)
    except ValueError:
        return None
    return parsed.year, parsed.month, parsed.day


# Fast paths for the common, plainly valid shapes; anything else goes through the project's
# validators. Django's URLValidator costs ~100 µs a call — 3 s on a 30,000-row export.
# Each accepts only what Django's validator accepts: a dot-atom local part (no leading,
# trailing or doubled dots), ASCII host names of at most 253 characters, and a path of
# anything but whitespace (profile URLs carry names like /in/chloé-ström).
_PLAIN_EMAIL = re.compile(
    r"(?=[^@]{1,64}@)[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\Z"
)
_PLAIN_URL = re.compile(
    r"https?://(?=[^/]{1,253}(?:/|\Z))"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
    r"(?:/\S*)?\Z"
)


def email_or_error(value: str) -> str:
    value = value.strip()
    if len(value) <= 320 and _PLAIN_EMAIL.match(value):
        return value
    from circleback.people.contact import clean_email

    return clean_email(value)


def url_or_error(value: str) -> str:
    value = value.strip()
    if _PLAIN_URL.match(value) and len(value) <= 500:
        return value
    from circleback.people.contact import clean_url

    return clean_url(value)
