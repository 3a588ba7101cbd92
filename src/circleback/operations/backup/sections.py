"""What a version-2 backup holds beyond version 1, section by section, and how it is written.

Each `Section` is one model: the columns it carries as they are, and the relations it names
by the uuid of a row in an earlier section (or of a person, organisation or journal entry).
Export and restore both read this one table, so a field added to it travels both ways;
`COVERED` and `EXCLUDED` account for every model of every app (a test holds them to it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models

from circleback.accounts.models import User
from circleback.groups.models import (
    BoardPost,
    CoachGrant,
    CoachView,
    Group,
    IntroRequest,
    Invitation,
    Membership,
)
from circleback.groups.models import Opening as GroupOpening
from circleback.insights.models import CadenceSettings, MonthlyGoals, Pitch, PitchPractice, Snooze
from circleback.interchange.models import ImportUpload, PossibleDuplicate
from circleback.jobs.models import (
    Application,
    FollowUp,
    Interview,
    Involvement,
    Opening,
    StageChange,
)
from circleback.journal.models import Interaction, Participation
from circleback.loops.models import (
    Favour,
    Introduction,
    Lead,
    LoopSettings,
    LoopStep,
    Meeting,
    NamePermission,
    Share,
    StandingOffer,
)
from circleback.operations.backup.groups import groups_export
from circleback.people.models import (
    Email,
    Link,
    Organisation,
    Person,
    Phone,
    Photo,
    RoleChange,
    Tag,
    Tie,
)
from circleback.search.models import SearchDocument

BATCH = 2000
# Names the file spells as version 1 did ("organization", as in "organizations").
JSON_NAMES = {"organisation": "organization"}


def json_name(field: str) -> str:
    return JSON_NAMES.get(field, field)


@dataclass(frozen=True)
class Section:
    key: str
    model: type[models.Model]
    # Columns written as they are (text, numbers, dates, times, JSON).
    fields: tuple[str, ...]
    # Foreign keys, each written as the uuid of the row it names in the given section.
    refs: tuple[tuple[str, str], ...] = ()
    # A row's identity: its own uuid, or (snoozes) the one person it belongs to.
    identity: str = "uuid"


SECTIONS: tuple[Section, ...] = (
    Section("pitches", Pitch, ("label", "text", "created_at")),
    Section(
        "pitch_practices",
        PitchPractice,
        ("practised_on", "notes", "created_at"),
        (("pitch", "pitches"), ("person", "people")),
    ),
    Section(
        "meetings",
        Meeting,
        (
            "scheduled_for",
            "duration_minutes",
            "location",
            "purposes",
            "prep_notes",
            "status",
            "learned",
            "outcome",
            "next_steps",
            "created_at",
        ),
        (("person", "people"), ("referred_by", "people"), ("interaction", "interactions")),
    ),
    Section(
        "leads",
        Lead,
        (
            "about",
            "state",
            "received_on",
            "contacted_on",
            "met_on",
            "declined_on",
            "referrer_told_on",
            "referrer_thanked_on",
            "created_at",
        ),
        (
            ("referrer", "people"),
            ("referred", "people"),
            ("organisation", "organizations"),
            ("meeting", "meetings"),
        ),
    ),
    Section("shares", Share, ("url", "title", "topics", "note", "shared_on", "created_at")),
    Section(
        "introductions",
        Introduction,
        (
            "reason",
            "state",
            "asked_x_on",
            "asked_y_on",
            "introduced_on",
            "checked_back_on",
            "outcome",
            "created_at",
        ),
        (("person_x", "people"), ("person_y", "people")),
    ),
    Section(
        "favours",
        Favour,
        ("direction", "kind", "note", "occurred_on", "created_at"),
        (
            ("person", "people"),
            ("name_given", "people"),
            ("meeting", "meetings"),
            ("share", "shares"),
            ("introduction", "introductions"),
        ),
    ),
    Section(
        "standing_offers",
        StandingOffer,
        ("offer", "made_on", "taken_up_on", "created_at"),
        (("person", "people"),),
    ),
    Section(
        "name_permissions",
        NamePermission,
        ("granted_on", "note", "revoked_on", "created_at"),
        (("person", "people"), ("organisation", "organizations")),
    ),
    Section(
        "loop_steps",
        LoopStep,
        (
            "kind",
            "due_at",
            "snoozed_until",
            "done_at",
            "resolution",
            "note",
            "loop_started_at",
            "created_at",
        ),
        (
            ("person", "people"),
            ("about", "people"),
            ("meeting", "meetings"),
            ("lead", "leads"),
            ("favour", "favours"),
            ("introduction", "introductions"),
            ("organisation", "organizations"),
            ("closed_by_meeting", "meetings"),
            ("interaction", "interactions"),
        ),
    ),
    Section(
        "openings",
        Opening,
        ("title", "url", "source", "found_on", "deadline", "notes", "created_at"),
        (("organisation", "organizations"), ("source_person", "people")),
    ),
    Section(
        "applications",
        Application,
        ("stage", "stage_on", "applied_on", "answered_on", "first_interview_on", "created_at"),
        (("opening", "openings"), ("referral_step", "loop_steps")),
    ),
    Section(
        "stage_changes",
        StageChange,
        ("stage", "on", "note", "created_at"),
        (("application", "applications"), ("interaction", "interactions")),
    ),
    Section(
        "interviews",
        Interview,
        ("scheduled_for", "duration_minutes", "kind", "location", "status", "notes", "created_at"),
        (("application", "applications"),),
    ),
    Section(
        "application_people",
        Involvement,
        ("role", "created_at"),
        (("application", "applications"), ("person", "people"), ("interview", "interviews")),
    ),
    Section(
        "follow_ups",
        FollowUp,
        ("kind", "due_on", "done_on", "resolution", "created_at"),
        (("application", "applications"), ("interview", "interviews"), ("person", "people")),
    ),
    Section("snoozes", Snooze, ("until", "created_at"), (("person", "people"),), "person"),
    Section(
        "role_changes",
        RoleChange,
        ("title_before", "organisation_before", "changed_at", "created_at"),
        (("person", "people"),),
        "person",
    ),
)

# The one-per-account settings, each written as an object of its columns (or null when the
# account never changed them from the defaults).
SETTINGS: dict[str, tuple[type[models.Model], str, tuple[str, ...]]] = {
    "loops": (
        LoopSettings,
        "user",
        (
            "thank_you_hours",
            "lead_contact_days",
            "lead_meet_days",
            "lead_tell_days",
            "check_back_days",
        ),
    ),
    "cadence": (
        CadenceSettings,
        "owner",
        ("inner_circle_days", "list_a_days", "list_b_days", "list_c_days"),
    ),
    "goals": (MonthlyGoals, "owner", ("new_contacts", "meetings", "favours_given")),
}
# The account's own settings: the name drafts are signed with, where email reaches it, the
# time zone and mode. (The sign-in name and password stay with the account restored into.)
ACCOUNT_FIELDS = ("first_name", "last_name", "email", "time_zone", "mode")

# Every model of every app, and where a backup keeps it. A new model must be added to one of
# these two, with its reason (a test fails until it is).
COVERED: dict[type[models.Model], str] = {
    User: 'its time zone and mode, in "settings" (the sign-in itself is not a backup\'s)',
    Organisation: '"organizations"',
    Person: '"people"',
    Email: "each person's emails",
    Phone: "each person's phones",
    Link: "each person's links",
    Photo: "each person's photo",
    Tag: '"tags" (and each person\'s tags by name)',
    Person.tags.through: "each person's tags",
    Tie: '"ties"',
    Interaction: '"interactions"',
    Participation: "each journal entry's people",
    PossibleDuplicate: 'the pairs you kept apart, in "kept_apart"; open ones are found again',
    Membership: '"groups": the groups you are in (a restore joins none: an organiser adds you)',
    GroupOpening: '"groups": what you opened to each, opened again where you are already a member',
    **{section.model: f'"{section.key}"' for section in SECTIONS},
    **{model: f'"settings"."{key}"' for key, (model, _o, _f) in SETTINGS.items()},
}
EXCLUDED: dict[str, str] = {
    # Django's own tables, keyed by app label: nothing a user makes.
    "auth": "permissions and groups of the admin, which Circleback does not use",
    "contenttypes": "Django's own table of the models it knows",
    "sessions": "who is signed in where; a restore signs no one in",
    "admin": "Django's admin log, which Circleback does not use",
    # Ours, keyed by model.
    User.groups.through._meta.label: "the admin's groups, which Circleback does not use",
    User.user_permissions.through._meta.label: "the admin's permissions, unused by Circleback",
    SearchDocument._meta.label: "made again from people and the journal on restore",
    ImportUpload._meta.label: "files waiting in an import preview: work in progress, not records",
    # Machinery of the deployment, not records a user keeps.
    "django_tasks_database": "the task queue's own rows: work in progress, not records",
    "axes": "failed sign-in counts, which protect this server and mean nothing elsewhere",
    "once.Submission": "which forms were already sent, so a double click makes one thing",
    "reminders.DigestSettings": "whether and where email reaches you is confirmed again where "
    "you restore (an address is verified by a link before anything is sent to it)",
    "reminders.Digest": "which digests were sent: a record of this server's mail, not yours",
    "reminders.CalendarFeed": "a secret subscription address: make a new one where you restore",
    "reminders.WorkerHeartbeat": "which workers ran on this server, and when",
    "reminders.ScheduledJob": "when this server next runs its scheduled work",
    "api.Token": "secrets for programs that reach this server: make new ones where you restore",
    "api.IdempotentRequest": "retried API requests this server answered",
    "api.RateCounter": "how many requests each token made this minute",
    Group._meta.label: "a group is shared by its members, not one account's; yours are named "
    'in "groups"',
    Invitation._meta.label: "links an organiser made for others to join; they expire in days",
    IntroRequest._meta.label: "a conversation between two accounts; an accepted one is already "
    "a lead and its loop steps in your backup",
    CoachGrant._meta.label: "permission you gave someone on this server; grant it again where "
    "you restore",
    CoachView._meta.label: "what a coach saw on this server: its log, not your records",
    BoardPost._meta.label: "the group's board is shared by its members, not one account's",
}


def _rows(queryset: models.QuerySet[Any]) -> Iterator[tuple[Any, ...]]:
    return queryset.iterator(chunk_size=BATCH)


def _section_stream(section: Section, owner: User) -> Iterator[list[dict[str, Any]]]:
    """The section's rows in the order they were made, a batch at a time."""
    model = section.model
    head: tuple[str, ...] = () if section.identity != "uuid" else ("uuid",)
    columns = (*head, *section.fields, *(f"{fk}__uuid" for fk, _target in section.refs))
    keys = (*head, *section.fields, *(json_name(fk) for fk, _target in section.refs))
    rows = model._default_manager.filter(owner=owner).order_by("pk").values_list(*columns)
    batch: list[dict[str, Any]] = []
    for row in _rows(rows):
        batch.append(dict(zip(keys, row, strict=True)))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _settings(owner: User) -> dict[str, Any]:
    found: dict[str, Any] = {name: getattr(owner, name) for name in ACCOUNT_FIELDS}
    for key, (model, owner_field, fields) in SETTINGS.items():
        found[key] = model._default_manager.filter(**{owner_field: owner}).values(*fields).first()
    return found


def _tags(owner: User) -> list[str]:
    return sorted(Tag.objects.filter(owner=owner).values_list("name", flat=True), key=str.lower)


def _kept_apart(owner: User) -> list[dict[str, Any]]:
    """The pairs the owner said are two people, each pair and the list in uuid order (row
    ids and created times differ once restored)."""
    pairs = []
    for a, b, reason in PossibleDuplicate.objects.filter(
        owner=owner, status=PossibleDuplicate.Status.KEPT_APART
    ).values_list("person_a__uuid", "person_b__uuid", "reason"):
        first, second = sorted((str(a), str(b)))
        pairs.append({"person_a": first, "person_b": second, "reason": reason})
    pairs.sort(key=lambda pair: (pair["person_a"], pair["person_b"]))
    return pairs


def export_sections(owner: User) -> dict[str, Any]:
    """The backup's sections after the journal, in the document's order. The big ones are
    iterators of batches, read as they are written."""
    document: dict[str, Any] = {"settings": _settings(owner), "tags": _tags(owner)}
    for section in SECTIONS:
        document[section.key] = _section_stream(section, owner)
    document["kept_apart"] = _kept_apart(owner)
    document["groups"] = groups_export(owner)
    return document
