"""Taking a network out: the JSON backup, vCards and a CSV with one row a person.

Reads are bulk `values()` queries (no model instance per row), so 20,000 people and 200,000
journal entries export in seconds. Everything is the owner's and only the owner's.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from circleback.accounts.models import User
from circleback.interchange import _rows
from circleback.interchange.formats import circleback_json, vcard
from circleback.interchange.records import PersonRecord
from circleback.journal.models import Interaction, Participation
from circleback.people.models import Email, Link, Organisation, Person, Phone, Photo, Tie

_PERSON_FIELDS = (
    "pk",
    "uuid",
    "given_name",
    "family_name",
    "full_name",
    "organisation_id",
    "title",
    "contact_list",
    "notes",
    "introduced_by_id",
    "closeness",
    "cadence_days",
    "is_decision_maker",
    "location",
    "how_we_met",
    "met_on",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "source",
    "created_at",
    "last_contact_at",
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _raw(query: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list query as the driver gives them, without Django's per-value
    converters (on SQLite they read the time zone setting for every timestamp: seconds over a
    200,000-entry journal). Use with _db_iso and _db_uuid for timestamps and UUIDs."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _db_iso(value: Any) -> str:
    """A stored timestamp (SQLite: UTC text; PostgreSQL: an aware datetime) in ISO 8601 UTC,
    exactly as `_iso` writes the ORM's aware datetime."""
    if isinstance(value, str):
        # SQLite holds naive UTC as str(datetime) gives it ("2026-11-20 14:30:00[.ffffff]"),
        # which is isoformat() but for the separator and the offset: no need to parse.
        if len(value) in (19, 26) and value[10] == " ":
            return f"{value[:10]}T{value[11:]}+00:00"
        value = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return str(value.astimezone(dt.UTC).isoformat())


def _db_uuid(value: Any) -> str:
    """A stored UUID (SQLite: 32 hex digits; PostgreSQL: a UUID) as str(UUID) writes it."""
    if isinstance(value, str):
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value)


def _birthday(row: dict[str, Any]) -> str | None:
    if not row["birthday_month"] or not row["birthday_day"]:
        return None
    year = f"{row['birthday_year']:04d}" if row["birthday_year"] else "-"
    return f"{year}-{row['birthday_month']:02d}-{row['birthday_day']:02d}"


def _details(
    owner: User,
) -> tuple[dict[int, list[Any]], dict[int, list[Any]], dict[int, list[Any]]]:
    emails: dict[int, list[Any]] = defaultdict(list)
    phones: dict[int, list[Any]] = defaultdict(list)
    links: dict[int, list[Any]] = defaultdict(list)
    for pid, address, label in (
        Email.objects.filter(owner=owner)
        .order_by("person_id", "position", "pk")
        .values_list("person_id", "address", "label")
    ):
        emails[pid].append({"address": address, "label": label})
    for pid, number, label in (
        Phone.objects.filter(owner=owner)
        .order_by("person_id", "position", "pk")
        .values_list("person_id", "number", "label")
    ):
        phones[pid].append({"number": number, "label": label})
    for pid, url, kind, label in (
        Link.objects.filter(owner=owner)
        .order_by("person_id", "position", "pk")
        .values_list("person_id", "url", "kind", "label")
    ):
        links[pid].append({"url": url, "kind": kind, "label": label})
    return emails, phones, links


def _tags(owner: User) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = defaultdict(list)
    rows = (
        Person.tags.through.objects.filter(person__owner=owner)
        .order_by("tag__name")
        .values_list("person_id", "tag__name")
    )
    for pid, name in rows:
        tags[pid].append(name)
    return tags


def _photos(owner: User) -> dict[int, tuple[str, bytes]]:
    return {
        pid: (content_type, bytes(data))
        for pid, content_type, data in Photo.objects.filter(person__owner=owner).values_list(
            "person_id", "content_type", "data"
        )
    }


