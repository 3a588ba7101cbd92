"""Bringing a network in: one service that detects, dedupes, merges and writes an import.

Parsers hand over records; `import_file` does everything else inside ONE transaction, with
bulk reads and writes only (a 30,000-row LinkedIn export is a few dozen queries, not 30,000):

* Strong keys decide identity: the same LinkedIn profile URL or personal email address
  (case-insensitive) is the same person, within the file and against the database: merged,
  keeping every distinct value. A record with neither is the same as someone already in the
  network with exactly their name at the same organisation, so that importing a file twice
  changes nothing; two records of one file are never merged without a strong key.
* Weak signs only pair people as *possible duplicates*, stored for review with the reason: a
  shared phone number (offices and families share them), a shared role address (info@,
  office@ …), similar names at the same organisation.
* A dry run (the upload's preview too) is the same work done as a read: every decision is
  the import's own, made by the same code, and the rows it would write are only counted
  (`_Recorder`), so no write lock is taken and other saves go on meanwhile. A whole-account
  backup's dry run, whose other sections the backup area restores, is the import rolled back.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import uuid as uuid_module
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from circleback.accounts.models import User
from circleback.db import bulk
from circleback.interchange import _rows
from circleback.interchange.formats import detect, module_for
from circleback.interchange.models import ImportUpload, PossibleDuplicate
from circleback.interchange.records import (
    MAX_IMPORT_BYTES,
    InteractionRecord,
    InterchangeError,
    OrganisationRecord,
    ParseResult,
    PersonRecord,
    Problem,
    Skipped,
    max_import_bytes,
)
from circleback.interchange.upload_files import upload_discard, upload_open, uploads_sweep
from circleback.journal.models import Interaction, Participation
from circleback.journal.services import search_index_new_interactions
from circleback.people.contact import MAX_DETAILS, is_role_address
from circleback.people.employers import employment_title, is_employer_key, is_no_employer_key
from circleback.people.models import (
    Closeness,
    ContactList,
    Email,
    Link,
    Organisation,
    Person,
    Phone,
    Photo,
    Source,
    Stage,
    Tag,
    Tie,
)
from circleback.people.services.index import search_index_new_people, search_index_people
from circleback.people.services.people import RoleSeen, is_new_role, role_changes_note
from circleback.people.services.tags import _clean_tag_names, tags_get_or_create
from circleback.text import fold, normalize_org_name, role_words, split_full_name

_CHUNK = 900
# People are matched and written this many records at a time: what an import holds besides
# the records and the keys dedupe compares stays the same whatever the file's size, and the
# database writes one batch while the next is prepared.
BATCH = 5000
_SOURCES = frozenset(Source.values)
_INTERACTION_KINDS = frozenset(Interaction.Kind.values)
_INTERACTION_COLUMNS = (
    "owner_id",
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

# The columns an import writes for a new person, in the order of the rows it builds.
_PERSON_COLUMNS = (
    "owner_id",
    "uuid",
    "contact_list",
    "full_name",
    "given_name",
    "family_name",
    "title",
    "organisation_id",
    "location",
    "how_we_met",
    "met_on",
    "closeness",
    "cadence_days",
    "is_decision_maker",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "notes",
    "source",
    "last_contact_at",
    "created_at",
    "updated_at",
)
# What a merge may change on someone already in the network.
_MERGE_COLUMNS = (
    "full_name",
    "given_name",
    "family_name",
    "title",
    "organisation_id",
    "location",
    "how_we_met",
    "met_on",
    "closeness",
    "cadence_days",
    "is_decision_maker",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "notes",
    "last_contact_at",
)

# What a merge reads of them: those, and when they last changed (an older file's role is
# not taken over theirs).
_READ_COLUMNS = (*_MERGE_COLUMNS, "updated_at")

_PERSON_AT = {column: at for at, column in enumerate(_PERSON_COLUMNS)}

SOURCE_OF_FORMAT = {
    "linkedin": Source.LINKEDIN,
    "vcard": Source.VCARD,
    "google-csv": Source.GOOGLE,
    "outlook-csv": Source.OUTLOOK,
    "json": Source.BACKUP,
}

Progress = Callable[[str, int, int], None]
# The stages an import reports progress in, in order, as the CLI and the web app name them.
STAGES = {
    "read": "Reading the file",
    "people": "Matching and adding people",
    "journal": "Writing journal entries",
    "index": "Updating search",
}
# A job tracker's applications go in two.
APPLICATION_STAGES = {"read": "Reading the file", "applications": "Adding applications"}


class BrokenRecordsError(InterchangeError):
    """Some records could not be read; nothing was imported (the user may skip them)."""

    def __init__(self, skipped: Sequence[Skipped]) -> None:
        self.skipped = list(skipped)
        broken = [s for s in skipped if s.broken]
        first = "; ".join(f"{s.where}: {s.reason.rstrip('.')}" for s in broken[:3])
        more = f" (and {len(broken) - 3} more)" if len(broken) > 3 else ""
        super().__init__(
            f"{len(broken)} record{'s' if len(broken) != 1 else ''} could not be read — "
            f"{first}{more}. Nothing was imported; fix the file, or skip the broken records "
            "(--skip-bad)."
        )


@dataclass
class ImportReport:
    format: str
    dry_run: bool = False
    created: int = 0
    merged: int = 0
    unchanged: int = 0
    merged_within_file: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    possible_duplicates: list[dict[str, str]] = field(default_factory=list)
    # People already here whom the file shows in a new role: {"where", "person", "before",
    # "after"}, roles written "Title at Organisation".
    role_changes: list[dict[str, str]] = field(default_factory=list)
    organisations_created: int = 0
    interactions_created: int = 0
    interactions_unchanged: int = 0
    ties_created: int = 0
    # What a version-2 backup restored besides people and the journal, by section.
    restored: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def broken(self) -> list[Skipped]:
        return [s for s in self.skipped if s.broken]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "dry_run": self.dry_run,
            "created": self.created,
            "merged": self.merged,
            "unchanged": self.unchanged,
            "merged_within_file": self.merged_within_file,
            "skipped": [
                {"where": s.where, "reason": s.reason, "broken": s.broken} for s in self.skipped
            ],
            "problems": [
                {"where": p.where, "value": p.value, "reason": p.reason} for p in self.problems
            ],
            "possible_duplicates": self.possible_duplicates,
            "role_changes": self.role_changes,
            "organisations_created": self.organisations_created,
            "interactions_created": self.interactions_created,
            "interactions_unchanged": self.interactions_unchanged,
            "ties_created": self.ties_created,
            "restored": self.restored,
            "seconds": round(self.seconds, 3),
        }


# Set by circleback.backup when it loads: restores a version-2 backup's other sections
# (meetings, loops, favours, settings…) inside the import's transaction. Interchange knows
# people and the journal; the backup above the areas knows every model.
_backup_restorer: Callable[[Any, bool], None] | None = None


def register_backup_restorer(restorer: Callable[[Any, bool], None]) -> None:
    global _backup_restorer
    _backup_restorer = restorer


def backup_alias(owner_id: int, uuid: str) -> str:
    """The uuid a backup's row gets in this account when another account already holds its
    own: always the same one, so restoring the backup again finds it."""
    return str(uuid_module.uuid5(uuid_module.NAMESPACE_URL, f"circleback:{owner_id}:{uuid}"))


def parse_file(
    data: bytes | IO[bytes], format: str = "auto", *, stream: bool = False
) -> tuple[str, ParseResult]:
    """(format name, records) for these bytes or this binary file (seekable), or
    InterchangeError saying what was expected. With `stream`, a format that can leaves its
    people pending (ParseResult.pending), to be read as they are written; a Circleback
    backup given as a file is then read from it a buffer at a time, never held whole."""
    if isinstance(data, bytes | bytearray):
        head, size = bytes(data[: 256 * 1024]), len(data)
    else:
        data.seek(0)
        head = data.read(256 * 1024)
        size = data.seek(0, io.SEEK_END)
        data.seek(0)
    limit = max_import_bytes(head)
    if size > limit:
        raise InterchangeError(
            f"This file is {size / 1024 / 1024:.0f} MB; Circleback imports files of at "
            f"most {limit // 1024 // 1024} MB. Split it, or export less at a time."
        )
    if not head.strip():
        raise InterchangeError("This file is empty; there is nothing to import.")
    name = detect(head) if format == "auto" else format
    module = module_for(name)
    if stream and hasattr(module, "stream"):
        if not isinstance(data, bytes | bytearray) and name != "json":
            data = data.read()  # the CSV readers take bytes (at most 50 MB)
        return name, module.stream(data)
    if not isinstance(data, bytes | bytearray):
        data = data.read()
    return name, module.parse(data)


def import_file(
    *,
    owner: User,
    data: bytes | IO[bytes],
    format: str = "auto",
    contact_list: str | None = None,
    tags: Sequence[str] = (),
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file into the owner's network in one transaction and report what it did.
    `data` is the file's bytes or a binary file open on it (seekable); a backup given as a
    file is read from it as it is restored, never held whole.

    Refuses (InterchangeError, nothing written) a file that is not what it claims or is too
    big; refuses (BrokenRecordsError) a file with unreadable records unless `skip_bad`. A dry
    run is exactly this import rolled back: the same report, the same refusals.
    """
    started = time.perf_counter()
    letter = (contact_list or "").strip().upper()
    if letter and letter not in ContactList.values:
        raise ValidationError({"contact_list": f"{contact_list!r} is not a list; use A, B or C."})
    tag_names = _clean_tag_names(tags)
    with _rows.collector_paused(), bulk.sqlite_room():
        report = _import(owner, data, format, letter, tag_names, dry_run, skip_bad, progress)
    report.seconds = time.perf_counter() - started
    return report


