"""Taking a network out: the JSON backup, vCards and a CSV with one row a person.

Every export is written as it is read, a few thousand rows at a time, so memory stays flat
whatever the size of the network (`export_stream` for a web download, `export_to` for a file).
For the big sections (the journal, ties) the database writes each value as the file carries
it: UUIDs, ISO timestamps and JSON-escaped text, so Python only puts lines together; a journal
entry's people come from one query in the same order, merged as both are read. Everything is
the owner's and only the owner's.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import groupby, islice
from operator import itemgetter
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import CharField, QuerySet, Value
from django.utils import timezone

from circleback.accounts.models import User
from circleback.db.text import DateText as _DateText
from circleback.db.text import IsoText as _IsoText
from circleback.db.text import JsonText as _Json
from circleback.db.text import UuidText as _UuidText
from circleback.interchange.formats import circleback_json, vcard
from circleback.interchange.records import PersonRecord
from circleback.journal.models import Interaction, Participation
from circleback.people.models import Organisation, Person, Tie
from circleback.people.serializers import PersonDetails, person_batches

# Rows read, converted and written at a time: large enough that per-batch costs vanish,
# small enough that a batch of journal entries is about a megabyte of text. People carry
# their photos (up to a few hundred kilobytes each), so fewer of them at a time.
BATCH = 2000
PEOPLE_BATCH = 200


def _batches(rows: Iterable[Any], size: int | None = None) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size or BATCH)):
        yield batch


def _rows(query: QuerySet[Any], size: int | None = None) -> Iterator[tuple[Any, ...]]:
    """A values_list query's rows, read a batch at a time (a server-side cursor on
    PostgreSQL), without holding them all."""
    return query.iterator(chunk_size=size or BATCH)


def _birthday(year: int | None, month: int | None, day: int | None) -> str | None:
    if not month or not day:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


# --- the JSON backup ---------------------------------------------------------------------

_ORGANISATION_KEYS = (
    "name",
    "domain",
    "industry",
    "location",
    "is_target",
    "priority",
    "stage",
    "notes",
    "uuid",
    "created_at",
)


def _organisations(owner: User) -> list[dict[str, Any]]:
    rows = (
        Organisation.objects.filter(owner=owner)
        .order_by("pk")
        # The plain columns, then the two the database formats (the keys' last two).
        .values_list(*_ORGANISATION_KEYS[:-2], _UuidText("uuid"), _IsoText("created_at"))
    )
    return [dict(zip(_ORGANISATION_KEYS, row, strict=True)) for row in _rows(rows)]


def _people(owner: User, uuids: dict[int, str]) -> Iterator[list[dict[str, Any]]]:
    """People, noting each one's uuid by id in `uuids` for the ties and the journal (looked
    up there, not joined: a join reads a person's whole row for each of hundreds of
    thousands of rows). So every person they name is one this file holds."""
    rows = (
        Person.objects.filter(owner=owner)
        .order_by("pk")
        .values_list(
            "pk",
            _UuidText("uuid"),
            "given_name",
            "family_name",
            "full_name",
            "organisation__name",
            "title",
            "contact_list",
            "notes",
            _UuidText("introduced_by__uuid"),
            "closeness",
            "cadence_days",
            "is_decision_maker",
            "location",
            "how_we_met",
            _DateText("met_on"),
            "birthday_year",
            "birthday_month",
            "birthday_day",
            "source",
            _IsoText("created_at"),
            _IsoText("last_contact_at"),
            "photo__content_type",
            "photo__data",
        )
    )
    for batch, details in person_batches(rows, size=PEOPLE_BATCH):
        emails, phones, links, tags = details.emails, details.phones, details.links, details.tags
        out = []
        for (
            pid,
            uuid,
            given_name,
            family_name,
            full_name,
            organisation,
            title,
            contact_list,
            notes,
            introduced_by,
            closeness,
            cadence_days,
            is_decision_maker,
            location,
            how_we_met,
            met_on,
            birthday_year,
            birthday_month,
            birthday_day,
            source,
            created_at,
            last_contact_at,
            photo_type,
            photo_data,
        ) in batch:
            uuids[pid] = uuid
            out.append(
                {
                    "uuid": uuid,
                    "given_name": given_name,
                    "family_name": family_name,
                    "full_name": full_name,
                    "emails": [
                        {"address": address, "label": label}
                        for address, label in emails.get(pid, ())
                    ],
                    "phones": [
                        {"number": number, "label": label} for number, label in phones.get(pid, ())
                    ],
                    "links": [
                        {"url": url, "kind": kind, "label": label}
                        for url, kind, label in links.get(pid, ())
                    ],
                    "organization": organisation,
                    "title": title,
                    "list": contact_list,
                    "tags": tags.get(pid, []),
                    "notes": notes,
                    "introduced_by": introduced_by,
                    "closeness": closeness,
                    "cadence_days": cadence_days,
                    "is_decision_maker": bool(is_decision_maker),
                    "location": location,
                    "how_we_met": how_we_met,
                    "met_on": met_on,
                    "birthday": _birthday(birthday_year, birthday_month, birthday_day),
                    "source": source,
                    "created_at": created_at,
                    "last_contact_at": last_contact_at,
                    "photo": (
                        {
                            "content_type": photo_type,
                            "data": base64.b64encode(photo_data).decode("ascii"),
                        }
                        if photo_data is not None
                        else None
                    ),
                }
            )
        yield out


def _ties(owner: User, uuids: dict[int, str]) -> Iterator[str]:
    rows = (
        Tie.objects.filter(owner=owner)
        .order_by("pk")
        .values_list(
            _UuidText("uuid"),
            "person_a_id",
            "person_b_id",
            _Json("kind"),
            _Json("strength"),
            _Json("notes"),
            _IsoText("created_at"),
        )
    )
    for batch in _batches(_rows(rows)):
        yield ",\n  ".join(
            [
                f'{{"uuid": "{uuid}", "person_a": "{uuids[a]}", "person_b": "{uuids[b]}", '
                f'"kind": {kind}, "strength": {strength}, "notes": {notes}, '
                f'"created_at": "{created_at}"}}'
                for uuid, a, b, kind, strength, notes, created_at in batch
                # Not one added while the people were read: they are not in the file.
                if a in uuids and b in uuids
            ]
        )


def _interactions(owner: User, uuids: dict[int, str]) -> Iterator[str]:
    """The journal; `uuids` holds the people written before it."""
    rows = (
        Interaction.objects.filter(owner=owner)
        .order_by("pk")
        .values_list(
            _UuidText("uuid"),
            _IsoText("occurred_at"),
            _Json("kind"),
            _Json("direction"),
            _Json("summary"),
            _Json("notes"),
            _Json("organisation__name"),
            _Json("source"),
            _Json("external_key"),
            _IsoText("created_at"),
            "pk",
        )
    )
    # Each entry's people, read alongside in the same order: far cheaper for the database
    # than looking them up entry by entry.
    participants = groupby(
        _rows(
            Participation.objects.filter(owner=owner)
            .order_by("interaction_id")
            .values_list("interaction_id", "person_id")
        ),
        key=itemgetter(0),
    )
    next_id, group = next(participants, (None, ()))
    for batch in _batches(_rows(rows)):
        lines = []
        for (
            uuid,
            occurred_at,
            kind,
            direction,
            summary,
            notes,
            organisation,
            source,
            external_key,
            created_at,
            pk,
        ) in batch:
            while next_id is not None and next_id < pk:
                next_id, group = next(participants, (None, ()))
            people = "[]"
            if next_id == pk:
                names = sorted([uuids[p] for _, p in group if p in uuids])
                if names:
                    people = '["' + '", "'.join(names) + '"]'
                next_id, group = next(participants, (None, ()))
            lines.append(
                f'{{"uuid": "{uuid}", "occurred_at": "{occurred_at}", "kind": {kind}, '
                f'"direction": {direction}, "summary": {summary}, "notes": {notes}, '
                f'"organization": {organisation}, "people": {people}, '
                f'"source": {source}, "external_key": {external_key}, '
                f'"created_at": "{created_at}"}}'
            )
        yield ",\n  ".join(lines)


# Set by circleback.backup when it loads: the whole account's other sections (meetings,
# loops, favours, settings…) for the JSON backup. Interchange writes people and the journal;
# the backup above the areas knows every other model.
_backup_sections: Callable[[User], dict[str, Any]] | None = None


def register_backup_sections(sections: Callable[[User], dict[str, Any]]) -> None:
    global _backup_sections
    _backup_sections = sections


def json_stream(*, owner: User) -> Iterator[bytes]:
    """The owner's whole account as the documented backup (see formats/circleback_json and
    docs/backup.schema.json). Nothing is read until the first piece is asked for, and the
    sections are read in order: the people before the ties and the journal that name them."""
    uuids: dict[int, str] = {}
    document: dict[str, Any] = {
        "format": circleback_json.FORMAT,
        "version": circleback_json.VERSION,
        "exported_at": timezone.now().isoformat(),
        "organizations": _organisations(owner),
        "people": _people(owner, uuids),
        "ties": _ties(owner, uuids),
        "interactions": _interactions(owner, uuids),
    }
    if _backup_sections is not None:
        document.update(_backup_sections(owner))
    yield from circleback_json.write_stream(document)


def export_json(*, owner: User) -> bytes:
    return b"".join(json_stream(owner=owner))


def backup_document(*, owner: User) -> dict[str, Any]:
    """The backup as a Python object (tests compare these)."""
    result: dict[str, Any] = json.loads(export_json(owner=owner))
    return result


# --- vCard and CSV -------------------------------------------------------------------------


def person_records(*, owner: User, photos: bool = True) -> Iterator[PersonRecord]:
    """The owner's people as records by name, for the vCard and CSV writers."""
    fields: list[Any] = [
        "pk",
        _UuidText("uuid"),
        "full_name",
        "given_name",
        "family_name",
        "organisation__name",
        "title",
        "notes",
        "contact_list",
        "location",
        "met_on",
        "birthday_year",
        "birthday_month",
        "birthday_day",
    ]
    if photos:
        fields += ["photo__content_type", "photo__data"]
    else:
        fields += [Value(None, output_field=CharField())] * 2
    rows = Person.objects.filter(owner=owner).order_by("full_name", "pk").values_list(*fields)
    for batch, details in person_batches(rows, size=PEOPLE_BATCH if photos else BATCH):
        yield from _records_of(batch, details)