def backup_document(*, owner: User) -> dict[str, Any]:
    """The owner's whole network as the documented backup (see formats/circleback_json)."""
    organisations = list(
        Organisation.objects.filter(owner=owner)
        .order_by("pk")
        .values(
            "pk",
            "uuid",
            "name",
            "domain",
            "industry",
            "location",
            "is_target",
            "priority",
            "stage",
            "notes",
            "created_at",
        )
    )
    org_names = {o["pk"]: o["name"] for o in organisations}
    people = list(Person.objects.filter(owner=owner).order_by("pk").values(*_PERSON_FIELDS))
    uuids = {p["pk"]: str(p["uuid"]) for p in people}
    emails, phones, links = _details(owner)
    tags = _tags(owner)
    photos = _photos(owner)
    people_out = []
    for p in people:
        pid = p["pk"]
        photo = photos.get(pid)
        people_out.append(
            {
                "uuid": uuids[pid],
                "given_name": p["given_name"],
                "family_name": p["family_name"],
                "full_name": p["full_name"],
                "emails": emails.get(pid, []),
                "phones": phones.get(pid, []),
                "links": links.get(pid, []),
                "organization": org_names.get(p["organisation_id"]),
                "title": p["title"],
                "list": p["contact_list"],
                "tags": tags.get(pid, []),
                "notes": p["notes"],
                "introduced_by": uuids.get(p["introduced_by_id"]),
                "closeness": p["closeness"],
                "cadence_days": p["cadence_days"],
                "is_decision_maker": p["is_decision_maker"],
                "location": p["location"],
                "how_we_met": p["how_we_met"],
                "met_on": _iso(p["met_on"]),
                "birthday": _birthday(p),
                "source": p["source"],
                "created_at": _iso(p["created_at"]),
                "last_contact_at": _iso(p["last_contact_at"]),
                "photo": (
                    {"content_type": photo[0], "data": base64.b64encode(photo[1]).decode()}
                    if photo
                    else None
                ),
            }
        )
    ties = [
        {
            "uuid": _db_uuid(uuid),
            "person_a": uuids[a],
            "person_b": uuids[b],
            "kind": kind,
            "strength": strength,
            "notes": notes,
            "created_at": _db_iso(created_at),
        }
        for uuid, a, b, kind, strength, notes, created_at in _raw(
            Tie.objects.filter(owner=owner)
            .order_by("pk")
            .values_list(
                "uuid", "person_a_id", "person_b_id", "kind", "strength", "notes", "created_at"
            )
        )
    ]
    participants: dict[int, list[str]] = defaultdict(list)
    for interaction_id, pid in _raw(
        Participation.objects.filter(owner=owner)
        .order_by("interaction_id", "person_id")
        .values_list("interaction_id", "person_id")
    ):
        participants[interaction_id].append(uuids[pid])
    interactions = [
        {
            "uuid": _db_uuid(row[1]),
            "occurred_at": _db_iso(row[2]),
            "kind": row[3],
            "direction": row[4],
            "summary": row[5],
            "notes": row[6],
            "organization": org_names.get(row[7]),
            "people": sorted(participants.get(row[0], [])),
            "source": row[8],
            "external_key": row[9],
            "created_at": _db_iso(row[10]),
        }
        for row in _raw(
            Interaction.objects.filter(owner=owner)
            .order_by("pk")
            .values_list(
                "pk",
                "uuid",
                "occurred_at",
                "kind",
                "direction",
                "summary",
                "notes",
                "organisation_id",
                "source",
                "external_key",
                "created_at",
            )
        )
    ]
    return {
        "format": circleback_json.FORMAT,
        "version": circleback_json.VERSION,
        "exported_at": timezone.now().isoformat(),
        "organizations": [
            {
                **{k: v for k, v in o.items() if k not in ("pk", "uuid", "created_at")},
                "uuid": str(o["uuid"]),
                "created_at": _iso(o["created_at"]),
            }
            for o in organisations
        ],
        "people": people_out,
        "ties": ties,
        "interactions": interactions,
    }


def export_json(*, owner: User) -> bytes:
    with _rows.collector_paused():
        return circleback_json.write(backup_document(owner=owner))


def person_records(*, owner: User) -> list[PersonRecord]:
    """The owner's people as records, for the vCard and CSV writers."""
    org_names = dict(Organisation.objects.filter(owner=owner).values_list("pk", "name"))
    emails, phones, links = _details(owner)
    tags = _tags(owner)
    photos = _photos(owner)
    records = []
    for p in Person.objects.filter(owner=owner).order_by("full_name", "pk").values(*_PERSON_FIELDS):
        pid = p["pk"]
        record = PersonRecord(
            uuid=str(p["uuid"]),
            full_name=p["full_name"],
            given_name=p["given_name"],
            family_name=p["family_name"],
            organisation=org_names.get(p["organisation_id"], ""),
            title=p["title"],
            notes=p["notes"],
            tags=tags.get(pid, []),
            contact_list=p["contact_list"],
            location=p["location"],
            met_on=p["met_on"],
            birthday_year=p["birthday_year"],
            birthday_month=p["birthday_month"],
            birthday_day=p["birthday_day"],
            emails=[e["address"] for e in emails.get(pid, [])],
            phones=[x["number"] for x in phones.get(pid, [])],
            links=[x["url"] for x in links.get(pid, [])],
        )
        for detail in emails.get(pid, []):
            if detail["label"]:
                record.labels[detail["address"]] = detail["label"]
        for detail in phones.get(pid, []):
            if detail["label"]:
                record.labels[detail["number"]] = detail["label"]
        if pid in photos:
            record.photo_content_type, record.photo = photos[pid]
        records.append(record)
    return records


def export_vcard(*, owner: User, version: str = "4.0") -> bytes:
    return vcard.write(person_records(owner=owner), version=version)


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


def export_csv(*, owner: User) -> bytes:
    """One row a person; several emails, phones, links or tags in a cell are joined by " ; "."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in person_records(owner=owner):
        birthday = ""
        if r.birthday_month and r.birthday_day:
            year = f"{r.birthday_year:04d}" if r.birthday_year else "-"
            birthday = f"{year}-{r.birthday_month:02d}-{r.birthday_day:02d}"
        writer.writerow(
            [
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
                birthday,
                r.notes,
                r.uuid,
            ]
        )
    # A BOM so spreadsheet programs read the UTF-8 as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


EXPORTERS = {"json": "application/json", "vcard": "text/vcard", "csv": "text/csv"}


def export(*, owner: User, format: str, vcard_version: str = "4.0") -> bytes:
    if format == "json":
        return export_json(owner=owner)
    if format == "vcard":
        return export_vcard(owner=owner, version=vcard_version)
    if format == "csv":
        return export_csv(owner=owner)
    raise ValueError(f"{format!r} is not an export format; use json, vcard or csv.")
