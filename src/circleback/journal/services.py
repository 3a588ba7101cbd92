"""Writes for the journal. Logging an interaction also moves each person's last contact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone

from circleback.accounts.models import User
from circleback.db import bulk
from circleback.journal.models import Interaction, Participation
from circleback.ops import clock
from circleback.people.models import (
    Organisation,
    Person,
    Source,
)
from circleback.people.queries import Match
from circleback.people.services.people import (
    PeopleToChoose,
    PersonExists,
    person_choose,
    person_update,
)
from circleback.search.models import SearchDocument
from circleback.search.services import DOCUMENT_COLUMNS, id_batches, indexable

MAX_PEOPLE_PER_INTERACTION = 500


def _check_people(owner: User, people: Sequence[Person]) -> list[Person]:
    unique = list({p.pk: p for p in people}.values())
    if any(p.owner_id != owner.pk for p in unique):
        raise ValidationError(
            {"people": "Every person in a journal entry must be in your network."}
        )
    if len(unique) > MAX_PEOPLE_PER_INTERACTION:
        raise ValidationError(
            {"people": f"A journal entry can name at most {MAX_PEOPLE_PER_INTERACTION} people."}
        )
    return unique


@transaction.atomic
def interaction_log(
    *,
    owner: User,
    summary: str,
    people: Sequence[Person] = (),
    kind: str = Interaction.Kind.NOTE,
    occurred_at: dt.datetime | None = None,
    direction: str = Interaction.Direction.MUTUAL,
    notes: str = "",
    organisation: Organisation | None = None,
    source: str = "manual",
    external_key: str = "",
) -> Interaction:
    """Write a journal entry with the people it involved; it counts as contact with each."""
    people = _check_people(owner, people)
    if organisation is not None and organisation.owner_id != owner.pk:
        raise ValidationError({"organisation": "That organisation is not yours."})
    when = occurred_at or clock.now()
    if timezone.is_naive(when):
        raise ValidationError({"occurred_at": "The time of an interaction needs a time zone."})
    interaction = Interaction(
        owner=owner,
        summary=" ".join(summary.split()),
        kind=kind,
        direction=direction,
        occurred_at=when,
        notes=notes.strip(),
        organisation=organisation,
        source=source,
        external_key=external_key,
    )
    if not interaction.summary:
        raise ValidationError({"summary": "Say in a few words what happened."})
    interaction.full_clean(exclude=["owner", "organisation"])
    interaction.save()
    Participation.objects.bulk_create(
        [
            Participation(owner=owner, interaction=interaction, person=p, occurred_at=when)
            for p in people
        ]
    )
    # Only ever moves forward: logging an old entry doesn't make someone look less recent.
    Person.objects.filter(pk__in=[p.pk for p in people]).filter(
        models.Q(last_contact_at__isnull=True) | models.Q(last_contact_at__lt=when)
    ).update(last_contact_at=when)
    search_index_interactions(interaction_ids=[interaction.pk])
    return interaction


@dataclass(frozen=True)
class Note:
    """A journal entry no one takes part in (a record of what happened at an organisation)."""

    summary: str
    notes: str
    organisation: Organisation | None
    source: str
    occurred_at: dt.datetime


def interactions_note_many(*, owner: User, notes: Sequence[Note]) -> list[Interaction]:
    """Write many entries with no one taking part (an import's), searchable, in one insert
    and one for their search documents; so nobody's last contact moves. Same values as
    `interaction_log` would keep; a bad one refuses them all (ValidationError)."""
    rows = []
    for note in notes:
        if note.organisation is not None and note.organisation.owner_id != owner.pk:
            raise ValidationError({"organisation": "That organisation is not yours."})
        if timezone.is_naive(note.occurred_at):
            raise ValidationError({"occurred_at": "The time of an interaction needs a time zone."})
        interaction = Interaction(
            owner=owner,
            summary=" ".join(note.summary.split()),
            kind=Interaction.Kind.NOTE,
            occurred_at=note.occurred_at,
            notes=note.notes.strip(),
            organisation=note.organisation,
            source=note.source,
        )
        if not interaction.summary:
            raise ValidationError({"summary": "Say in a few words what happened."})
        interaction.clean_fields(exclude=["owner", "organisation"])
        rows.append(interaction)
    Interaction.objects.bulk_create(rows)
    search_index_new_interactions(entries=[(owner.pk, i.pk, i.summary, i.notes) for i in rows])
    return rows


def _check_meeting_person(interaction: Interaction, people: Sequence[Person]) -> None:
    """The entry a held meeting wrote keeps the person met: it is the record of that meeting."""
    try:
        met = interaction.meeting.person
    except ObjectDoesNotExist:
        return
    if met.pk not in {p.pk for p in people}:
        raise ValidationError(
            {
                "people": f"This entry records your meeting with {met.full_name}, so "
                f"{met.full_name} stays on it; add others if they were there too."
            }
        )


@transaction.atomic
def interaction_update(
    *,
    interaction: Interaction,
    people: Sequence[Person] | None = None,
    **changes: object,
) -> Interaction:
    """Change a journal entry; `people`, when given, is everyone who took part from now on.

    Each person added or taken off has their last contact recomputed from their journal, so
    keep-in-touch reminders follow (any logged interaction resets them).
    """
    allowed = {"summary", "kind", "direction", "occurred_at", "notes", "organisation"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Unknown journal fields: {', '.join(sorted(unknown))}.")
    owner = interaction.owner
    before = set(
        Participation.objects.filter(interaction=interaction).values_list("person_id", flat=True)
    )
    for field, value in changes.items():
        if field == "summary" and isinstance(value, str):
            value = " ".join(value.split())
        setattr(interaction, field, value)
    if not interaction.summary:
        raise ValidationError({"summary": "Say in a few words what happened."})
    interaction.full_clean(exclude=["owner", "organisation"])
    interaction.save()
    if people is not None:
        people = _check_people(owner, people)
        _check_meeting_person(interaction, people)
        Participation.objects.filter(interaction=interaction).delete()
        Participation.objects.bulk_create(
            [
                Participation(
                    owner=owner,
                    interaction=interaction,
                    person=p,
                    occurred_at=interaction.occurred_at,
                )
                for p in people
            ]
        )
    else:
        Participation.objects.filter(interaction=interaction).update(
            occurred_at=interaction.occurred_at
        )
    after = set(
        Participation.objects.filter(interaction=interaction).values_list("person_id", flat=True)
    )
    last_contact_refresh(person_ids=before | after)
    search_index_interactions(interaction_ids=[interaction.pk])
    return interaction


@transaction.atomic
def interaction_delete(*, interaction: Interaction) -> None:
    person_ids = list(
        Participation.objects.filter(interaction=interaction).values_list("person_id", flat=True)
    )
    interaction.delete()
    last_contact_refresh(person_ids=person_ids)


def participations_move(*, from_person: Person, to_person: Person) -> None:
    """Give `to_person` every journal entry of `from_person` (used when merging people)."""
    already = set(
        Participation.objects.filter(person=to_person).values_list("interaction_id", flat=True)
    )
    moving = Participation.objects.filter(person=from_person)
    moving.filter(interaction_id__in=already).delete()
    moving.update(person=to_person)


@dataclass(frozen=True)
class EventContact:
    """One person met at an event, as jotted down from a business card."""

    full_name: str = ""
    organisation: str = ""
    title: str = ""
    email: str = ""
    note: str = ""
    # Who they are when someone like them is already in the network: a person's UUID, or
    # "new" to add them anyway (see people.services.person_choose).
    choice: str = ""

    def is_blank(self) -> bool:
        return not any(
            value.strip()
            for value in (self.full_name, self.organisation, self.title, self.email, self.note)
        )


@transaction.atomic
def event_capture(
    *,
    owner: User,
    event: str,
    contacts: Sequence[EventContact],
    occurred_at: dt.datetime | None = None,
    notes: str = "",
    contact_list: str = "B",
) -> Interaction:
    """Log an event and everyone met there in one step: all of it is written, or nothing.

    Blank rows are skipped. Someone whose email is already in the network is linked rather
    than added twice (their note is appended to their notes). Errors are keyed
    `contacts.<row>.<field>` (row numbers count from 0, as given) so a form can show them on
    the row at fault.
    """
    event = " ".join(event.split())
    when = occurred_at or clock.now()
    errors: dict[str, list[str]] = {}
    if not event:
        errors["event"] = ["Name the event, e.g. “Fintech Forum”."]
    elif len(event) > 300:
        errors["event"] = ["An event's name can be at most 300 characters."]
    rows = [(i, c) for i, c in enumerate(contacts) if not c.is_blank()]
    if not rows:
        errors["contacts"] = ["Add at least one person you met."]
    people: list[Person] = []
    met_on = timezone.localdate(when)
    field_names = {"emails": "email", "full_name": "full_name", "title": "title"}
    to_choose: dict[str, list[Match]] = {}
    for i, row in rows:
        try:
            chosen = person_choose(
                owner=owner,
                choice=row.choice,
                full_name=row.full_name,
                organisation=row.organisation or None,
                title=row.title,
                emails=[row.email] if row.email.strip() else [],
                notes=row.note.strip(),
                how_we_met=f"Met at {event}" if event else "",
                met_on=met_on,
                source=Source.EVENT,
                contact_list=contact_list,
            )
            if (
                not chosen.created
                and row.note.strip()
                and row.note.strip() not in chosen.person.notes
            ):
                person_update(
                    person=chosen.person,
                    notes="\n\n".join(filter(None, [chosen.person.notes, row.note.strip()])),
                )
            if chosen.person in people:
                raise ValidationError({"full_name": f"{chosen.person.full_name} is listed twice."})
            people.append(chosen.person)
        except PersonExists as exc:
            to_choose[f"contacts.{i}"] = exc.matches
            errors.setdefault(f"contacts.{i}.full_name", []).extend(exc.messages)
        except ValidationError as exc:
            details = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            for field, messages in details.items():
                key = field_names.get(field, field if field != "__all__" else "")
                errors.setdefault(f"contacts.{i}.{key}".rstrip("."), []).extend(messages)
    if to_choose:
        raise PeopleToChoose(errors, to_choose)
    if errors:
        raise ValidationError(errors)
    return interaction_log(
        owner=owner,
        summary=event,
        people=people,
        kind=Interaction.Kind.EVENT,
        occurred_at=when,
        notes=notes,
        source="event",
    )


def last_contact_refresh(*, person_ids: Iterable[int]) -> None:
    """Recompute people's last contact from their journal (after an edit or delete)."""
    from circleback.journal.models import Participation

    ids = list(set(person_ids))
    if not ids:
        return
    newest = Participation.objects.filter(person_id=models.OuterRef("pk")).order_by("-occurred_at")
    Person.objects.filter(pk__in=ids).update(
        last_contact_at=models.Subquery(newest.values("occurred_at")[:1])
    )


def search_index_interactions(*, interaction_ids: Iterable[int]) -> None:
    """(Re)build the search documents of these journal entries."""
    ids = sorted(set(interaction_ids))
    for chunk in id_batches(ids):
        rows = list(
            Interaction.objects.filter(pk__in=chunk).values_list(
                "owner_id", "pk", "summary", "notes"
            )
        )
        SearchDocument.objects.filter(interaction_id__in=chunk).delete()
        search_index_new_interactions(entries=rows)


def search_index_new_interactions(
    *,
    entries: Iterable[tuple[int, int, str, str]],
    on_batch: Callable[[int], None] | None = None,
) -> None:
    """Write the documents of journal entries that have none yet, from their values
    (owner id, id, summary, notes): for callers that just wrote many entries and hold their
    text, so nothing is read back."""
    bulk.insert_rows(
        SearchDocument,
        DOCUMENT_COLUMNS,
        (
            (
                owner_id,
                SearchDocument.Kind.INTERACTION,
                None,
                pk,
                indexable(summary),
                indexable(notes),
            )
            for owner_id, pk, summary, notes in entries
        ),
        on_batch=on_batch,
    )


def search_forget_deleted() -> None:
    """Make SQLite's full-text indexes drop the words of deleted documents.

    FTS5 only marks a deleted document's words as deleted until its segments are merged: the
    words stay readable in the index's own tables. Erasing someone must not leave their name
    there, so the indexes are merged now. (PostgreSQL keeps the index in the row, which goes.)
    """
    from django.db import connection

    from circleback.search.queries import _SQLITE_TABLE

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in _SQLITE_TABLE.values():
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