def _records_of(batch: list[tuple[Any, ...]], details: PersonDetails) -> Iterator[PersonRecord]:
    emails, phones, links, tags = details.emails, details.phones, details.links, details.tags
    for (
        pid,
        uuid,
        full_name,
        given_name,
        family_name,
        organisation,
        title,
        notes,
        contact_list,
        location,
        met_on,
        birthday_year,
        birthday_month,
        birthday_day,
        photo_type,
        photo_data,
    ) in batch:
        person_emails = emails.get(pid, ())
        person_phones = phones.get(pid, ())
        record = PersonRecord(
            uuid=uuid,
            full_name=full_name,
            given_name=given_name,
            family_name=family_name,
            organisation=organisation or "",
            title=title,
            notes=notes,
            tags=tags.get(pid, []),
            contact_list=contact_list,
            location=location,
            met_on=met_on,
            birthday_year=birthday_year,
            birthday_month=birthday_month,
            birthday_day=birthday_day,
            emails=[address for address, _label in person_emails],
            phones=[number for number, _label in person_phones],
            links=[url for url, _kind, _label in links.get(pid, ())],
        )
        for value, label in (*person_emails, *person_phones):
            if label:
                record.labels[value] = label
        if photo_data is not None:
            record.photo_content_type, record.photo = photo_type, bytes(photo_data)
        yield record


