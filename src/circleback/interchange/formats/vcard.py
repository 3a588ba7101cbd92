"""vCard 2.1, 3.0 and 4.0 as real programs write them, and vCard 4.0 / 3.0 out.

Written by hand rather than with vobject: real files need quoted-printable soft line breaks
with CHARSET (Outlook, Android), bare type parameters (`TEL;WORK;VOICE:`), Apple's `itemN.`
groups with `X-ABLabel`, folded base64 photos, `--0415` birthdays and `X-APPLE-OMIT-YEAR`, group
cards that become tags and company cards that become organisations — and a parser that must
never raise anything but InterchangeError whatever the bytes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import quopri
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from circleback.interchange.formats._common import (
    clean_name,
    decode,
    is_system_group,
    name_from_details,
    report_overflow,
    take_email,
    take_link,
    take_phone,
)
from circleback.interchange.records import (
    InterchangeError,
    OrganisationRecord,
    ParseResult,
    PersonRecord,
    Problem,
    Skipped,
)
from circleback.people.contact import MAX_DETAILS, MAX_PHOTO_BYTES, image_type

NAME = "vcard"
EXPECTED = "a vCard file (cards from BEGIN:VCARD to END:VCARD)"

_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_TYPE_WORDS = {"work", "home", "cell", "mobile", "fax", "pager", "main", "iphone", "other"}


def sniff(text: str) -> bool:
    return text.lstrip()[:200].upper().startswith("BEGIN:VCARD")


@dataclass
class Prop:
    group: str
    name: str
    params: dict[str, list[str]]
    value: str
    line: int

    def types(self) -> list[str]:
        return [t.lower() for t in self.params.get("TYPE", [])]

    def preferred(self) -> bool:
        return "pref" in self.types() or "PREF" in self.params


@dataclass
class Card:
    number: int
    line: int
    props: list[Prop] = field(default_factory=list)
    cut_off: bool = False  # the file ends, or the next card begins, before its END:VCARD

    def first(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)

    def all(self, name: str) -> list[Prop]:
        return [p for p in self.props if p.name == name]


# --- reading ---------------------------------------------------------------------------------


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfolded lines with the number of their first physical line.

    Any mix of CR, LF, CR LF and CR CR LF (iPhone exports) ends a line — once. Folding (a
    line starting with a space or tab continues the previous one), vCard 2.1's
    quoted-printable soft breaks (a QP value ending in "=" continues on the next line) and
    its unindented base64 lines are joined.
    """
    text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    current: str | None = None
    start = 0
    base64 = False
    for number, raw in enumerate(text.split("\n"), start=1):
        if current is not None and current.endswith("=") and _is_quoted_printable(current):
            current = current[:-1] + raw.lstrip()
            continue
        if current is not None and raw[:1] in (" ", "\t"):
            current += raw[1:]
            continue
        if base64 and current is not None and _BASE64_LINE.match(raw):
            current += raw
            continue
        if current is not None:
            yield start, current
        current, start = raw, number
        base64 = _is_base64(raw)
    if current is not None:
        yield start, current


_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


