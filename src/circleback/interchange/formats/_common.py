"""What the format modules share: decoding bytes, reading CSV by column name, dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence

from circleback.interchange.records import InterchangeError, PersonRecord, Problem

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


# Groups Google, Android and Outlook give every contact: they say nothing about anyone.
SYSTEM_GROUPS = frozenset(
    {
        "my contacts",
        "mycontacts",
        "starred",
        "starred in android",
        "favorites",
        "friends & family",
        "system group: my contacts",
        "system group: friends",
        "system group: family",
        "system group: coworkers",
        "all contacts",
        "other contacts",
    }
)


def is_system_group(name: str) -> bool:
    key = " ".join(name.strip().lstrip("*").lower().split())
    return name.strip().startswith("*") or key in SYSTEM_GROUPS


def header_key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().strip('"').lower().split())


class Row:
    """A CSV row read by column name (case- and space-insensitive). `line` is the file's line
    where the row ends; `number` the row a spreadsheet shows it on (the header's is 1, or
    more after a preamble), which is what a report names."""

    __slots__ = ("index", "line", "names", "number", "values")

    def __init__(
        self,
        values: Sequence[str],
        index: dict[str, int],
        line: int,
        number: int = 0,
        names: Sequence[str] = (),
    ) -> None:
        self.values = values
        self.index = index
        self.line = line
        self.number = number or line
        self.names = names

    @property
    def where(self) -> str:
        return f"row {self.number}"

    def place(self, *keys: str) -> str:
        """ "row 12, Mobile Phone": the first of these columns the file has, as it names it."""
        for key in keys:
            position = self.index.get(key)
            if position is not None and position < len(self.names):
                return f"row {self.number}, {self.names[position].strip() or key}"
        return f"row {self.number}"

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
    names: list[str] = []
    try:
        for number, values in enumerate(reader):
            if number < header_at:
                continue
            if number == header_at:
                names = [name.replace("\ufeff", "").strip().strip('"') for name in values]
                for position, name in enumerate(values):
                    index.setdefault(header_key(name), position)
                continue
            yield Row(values, index, reader.line_num, number + 1, names)
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
# LinkedIn's 2018 exports write a time after the date: "1/8/18, 6:14 PM".
_AT_TIME = re.compile(r",?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?\Z")
_NUMERIC = re.compile(r"^(\d{1,4})[/\-.](\d{1,2})[/\-.](\d{1,4})$")


def _year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:
        year += 2000 if year < 70 else 1900
    return year


def parse_date(value: str) -> dt.date:
    """The dates LinkedIn and spreadsheets write: "05 Mar 2024", "4-Apr-21", "2024-03-05",
    "Mar 5, 2024", "3/5/24" (month first, as US spreadsheets do). ValueError otherwise."""
    text = _AT_TIME.sub("", value.strip())
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
    problems: list[Problem],
    emails: Sequence[tuple[str, str, str]] = (),
    phones: Sequence[tuple[str, str, str]] = (),
    links: Sequence[tuple[str, str]] = (),
) -> None:
    """Add (value, label, place) emails and phones and (value, place) links to a record.

    A bad value costs that value, not the record: an odd phone number is kept as written in
    the notes, an address-like email too; a value that is no detail at all (a label where a
    number belongs, "N/A") is left out. Each is reported in `problems` with its place. At
    most MAX_DETAILS of each kind are kept; the rest are reported as one problem.
    """
    over: dict[str, int] = {}
    for value, label, place in emails:
        take_email(record, value, label, place, problems, over)
    for value, label, place in phones:
        take_phone(record, value, label, place, problems, over)
    for value, place in links:
        take_link(record, value, place, problems, over)
    report_overflow(record, over, problems)


def take_email(
    record: PersonRecord,
    value: str,
    label: str,
    place: str,
    problems: list[Problem],
    over: dict[str, int],
) -> None:
    from django.core.exceptions import ValidationError

    from circleback.people.contact import MAX_DETAILS

    value = value.strip()
    if value[:7].lower() == "mailto:":
        value = value[7:].strip()
    if not value:
        return
    try:
        address = email_or_error(value)
    except ValidationError:
        if "@" in value and len(value) <= 320:
            keep_in_notes(record, f"Email{_labelled(label)}", value)
            problems.append(Problem(place, value, "not an email address; kept in the notes"))
        else:
            problems.append(Problem(place, value[:200], "not an email address; left out"))
        return
    if address in record.emails:
        return
    if len(record.emails) >= MAX_DETAILS:
        over["email addresses"] = over.get("email addresses", 0) + 1
        return
    record.emails.append(address)
    if label:
        record.labels[address] = label[:40]


def take_phone(
    record: PersonRecord,
    value: str,
    label: str,
    place: str,
    problems: list[Problem],
    over: dict[str, int],
) -> None:
    from django.core.exceptions import ValidationError

    from circleback.people.contact import MAX_DETAILS, clean_phone

    value = value.strip()
    if value[:4].lower() == "tel:":
        value = value[4:].strip()
    if not value:
        return
    digits = sum(c.isdigit() for c in value)
    if not digits:
        # "Handy", "Mobile Phone", "BusinessPhone": a label where the number belongs.
        problems.append(Problem(place, value[:200], "not a phone number (no digits); left out"))
        return
    try:
        value = clean_phone(value)
    except ValidationError:
        keep_in_notes(record, f"Phone{_labelled(label)}, as written", value[:200])
        problems.append(Problem(place, value[:200], "not a phone number; kept in the notes"))
        return
    if value in record.phones:
        return
    if len(record.phones) >= MAX_DETAILS:
        over["phone numbers"] = over.get("phone numbers", 0) + 1
        return
    record.phones.append(value)
    if label:
        record.labels[value] = label[:40]


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!//)|^(?!https?://)[A-Za-z][A-Za-z0-9+.-]*://")


def take_link(
    record: PersonRecord, value: str, place: str, problems: list[Problem], over: dict[str, int]
) -> None:
    from django.core.exceptions import ValidationError

    from circleback.people.contact import MAX_DETAILS

    value = value.strip()
    if not value:
        return
    if _SCHEME.match(value) and not value.lower().startswith(("http:", "https:")):
        return  # an app's own link (x-apple:, skype:): it means nothing elsewhere
    try:
        if len(value) > 500:
            raise ValidationError("too long")
        url = url_or_error(value)
    except ValidationError:
        problems.append(Problem(place, value[:200], "not a web address; left out"))
        return
    if url in record.links:
        return
    if len(record.links) >= MAX_DETAILS:
        over["links"] = over.get("links", 0) + 1
        return
    record.links.append(url)


def report_overflow(record: PersonRecord, over: dict[str, int], problems: list[Problem]) -> None:
    from circleback.people.contact import MAX_DETAILS

    for kind, count in over.items():
        problems.append(
            Problem(
                record.where,
                f"{count:,} more",
                f"more {kind} than one person holds ({MAX_DETAILS}); the rest left out",
            )
        )


def _labelled(label: str) -> str:
    return f" ({label})" if label else ""


def keep_in_notes(record: PersonRecord, label: str, value: str) -> None:
    line = f"{label}: {value}"
    if line not in record.notes:
        record.notes = "\n".join(filter(None, [record.notes.rstrip(), line]))


def name_from_details(record: PersonRecord, problems: list[Problem]) -> bool:
    """Give a record without a name one from its email, phone or link (flagged in the
    report and the notes, for the user to fix); False if it has none of them."""
    if record.full_name or record.given_name or record.family_name:
        return True
    for kind, values in (
        ("email address", record.emails),
        ("phone number", record.phones),
        ("link", record.links),
    ):
        if values:
            value = values[0]
            if kind == "link":
                value = re.sub(r"^https?://(www\.)?", "", value).rstrip("/")
            record.full_name = value[:200]
            keep_in_notes(record, "Named by the import", f"the file gave no name, only this {kind}")
            problems.append(
                Problem(record.where, value[:200], f"no name; named after their {kind} — fix it")
            )
            return True
    return False


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
