"""Circleback's own backup: one owner's whole account as JSON, and back.

docs/backup.schema.json is the reference for the whole document. Version 2 adds to what
version 1 held (below) every other section an account has — settings, tags, pitches and
their practice, meetings, leads, shares, introductions, favours, standing offers,
permissions, loop steps, snoozes and pairs kept apart — each a list of rows named by uuid,
whose relations are the uuids of the rows they name. This module reads those only as
(where, object) pairs; circleback.backup checks and restores them.

Version 1's sections::

    {
      "format": "circleback-backup", "version": 1, "exported_at": "2026-11-20T10:00:00+00:00",
      "organizations": [{"uuid", "name", "domain", "industry", "location", "is_target",
                         "priority", "stage", "notes", "created_at"}],
      "people": [{"uuid", "given_name", "family_name", "full_name",
                  "emails": [{"address", "label"}], "phones": [{"number", "label"}],
                  "links": [{"url", "kind", "label"}], "organization" (a name or null),
                  "title", "list" ("A"|"B"|"C"), "tags": [names], "notes",
                  "introduced_by" (a person's uuid or null), "closeness" (1-5),
                  "cadence_days", "is_decision_maker", "location", "how_we_met",
                  "met_on" ("YYYY-MM-DD"), "birthday" ("YYYY-MM-DD" or "--MM-DD"), "source",
                  "created_at", "last_contact_at",
                  "photo": {"content_type", "data" (base64)} or null}],
      "ties": [{"uuid", "person_a", "person_b" (uuids), "kind", "strength", "notes",
                "created_at"}],
      "interactions": [{"uuid", "occurred_at", "kind", "direction", "summary", "notes",
                        "organization", "people": [uuids], "source", "external_key",
                        "created_at"}]
    }

Times are ISO 8601 in UTC. Parsing checks every value's type: a value that can't be read
costs that value (reported); a record that can't be is broken, named in words by what it
is and where it sits ('person 13 (“Ada Quill”)').
"""

from __future__ import annotations

import base64
import binascii
import collections
import contextlib
import datetime as dt
import io
import json
import operator
import re
import uuid as uuid_module
from collections.abc import Iterator
from functools import partial
from itertools import chain, takewhile
from typing import IO, Any

import ijson
from django.core.exceptions import ValidationError

from circleback.interchange.formats._common import decode
from circleback.interchange.records import (
    InteractionRecord,
    InterchangeError,
    OrganisationRecord,
    ParseResult,
    PersonRecord,
    Skipped,
    TieRecord,
)
from circleback.people.contact import (
    MAX_PHOTO_BYTES,
    clean_email,
    clean_phone,
    clean_url,
    image_type,
)

NAME = "json"
# ijson reads the file a megabyte at a time: its C parser copies a string value read so far
# each time a buffer ends inside it, so at its default 64 KB a 51 MB note took 8 s to read
# (0.6 s at a megabyte).
READ_BUFFER = 1 << 20
FORMAT = "circleback-backup"
VERSION = 2
# The sections of a version-2 backup beyond version 1's, in the order they are restored
# (each names only rows of the sections before it). Their records are read and checked by
# circleback.backup, which knows the models they become.
SECTIONS = (
    "tags",
    "pitches",
    "pitch_practices",
    "meetings",
    "leads",
    "shares",
    "introductions",
    "favours",
    "standing_offers",
    "name_permissions",
    "loop_steps",
    "openings",
    "applications",
    "stage_changes",
    "interviews",
    "application_people",
    "follow_ups",
    "snoozes",
    "kept_apart",
    "groups",
)
# What one record of each section is called, for messages a person reads.
NOUNS = {
    "organizations": "organisation",
    "people": "person",
    "ties": "tie",
    "interactions": "journal entry",
    "tags": "tag",
    "pitches": "pitch",
    "pitch_practices": "pitch practice",
    "meetings": "meeting",
    "leads": "lead",
    "shares": "share",
    "introductions": "introduction",
    "favours": "favour",
    "standing_offers": "standing offer",
    "name_permissions": "permission to use a name",
    "loop_steps": "loop step",
    "openings": "opening",
    "applications": "application",
    "stage_changes": "stage change",
    "interviews": "interview",
    "application_people": "person in an application",
    "follow_ups": "follow-up",
    "snoozes": "snooze",
    "kept_apart": "pair kept apart",
    "groups": "group",
}
PLURALS = {
    "settings": ("setting", "settings"),
    "tags": ("tag", "tags"),
    "pitches": ("pitch version", "pitch versions"),
    "pitch_practices": ("pitch practice", "pitch practices"),
    "meetings": ("meeting", "meetings"),
    "leads": ("lead", "leads"),
    "shares": ("share", "shares"),
    "introductions": ("introduction", "introductions"),
    "favours": ("favour", "favours"),
    "standing_offers": ("standing offer", "standing offers"),
    "name_permissions": ("permission to use a name", "permissions to use a name"),
    "loop_steps": ("loop step", "loop steps"),
    "openings": ("opening", "openings"),
    "applications": ("application", "applications"),
    "stage_changes": ("stage change", "stage changes"),
    "interviews": ("interview", "interviews"),
    "application_people": ("person in an application", "people in applications"),
    "follow_ups": ("follow-up", "follow-ups"),
    "snoozes": ("snooze", "snoozes"),
    "kept_apart": ("pair kept apart", "pairs kept apart"),
    "groups": ("opening in a group", "openings in groups"),
}