def _is_base64(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return "BASE64" in head or "ENCODING=B" in head


def _is_quoted_printable(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    if '"' not in text:
        return text.split(separator)
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _parse_line(line: str, number: int) -> Prop | None:
    if ":" not in line:
        return None
    colon = line.index(":")
    head = line[:colon]
    if '"' in head:  # a quoted parameter value may hold a colon
        head = _split_outside_quotes(line, ":")[0]
    value = line[len(head) + 1 :]
    pieces = _split_outside_quotes(head, ";")
    name = pieces[0].strip()
    group = ""
    if "." in name:
        group, name = name.rsplit(".", 1)
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        if not piece.strip():
            continue
        if "=" in piece:
            key, raw = piece.split("=", 1)
            key = key.strip().upper()
            values = [v.strip().strip('"') for v in _split_outside_quotes(raw, ",")]
        else:
            # vCard 2.1's bare parameters: TEL;WORK;VOICE, PHOTO;JPEG, NOTE;QUOTED-PRINTABLE.
            bare = piece.strip().strip('"')
            upper = bare.upper()
            if upper in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"):
                key, values = "ENCODING", [bare]
            else:
                key, values = "TYPE", [bare]
        params.setdefault(key, []).extend(v for v in values if v)
    return Prop(group.upper(), name.upper(), params, value, number)


def _decode_value(prop: Prop) -> str:
    """The text of a property: quoted-printable and charsets undone, escapes kept for later."""
    encoding = " ".join(prop.params.get("ENCODING", [])).upper()
    charset = (prop.params.get("CHARSET") or ["utf-8"])[0]
    if "QUOTED-PRINTABLE" in encoding:
        raw = quopri.decodestring(prop.value.encode("latin-1", errors="replace"))
        # "=0D=0A" is one line break; a lone "=0D" one too, never a stray CR.
        return _bytes_to_text(raw, charset).replace("\r\n", "\n").replace("\r", "\n")
    return prop.value


def _bytes_to_text(raw: bytes, charset: str) -> str:
    try:
        return raw.decode(charset)
    except (LookupError, UnicodeDecodeError):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("cp1252", errors="replace")


def _unescape(text: str) -> str:
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            nxt = next(chars, "")
            out.append("\n" if nxt in ("n", "N") else nxt)
        else:
            out.append(char)
    return "".join(out)


def _components(text: str, separator: str = ";") -> list[str]:
    """Split a structured value on unescaped separators, then unescape each part."""
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append(_unescape("".join(current)))
            current = []
        else:
            current.append(char)
    parts.append(_unescape("".join(current)))
    return parts


def _cards(text: str) -> Iterator[Card]:
    card: Card | None = None
    depth = 0
    count = 0
    for number, line in _logical_lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            if card is not None:
                agent = card.props and card.props[-1].name == "AGENT" and not card.props[-1].value
                if agent or depth:
                    # vCard 2.1's AGENT embeds a card; its lines are not this person's.
                    depth += 1
                    continue
                card.cut_off = True  # no END:VCARD before the next card: broken
                yield card
            count += 1
            card = Card(count, number)
            continue
        if upper == "END:VCARD":
            if depth:
                depth -= 1
                continue
            if card is None:
                raise InterchangeError(
                    f"Line {number} ends a card that never began; expected {EXPECTED}."
                )
            yield card
            card = None
            continue
        if card is None or depth:
            if card is None and count == 0:
                raise InterchangeError(f"Line {number} is not part of a card; expected {EXPECTED}.")
            continue
        prop = _parse_line(line, number)
        if prop is not None:
            card.props.append(prop)
    if card is not None:
        card.cut_off = True
        yield card


def _photo(prop: Prop) -> tuple[bytes, str] | None:
    value = prop.value.strip()
    try:
        if value.lower().startswith("data:"):
            meta, _, payload = value[5:].partition(",")
            if ";base64" not in meta.lower():
                return None
            raw = base64.b64decode(payload + "=" * (-len(payload) % 4))
        else:
            encoding = " ".join(prop.params.get("ENCODING", [])).upper()
            if encoding not in ("B", "BASE64"):
                return None  # a URL: we never fetch anything from the network
            compact = "".join(value.split())
            raw = base64.b64decode(compact + "=" * (-len(compact) % 4))
    except (binascii.Error, ValueError):
        return None
    kind = image_type(raw)
    if not kind or len(raw) > MAX_PHOTO_BYTES:
        return None
    return raw, kind


def _birthday(prop: Prop) -> tuple[int | None, int, int] | None:
    text = _decode_value(prop).strip()
    omit = (prop.params.get("X-APPLE-OMIT-YEAR") or [""])[0]
    match = re.match(r"^--(\d{2})-?(\d{2})", text)
    if match:
        year: int | None = None
        month, day = int(match.group(1)), int(match.group(2))
    else:
        match = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})", text)
        if not match:
            return None
        year, month, day = (int(g) for g in match.groups())
        if omit and omit == match.group(1):
            year = None
    try:
        dt.date(year or 2000, month, day)
    except ValueError:
        return None
    return year, month, day


_REV = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})"
    r"(?:T(\d{2}):?(\d{2})(?::?(\d{2}))?(?:[.,]\d+)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


def _revised(value: str) -> dt.datetime | None:
    """A card's REV ("20180115T101500Z", "2012-03-05T13:32:54Z", "2019-06-02") as an aware
    datetime in UTC; a date alone means midday; None when it is no date."""
    found = _REV.match(value.strip())
    if not found:
        return None
    year, month, day, hour, minute, second, zone = found.groups()
    offset = dt.timedelta()
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    try:
        when = dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour) if hour else 12,
            int(minute or 0),
            int(second or 0),
            tzinfo=dt.UTC,
        )
    except ValueError:
        return None
    return when - offset


def _group_labels(card: Card) -> dict[str, str]:
    """Apple's `itemN.X-ABLabel` labels by group, read once per card."""
    labels: dict[str, str] = {}
    for prop in card.props:
        if prop.group and prop.name == "X-ABLABEL" and prop.group not in labels:
            text = _decode_value(prop).strip()
            match = _APPLE_LABEL.match(text)
            labels[prop.group] = (match.group(1) if match else text)[:40]
    return labels