def _import(
    owner: User,
    data: bytes | IO[bytes],
    format: str,
    letter: str,
    tag_names: list[str],
    dry_run: bool,
    skip_bad: bool,
    progress: Progress | None,
) -> ImportReport:
    # A CSV export (LinkedIn, Google, Outlook) is read as it is written: the database starts
    # on the first rows while the rest are parsed, and only a batch of records is held at a
    # time.
    name, parsed = parse_file(data, format, stream=True)
    report = ImportReport(format=name, dry_run=dry_run)
    report.skipped = parsed.skipped  # a streaming parser adds to these as it reads
    report.problems = parsed.problems
    refuse_broken = not skip_bad
    if parsed.broken and refuse_broken:
        raise BrokenRecordsError(parsed.skipped)
    if progress:
        progress("read", 1, 1)
    if dry_run and parsed.backup is None:
        # A read, outside any transaction: on SQLite a transaction begins IMMEDIATE, taking
        # the write lock every other save would wait for.
        _Importer(
            owner, parsed, report, name, letter, tag_names, progress, refuse_broken, dry=True
        ).run()
        if refuse_broken and parsed.broken:  # a streamed backup's broken tie or entry
            raise BrokenRecordsError(parsed.skipped)
        return report
    with transaction.atomic():
        # Refusing a broken record found while streaming rolls back what was written.
        importer = _Importer(
            owner, parsed, report, name, letter, tag_names, progress, refuse_broken
        )
        importer.run()
        if parsed.backup is not None and _backup_restorer is not None:
            # The rest of a whole-account backup, above the areas (circleback.backup).
            _backup_restorer(importer, refuse_broken)
        if refuse_broken and parsed.broken:
            # A streamed backup's broken tie or entry, found once its people were written.
            raise BrokenRecordsError(parsed.skipped)
        if dry_run:
            transaction.set_rollback(True)
    return report