def restored_summary(restored: dict[str, int]) -> str:
    """'8 meetings, 7 leads, 50 loop steps…' for what a backup restored besides people and
    the journal; empty when it restored none (a version-1 backup, or all already there)."""
    parts = []
    for key, (one, many) in PLURALS.items():
        count = restored.get(key, 0)
        if count:
            parts.append(f"{count:,} {one if count == 1 else many}")
    return ", ".join(parts)


# The text field that best tells a person which record is meant.
_LABELS = ("full_name", "name", "summary", "title", "label", "offer", "about", "reason", "note")


def where(key: str, position: int, item: Any) -> str:
    """A record's place in words: 'person 209 ("Priya Patel")', not "people[208]"."""
    place = f"{NOUNS.get(key, key)} {position + 1}"
    if isinstance(item, dict):
        for name in _LABELS:
            value = item.get(name)
            if isinstance(value, str) and value.strip():
                text = " ".join(value.split())
                text = text if len(text) <= 60 else text[:57] + "…"
                return f"{place} (“{text}”)"
    return place


EXPECTED = 'a Circleback backup (JSON with "format": "circleback-backup")'


def sniff(text: str) -> bool:
    head = text.lstrip()[:4096]
    return head.startswith("{") and FORMAT in head


class _Bad(Exception):
    pass


def _str(item: dict[str, Any], key: str, limit: int | None = None) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{key} must be text")
    if limit is not None and len(value) > limit:
        raise _Bad(f"{key} is longer than {limit} characters")
    return value


def _int(item: dict[str, Any], key: str, low: int, high: int) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _Bad(f"{key} must be a whole number from {low} to {high}")
    return value


def _bool(item: dict[str, Any], key: str) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise _Bad(f"{key} must be true or false")
    return value