def _label(labels: dict[str, str], prop: Prop) -> str:
    if prop.group and prop.group in labels:
        return labels[prop.group]
    for kind in prop.types():
        if kind in _TYPE_WORDS:
            return "mobile" if kind in ("cell", "iphone") else kind
    return ""


def _ordered(props: list[Prop]) -> list[Prop]:
    return sorted(props, key=lambda p: not p.preferred())


def _text(prop: Prop) -> str:
    return _unescape(_decode_value(prop)).strip()


def _primary(card: Card, name: str) -> tuple[Prop | None, list[Prop]]:
    """The property to use, and the alternates vCard 4.0 gives of it in other languages or
    scripts (the same ALTID): `FN;ALTID=1;LANGUAGE=ja:…`."""
    props = card.all(name)
    if not props:
        return None, []
    first = props[0]
    altid = (first.params.get("ALTID") or [""])[0]
    if not altid:
        return first, []
    alternates = [p for p in props[1:] if (p.params.get("ALTID") or [""])[0] == altid]
    return first, alternates


def _alternates_note(label: str, alternates: list[Prop], value: Callable[[Prop], str]) -> str:
    parts = []
    for prop in alternates:
        text = value(prop)
        language = (prop.params.get("LANGUAGE") or [""])[0]
        if text:
            parts.append(f"{text} ({language})" if language else text)
    return f"{label} also written: " + "; ".join(parts) if parts else ""


def _given_and_more(component: str) -> list[str]:
    """A name component's comma list ("John,Richter,James"), each name unescaped."""
    return [clean_name(p) for p in _components(component, ",") if clean_name(p)]


def _card_to_record(
    card: Card, where: str, problems: list[Problem]
) -> tuple[PersonRecord | None, str]:
    """A person (or organisation) record, or None and why there is nothing to keep.

    A bad value costs that value: it is kept in the notes where it can be, and reported in
    `problems` as "card 5, EMAIL"."""
    record = PersonRecord(where=where, source="vcard")
    place = f"card {card.number}"
    labels = _group_labels(card)
    notes: list[str] = []
    fn, fn_alternates = _primary(card, "FN")
    record.full_name = clean_name(_text(fn))[:200] if fn else ""
    notes.append(_alternates_note("Name", fn_alternates, lambda p: clean_name(_text(p))))
    n, _n_alternates = _primary(card, "N")
    if n:
        # N:Family;Given;Additional;Prefix;Suffix — each a comma list (Outlook writes
        # "N:Doe;John,Richter,James": the given name John, then more given names).
        raw = [*_split_unescaped(_decode_value(n), ";"), "", "", ""]
        family = _given_and_more(raw[0])
        given = _given_and_more(raw[1])
        additional = given[1:] + _given_and_more(raw[2])
        record.family_name = " ".join(family)[:100]
        record.given_name = (given[0] if given else "")[:100]
        if not record.full_name:
            parts = [record.given_name, *additional, record.family_name]
            record.full_name = " ".join(p for p in parts if p)[:200]
    org, org_alternates = _primary(card, "ORG")
    if org:
        record.organisation = clean_name(_components(_decode_value(org))[0])[:200]
        notes.append(
            _alternates_note(
                "Organisation",
                org_alternates,
                lambda p: clean_name(_components(_decode_value(p))[0]),
            )
        )
    title, title_alternates = _primary(card, "TITLE")
    title = title or card.first("ROLE")
    if title:
        record.title = clean_name(_text(title))[:200]
        notes.append(_alternates_note("Title", title_alternates, lambda p: clean_name(_text(p))))
    over: dict[str, int] = {}
    emails = _ordered(card.all("EMAIL"))
    for index, prop in enumerate(emails):
        if len(record.emails) >= MAX_DETAILS:
            over["email addresses"] = len(emails) - index
            break
        take_email(record, _text(prop), _label(labels, prop), f"{place}, EMAIL", problems, over)
    phones = _ordered(card.all("TEL"))
    for index, prop in enumerate(phones):
        if len(record.phones) >= MAX_DETAILS:
            over["phone numbers"] = len(phones) - index
            break
        take_phone(record, _text(prop), _label(labels, prop), f"{place}, TEL", problems, over)
    links = _ordered(card.all("URL") + card.all("X-SOCIALPROFILE"))
    for index, prop in enumerate(links):
        if len(record.links) >= MAX_DETAILS:
            over["links"] = len(links) - index
            break
        take_link(record, _text(prop), f"{place}, {prop.name}", problems, over)
    record.labels = {k: v for k, v in record.labels.items() if v}
    notes += [_text(p) for p in card.all("NOTE")]
    for prop in card.all("X-ABRELATEDNAMES") + card.all("RELATED"):
        value = _text(prop)
        if value and not value.lower().startswith("urn:uuid:"):
            relation = _label(labels, prop) or ", ".join(prop.types()) or "related"
            notes.append(f"{relation.capitalize()}: {value}")
    if record.notes:  # values kept as written, above
        notes.append(record.notes)
    record.notes = "\n\n".join(n for n in notes if n)
    for prop in card.all("CATEGORIES"):
        record.tags.extend(
            clean_name(t)[:60]
            for t in _components(_decode_value(prop), ",")
            if t.strip() and not is_system_group(t)
        )
    adr = next(iter(_ordered(card.all("ADR"))), None)
    if adr:
        parts = [clean_name(p) for p in _components(_decode_value(adr))]
        record.location = ", ".join(p for i, p in enumerate(parts) if i in (3, 4, 6) and p)[:200]
    bday = card.first("BDAY")
    if bday:
        parsed = _birthday(bday)
        if parsed:
            record.birthday_year, record.birthday_month, record.birthday_day = parsed
        elif bday.value.strip():
            problems.append(
                Problem(f"{place}, BDAY", bday.value.strip()[:200], "not a date; left out")
            )
    revised = card.first("REV")
    if revised and revised.value.strip():
        when = _revised(revised.value)
        if when is None:
            problems.append(
                Problem(f"{place}, REV", revised.value.strip()[:200], "not a date; left out")
            )
        elif when <= dt.datetime.now(dt.UTC):
            # The last time the card was changed is the last the address book knows of them:
            # the keep-in-touch clock starts there, not at the import.
            record.last_contact_at = when
    photo = card.first("PHOTO")
    if photo:
        found = _photo(photo)
        if found:
            record.photo, record.photo_content_type = found
    listed = card.first("X-CIRCLEBACK-LIST")
    if listed and listed.value.strip().upper() in ("A", "B", "C"):
        record.contact_list = listed.value.strip().upper()
    kind = card.first("KIND") or card.first("X-ADDRESSBOOKSERVER-KIND")
    show_as = card.first("X-ABSHOWAS")
    record.is_organisation = bool(
        (kind and kind.value.strip().lower() == "org")
        or (show_as and show_as.value.strip().upper() == "COMPANY")
    )
    report_overflow(record, over, problems)
    if record.is_organisation:
        record.organisation = record.organisation or record.full_name
        if not record.organisation:
            return None, "a company card without a company name"
        return record, ""
    if not (record.full_name or record.given_name or record.family_name):
        if name_from_details(record, problems):
            return record, ""
        if record.organisation:
            record.is_organisation = True
            return record, ""
        return None, "no name, email, phone or link: nothing to keep"
    return record, ""