def vcard_stream(*, owner: User, version: str = "4.0") -> Iterator[bytes]:
    for batch in _batches(person_records(owner=owner), PEOPLE_BATCH):
        yield vcard.write(batch, version=version)


def export_vcard(*, owner: User, version: str = "4.0") -> bytes:
    return b"".join(vcard_stream(owner=owner, version=version))


CSV_COLUMNS = [
    "Full name",
    "Given name",
    "Family name",
    "List",
    "Organisation",
    "Title",
    "Emails",
    "Phones",
    "Links",
    "Tags",
    "Location",
    "Met on",
    "Birthday",
    "Notes",
    "UUID",
]


# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection"):
# `=WEBSERVICE(...)` in a company's name would run when the export is opened.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet shows as the text it is: one that would start a formula gets a
    leading apostrophe, which spreadsheets read as "this is text" and do not show."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_stream(*, owner: User) -> Iterator[bytes]:
    """One row a person; several emails, phones, links or tags in a cell are joined by " ; ".
    No cell starts a formula when the file is opened in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # A BOM so spreadsheet programs read the UTF-8 as UTF-8.
    out.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    for batch in _batches(person_records(owner=owner, photos=False)):
        writer.writerows(
            [
                spreadsheet_safe(cell)
                for cell in (
                    r.full_name,
                    r.given_name,
                    r.family_name,
                    r.contact_list,
                    r.organisation,
                    r.title,
                    " ; ".join(r.emails),
                    " ; ".join(r.phones),
                    " ; ".join(r.links),
                    " ; ".join(r.tags),
                    r.location,
                    r.met_on.isoformat() if r.met_on else "",
                    _birthday(r.birthday_year, r.birthday_month, r.birthday_day) or "",
                    r.notes,
                    r.uuid,
                )
            ]
            for r in batch
        )
        yield out.getvalue().encode("utf-8")
        out.seek(0)
        out.truncate()
    if out.tell():
        yield out.getvalue().encode("utf-8")


def export_csv(*, owner: User) -> bytes:
    return b"".join(csv_stream(owner=owner))


# --- any format ----------------------------------------------------------------------------

EXPORTERS = {"json": "application/json", "vcard": "text/vcard", "csv": "text/csv"}


def export_stream(
    *, owner: User, format: str, vcard_version: str = "4.0"
) -> Generator[bytes, None, None]:
    """The export in pieces of about a megabyte, read from the database as they are asked
    for: for a streamed download, or `export_to` a file."""
    if format == "json":
        return _one_snapshot(json_stream(owner=owner))
    if format == "vcard":
        return _one_snapshot(vcard_stream(owner=owner, version=vcard_version))
    if format == "csv":
        return _one_snapshot(csv_stream(owner=owner))
    raise ValueError(f"{format!r} is not an export format; use json, vcard or csv.")


def _one_snapshot(pieces: Iterator[bytes]) -> Generator[bytes, None, None]:
    """On PostgreSQL, the export's queries read one snapshot, in a read-only transaction:
    the file is consistent, and server-side cursors hand rows over as they are made rather
    than first copying each whole result aside (WITH HOLD, outside a transaction). On SQLite
    a transaction would take the write lock (transaction_mode IMMEDIATE), so each query
    reads its own snapshot there; the backup still only names people it holds."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield from pieces
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield from pieces


def export_to(stream: IO[bytes], *, owner: User, format: str, vcard_version: str = "4.0") -> int:
    """Write the export to an open binary file; the number of bytes written."""
    size = 0
    for piece in export_stream(owner=owner, format=format, vcard_version=vcard_version):
        stream.write(piece)
        size += len(piece)
    return size


def export(*, owner: User, format: str, vcard_version: str = "4.0") -> bytes:
    return b"".join(export_stream(owner=owner, format=format, vcard_version=vcard_version))