def _uuid(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if value is None or value == "":
        return ""
    try:
        return str(uuid_module.UUID(str(value)))
    except ValueError:
        raise _Bad(f"{key} is not a UUID") from None


def _when(item: dict[str, Any], key: str) -> dt.datetime | None:
    value = _str(item, key)
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _Bad(f"{key} is not a date and time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _date(item: dict[str, Any], key: str) -> dt.date | None:
    value = _str(item, key)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{key} is not a date (YYYY-MM-DD)") from None


def _list(item: dict[str, Any], key: str) -> list[Any]:
    value = item.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Bad(f"{key} must be a list")
    return value


def _objects(item: dict[str, Any], key: str) -> list[dict[str, Any]]:
    values = _list(item, key)
    if not all(isinstance(v, dict) for v in values):
        raise _Bad(f"each of {key} must be an object")
    return values


def _person(item: dict[str, Any], where: str, lost: list[Skipped]) -> PersonRecord:
    """A person. A value that can't be read costs that value, reported in `lost`; only a
    person without a name is a broken record."""

    def keep(read: Any, *args: Any, default: Any = None) -> Any:
        try:
            return read(item, *args)
        except _Bad as exc:
            lost.append(Skipped(where, f"{exc}; that value was left out", broken=False))
            return default

    full_name = _str(item, "full_name", 200).strip()
    if not full_name:
        raise _Bad("a person needs a full_name")
    record = PersonRecord(
        where=where,
        uuid=_uuid(item, "uuid"),
        full_name=full_name,
        given_name=keep(_str, "given_name", 100, default=""),
        family_name=keep(_str, "family_name", 100, default=""),
        organisation=keep(_str, "organization", 200, default=""),
        title=keep(_str, "title", 200, default=""),
        notes=keep(_str, "notes", default=""),
        location=keep(_str, "location", 200, default=""),
        how_we_met=keep(_str, "how_we_met", default=""),
        closeness=keep(_int, "closeness", 1, 5),
        cadence_days=keep(_int, "cadence_days", 1, 3650),
        is_decision_maker=keep(_bool, "is_decision_maker", default=False),
        met_on=keep(_date, "met_on"),
        source=keep(_str, "source", 16, default=""),
        created_at=keep(_when, "created_at"),
        last_contact_at=keep(_when, "last_contact_at"),
        introduced_by=keep(_uuid, "introduced_by", default=""),
    )
    letter = keep(_str, "list", default="").upper()
    if letter and letter not in ("A", "B", "C"):
        lost.append(
            Skipped(
                where, f"list {letter!r} is not A, B or C; put on the import's list", broken=False
            )
        )
        letter = ""
    record.contact_list = letter
    details = (
        ("emails", "address", 320, clean_email, record.emails),
        ("phones", "number", 64, clean_phone, record.phones),
        ("links", "url", 500, clean_url, record.links),
    )
    for key, name, limit, clean, values in details:
        for detail in keep(_objects, key, default=[]):
            try:
                values.append(clean(_str(detail, name, limit)))
                if _str(detail, "label", 40):
                    record.labels[values[-1]] = _str(detail, "label")
            except (_Bad, ValidationError) as exc:
                reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                shown = detail.get(name)
                lost.append(
                    Skipped(
                        where, f"{name} {shown!r}: {reason.rstrip('.')}; left out", broken=False
                    )
                )
    for tag in keep(_list, "tags", default=[]):
        if not isinstance(tag, str) or not tag.strip() or len(tag) > 60:
            lost.append(
                Skipped(
                    where, f"tag {tag!r} is not text of 1 to 60 characters; left out", broken=False
                )
            )
            continue
        record.tags.append(tag)
    birthday = keep(_str, "birthday", default="")
    if birthday:
        match = re.fullmatch(r"(\d{4}|-)-(\d{2})-(\d{2})", birthday)
        try:
            if not match:
                raise ValueError
            year = None if match.group(1) == "-" else int(match.group(1))
            month, day = int(match.group(2)), int(match.group(3))
            # 29 February without a year is a birthday; with one, the year must have it.
            dt.date(year or 2000, month, day)
            record.birthday_year, record.birthday_month, record.birthday_day = year, month, day
        except ValueError:
            lost.append(
                Skipped(
                    where,
                    f"birthday {birthday!r} is not a date (YYYY-MM-DD or --MM-DD); "
                    "the birthday was left out",
                    broken=False,
                )
            )
    photo = item.get("photo")
    if photo is not None:
        try:
            if not isinstance(photo, dict):
                raise _Bad("photo must be an object")
            try:
                raw = base64.b64decode(_str(photo, "data"), validate=True)
            except (binascii.Error, ValueError):
                raise _Bad("photo data is not base64") from None
            kind = image_type(raw)
            if not kind or len(raw) > MAX_PHOTO_BYTES:
                raise _Bad("photo is not a JPEG, PNG, GIF or WebP image of at most 5 MB")
            record.photo, record.photo_content_type = raw, kind
        except _Bad as exc:
            lost.append(Skipped(where, f"{exc}; the photo was left out", broken=False))
    return record


def _organisation(item: dict[str, Any], where: str) -> OrganisationRecord:
    record = OrganisationRecord(
        where=where,
        uuid=_uuid(item, "uuid"),
        name=_str(item, "name", 200).strip(),
        domain=_str(item, "domain", 253),
        industry=_str(item, "industry", 120),
        location=_str(item, "location", 200),
        is_target=_bool(item, "is_target"),
        priority=_int(item, "priority", 1, 5),
        stage=_str(item, "stage", 16),
        notes=_str(item, "notes"),
        created_at=_when(item, "created_at"),
    )
    if not record.name:
        raise _Bad("an organization needs a name")
    return record


def _tie(item: dict[str, Any], where: str) -> TieRecord:
    record = TieRecord(
        where=where,
        uuid=_uuid(item, "uuid"),
        person_a=_uuid(item, "person_a"),
        person_b=_uuid(item, "person_b"),
        kind=_str(item, "kind", 20) or "other",
        strength=_int(item, "strength", 1, 5) or 2,
        notes=_str(item, "notes"),
        created_at=_when(item, "created_at"),
    )
    if not record.person_a or not record.person_b or record.person_a == record.person_b:
        raise _Bad("a tie joins two different people")
    return record


def _interaction(item: dict[str, Any], where: str) -> InteractionRecord:
    when = _when(item, "occurred_at")
    if when is None:
        raise _Bad("occurred_at is missing")
    people = []
    for value in _list(item, "people"):
        try:
            people.append(str(uuid_module.UUID(str(value))))
        except ValueError:
            raise _Bad("people must be a list of UUIDs") from None
    record = InteractionRecord(
        where=where,
        occurred_at=when,
        uuid=_uuid(item, "uuid"),
        summary=_str(item, "summary", 300).strip(),
        kind=_str(item, "kind", 16) or "note",
        direction=_str(item, "direction", 16) or "mutual",
        notes=_str(item, "notes"),
        organisation=_str(item, "organization", 200),
        source=_str(item, "source", 16) or "backup",
        external_key=_str(item, "external_key", 200),
        people_uuids=people,
        created_at=_when(item, "created_at"),
    )
    if not record.summary:
        raise _Bad("an interaction needs a summary")
    return record


def parse(data: bytes | IO[bytes]) -> ParseResult:
    """The whole backup read at once (`stream` reads it as it is restored)."""
    result = stream(data)
    result.people.extend(result.pending or ())
    result.ties.extend(result.ties_pending or ())
    result.interactions.extend(result.interactions_pending or ())
    result.pending = result.ties_pending = result.interactions_pending = None
    result.expected = result.interactions_expected = 0
    if result.backup is not None:
        sections: _LazySections = result.backup
        result.backup = {key: list(sections.get(key)) for key in SECTIONS}
        result.backup["settings"] = sections.get("settings")
    return result


def stream(data: bytes | IO[bytes]) -> ParseResult:
    """The backup read as it is restored: section by section, a record at a time, so what
    is held is a batch of records, never the whole document. `data` is the backup's bytes
    or, better for a big one, a binary file open on it (seekable): the file is read a
    buffer at a time and never held whole. Organisations are read here; the people are
    `pending`, the ties and journal `ties_pending` and `interactions_pending`, and a
    version-2 backup's other sections come from `backup` as they are asked for. Sections
    in the order Circleback writes them are read in one pass; one asked for after the
    reading passed it is read again from the start."""
    document = _Document(data)
    if document.value("format") != FORMAT:
        raise InterchangeError(f"This JSON is not a Circleback backup; expected {EXPECTED}.")
    version = document.value("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        raise InterchangeError(
            f"This backup has version {version!r}; this Circleback reads versions 1 to "
            f"{VERSION}. Update Circleback to restore it."
        )
    result = ParseResult()

    def records(key: str, reader: Any) -> Iterator[Any]:
        for position, item in enumerate(document.items(key)):
            where_ = where(key, position, item)
            try:
                if not isinstance(item, dict):
                    raise _Bad("must be an object")
                yield reader(item, where_)
            except _Bad as exc:
                result.skipped.append(Skipped(where_, str(exc)))

    def people() -> Iterator[PersonRecord]:
        lost: list[Skipped] = []
        for record in records("people", lambda item, where_: _person(item, where_, lost)):
            result.skipped.extend(lost)  # values the person lost, reported beside them
            lost.clear()
            yield record
        result.skipped.extend(lost)

    result.organisations.extend(records("organizations", _organisation))
    result.pending = people()
    # At most how many people and entries, for the progress bar and to reserve ids: keys
    # counted in the bytes (a quote inside a string is escaped, so none is counted there).
    result.expected, result.interactions_expected = document.count(
        b'"given_name":', b'"occurred_at":'
    )
    result.ties_pending = records("ties", _tie)
    result.interactions_pending = records("interactions", _interaction)
    if version >= 2:
        result.backup = _LazySections(document)
    return result


class _Document:
    """A JSON object's top-level values read in the file's order, one at a time, with
    ijson's C parser: `items(key)` gives a list's items as they are read, `value(key)` any
    other value. A list passed over on the way to another key is read again, from the
    start, if it is asked for later."""

    def __init__(self, data: bytes | IO[bytes]) -> None:
        source: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
        source.seek(0)
        head = source.read(3)
        self.start = 0
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            # UTF-16 (no Circleback writes it): read whole, as UTF-8.
            source.seek(0)
            source = io.BytesIO(decode(source.read(), EXPECTED).encode("utf-8"))
        elif head == b"\xef\xbb\xbf":
            self.start = 3
        self.source = source
        self.events = ijson.parse(self._reader(), buf_size=READ_BUFFER, use_float=True)
        self.values: dict[str, Any] = {}
        self.passed: set[str] = set()  # lists read past
        self.reading: Iterator[Any] | None = None  # the list being read
        self.ended = False
        with _readable():
            first = next(self.events, None)
        if first != ("", "start_map", None):
            raise InterchangeError(f"This JSON is not a Circleback backup; expected {EXPECTED}.")

    def _reader(self) -> _Reader:
        """A reader of the file from its start, with a position of its own: the one pass
        and a list read again can take turns on the same file."""
        return _Reader(self.source, self.start)

    def count(self, *keys: bytes) -> tuple[int, ...]:
        """How often each key occurs in the file (read a megabyte at a time; a quote inside
        a string is escaped, so none is counted there)."""
        counts = [0] * len(keys)
        reader = self._reader()
        overlap = max(map(len, keys)) - 1
        tail = b""
        while chunk := reader.read(READ_BUFFER):
            window = tail + chunk
            for n, key in enumerate(keys):
                # Occurrences ending in the new bytes only: none is counted twice.
                counts[n] += window.count(key) - tail.count(key)
            tail = window[-overlap:]
        return tuple(counts)

    def _until(self, key: str, end: str) -> Iterator[Any]:
        """The events of `key`'s value up to (not with) its closing event, which is read."""
        return takewhile(partial(operator.ne, (key, end, None)), self.events)

    def _advance(self, wanted: str) -> bool:
        """Read on to `wanted`; True when it is a list whose items come next."""
        with _readable():
            return self._read_to(wanted)

    def _read_to(self, wanted: str) -> bool:
        if self.reading is not None:  # the list asked for before: read what is left of it
            collections.deque(self.reading, maxlen=0)
            self.reading = None
        while not self.ended and wanted not in self.values and wanted not in self.passed:
            prefix, event, name = next(self.events, ("", "end_map", None))
            if event == "end_map" and prefix == "":
                self.ended = True
                collections.deque(self.events, maxlen=0)  # nothing may follow but space
                break
            key = str(name)
            _prefix, event, value = next(self.events)
            if event == "start_array":
                if key == wanted:
                    return True
                collections.deque(self._until(key, "end_array"), maxlen=0)
                self.passed.add(key)
            elif event == "start_map":
                self.values[key] = next(
                    ijson.items(
                        chain(
                            [(key, event, value)],
                            self._until(key, "end_map"),
                            [(key, "end_map", None)],
                        ),
                        key,
                        use_float=True,
                    )
                )
            else:
                self.values[key] = value
        return False

    def value(self, key: str) -> Any:
        """A value that is not a list (a list is []), or None when the document has none."""
        self._advance(key)
        return [] if key in self.passed else self.values.get(key)

    def items(self, key: str) -> Iterator[Any]:
        """The items of the list under `key`, as they are read; none when there is no such
        list. Refused (InterchangeError) when `key` holds something else."""
        if self._advance(key):
            self.reading = ijson.items(self._until(key, "end_array"), key + ".item", use_float=True)
            with _readable():
                yield from self.reading
            self.reading = None
            return
        if key in self.passed:  # read past on the way to another: again, from the start
            with _readable():
                yield from ijson.items(
                    self._reader(), key + ".item", buf_size=READ_BUFFER, use_float=True
                )
            return
        if self.values.get(key) is not None:
            raise InterchangeError(f'"{key}" must be a list; expected {EXPECTED}.')


class _Reader(io.RawIOBase):
    """A file read from `start` with a position of its own, whoever else reads it."""

    def __init__(self, source: IO[bytes], start: int) -> None:
        super().__init__()
        self.source = source
        self.position = start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.source.seek(self.position)
        data = self.source.read(len(buffer))
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)


@contextlib.contextmanager
def _readable() -> Iterator[None]:
    """JSON that stops making sense part way (cut short, say) refuses the whole backup."""
    try:
        yield
    except (ijson.JSONError, UnicodeDecodeError):
        raise InterchangeError(
            f"This file is not valid JSON (it may be cut short); expected {EXPECTED}."
        ) from None


class _LazySections:
    """A version-2 backup's other sections as the restore asks for them, in its order:
    each list as (where, object) pairs read as they come, "settings" an object."""

    def __init__(self, document: _Document) -> None:
        self.document = document

    def get(self, key: str, default: Any = None) -> Any:
        if key == "settings":
            settings = self.document.value("settings")
            if settings is None:
                return {}
            if not isinstance(settings, dict):
                raise InterchangeError(f'"settings" must be an object; expected {EXPECTED}.')
            return settings
        return ((where(key, n, item), item) for n, item in enumerate(self.document.items(key)))


def write(document: dict[str, Any]) -> bytes:
    """The document as JSON with one organisation, person, tie or entry a line: readable and
    diffable, and written by the C encoder (`indent` would make json use its pure-Python
    encoder, several times slower on a 200,000-entry journal)."""
    return b"".join(write_stream(document))


def write_stream(document: dict[str, Any]) -> Iterator[bytes]:
    """What `write` gives, piece by piece, so an export never holds the whole file. A value
    that is an iterator (not a list) holds a list's records in batches, written as they
    come: lists of dicts with the same keys in the same order, or text with the records
    already encoded as `write` does it (one a line, joined by ",\\n  ")."""
    yield b"{\n"
    last = len(document) - 1
    for position, (key, value) in enumerate(document.items()):
        end = b"\n" if position == last else b",\n"
        head = f" {_encode(key)}: "
        if isinstance(value, Iterator) or (isinstance(value, list) and value):
            batches = value if isinstance(value, Iterator) else iter([value])
            opened = False
            for batch in batches:
                if not batch:
                    continue
                text = batch if isinstance(batch, str) else _records(batch)
                if opened:
                    text = ",\n  " + text
                else:
                    text = head + "[\n  " + text
                    opened = True
                yield text.encode("utf-8")
            yield (b"\n ]" if opened else (head + "[]").encode("utf-8")) + end
        else:
            yield (head + _encode(value)).encode("utf-8") + end
    yield b"}\n"


def _records(batch: list[Any]) -> str:
    """Records one a line. One encoder call for the whole batch (a call costs more than a
    small record's encoding), then the separators between records become line breaks. Every
    record starts `{"<first key>": ` and that text can't sit inside a JSON string (its quote
    would be escaped), so each `}, {"<first key>": ` ends a record unless a nested list holds
    objects with the same first key; one break fewer than records proves none does (else
    each record is encoded alone). A stray break would still leave the same JSON."""
    first = next(iter(batch[0]), None) if type(batch[0]) is dict else None
    if first is not None:
        text = _encode(batch)[1:-1]
        key = _encode(first)
        boundary, line_break = "}, {" + key + ": ", "},\n  {" + key + ": "
        broken = text.replace(boundary, line_break)
        if len(broken) - len(text) == (len(batch) - 1) * (len(line_break) - len(boundary)):
            return broken
    return ",\n  ".join(map(_encode, batch))


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid_module.UUID):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


_encode = json.JSONEncoder(ensure_ascii=False, default=_default).encode