def _split_unescaped(text: str, separator: str) -> list[str]:
    """Split on separators not escaped by a backslash, leaving the escapes in place."""
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _uid(value: str) -> str:
    """A card's id as group cards name it: `urn:uuid:` and Apple's `:ABPerson` dropped."""
    text = value.strip().lower().removeprefix("urn:uuid:")
    return text.removesuffix(":abperson")


_DECLARED_CHARSET = re.compile(rb"CHARSET=\"?([A-Za-z0-9_:.-]+)", re.IGNORECASE)


def _file_text(data: bytes) -> str:
    """The file's text. A vCard not in UTF-8 is in the code page some property declares
    (`N;CHARSET=WINDOWS-1253:…`, Greek, or Windows-1251 Ukrainian — the rest of the file
    was written by the same program), else Windows-1252."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in data[:4096]:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        for match in _DECLARED_CHARSET.finditer(data):
            name = match.group(1).decode("ascii").lower()
            if name.replace("-", "").replace("_", "") in ("utf8", "usascii", "ascii"):
                continue
            try:
                return data.decode(name, errors="replace")
            except LookupError:
                continue
    return decode(data, EXPECTED)


def parse(data: bytes) -> ParseResult:
    text = _file_text(data)
    if not sniff(text):
        raise InterchangeError(f"This is not a vCard file; expected {EXPECTED}.")
    result = ParseResult()
    groups: list[tuple[str, list[str]]] = []
    by_uid: dict[str, PersonRecord] = {}
    for card in _cards(text):
        where = f"card {card.number} (line {card.line})"
        if card.cut_off:
            result.skipped.append(
                Skipped(
                    where,
                    "cut off: it has no END:VCARD. The file may be truncated; export it again",
                )
            )
            continue
        kind = card.first("KIND") or card.first("X-ADDRESSBOOKSERVER-KIND")
        if kind and kind.value.strip().lower() == "location":
            result.skipped.append(Skipped(where, "a place (KIND:location), not a person", False))
            continue
        if kind and kind.value.strip().lower() == "group":
            fn = card.first("FN")
            name = clean_name(_text(fn))[:60] if fn else ""
            members = [
                _uid(p.value) for p in card.all("MEMBER") + card.all("X-ADDRESSBOOKSERVER-MEMBER")
            ]
            if name and not is_system_group(name):
                groups.append((name, members))
            continue
        record, reason = _card_to_record(card, where, result.problems)
        if record is None:
            result.skipped.append(Skipped(where, reason, broken=False))
            continue
        if record.is_organisation:
            result.organisations.append(
                OrganisationRecord(name=record.organisation, notes=record.notes, where=where)
            )
            continue
        for prop in card.all("UID") + card.all("X-ABUID"):
            value = _uid(prop.value)
            if value:
                by_uid.setdefault(value, record)
        uid = card.first("UID")
        if uid:
            value = _uid(uid.value)
            if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", value):
                record.uuid = value
        result.people.append(record)
    for name, members in groups:
        for member in members:
            if member in by_uid and name not in by_uid[member].tags:
                by_uid[member].tags.append(name)
    return result


# --- writing ---------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continuation lines starting with a space (RFC 6350 3.2)."""
    if len(line) <= 75 and len(line.encode("utf-8")) <= 75:
        return line  # most lines: no character by character walk
    if line.isascii():  # a character is an octet: 75 of them, then 74 after each space
        rest = (line[start : start + 74] for start in range(75, len(line), 74))
        return "\r\n ".join([line[:75], *rest])
    out: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def write(records: Iterable[PersonRecord], version: str = "4.0") -> bytes:
    if version not in ("3.0", "4.0"):
        raise ValueError("vCard version must be 3.0 or 4.0")
    v4 = version == "4.0"
    lines: list[str] = []
    for record in records:
        card = ["BEGIN:VCARD", f"VERSION:{version}"]
        if record.uuid:
            card.append(f"UID:urn:uuid:{record.uuid}")
        card.append("FN:" + _escape(record.full_name))
        card.append(f"N:{_escape(record.family_name)};{_escape(record.given_name)};;;")
        if record.organisation:
            card.append("ORG:" + _escape(record.organisation))
        if record.title:
            card.append("TITLE:" + _escape(record.title))
        labels = record.labels
        for i, address in enumerate(record.emails):
            params = _type_params(labels.get(address, ""), i == 0, v4)
            card.append(f"EMAIL{params}:{_escape(address)}")
        for i, number in enumerate(record.phones):
            params = _type_params(labels.get(number, ""), i == 0, v4)
            card.append(f"TEL{params}:{_escape(number)}")
        for url in record.links:
            card.append("URL:" + _escape(url))
        if record.location:
            card.append(f"ADR:;;;{_escape(record.location)};;;")
        if record.birthday_month and record.birthday_day:
            month, day = record.birthday_month, record.birthday_day
            if record.birthday_year:
                card.append(f"BDAY:{record.birthday_year:04d}-{month:02d}-{day:02d}")
            elif v4:
                card.append(f"BDAY:--{month:02d}{day:02d}")
            else:
                card.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{month:02d}-{day:02d}")
        if record.tags:
            card.append("CATEGORIES:" + ",".join(_escape(t) for t in record.tags))
        if record.notes:
            card.append("NOTE:" + _escape(record.notes))
        if record.contact_list:
            card.append(f"X-CIRCLEBACK-LIST:{record.contact_list}")
        if record.photo and record.photo_content_type:
            payload = base64.b64encode(record.photo).decode("ascii")
            if v4:
                card.append(f"PHOTO:data:{record.photo_content_type};base64,{payload}")
            else:
                subtype = record.photo_content_type.split("/")[-1].upper()
                card.append(f"PHOTO;ENCODING=b;TYPE={subtype}:{payload}")
        card.append("END:VCARD")
        lines.extend(_fold(line) for line in card)
    return ("\r\n".join(lines) + ("\r\n" if lines else "")).encode("utf-8")


def _type_params(label: str, first: bool, v4: bool) -> str:
    types = []
    if label and re.fullmatch(r"[A-Za-z0-9-]{1,20}", label):
        types.append("cell" if label.lower() == "mobile" else label.lower())
    params = ""
    if types:
        params += ";TYPE=" + ",".join(types)
    if first:
        params += ";PREF=1" if v4 else (";TYPE=pref" if not types else ",pref")
    return params