def upload_import(
    *, upload: ImportUpload, skip_bad: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Import a previewed upload and record the outcome on it: the report and time taken,
    the file itself removed once the import is committed. The file is read from the data
    folder as it is imported (upload_files), never whole. A file that can't be imported
    goes back to its preview with the reason (InterchangeError is raised after recording
    it); nothing was written.
    """
    started = time.perf_counter()
    try:
        file = upload_open(upload.uuid)
        if file is None:
            raise InterchangeError(
                "The uploaded file is no longer here (a preview is kept for a day); "
                "upload it again."
            )
        with file:
            if upload.format == "job-tracker-csv":  # applications, not people
                from circleback.interchange.applications import applications_import

                report = applications_import(
                    owner=upload.owner, data=file.read(), skip_bad=skip_bad, progress=progress
                )
            else:
                report = import_file(
                    owner=upload.owner,
                    data=file,
                    format=upload.format,
                    contact_list=upload.contact_list or None,
                    tags=upload.tags,
                    skip_bad=skip_bad,
                    progress=progress,
                )
    except InterchangeError as exc:
        upload.status = ImportUpload.Status.PREVIEWED
        upload.error = str(exc)
        upload.save(update_fields=["status", "error"])
        raise
    upload.took_ms = int((time.perf_counter() - started) * 1000)
    upload.status = ImportUpload.Status.IMPORTED
    upload.report = report.as_json()
    upload.size = 0  # the file is not kept once its people are in
    upload.error = ""
    upload.save(update_fields=["took_ms", "status", "report", "size", "error"])
    # Removed when the import is committed: rolled back, the preview can still be confirmed.
    transaction.on_commit(partial(upload_discard, upload.uuid))
    return report


# --- the work -------------------------------------------------------------------------------


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


_LINKEDIN_PROFILE = ("linkedin.com/in/", "linkedin.com/pub/")
_NO_OVERFLOW: dict[str, int] = {}  # never written: only a person who could overflow counts
# A phone number with fewer digits than this (an extension, "92011") pairs no one.
_MIN_PHONE_DIGITS = 7
# A phone or role address shared by more people than this is a switchboard: offered for
# review, it would bury the real possible duplicates.
_MAX_SHARED = 12


def _strong_keys(record: PersonRecord, keys: _rows.Keys) -> list[str]:
    """The keys that decide identity: personal email addresses and LinkedIn profiles."""
    found = []
    for address in record.emails:
        key = _rows.email_key(address)
        if not is_role_address(key):
            found.append("e:" + key)
    for url in record.links:
        normalized = keys.link(url)[0]
        if normalized.startswith(_LINKEDIN_PROFILE):
            found.append("l:" + normalized)
    return found


def _weak_keys(record: PersonRecord, keys: _rows.Keys, written: dict[str, str]) -> list[str]:
    """Signs that two people may be one, for review only: phones and role addresses.
    `written` learns how the file wrote each phone, to name it so in the reason."""
    found = []
    for number in record.phones:
        key = keys.phone(number)
        if sum(c.isdigit() for c in key) >= _MIN_PHONE_DIGITS:
            found.append("p:" + key)
            written.setdefault("p:" + key, number)
    for address in record.emails:
        key = _rows.email_key(address)
        if is_role_address(key):
            found.append("r:" + key)
    return found


def _describe(key: str, written: dict[str, str] | None = None) -> str:
    """Why a key pairs two people, in words: "share the phone number (425) 555-0100"."""
    kind, value = key[0], key[2:]
    if kind == "p":
        return f"share the phone number {(written or {}).get(key, value)}"
    if kind == "r":
        return f"share the role address {value}"
    if kind == "e":
        return f"share the email address {value}"
    if kind == "l":
        return f"share the LinkedIn profile {value}"
    return "share an email address or LinkedIn profile"


def _name_key(full_name: str, org_key: str) -> str:
    return f"n:{' '.join(fold(full_name).split())}|{org_key}"


def _similar_key(given: str, family: str, folded: dict[str, str]) -> str:
    """Family name and given initial, folded; `folded` remembers each name's folding (a
    network repeats the same names many times)."""
    family_key = folded.get(family)
    if family_key is None:
        family_key = folded[family] = " ".join(fold(family).split())
    given_key = folded.get(given)
    if given_key is None:
        given_key = folded[given] = " ".join(fold(given).split())
    given_key = given_key[:1]
    return f"{family_key}|{given_key}" if family_key and given_key else ""


def _role_words(title: str, organisation: str) -> str:
    """A role as the preview says it: "Head of Product at Acme"."""
    return role_words(title, organisation) or "no title or organisation"


_TEXT_CONFLICTS = {
    "full_name": "full name",
    "title": "title",
    "location": "location",
    "how_we_met": "how we met",
}


class _Current:
    """The merge columns of someone already in the network, read as plain values."""

    __slots__ = ("pk", *_READ_COLUMNS)
    full_name: str
    given_name: str
    family_name: str
    title: str
    organisation_id: int | None
    location: str
    how_we_met: str
    met_on: dt.date | None
    closeness: int
    cadence_days: int | None
    is_decision_maker: bool
    birthday_year: int | None
    birthday_month: int | None
    birthday_day: int | None
    notes: str
    last_contact_at: dt.datetime | None
    updated_at: dt.datetime

    def __init__(self, pk: int, values: Sequence[Any]) -> None:
        self.pk = pk
        for name, value in zip(_READ_COLUMNS, values, strict=True):
            setattr(self, name, value)


class _Combined:
    """One incoming person: a record, with any others of the same file folded into it."""

    def __init__(self, record: PersonRecord) -> None:
        self.record = record
        self.keys: list[str] = []
        self.weak: list[str] = []
        self.aka: list[str] = []
        # Keys that match only people already in the network (a backup's records).
        self.outside: list[str] = []

    def absorb(self, other: PersonRecord) -> None:
        base = self.record
        for name, label in _TEXT_CONFLICTS.items():
            mine, theirs = getattr(base, name), getattr(other, name)
            if not mine:
                setattr(base, name, theirs)
            elif theirs and fold(theirs) != fold(mine):
                self.aka.append(f"{label}: {theirs}")
        for name in ("given_name", "family_name", "contact_list", "photo_content_type"):
            if not getattr(base, name):
                setattr(base, name, getattr(other, name))
        if base.photo is None:
            base.photo = other.photo
        if other.organisation and not base.organisation:
            base.organisation = other.organisation
        elif other.organisation and normalize_org_name(other.organisation) != normalize_org_name(
            base.organisation
        ):
            self.aka.append(f"organisation: {other.organisation}")
        if other.met_on and (base.met_on is None or other.met_on < base.met_on):
            base.met_on = other.met_on
        if base.birthday_month is None and other.birthday_month:
            base.birthday_year = other.birthday_year
            base.birthday_month, base.birthday_day = other.birthday_month, other.birthday_day
        base.emails += [e for e in other.emails if e not in base.emails]
        base.phones += [p for p in other.phones if p not in base.phones]
        base.links += [u for u in other.links if u not in base.links]
        base.tags += [t for t in other.tags if t.lower() not in {x.lower() for x in base.tags}]
        for value, label in other.labels.items():
            base.labels.setdefault(value, label)
        if other.notes.strip() and other.notes.strip() not in base.notes:
            base.notes = "\n\n".join(filter(None, [base.notes.strip(), other.notes.strip()]))
        base.is_decision_maker = base.is_decision_maker or other.is_decision_maker


class _Recorder(bulk.WriteBehind):
    """Where a dry run's writes go: nowhere. It keeps only what the import would read back
    from the rows it wrote (the people's links, which tags they were given, the rows of the
    people it added), and hands out ids no row has, so every decision is the real one."""

    def __init__(self) -> None:
        self.links: list[tuple[str, int]] = []  # (normalised url, person id), in order
        self.tagged: set[tuple[int, int]] = set()
        self.people: dict[int, tuple[Any, ...]] = {}  # id -> the row a new person would be
        self.photos: set[int] = set()
        self._next: dict[type[models.Model], int] = {}

    def insert_rows(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        now: dt.datetime | None = None,
    ) -> None:
        if model is Link:
            at, pid = columns.index("normalized"), columns.index("person_id")
            self.links += [(row[at], row[pid]) for row in rows]
        elif model is Person.tags.through:
            self.tagged.update((row[0], row[1]) for row in rows)
        elif model is Person:
            self.people.update((row[0], tuple(row[1:])) for row in rows)
        elif model is Photo:
            self.photos.update(row[0] for row in rows)

    def update_rows(self, *args: Any) -> None:
        """What bulk.update_rows would have changed: nothing a dry run reads back."""

    def ids(self, model: type[models.Model], count: int) -> list[int]:
        """`count` ids past every row of `model`, as bulk.reserve_ids gives the import."""
        start = self._next.get(model)
        if start is None:
            start = bulk.max_pk(model) + 1
        self._next[model] = start + count
        return list(range(start, start + count))

    def flush(self) -> None:
        pass

    def __enter__(self) -> _Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class _Importer:
    def __init__(
        self,
        owner: User,
        parsed: ParseResult,
        report: ImportReport,
        format_name: str,
        contact_list: str,
        tags: list[str],
        progress: Progress | None,
        refuse_broken: bool = False,
        dry: bool = False,
    ) -> None:
        self.owner = owner
        # A dry run writes nothing: its rows go to a recorder, which keeps what it reads back.
        self.recorder: _Recorder | None = _Recorder() if dry else None
        self._insert = self.recorder.insert_rows if self.recorder else bulk.insert_rows
        self._update = self.recorder.update_rows if self.recorder else bulk.update_rows
        self._tags_made: dict[str, Tag] = {}  # a dry run's new tags, by lower-case name
        self.refuse_broken = refuse_broken
        self.parsed = parsed
        self.report = report
        self.format = format_name
        self.contact_list = contact_list or ContactList.B
        self.tags = tags
        self.progress = progress or (lambda stage, done, total: None)
        self.org_ids: dict[str, int] = {}  # normalised name -> id
        self.org_names: dict[int, str] = {}  # id -> name, of every organisation of the owner
        self.uuid_to_pid: dict[str, int] = {}  # uuids in the file -> the person they became
        self.touched: set[int] = set()
        self.created_ids: set[int] = set()
        self.seen_ids: set[int] = set()  # people already in the network the file names
        self.changed_ids: set[int] = set()  # ... and those of them it changed
        # People already here the file shows in a new role: their role before and after.
        self.new_roles: dict[int, tuple[RoleSeen, str, str]] = {}  # id -> roles, where, name
        # The file was made no earlier than its newest date (a connection, a card's REV).
        self.made_since: dt.date | None = None
        self.now = timezone.now()
        self.keys = _rows.Keys()
        self.org_id_pool: list[int] = []  # reserved for new organisations, not used yet

    # -- helpers ---------------------------------------------------------------------------

    def _reserve(self, model: type[models.Model], count: int) -> list[int]:
        if self.recorder is not None:
            return self.recorder.ids(model, count)
        return bulk.reserve_ids(model, count)

    def _org_id(self, name: str) -> int | None:
        return self.org_ids.get(self.keys.org(name)) if name.strip() else None

    def _employer_key(self, record: PersonRecord) -> str:
        """The key of the record's organisation, or "" when it names no employer
        ("Self-employed", "Retired", "Stealth startup", "N/A"): then the record has no
        organisation and its title keeps what the name said. A backup's names are restored
        as they were."""
        key = self.keys.org(record.organisation)
        if key and (self.format == "json" or is_employer_key(key)):
            return key
        record.no_employer = is_no_employer_key(key)
        record.title = employment_title(record.title, record.organisation)
        record.organisation = ""
        return ""

    @property
    def _refused(self) -> bool:
        """A broken record was read, and this import may not skip it."""
        return self.refuse_broken and bool(self.parsed.broken)

    def run(self) -> None:
        self._organisations()
        records = self.parsed.people
        pending = self.parsed.pending
        # Streamed, the count is an upper bound: enough to reserve ids and show progress.
        self.records_total = total = len(records) + self.parsed.expected
        self._load_owner_people()
        # Read before the writing starts: the tags every record gives, organisation names.
        self.tag_lookup = self._tag_lookup(records)
        self.tags_asked = {" ".join(n.split()).lower() for r in records for n in r.tags}
        introduced: list[tuple[str, str]] = []  # (uuid, introducer's uuid) of the backup
        # From here the records are held a batch at a time: each is let go once written.
        self.parsed.people = []
        records.reverse()
        done = 0
        with self.recorder or bulk.WriteBehind() as self.writer:
            while True:
                batch = [records.pop() for _ in range(min(BATCH, len(records)))]
                if pending is not None and len(batch) < BATCH:
                    batch += islice(pending, BATCH - len(batch))
                if not batch or self._refused:
                    break
                self.progress("people", done, total)
                if pending is not None:
                    self._more_organisations(batch, remaining=total - done)
                    self._more_tags(batch)
                self._date_the_file(batch)
                people = self._combine(batch)
                self._people(people, remaining=total - done)
                done += len(batch)
                introduced += [
                    (c.record.uuid, c.record.introduced_by)
                    for c in people
                    if c.record.introduced_by and c.record.uuid
                ]
                del batch, people
                self.keys.forget_details()
            if not self._refused:
                # While the writer finishes the last batches.
                self._similar_names(self.created_ids)
        if not self._refused:
            self._note_new_roles()
        if self._refused:
            # Found while streaming: read the rest to report every broken record; the
            # transaction is rolled back, nothing written.
            self.parsed.drain()
            raise BrokenRecordsError(self.parsed.skipped)
        self.progress("people", total, total)
        self.report.merged = len(self.changed_ids - self.created_ids)
        self.report.unchanged = len(self.seen_ids - self.created_ids - self.changed_ids)
        if self.recorder is None:
            self._introductions(introduced)  # nothing it does is reported
        self._shared_details()
        self._possible_duplicates()
        self._ties()
        self._interactions()
        if self.recorder is None:
            self.progress("index", 0, 1)
            search_index_people(person_ids=self.touched)
            self.progress("index", 1, 1)

    # -- organisations -------------------------------------------------------------------

    def _organisations(self) -> None:
        records: dict[str, OrganisationRecord] = {}
        for org_record in self.parsed.organisations:
            key = self.keys.org(org_record.name)
            if key:
                records.setdefault(key, org_record)
        for person in self.parsed.people:
            if person.organisation:
                key = self._employer_key(person)
                if key and key not in records:
                    records[key] = OrganisationRecord(name=" ".join(person.organisation.split()))
        for item in self.parsed.interactions:
            if item.organisation:
                key = self.keys.org(item.organisation)
                if key and key not in records:
                    records[key] = OrganisationRecord(name=" ".join(item.organisation.split()))
        existing = {
            o.normalized_name: o
            for o in Organisation.objects.filter(owner=self.owner).only(
                "pk",
                "name",
                "normalized_name",
                "domain",
                "industry",
                "location",
                "is_target",
                "priority",
                "stage",
                "notes",
            )
        }
        # Every one is known by name, so that streamed records find theirs; and by id, for
        # the search documents of people at them.
        self.org_ids.update((key, org.pk) for key, org in existing.items())
        self.org_names.update((org.pk, org.name) for org in existing.values())
        if not records:
            return
        taken = self._taken_uuids(Organisation, [r.uuid for r in records.values() if r.uuid])
        new: list[Organisation] = []
        changed: list[Organisation] = []
        for key, record in records.items():
            org = existing.get(key)
            stage = record.stage if record.stage in Stage.values else Stage.RESEARCHING
            if org is None:
                org = Organisation(
                    owner=self.owner,
                    name=record.name[:200],
                    normalized_name=key[:200],
                    domain=record.domain.strip().lower(),
                    industry=record.industry,
                    location=record.location,
                    is_target=record.is_target,
                    priority=record.priority,
                    stage=stage,
                    notes=record.notes,
                )
                if record.uuid and record.uuid not in taken:
                    org.uuid = uuid_module.UUID(record.uuid)
                org._created_at = record.created_at  # type: ignore[attr-defined]
                new.append(org)
                continue
            dirty = False
            for name in ("domain", "industry", "location"):
                if not getattr(org, name) and getattr(record, name):
                    setattr(org, name, getattr(record, name))
                    dirty = True
            if record.is_target and not org.is_target:
                org.is_target, dirty = True, True
            if record.priority and org.priority is None:
                org.priority, dirty = record.priority, True
            if record.stage in Stage.values and org.stage == Stage.RESEARCHING != record.stage:
                org.stage, dirty = record.stage, True
            if record.notes.strip() and record.notes.strip() not in org.notes:
                org.notes = "\n\n".join(filter(None, [org.notes.strip(), record.notes.strip()]))
                dirty = True
            if dirty:
                changed.append(org)
            self.org_ids[key] = org.pk
        if self.recorder is not None:  # a dry run: ids no row has, nothing written
            for org, pk in zip(new, self.recorder.ids(Organisation, len(new)), strict=True):
                org.pk = pk
        else:
            Organisation.objects.bulk_create(new, batch_size=500)
        self.report.organisations_created = len(new)
        for org in new:
            self.org_ids[org.normalized_name] = org.pk
            self.org_names[org.pk] = org.name
        if self.recorder is not None:
            return
        self._restore_created_at(Organisation, new)
        if changed:
            Organisation.objects.bulk_update(
                changed,
                ["domain", "industry", "location", "is_target", "priority", "stage", "notes"],
                batch_size=500,
            )

    def _more_organisations(self, records: Sequence[PersonRecord], remaining: int) -> None:
        """The organisations of streamed records not known yet, queued for the writer with
        ids reserved beforehand, so the writing need not wait for them."""
        new: dict[str, str] = {}
        for record in records:
            if record.organisation:
                key = self._employer_key(record)
                if key and key not in self.org_ids and key not in new:
                    new[key] = " ".join(record.organisation.split())[:200]
        if not new:
            return
        if len(self.org_id_pool) < len(new):
            self.writer.flush()
            # As many as the rest of the file could name, so this is done once.
            self.org_id_pool = self._reserve(Organisation, max(len(new), remaining))
        ids, self.org_id_pool = self.org_id_pool[: len(new)], self.org_id_pool[len(new) :]
        rows = []
        for pk, uuid, (key, name) in zip(
            ids, bulk.random_uuids(len(new)), new.items(), strict=True
        ):
            self.org_ids[key] = pk
            self.org_names[pk] = name
            rows.append((pk, self.owner.pk, uuid, name, key[:200]))
        self.writer.insert_rows(
            Organisation, ("id", "owner_id", "uuid", "name", "normalized_name"), rows, now=self.now
        )
        self.report.organisations_created += len(new)

    def _more_tags(self, records: Sequence[PersonRecord]) -> None:
        """Make the tags streamed records give that no earlier batch gave."""
        asked = self.tags_asked
        fresh = {
            " ".join(name.split()).lower() for record in records for name in record.tags
        } - asked
        if not fresh:
            return
        asked |= fresh
        self.writer.flush()
        found = self._tag_lookup(records)
        if found is not None and self.tag_lookup is not None:
            self.tag_lookup[0].update(found[0])
            self.tag_lookup[1].update(found[1])
        elif found is not None:
            self.tag_lookup = found

    @staticmethod
    def _taken_uuids(model: type[models.Model], values: list[str]) -> set[str]:
        """Of these uuids, the ones some row of `model` already has (whoever owns it)."""
        taken: set[str] = set()
        for chunk in _chunks(values):
            taken.update(
                str(u)
                for u in model._default_manager.filter(uuid__in=list(chunk)).values_list(
                    "uuid", flat=True
                )
            )
        return taken

    @staticmethod
    def _restore_created_at(model: type[models.Model], rows: Sequence[models.Model]) -> None:
        """A backup keeps when each row was first added; auto_now_add can't be told that."""
        dated = [r for r in rows if getattr(r, "_created_at", None)]
        for row in dated:
            row.created_at = row._created_at  # type: ignore[attr-defined]
        # One UPDATE by primary key, executed for many rows: bulk_update's CASE over 500 ids
        # a statement took most of a restore (13 s of 50 for 2,000 people and their ties).
        bulk.update_rows(model, ["created_at"], [(r.pk, r.created_at) for r in dated])  # type: ignore[attr-defined]

    # -- people --------------------------------------------------------------------------

    def _combine(self, records: Sequence[PersonRecord]) -> list[_Combined]:
        """Fold records of the same person within a batch together (union by shared strong
        key); one in a later batch matches the person an earlier one became, as if already
        known. Records the file keeps apart without a strong key stay apart."""
        combined: list[_Combined] = []
        owner_of_key: dict[str, _Combined] = {}
        for record in records:
            if not record.full_name:
                record.full_name = record.display_name()
            if not (record.given_name or record.family_name):
                record.given_name, record.family_name = split_full_name(record.full_name)
            keys = _strong_keys(record, self.keys)
            # Matched against the network by exact name, never within the file.
            name_key = (
                "" if keys else _name_key(record.full_name, self.keys.org(record.organisation))
            )
            outside: list[str] = []
            if record.uuid:
                # A backup's own id decides who is who within it: two people it keeps apart
                # stay apart, whatever they share. Their strong keys still find them among
                # people already in the network (restoring into a populated account merges
                # as imports do); names never do.
                keys, outside, name_key = [f"u:{record.uuid}"], keys, ""
            weak = (
                _weak_keys(record, self.keys, self.written)
                if record.phones or record.emails
                else []
            )
            if not keys:
                item = _Combined(record)
                item.keys.append(name_key)
                item.weak = weak
                combined.append(item)
                continue
            targets: list[_Combined] = []
            for key in keys:
                target = owner_of_key.get(key)
                if target is not None and all(target is not t for t in targets):
                    targets.append(target)
            if not targets:
                item = _Combined(record)
                item.outside = outside
                combined.append(item)
            else:
                item = targets[0]
                item.absorb(record)
                self.report.merged_within_file += 1
                for other in targets[1:]:
                    # This record joins two people of the file: they are one.
                    item.absorb(other.record)
                    item.aka += other.aka
                    item.weak += other.weak
                    for key in other.keys:
                        owner_of_key[key] = item
                        item.keys.append(key)
                    combined.remove(other)
                    self.report.merged_within_file += 1
            item.weak += [k for k in weak if k not in item.weak]
            if record.uuid:
                self.uuid_to_pid.setdefault(record.uuid, -1)
            for key in keys:
                if owner_of_key.get(key) is not item:
                    owner_of_key[key] = item
                    item.keys.append(key)
            if name_key and name_key not in item.keys:
                item.keys.append(name_key)
        return combined

    def _load_owner_people(self) -> None:
        """Everything dedupe compares, for all the owner's people, in a few queries (names:
        `_load_name_keys`, when some incoming person has no email, phone or link)."""
        self.by_key: dict[str, int] = {}  # strong keys
        self.weak: dict[str, set[int]] = defaultdict(set)  # weak keys -> who has them
        self.written: dict[str, str] = {}  # a phone's key -> as first written
        self.details: dict[int, set[str]] = defaultdict(set)
        self.names_loaded = False
        by_key, weak, details = self.by_key, self.weak, self.details
        for normalized, pid in Email.objects.filter(owner=self.owner).values_list(
            "normalized", "person_id"
        ):
            key = "e:" + normalized
            details[pid].add(key)
            if is_role_address(normalized):
                weak["r:" + normalized].add(pid)
            else:
                by_key.setdefault(key, pid)
        for normalized, pid, number in Phone.objects.filter(owner=self.owner).values_list(
            "normalized", "person_id", "number"
        ):
            key = "p:" + normalized
            details[pid].add(key)
            if sum(c.isdigit() for c in normalized) >= _MIN_PHONE_DIGITS:
                weak[key].add(pid)
                self.written.setdefault(key, number)
        for normalized, pid in Link.objects.filter(owner=self.owner).values_list(
            "normalized", "person_id"
        ):
            key = "l:" + normalized
            details[pid].add(key)
            if normalized.startswith(_LINKEDIN_PROFILE):
                by_key.setdefault(key, pid)
        self.people_rows: dict[int, tuple[str, str, str, int | None]] = {}
        people = Person.objects.filter(owner=self.owner).values_list(
            "pk", "full_name", "given_name", "family_name", "organisation_id"
        )
        for pid, full_name, given, family, org_id in people:
            self.people_rows[pid] = (full_name, given, family, org_id)
        self.ids: list[int] = []  # reserved for new people, not used yet
        self.currents: dict[int, _Current] | None = None

    def _load_name_keys(self) -> None:
        """Name keys of the people who were in the network before this import."""
        if self.names_loaded:
            return
        self.names_loaded = True
        org_keys = {pk: key for key, pk in self.org_ids.items()}
        if any(o is not None and o not in org_keys for *_n, o in self.people_rows.values()):
            self.writer.flush()
            org_keys.update(
                Organisation.objects.filter(owner=self.owner).values_list("pk", "normalized_name")
            )
        for pid, (full_name, _given, _family, org_id) in self.people_rows.items():
            if pid in self.created_ids:
                continue
            org_key = org_keys.get(org_id, "") if org_id else ""
            # Only people without any detail are matched by name (see the module docstring).
            self.by_key.setdefault(_name_key(full_name, org_key), pid)
            if org_key and not is_employer_key(org_key):
                # Put at "Self-employed" by an older import: the file now names no employer.
                self.by_key.setdefault(_name_key(full_name, ""), pid)

    def _people(self, people: list[_Combined], remaining: int) -> None:
        if any(k.startswith("n:") for c in people for k in c.keys):
            self._load_name_keys()
        uuids = [c.record.uuid for c in people if c.record.uuid]
        owned_uuids: dict[str, int] = {}
        taken: set[str] = set()
        if uuids:
            self.writer.flush()
            # A backup's uuid, or the alias it was given here when another account held it.
            of_alias = {backup_alias(self.owner.pk, u): u for u in uuids}
            rows = bulk.uuid_owners(Person, [*uuids, *of_alias])
            owned_uuids = {
                of_alias.get(u, u): pk
                for u, (pk, owner_id) in rows.items()
                if owner_id == self.owner.pk
            }
            taken = {u for u in uuids if u not in owned_uuids and u in rows}
        new_people: list[tuple[_Combined, tuple[Any, ...]]] = []
        matches: list[tuple[_Combined, int]] = []
        by_key = self.by_key
        fresh = iter(bulk.random_uuids(len(people)))
        for item in people:
            pid = owned_uuids.get(item.record.uuid) if item.record.uuid else None
            found = {by_key[k]: k for k in item.keys if k in by_key}
            for k in item.outside:
                if k in by_key and by_key[k] not in self.created_ids:
                    found.setdefault(by_key[k], k)
            if pid is None and found:
                pid = min(found)
            if pid is not None:
                for other, key in sorted(found.items()):
                    if other != pid:
                        # The record names two people of the network: they may be one.
                        self._propose(pid, other, _describe(key))
            if pid is not None:
                matches.append((item, pid))
            else:
                new_people.append((item, self._new_person(item, taken, next(fresh))))
        if new_people:
            self._create_people(new_people, remaining)
        self._merge_into_existing(matches)

    def _new_person(self, item: _Combined, taken: set[str], fresh_uuid: str) -> tuple[Any, ...]:
        """The row of a new person, in the order of _PERSON_COLUMNS; `fresh_uuid` is theirs
        unless the record brings its own."""
        record = item.record
        notes = record.notes
        if item.aka:
            notes = "\n\n".join(filter(None, [notes, "Also known as — " + "; ".join(item.aka)]))
        source = record.source if record.source in _SOURCES else Source.MANUAL
        if self.format != "json":
            source = SOURCE_OF_FORMAT.get(self.format, source)
        uuid: uuid_module.UUID | str = fresh_uuid
        if record.uuid:
            uuid = uuid_module.UUID(
                backup_alias(self.owner.pk, record.uuid) if record.uuid in taken else record.uuid
            )
        return (
            self.owner.pk,
            uuid,
            record.contact_list or self.contact_list,
            record.full_name[:200],
            record.given_name[:100],
            record.family_name[:100],
            record.title[:200],
            self._org_id(record.organisation),
            record.location[:200],
            record.how_we_met,
            record.met_on,
            record.closeness or Closeness.ACQUAINTANCE,
            record.cadence_days,
            record.is_decision_maker,
            record.birthday_year,
            record.birthday_month,
            record.birthday_day,
            notes,
            source,
            record.last_contact_at,
            record.created_at or self.now,
            self.now,
        )

    def _take_ids(self, count: int, remaining: int) -> list[int]:
        """Ids for `count` new people: reserved once for as many as the rest of the file
        could add, so the writing need not wait for another reservation."""
        if len(self.ids) < count:
            self.writer.flush()
            self.ids = self._reserve(Person, max(count, remaining))
        taken, self.ids = self.ids[:count], self.ids[count:]
        return taken

    def _create_people(
        self, new_people: list[tuple[_Combined, tuple[Any, ...]]], remaining: int
    ) -> None:
        """Queue the new people and their details, one statement per table and batch, with
        ids reserved beforehand so every row is made while the rows before are written."""
        ids = self._take_ids(len(new_people), remaining)
        writer = self.writer
        writer.insert_rows(
            Person,
            ("id", *_PERSON_COLUMNS),
            ((pid, *row) for pid, (_item, row) in zip(ids, new_people, strict=True)),
            now=self.now,
        )
        emails: list[tuple[Any, ...]] = []
        phones: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        photos: list[tuple[Any, ...]] = []
        pairs: list[tuple[PersonRecord, int]] = []
        people_rows, by_key, details = self.people_rows, self.by_key, self.details
        for pid, (item, row) in zip(ids, new_people, strict=True):
            record = item.record
            pairs.append((record, pid))
            have = details[pid]
            self._add_details(record, pid, have, emails, phones, links)
            if record.photo and record.photo_content_type:
                photos.append((pid, record.photo_content_type, record.photo))
            if record.uuid:
                self.uuid_to_pid[record.uuid] = pid
            people_rows[pid] = (row[3], row[4], row[5], row[7])
            # Later batches find them as the file's earlier rows would have been found (by
            # strong keys: records the file keeps apart stay apart).
            for key in item.keys:
                if key[0] != "n":
                    by_key.setdefault(key, pid)
            for key in item.weak:
                self.weak[key].add(pid)
        self._write_details(emails, phones, links, photos, writer)
        tag_names: dict[int, list[str]] = defaultdict(list)
        self._add_tags(pairs, set(), tag_names, self.tag_lookup, writer)
        self._index_new_people(new_people, ids, emails, tag_names, self.org_names, writer)
        self.created_ids.update(ids)
        self.report.created += len(ids)

    def _index_new_people(
        self,
        new_people: list[tuple[_Combined, tuple[Any, ...]]],
        ids: list[int],
        emails: list[tuple[Any, ...]],
        tag_names: dict[int, list[str]],
        org_names: dict[int, str],
        writer: bulk.WriteBehind,
    ) -> None:
        """Search documents of the people just written, from the rows in hand rather than
        read back (most of the time of indexing them)."""
        addresses: dict[int, list[str]] = defaultdict(list)
        for _owner, pid, _label, _position, _normalized, address in emails:
            addresses[pid].append(address)
        search_index_new_people(
            entries=[
                (
                    row[0],
                    pid,
                    [row[3], row[4], row[5]],
                    [row[6], org_names.get(row[7], ""), row[8], row[9], row[17]],
                    addresses.get(pid, []),
                    tag_names.get(pid, []),
                )
                for pid, (_item, row) in zip(ids, new_people, strict=True)
            ],
            writer=writer,
        )

    def _write_details(
        self,
        emails: list[tuple[Any, ...]],
        phones: list[tuple[Any, ...]],
        links: list[tuple[Any, ...]],
        photos: list[tuple[Any, ...]],
        writer: bulk.WriteBehind | None = None,
    ) -> None:
        insert = writer.insert_rows if writer is not None else self._insert
        detail = ("owner_id", "person_id", "label", "position", "normalized")
        insert(Email, (*detail, "address"), emails, now=self.now)
        insert(Phone, (*detail, "number"), phones, now=self.now)
        insert(Link, (*detail, "url", "kind"), links, now=self.now)
        insert(Photo, ("person_id", "content_type", "data"), photos, now=self.now)

    def _add_details(
        self,
        record: PersonRecord,
        pid: int,
        have: set[str],
        emails: list[tuple[Any, ...]],
        phones: list[tuple[Any, ...]],
        links: list[tuple[Any, ...]],
    ) -> bool:
        """Queue the record's details the person lacks (rows for _write_details), at most
        MAX_DETAILS of each kind a person (the rest reported); True if there were any."""
        position = len(have)
        added = False
        owner_id = self.owner.pk
        labels = record.labels
        # Only someone who could pass the limit pays for counting (MAX_DETAILS of a kind).
        full = len(have) + len(record.emails) + len(record.phones) + len(record.links) > (
            MAX_DETAILS
        )
        over: dict[str, int] = {} if full else _NO_OVERFLOW
        for address in record.emails:
            key = "e:" + _rows.email_key(address)
            if key not in have:
                if full and self._holds(have, "e"):
                    over["email addresses"] = over.get("email addresses", 0) + 1
                    continue
                have.add(key)
                label = labels.get(address, "")[:40] if labels else ""
                emails.append((owner_id, pid, label, position, key[2:], address))
                position, added = position + 1, True
        for number in record.phones:
            key = "p:" + self.keys.phone(number)
            if key not in have:
                if full and self._holds(have, "p"):
                    over["phone numbers"] = over.get("phone numbers", 0) + 1
                    continue
                have.add(key)
                label = labels.get(number, "")[:40] if labels else ""
                phones.append((owner_id, pid, label, position, key[2:], number))
                position, added = position + 1, True
        for url in record.links:
            normalized, kind = self.keys.link(url)
            key = "l:" + normalized
            if key not in have and len(url) <= 500:
                if full and self._holds(have, "l"):
                    over["links"] = over.get("links", 0) + 1
                    continue
                have.add(key)
                label = labels.get(url, "")[:40] if labels else ""
                links.append((owner_id, pid, label, position, normalized, url, kind))
                position, added = position + 1, True
        for kind, count in over.items() if over else ():
            self.report.problems.append(
                Problem(
                    record.where,
                    f"{count:,} more",
                    f"more {kind} than one person holds ({MAX_DETAILS}); the rest left out",
                )
            )
        return added

    @staticmethod
    def _holds(have: set[str], prefix: str) -> bool:
        """Whether a person already holds as many details of this kind as one may."""
        return sum(1 for key in have if key[0] == prefix) >= MAX_DETAILS

    def _tag_lookup(
        self, records: Sequence[PersonRecord]
    ) -> tuple[dict[str, int], dict[int, str]] | None:
        """The tags these records and the import give, made where missing: (lower-case name
        -> id, id -> name); None when there are none."""
        names = list(self.tags)
        for record in records:
            names.extend(record.tags)
        if not names:
            return None
        get_or_create = tags_get_or_create if self.recorder is None else self._tags_as_if
        try:
            tags = get_or_create(owner=self.owner, names=names)
        except ValidationError:
            tags = get_or_create(
                owner=self.owner, names=[n for n in names if 0 < len(n.strip()) <= 60]
            )
        return {t.name.lower(): t.pk for t in tags}, {t.pk: t.name for t in tags}

    def _tags_as_if(self, *, owner: User, names: Iterable[str]) -> list[Tag]:
        """tags_get_or_create for a dry run: the owner's tags, and the missing ones as they
        would be made (with ids no tag has), nothing written."""
        wanted = _clean_tag_names(names)
        if not wanted:
            return []
        existing = {  # found as tags_get_or_create finds them
            t.name.lower(): t
            for t in Tag.objects.filter(owner=owner).filter(
                models.Q(*[models.Q(name__iexact=n) for n in wanted], _connector=models.Q.OR)
            )
        }
        assert self.recorder is not None
        known = self._tags_made
        missing = [n for n in wanted if n.lower() not in existing and n.lower() not in known]
        for name, pk in zip(missing, self.recorder.ids(Tag, len(missing)), strict=True):
            known[name.lower()] = Tag(pk=pk, owner=owner, name=name)
        return [existing.get(n.lower()) or known[n.lower()] for n in wanted]

    def _add_tags(
        self,
        pairs: list[tuple[PersonRecord, int]],
        existing_ids: set[int],
        names_of: dict[int, list[str]] | None = None,
        lookup: tuple[dict[str, int], dict[int, str]] | None = None,
        writer: bulk.WriteBehind | None = None,
    ) -> set[int]:
        """Give each person their record's tags and the import's; returns who gained one.
        `names_of` (person id -> tag names) is told the names given, in order. With a
        `writer`, the tags must have been looked up already (`lookup`)."""
        if lookup is None and writer is None:
            lookup = self._tag_lookup([record for record, _pid in pairs])
        if lookup is None:
            return set()
        by_name, name_of = lookup
        through = Person.tags.through
        have: set[tuple[int, int]] = set()
        ids = [pid for _, pid in pairs if pid in existing_ids]
        for chunk in _chunks(ids):
            have.update(
                through.objects.filter(person_id__in=list(chunk)).values_list("person_id", "tag_id")
            )
        if self.recorder is not None and ids:  # tags a dry run gave people it added
            wanted = set(ids)
            have.update(pair for pair in self.recorder.tagged if pair[0] in wanted)
        rows = []
        gained: set[int] = set()
        for record, pid in pairs:
            for name in [*record.tags, *self.tags]:
                tag_id = by_name.get(" ".join(name.split()).lower())
                if tag_id is not None and (pid, tag_id) not in have:
                    have.add((pid, tag_id))
                    rows.append((pid, tag_id))
                    gained.add(pid)
                    if names_of is not None:
                        names_of[pid].append(name_of[tag_id])
        insert = writer.insert_rows if writer is not None else self._insert
        insert(through, ("person_id", "tag_id"), rows, now=self.now)
        return gained

    def _merge_into_existing(self, matches: list[tuple[_Combined, int]]) -> None:
        """Fold each incoming person into the one they matched; person_merge's rules: empty
        fields are filled, differing values are kept in the notes, lists gain what's new.
        Compared as plain values; someone with nothing new is not written at all."""
        if not matches:
            return
        self.writer.flush()
        ids = sorted({pid for _, pid in matches})
        persons = self._currents(ids)
        with_photo: set[int] = set()
        if any(item.record.photo for item, _ in matches):
            for chunk in _chunks(ids):
                with_photo.update(
                    Photo.objects.filter(person_id__in=list(chunk)).values_list(
                        "person_id", flat=True
                    )
                )
            if self.recorder is not None:
                with_photo |= self.recorder.photos.intersection(ids)
        changed_fields: set[str] = set()
        changed: dict[int, _Current] = {}
        emails: list[tuple[Any, ...]] = []
        phones: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        photos: list[tuple[Any, ...]] = []
        seen: set[int] = set()
        for item, pid in matches:
            person = persons[pid]
            record = item.record
            # Only the file's first word on someone already here may be a new role; a later
            # row naming them again is another row of the same file, as `_combine` reads it.
            first = pid not in seen and pid not in self.seen_ids and pid not in self.created_ids
            fields = self._merge_fields(person, item, first=first)
            have = self.details[pid]
            if self._add_details(record, pid, have, emails, phones, links):
                fields.add("details")
            if record.photo and record.photo_content_type and pid not in with_photo:
                with_photo.add(pid)
                photos.append((pid, record.photo_content_type, record.photo))
                fields.add("photo")
            if record.uuid:
                self.uuid_to_pid[record.uuid] = pid
            for key in item.weak:
                self.weak[key].add(pid)
            if fields:
                changed[pid] = person
                changed_fields |= fields
            if pid not in seen and (pid in self.created_ids or pid in self.seen_ids):
                # Someone an earlier batch created or met: another row of the same file.
                self.report.merged_within_file += 1
            seen.add(pid)
        self._write_details(emails, phones, links, photos)
        gained = self._add_tags(
            [(item.record, pid) for item, pid in matches], set(ids), lookup=self.tag_lookup
        )
        for pid in gained:
            changed.setdefault(pid, persons[pid])
        columns = [c for c in _MERGE_COLUMNS if c in changed_fields]
        if changed:
            self._update(
                Person,
                [*columns, "updated_at"],
                (
                    (pid, *(getattr(person, c) for c in columns), self.now)
                    for pid, person in changed.items()
                ),
            )
        self.seen_ids |= seen
        self.changed_ids |= set(changed)
        self.touched |= set(changed)

    def _currents(self, ids: list[int]) -> dict[int, _Current]:
        """The merge columns of these people. Matching most of the network (a re-import),
        all of it is read once, cheaper than sending tens of thousands of ids; merges keep
        what was read up to date."""
        if self.currents is None and self.records_total * 2 > len(self.people_rows):
            query = Person.objects.filter(owner=self.owner).values_list("pk", *_READ_COLUMNS)
            self.currents = {row[0]: _Current(row[0], row[1:]) for row in query}
        known = self.currents if self.currents is not None else {}
        if self.recorder is not None:  # people a dry run added: from the rows it would write
            for pid in ids:
                row = self.recorder.people.get(pid)
                if row is not None and pid not in known:
                    known[pid] = _Current(pid, [row[_PERSON_AT[c]] for c in _READ_COLUMNS])
        persons = {pid: known[pid] for pid in ids if pid in known}
        for chunk in _chunks([pid for pid in ids if pid not in persons]):
            query = Person.objects.filter(owner=self.owner, pk__in=list(chunk))
            for row in query.values_list("pk", *_READ_COLUMNS):
                persons[row[0]] = known[row[0]] = _Current(row[0], row[1:])
        return persons

    def _org_name(self, org_id: int, fallback: str) -> str:
        return self.org_names.get(org_id, fallback)

    def _merge_fields(self, person: _Current, item: _Combined, *, first: bool) -> set[str]:
        record = item.record
        changed: set[str] = set()
        aka = list(item.aka)

        def fill(name: str, value: Any) -> None:
            if value in (None, "") or getattr(person, name) == value:
                return
            if getattr(person, name) in (None, ""):
                setattr(person, name, value)
                changed.add(name)
            elif name in _TEXT_CONFLICTS and fold(str(value)) != fold(getattr(person, name)):
                aka.append(f"{_TEXT_CONFLICTS[name]}: {value}")

        # An export read again (not a backup, nor one older than what we have of them) says
        # what their role is now: a new one is taken, and noted; the same one, however
        # written, is kept. Otherwise a title that differs is kept in the notes.
        current = self.format != "json" and first and not self._older_than(person, record)
        new_role = current and self._new_role(person, record, changed)
        for name in ("full_name", "title", "location", "how_we_met"):
            if name == "title" and current and person.title:
                continue
            fill(name, getattr(record, name)[:200] if name != "how_we_met" else record.how_we_met)
        for name in ("given_name", "family_name", "cadence_days"):
            if getattr(person, name) in (None, "") and getattr(record, name):
                setattr(person, name, getattr(record, name))
                changed.add(name)
        org_id = self._org_id(record.organisation)
        if not new_role and org_id is not None and person.organisation_id != org_id:
            if person.organisation_id is None:
                person.organisation_id = org_id
                changed.add("organisation_id")
            else:
                aka.append(f"organisation: {self._org_name(org_id, record.organisation)}")
        if record.met_on and (person.met_on is None or record.met_on < person.met_on):
            person.met_on = record.met_on
            changed.add("met_on")
        if person.birthday_month is None and record.birthday_month:
            person.birthday_year = record.birthday_year
            person.birthday_month, person.birthday_day = record.birthday_month, record.birthday_day
            changed |= {"birthday_year", "birthday_month", "birthday_day"}
        if record.closeness and record.closeness > person.closeness:
            person.closeness = record.closeness
            changed.add("closeness")
        if record.is_decision_maker and not person.is_decision_maker:
            person.is_decision_maker = True
            changed.add("is_decision_maker")
        if record.last_contact_at and (
            person.last_contact_at is None or record.last_contact_at > person.last_contact_at
        ):
            person.last_contact_at = record.last_contact_at
            changed.add("last_contact_at")
        notes = person.notes
        if record.notes.strip() and record.notes.strip() not in notes:
            notes = "\n\n".join(filter(None, [notes.strip(), record.notes.strip()]))
        fresh = [a for a in dict.fromkeys(aka) if a not in notes]
        if fresh:
            notes = "\n\n".join(
                filter(None, [notes.strip(), "Also known as — " + "; ".join(fresh)])
            )
        if notes != person.notes:
            person.notes = notes
            changed.add("notes")
        return changed

    def _date_the_file(self, records: Sequence[PersonRecord]) -> None:
        """The newest date the file carries so far: LinkedIn lists the newest connections
        first, so a streamed export knows it from its first batch."""
        for record in records:
            for day in (
                record.met_on,
                record.last_contact_at.date() if record.last_contact_at else None,
            ):
                if day is not None and (self.made_since is None or day > self.made_since):
                    self.made_since = day

    def _older_than(self, person: _Current, record: PersonRecord) -> bool:
        """Whether the record is known to be older than what we have of them: a card whose
        REV (when it was last changed) is before their last change here, or an export all of
        whose dates are. An export without dates (Google, Outlook) is taken as made now."""
        made = self.made_since
        if self.format == "vcard":  # each card carries its own
            made = record.last_contact_at.date() if record.last_contact_at else None
        return made is not None and made < person.updated_at.date()

    def _new_role(self, person: _Current, record: PersonRecord, changed: set[str]) -> bool:
        """Take the record's role when it is a new one (people's `is_new_role`, the one
        rule): its title and organisation replace theirs, and the change is kept to be noted
        (`_note_new_roles`) and shown in the report. A file that doesn't say where they work
        leaves their organisation as it is; one that says they work for none ("Self-employed")
        takes it away; a move with no title takes the old employer's title away too."""
        org_id = self._org_id(record.organisation)
        if org_id is None and not record.no_employer:
            org_id = person.organisation_id
        title = record.title[:200]
        if org_id == person.organisation_id and title in ("", person.title):
            return False  # the same role, as a file read again mostly says
        org_before = self._org_name(person.organisation_id, "") if person.organisation_id else ""
        org_now = self._org_name(org_id, record.organisation) if org_id is not None else ""
        if not is_new_role(
            title_before=person.title,
            organisation_before=org_before,
            title=title,
            organisation=org_now,
        ):
            return False
        seen = RoleSeen(person.pk, person.title, org_before, title, org_now)
        self.new_roles[person.pk] = (seen, record.where, person.full_name)
        if person.title != title:
            person.title = title
            changed.add("title")
        if person.organisation_id != org_id:
            person.organisation_id = org_id
            changed.add("organisation_id")
        return True

    def _note_new_roles(self) -> None:
        """Report the new roles the file showed and, for real, note them (people's
        RoleChange) so that Home and Today suggest congratulating them."""
        for seen, where, name in self.new_roles.values():
            self.report.role_changes.append(
                {
                    "where": where,
                    "person": name,
                    "before": _role_words(seen.title_before, seen.organisation_before),
                    "after": _role_words(seen.title, seen.organisation),
                }
            )
        if self.recorder is None and self.new_roles:
            role_changes_note(
                owner=self.owner, changes=[seen for seen, _, _ in self.new_roles.values()]
            )

    def _introductions(self, pending: list[tuple[str, str]]) -> None:
        """A backup's introduced_by names a person of the same file by uuid."""
        if not pending:
            return
        updates = []
        for uuid, introducer in pending:
            pid = self.uuid_to_pid.get(uuid)
            by = self.uuid_to_pid.get(introducer)
            if pid and pid > 0 and by and by > 0 and by != pid:
                updates.append((pid, by))
        current: dict[int, int | None] = {}
        for chunk in _chunks(sorted({pid for pid, _ in updates})):
            current.update(
                Person.objects.filter(pk__in=list(chunk)).values_list("pk", "introduced_by_id")
            )
        rows = []
        for pid, by in updates:
            if pid in current and current[pid] is None:
                current[pid] = by
                rows.append((pid, by))
        bulk.update_rows(Person, ["introduced_by_id"], rows)

    # -- possible duplicates -------------------------------------------------------------

    def _propose(self, a: int, b: int, reason: str) -> None:
        self.proposals = getattr(self, "proposals", {})
        pair = (min(a, b), max(a, b))
        self.proposals.setdefault(pair, reason)

    def _shared_details(self) -> None:
        """Propose people who share a phone number or a role address, where this import
        brought one of them; a number a dozen people share is a switchboard, not a sign."""
        mine = self.created_ids | self.seen_ids
        for key, pids in self.weak.items():
            if 1 < len(pids) <= _MAX_SHARED and not pids.isdisjoint(mine):
                ordered = sorted(pids)
                reason = _describe(key, self.written)
                for index, a in enumerate(ordered):
                    for b in ordered[index + 1 :]:
                        if a in mine or b in mine:
                            self._propose(a, b, reason)

    def _similar_names(self, new_ids: set[int]) -> None:
        """Propose similar names (same family name and given initial) at the same
        organisation as possible duplicates; from the rows in hand, no query."""
        groups: dict[tuple[int, str], list[int]] = defaultdict(list)
        # Only a new person can be someone's possible duplicate, and only at an organisation.
        new_orgs = {self.people_rows[pid][3] for pid in new_ids} - {None}
        folded: dict[str, str] = {}
        for pid, (_full, given, family, org_id) in self.people_rows.items():
            if org_id is not None and org_id in new_orgs:
                key = _similar_key(given, family, folded)
                if key:
                    groups[(org_id, key)].append(pid)
        for members in groups.values():
            if len(members) < 2 or not new_ids.intersection(members):
                continue
            for pid in members:
                if pid not in new_ids:
                    continue
                for other in members[:50]:
                    if other != pid:
                        self._propose(pid, other, "similar names at the same organisation")

    def _possible_duplicates(self) -> None:
        """Store the proposals not stored before, and report them."""
        proposals: dict[tuple[int, int], str] = getattr(self, "proposals", {})
        if not proposals:
            return
        involved = sorted({pid for pair in proposals for pid in pair})
        known: set[tuple[int, int]] = set()
        for chunk in _chunks(involved):
            known.update(
                PossibleDuplicate.objects.filter(
                    owner=self.owner, person_a_id__in=list(chunk)
                ).values_list("person_a_id", "person_b_id")
            )
        fresh = [
            (a, b, reason) for (a, b), reason in sorted(proposals.items()) if (a, b) not in known
        ]
        self._insert(
            PossibleDuplicate,
            ("owner_id", "person_a_id", "person_b_id", "reason"),
            ((self.owner.pk, a, b, reason) for a, b, reason in fresh),
            now=self.now,
        )
        rows = self.people_rows
        uuids: dict[int, str] = {}
        ids = sorted({pid for a, b, _reason in fresh for pid in (a, b)})
        for chunk in _chunks(ids):
            uuids.update(
                (pk, str(u))
                for pk, u in Person.objects.filter(pk__in=list(chunk)).values_list("pk", "uuid")
            )
        if self.recorder is not None:
            people = self.recorder.people
            uuids.update(
                (pk, str(uuid_module.UUID(str(people[pk][1])))) for pk in ids if pk in people
            )
        self.report.possible_duplicates = [
            {
                "a": rows[a][0],
                "b": rows[b][0],
                "a_uuid": uuids.get(a, ""),
                "b_uuid": uuids.get(b, ""),
                "reason": reason,
            }
            for a, b, reason in fresh
        ]

    # -- ties ----------------------------------------------------------------------------

    def _ties(self) -> None:
        """The file's ties, a batch at a time (a streamed backup's as they are read): one
        query for the batch's uuids, one statement to write them, created_at as written."""
        parsed = self.parsed
        records = parsed.ties_pending if parsed.ties_pending is not None else parsed.ties
        existing: set[tuple[int, int]] | None = None
        written = 0
        for batch in bulk.chunks(records, BATCH):
            if existing is None:
                existing = set(
                    Tie.objects.filter(owner=self.owner).values_list("person_a_id", "person_b_id")
                )
            taken = set(bulk.uuid_owners(Tie, [t.uuid for t in batch if t.uuid]))
            fresh = iter(bulk.random_uuids(len(batch)))
            rows = []
            for record in batch:
                a = self.uuid_to_pid.get(record.person_a)
                b = self.uuid_to_pid.get(record.person_b)
                if not a or not b or a < 0 or b < 0 or a == b:
                    self.report.skipped.append(
                        Skipped(record.where, "a tie to someone not in this file", broken=False)
                    )
                    continue
                pair = (min(a, b), max(a, b))
                if pair in existing:
                    continue
                existing.add(pair)
                uuid = next(fresh)
                if record.uuid and record.uuid not in taken:
                    uuid = record.uuid
                    taken.add(uuid)
                rows.append(
                    (
                        self.owner.pk,
                        uuid_module.UUID(uuid),
                        pair[0],
                        pair[1],
                        record.kind if record.kind in Tie.Kind.values else Tie.Kind.OTHER,
                        record.strength,
                        record.notes,
                        record.created_at or self.now,
                    )
                )
            self._insert(
                Tie,
                (
                    "owner_id",
                    "uuid",
                    "person_a_id",
                    "person_b_id",
                    "kind",
                    "strength",
                    "notes",
                    "created_at",
                ),
                rows,
                now=self.now,
            )
            written += len(rows)
        self.report.ties_created = written

    # -- journal -------------------------------------------------------------------------

    def _interactions(self) -> None:
        """The file's journal entries, a batch at a time (a streamed backup's as they are
        read): a few set-based queries and one statement per table a batch."""
        parsed = self.parsed
        streamed = parsed.interactions_pending is not None
        records: Iterable[InteractionRecord] = (
            parsed.interactions_pending
            if parsed.interactions_pending is not None
            else parsed.interactions
        )
        total = parsed.interactions_expected if streamed else len(parsed.interactions)
        if not streamed and not total:
            return
        self.progress("journal", 0, total)
        by_url: dict[str, int] = {}
        by_name: dict[str, int | None] = {}
        self.ambiguous_reported: set[tuple[str, str]] = set()
        if not streamed:  # a backup names its people by uuid, never by URL or name
            for normalized, pid in Link.objects.filter(owner=self.owner).values_list(
                "normalized", "person_id"
            ):
                by_url.setdefault(normalized, pid)
            for normalized, pid in self.recorder.links if self.recorder is not None else ():
                by_url.setdefault(normalized, pid)
            for pid, (full_name, *_rest) in self.people_rows.items():
                key = " ".join(fold(full_name).split())
                by_name[key] = None if key in by_name else pid  # ambiguous names match no one
        known_keys: set[str] = set()  # external keys this import wrote
        newest: dict[int, dt.datetime] = {}
        done = 0
        for batch in bulk.chunks(records, BATCH):
            if streamed:
                self._journal_organisations(batch)
            self._interaction_batch(batch, by_url, by_name, known_keys, newest)
            done += len(batch)
            self.progress("journal", done, max(total, done))
        if self.recorder is None:
            self._move_last_contact(newest)

    def _interaction_batch(
        self,
        records: Sequence[InteractionRecord],
        by_url: dict[str, int],
        by_name: dict[str, int | None],
        known_keys: set[str],
        newest: dict[int, dt.datetime],
    ) -> None:
        uuids = [r.uuid for r in records if r.uuid]
        keys = {r.external_key for r in records if r.external_key}
        keys |= {f"backup:{u}" for u in uuids}
        keys -= known_keys
        for chunk in _chunks(sorted(keys)):
            known_keys.update(
                Interaction.objects.filter(
                    owner=self.owner, external_key__in=list(chunk)
                ).values_list("external_key", flat=True)
            )
        # By uuid alone (its unique index): with the owner too, SQLite scanned the owner's
        # whole journal for each chunk.
        found = bulk.uuid_owners(Interaction, uuids)
        owned = {u for u, (_pk, owner_id) in found.items() if owner_id == self.owner.pk}
        new: list[tuple[tuple[Any, ...], list[int]]] = []
        for record in records:
            if record.uuid and (record.uuid in owned or f"backup:{record.uuid}" in known_keys):
                self.report.interactions_unchanged += 1
                continue
            if record.external_key and record.external_key in known_keys:
                self.report.interactions_unchanged += 1
                continue
            people = self._interaction_people(record, by_url, by_name)
            if not people and not record.uuid:
                self.report.skipped.append(
                    Skipped(record.where, "nobody in your network took part", broken=False)
                )
                continue
            direction = record.direction
            if direction == "auto":
                first = self._first_match(record, by_url, by_name)
                direction = "incoming" if first else "outgoing"
            if direction not in Interaction.Direction.values:
                direction = Interaction.Direction.MUTUAL
            external_key = record.external_key[:200]
            uuid = uuid_module.uuid4()
            if record.uuid:
                if record.uuid in found:  # another account's: this one is marked with it
                    external_key = external_key or f"backup:{record.uuid}"
                else:
                    uuid = uuid_module.UUID(record.uuid)
                    found[record.uuid] = (0, self.owner.pk)
            if external_key:
                known_keys.add(external_key)
            row = (
                self.owner.pk,
                uuid,
                record.occurred_at,
                record.kind if record.kind in _INTERACTION_KINDS else "note",
                direction,
                " ".join(record.summary.split())[:300] or "(no summary)",
                record.notes,
                self._org_id(record.organisation),
                (record.source or self.format)[:16],
                external_key,
                record.created_at or self.now,
            )
            new.append((row, people))
        self.report.interactions_created += len(new)
        if self.recorder is not None or not new:  # a dry run: counted, not written
            return
        ids = bulk.reserve_ids(Interaction, len(new))
        bulk.insert_rows(
            Interaction,
            ("id", *_INTERACTION_COLUMNS),
            ((pk, *row) for pk, (row, _people) in zip(ids, new, strict=True)),
            now=self.now,
        )
        bulk.insert_rows(
            Participation,
            ("owner_id", "interaction_id", "person_id", "occurred_at"),
            (
                (self.owner.pk, pk, pid, row[2])
                for pk, (row, people) in zip(ids, new, strict=True)
                for pid in people
            ),
            now=self.now,
        )
        for row, people in new:
            for pid in people:
                if pid not in newest or row[2] > newest[pid]:
                    newest[pid] = row[2]
        # Their search documents from the text in hand, nothing read back.
        search_index_new_interactions(
            entries=[
                (self.owner.pk, pk, row[5], row[6])
                for pk, (row, _people) in zip(ids, new, strict=True)
            ]
        )

    def _journal_organisations(self, records: Sequence[InteractionRecord]) -> None:
        """Organisations streamed journal entries name that the file's organisations did
        not (a backup edited by hand): made as an import makes them."""
        missing: dict[str, str] = {}
        for record in records:
            key = self.keys.org(record.organisation) if record.organisation.strip() else ""
            if key and key not in self.org_ids and key not in missing:
                missing[key] = " ".join(record.organisation.split())[:200]
        if not missing:
            return
        ids = self._reserve(Organisation, len(missing))
        rows = []
        for pk, uuid, (key, name) in zip(
            ids, bulk.random_uuids(len(missing)), missing.items(), strict=True
        ):
            self.org_ids[key] = pk
            self.org_names[pk] = name
            rows.append((pk, self.owner.pk, uuid, name, key[:200]))
        self._insert(
            Organisation, ("id", "owner_id", "uuid", "name", "normalized_name"), rows, now=self.now
        )
        self.report.organisations_created += len(missing)

    def _interaction_people(
        self, record: InteractionRecord, by_url: dict[str, int], by_name: dict[str, int | None]
    ) -> list[int]:
        found: list[int] = []
        for value in record.people_uuids:
            pid = self.uuid_to_pid.get(value)
            if pid and pid > 0:
                found.append(pid)
        for url, name in record.participants:
            pid = self._participant(record, url, name, by_url, by_name)
            if pid:
                found.append(pid)
        for url in record.people_urls:
            pid = by_url.get(self.keys.link(url)[0])
            if pid:
                found.append(pid)
        if not record.people_urls:
            for name in record.people_names:
                pid = by_name.get(" ".join(fold(name).split()))
                if pid:
                    found.append(pid)
        return list(dict.fromkeys(found))

    def _participant(
        self,
        record: InteractionRecord,
        url: str,
        name: str,
        by_url: dict[str, int],
        by_name: dict[str, int | None],
    ) -> int | None:
        """A LinkedIn participant: by profile URL, else by exactly their (folded) name; a name
        several people share links no one, and is reported rather than guessed."""
        if url:
            pid = by_url.get(self.keys.link(url)[0])
            if pid:
                return pid
        if not name:
            return None
        key = " ".join(fold(name).split())
        if key in by_name and by_name[key] is None:
            if (record.where, key) not in self.ambiguous_reported:
                self.ambiguous_reported.add((record.where, key))
                self.report.problems.append(
                    Problem(
                        record.where,
                        name,
                        "several people in your network have this name; linked to none of "
                        "them (add them to the entry by hand)",
                    )
                )
            return None
        return by_name.get(key)

    def _first_match(
        self, record: InteractionRecord, by_url: dict[str, int], by_name: dict[str, int | None]
    ) -> bool:
        if record.participants:
            url, name = record.participants[0]
            if url and self.keys.link(url)[0] in by_url:
                return True
            return bool(name and by_name.get(" ".join(fold(name).split())))
        if record.people_urls:
            return self.keys.link(record.people_urls[0])[0] in by_url
        if record.people_names:
            return bool(by_name.get(" ".join(fold(record.people_names[0]).split())))
        return False

    def _move_last_contact(self, newest: dict[int, dt.datetime]) -> None:
        if not newest:
            return
        rows = []
        for chunk in _chunks(sorted(newest)):
            for pid, last in Person.objects.filter(pk__in=list(chunk)).values_list(
                "pk", "last_contact_at"
            ):
                when = newest[pid]
                if last is None or last < when:
                    rows.append((pid, when))
        bulk.update_rows(Person, ["last_contact_at"], rows)


__all__ = [
    "MAX_IMPORT_BYTES",
    "BrokenRecordsError",
    "ImportReport",
    "InterchangeError",
    "Tag",
    "import_file",
    "parse_file",
]


# Unconfirmed previews keep the uploaded file; a day is long enough to come back to one.
PREVIEW_KEPT = dt.timedelta(days=1)


def previews_clean_up(now: dt.datetime) -> int:
    """Delete import previews nobody confirmed within PREVIEW_KEPT, their files with them,
    and any file in the uploads folder no upload waits for (a preview that failed half way,
    a process stopped mid-upload, an erased account's). Returns how many previews went."""
    expired = ImportUpload.objects.filter(
        status=ImportUpload.Status.PREVIEWED, created_at__lt=now - PREVIEW_KEPT
    )
    keys = [str(key) for key in expired.values_list("uuid", flat=True)]
    deleted, _ = expired.delete()
    for key in keys:
        upload_discard(key)
    waiting = {
        str(key)
        for key in ImportUpload.objects.exclude(status=ImportUpload.Status.IMPORTED).values_list(
            "uuid", flat=True
        )
    }
    uploads_sweep(keep=waiting, older_than=now - PREVIEW_KEPT)
    return deleted
