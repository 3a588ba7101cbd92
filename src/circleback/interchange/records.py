"""What parsers produce and writers consume: small typed records, no database.

Every format module turns bytes into a `ParseResult` of these records (and, where it can,
records back into bytes). The import service is the only place that touches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# The largest file an import reads (here, not in services, so the CLI can check a file's size
# before Django is set up).
MAX_IMPORT_BYTES = 50 * 1024 * 1024
# A Circleback backup may be bigger: it is a whole account (a 20,000-person network with
# 200,000 journal entries is about 120 MB), and it must restore. It is read section by
# section as it is restored: what is held besides the file is a batch of records.
MAX_BACKUP_BYTES = 512 * 1024 * 1024


def max_import_bytes(head: bytes) -> int:
    """The largest file an import reads, by the first few kilobytes of this one."""
    return MAX_BACKUP_BYTES if b'"circleback-backup"' in head[:4096] else MAX_IMPORT_BYTES


class InterchangeError(Exception):
    """A file that can't be imported as a whole: it is not what it claims, or too big.

    The message says what was expected, so it can be shown to the user as it is.
    """


@dataclass(slots=True)
class PersonRecord:
    """One person as a file describes them. `where` is "line 12" or "card 3"."""

    where: str = ""
    full_name: str = ""
    given_name: str = ""
    family_name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    # An email's or phone's label ("work", "mobile", Apple's "iPhone"), keyed by the value.
    labels: dict[str, str] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    organisation: str = ""
    title: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    contact_list: str = ""  # "" means the import's default
    met_on: dt.date | None = None  # LinkedIn's "Connected On": when we first connected
    birthday_year: int | None = None
    birthday_month: int | None = None
    birthday_day: int | None = None
    photo: bytes | None = None
    photo_content_type: str = ""
    location: str = ""
    # Only a Circleback backup carries these.
    uuid: str = ""
    how_we_met: str = ""
    closeness: int | None = None
    cadence_days: int | None = None
    is_decision_maker: bool = False
    source: str = ""
    created_at: dt.datetime | None = None
    last_contact_at: dt.datetime | None = None
    introduced_by: str = ""  # the uuid of another person in the same file
    # A vCard's KIND:org / X-ABShowAs:COMPANY: the card names an organisation, not a person.
    is_organisation: bool = False
    # Set by the import: the organisation named says they work for none ("Self-employed",
    # "Retired"); the name went into the title (people.employers).
    no_employer: bool = False

    def display_name(self) -> str:
        name = self.full_name or " ".join(filter(None, [self.given_name, self.family_name]))
        return name or (self.emails[0] if self.emails else "")


@dataclass(slots=True)
class OrganisationRecord:
    name: str
    domain: str = ""
    industry: str = ""
    location: str = ""
    is_target: bool = False
    priority: int | None = None
    stage: str = ""
    notes: str = ""
    uuid: str = ""
    created_at: dt.datetime | None = None
    where: str = ""


@dataclass(slots=True)
class TieRecord:
    person_a: str  # uuids of people in the same file
    person_b: str
    kind: str = "other"
    strength: int = 2
    notes: str = ""
    uuid: str = ""
    created_at: dt.datetime | None = None
    where: str = ""


@dataclass(slots=True)
class InteractionRecord:
    """A journal entry: a LinkedIn message or invitation, or one from a backup.

    People are named by what the file knows of them: LinkedIn profile URLs and names, or the
    uuids of people in the same backup.
    """

    occurred_at: dt.datetime
    summary: str
    kind: str = "message"
    direction: str = "mutual"
    notes: str = ""
    external_key: str = ""
    source: str = ""
    people_urls: list[str] = field(default_factory=list)
    people_names: list[str] = field(default_factory=list)
    people_uuids: list[str] = field(default_factory=list)
    # LinkedIn's people, each as (profile URL or "", name or ""), sender first: found by
    # the URL, else by exactly their name.
    participants: list[tuple[str, str]] = field(default_factory=list)
    organisation: str = ""
    uuid: str = ""
    created_at: dt.datetime | None = None
    where: str = ""


@dataclass(frozen=True)
class Skipped:
    """A record left out, where it was and why. `broken` ones block an import unless the
    user chooses to skip them; the others (a hidden LinkedIn profile) are just reported."""

    where: str
    reason: str
    broken: bool = True


@dataclass(frozen=True)
class Problem:
    """A value a readable record carried that could not be used as it was: where it was
    (`card 5, EMAIL`, `row 12, Mobile Phone`), the value, and what became of it ("kept in
    the notes", "left out", "named them from it")."""

    where: str
    value: str
    reason: str


@dataclass
class ParseResult:
    """What a file holds. A parser that can read people as they are asked for (a module's
    `stream`) leaves them in `pending` instead of `people`, adding to `skipped` as it goes,
    and sets `expected` to at most how many it will give; `drain()` reads them all."""

    people: list[PersonRecord] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    organisations: list[OrganisationRecord] = field(default_factory=list)
    ties: list[TieRecord] = field(default_factory=list)
    interactions: list[InteractionRecord] = field(default_factory=list)
    pending: Iterator[PersonRecord] | None = None
    expected: int = 0
    # A streamed backup's ties and journal, read after its people as they are asked for
    # (then `ties` and `interactions` stay empty).
    ties_pending: Iterator[TieRecord] | None = None
    interactions_pending: Iterator[InteractionRecord] | None = None
    interactions_expected: int = 0  # at most how many entries, as `expected` for people
    # A version-2 Circleback backup's other sections (meetings, loops, favours, settings…),
    # as read: {section: [(where, object), ...]}, "settings": {...}. Restored by
    # circleback.backup, which knows the models they become.
    # Streamed, an object whose `get(section)` reads them as they are asked for.
    backup: Any = None

    def drain(self) -> ParseResult:
        """Read the people still pending into `people`."""
        if self.pending is not None:
            self.people.extend(self.pending)
            self.pending, self.expected = None, 0
        # A streamed backup's other records: read for what is broken in them, not kept.
        for rest in (self.ties_pending, self.interactions_pending):
            for _record in rest or ():
                pass
        self.ties_pending = self.interactions_pending = None
        return self

    @property
    def records(self) -> list[PersonRecord]:
        return self.people

    @property
    def broken(self) -> list[Skipped]:
        return [s for s in self.skipped if s.broken]
