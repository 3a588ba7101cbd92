"""Erase a person, or an account, leaving nothing behind that identifies them.

A person's erasure takes their details, photo, tags, ties and search entries (these go with the
row), and every record about them: journal entries that involved only them, meetings with them,
leads they gave or were, loop steps, favours, standing offers, introductions, name permissions,
snoozes, duplicate reviews, and shares passed on to them alone. Journal entries with other
people stay, without them. Wherever the owner's own words name them (notes, summaries, how
someone was met …) the name becomes "someone". `person_erase_plan` says all of this, counted,
before anything is done; `person_erase` does it and says the same after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

from django.apps import apps
from django.db import models, transaction
from django.db.models import Count, Q

from circleback.accounts.models import User
from circleback.accounts.throttle import failures_naming
from circleback.people.models import Person

REPLACEMENT = "someone"
SHARED_ENTRIES = "journal entries with others (they are taken off)"


@dataclass
class Erasure:
    """What goes (or went) with an erased person or account, counted, in words."""

    name: str
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{count} {what}" for what, count in self.counts.items() if count]

    def summary(self) -> str:
        lines = self.lines()
        return "; ".join(lines) if lines else "nothing else"

    def deleted(self, what: str) -> str:
        """ "Deleted Ada Quill, with 3 contact details; 1 ties." (just "Deleted …." if alone)."""
        return f"Deleted {what}, with {self.summary()}." if self.lines() else f"Deleted {what}."


def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)


def _owned_text_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with an owner, and its text fields the owner writes (where a name may be)."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("circleback") or model._meta.label in (
            "search.SearchDocument",
            "interchange.ImportUpload",
            "once.Submission",
        ):
            continue
        names = {f.name for f in model._meta.concrete_fields}
        if "owner" not in names:
            continue
        text = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and f.editable
            and not f.choices
            and f.name not in ("normalized_name",)
        ]
        if text:
            found.append((model, text))
    return found


def _going(records: dict[str, models.QuerySet]) -> set[tuple[str, int]]:
    """(model label, pk) of every row that goes with the person anyway."""
    return {
        (queryset.model._meta.label, pk)
        for what, queryset in records.items()
        if what != SHARED_ENTRIES  # these stay
        for pk in queryset.values_list("pk", flat=True)
    }


def _mentions(
    person: Person, going: set[tuple[str, int]] | None = None
) -> list[tuple[models.Model, list[str]]]:
    """Rows of the owner's that stay (not the person, not what goes with them) whose text
    names the person."""
    name = " ".join(person.full_name.split())
    if len(name) < 2:
        return []
    pattern = _name_pattern(name)
    rows = []
    for model, fields in _owned_text_fields():
        query = Q()
        for name_field in fields:
            query |= Q(**{f"{name_field}__icontains": name})
        queryset = model._default_manager.filter(query, owner_id=person.owner_id)
        if model is Person:
            queryset = queryset.exclude(pk=person.pk)
        for row in queryset:
            if going and (model._meta.label, row.pk) in going:
                continue
            named = [f for f in fields if pattern.search(str(getattr(row, f) or ""))]
            if named:
                rows.append((row, named))
    return rows


def _records(person: Person) -> dict[str, models.QuerySet]:
    """The records that go with the person, by what the confirmation calls them."""
    from circleback.insights.models import Snooze as snooze
    from circleback.interchange.models import PossibleDuplicate as pair
    from circleback.journal.models import Interaction, Participation
    from circleback.loops.models import Favour as favour
    from circleback.loops.models import Introduction as intro
    from circleback.loops.models import Lead as lead
    from circleback.loops.models import LoopStep as step
    from circleback.loops.models import Meeting as meeting
    from circleback.loops.models import NamePermission as permission
    from circleback.loops.models import Share as share
    from circleback.loops.models import StandingOffer as offer
    from circleback.people.models import Email, Link, Phone, Photo, RoleChange, Tie

    theirs = Participation.objects.filter(person=person).values("interaction_id")
    only_them = (
        Interaction.objects.filter(pk__in=theirs)
        .annotate(taking_part=Count("people"))
        .filter(taking_part=1)
    )
    shared_entries = (
        Interaction.objects.filter(pk__in=theirs)
        .annotate(taking_part=Count("people"))
        .filter(taking_part__gt=1)
    )
    shares_only_them = (
        share.objects.filter(pk__in=share.objects.filter(favours__person=person).values("pk"))
        .annotate(people=Count("favours__person", distinct=True))
        .filter(people=1)
    )
    return {
        "contact details (emails, phones, links)": Email.objects.filter(person=person),
        "__phones": Phone.objects.filter(person=person),
        "__links": Link.objects.filter(person=person),
        "photo": Photo.objects.filter(person=person),
        "ties": Tie.objects.filter(Q(person_a=person) | Q(person_b=person)),
        "journal entries with only them (deleted)": only_them,
        SHARED_ENTRIES: shared_entries,
        "meetings": meeting.objects.filter(person=person),
        "leads they gave you or were": lead.objects.filter(Q(referrer=person) | Q(referred=person)),
        "loop steps": step.objects.filter(Q(person=person) | Q(about=person)),
        "favours": favour.objects.filter(person=person),
        "standing offers": offer.objects.filter(person=person),
        "introductions": intro.objects.filter(Q(person_x=person) | Q(person_y=person)),
        "shares passed on to them alone": shares_only_them,
        "permissions to use their name": permission.objects.filter(person=person),
        "snoozes": snooze.objects.filter(person=person),
        "a new role to congratulate them on": RoleChange.objects.filter(person=person),
        "duplicate reviews": pair.objects.filter(Q(person_a=person) | Q(person_b=person)),
    }


def person_erase_plan(*, person: Person) -> Erasure:
    """What erasing `person` would take with it, counted (nothing is changed)."""
    records = _records(person)
    counts: dict[str, int] = {}
    for what, queryset in records.items():
        key = "contact details (emails, phones, links)" if what.startswith("__") else what
        counts[key] = counts.get(key, 0) + queryset.count()
    counts["mentions of their name in your notes (it becomes “someone”)"] = sum(
        len(named) for _row, named in _mentions(person, _going(records))
    )
    return Erasure(person.full_name, counts)


@transaction.atomic
def person_erase(*, person: Person) -> Erasure:
    """Erase `person` and everything that identifies them (see the module docstring)."""
    from circleback.journal.services import (
        last_contact_refresh,
        search_forget_deleted,
        search_index_interactions,
    )
    from circleback.once.models import Submission
    from circleback.people.services.index import search_index_people

    done = person_erase_plan(person=person)
    records = _records(person)
    # Entries only with them go; the others lose them (their participation goes with the row).
    from circleback.journal.models import Participation

    others = set(
        Participation.objects.filter(interaction__in=records[SHARED_ENTRIES].values("pk"))
        .exclude(person=person)
        .values_list("person_id", flat=True)
    )
    shared_ids = list(records[SHARED_ENTRIES].values_list("pk", flat=True))
    only_ids = list(
        records["journal entries with only them (deleted)"].values_list("pk", flat=True)
    )
    share_ids = list(records["shares passed on to them alone"].values_list("pk", flat=True))
    # Meetings with them keep a journal entry of their own: it is one of theirs, so it goes.
    meeting_entries = list(
        records["meetings"].exclude(interaction=None).values_list("interaction_id", flat=True)
    )
    pattern = _name_pattern(" ".join(person.full_name.split()))
    touched_people: set[int] = set()
    touched_entries: set[int] = set()
    for row, named in _mentions(person, _going(records)):
        for name_field in named:
            setattr(row, name_field, pattern.sub(REPLACEMENT, getattr(row, name_field)))
        row.save(update_fields=named)
        if isinstance(row, Person):
            touched_people.add(row.pk)
        elif row._meta.label == "journal.Interaction":
            touched_entries.add(row.pk)
    Submission.objects.filter(
        owner_id=person.owner_id, result_url__contains=str(person.uuid)
    ).delete()
    from circleback.journal.models import Interaction

    Interaction.objects.filter(pk__in=[*only_ids, *meeting_entries]).delete()
    apps.get_model("loops", "Share").objects.filter(pk__in=share_ids).delete()
    person.delete()  # details, photo, tags, ties, meetings, leads, steps, favours … cascade
    last_contact_refresh(person_ids=others)
    search_index_people(person_ids=touched_people - {person.pk})
    search_index_interactions(interaction_ids=set(shared_ids) | touched_entries)
    search_forget_deleted()
    return done


def account_erase_plan(*, user: User) -> Erasure:
    """What erasing the account would remove, counted by kind of record."""
    counts: dict[str, int] = {}
    for model in _owned_models():
        count = model._default_manager.filter(owner=user).count()
        if count:
            counts[str(model._meta.verbose_name_plural)] = count
    # Failed sign-ins naming the account: rows with its name (and where they came from) that
    # would outlive it, and would count against a new account of the same name.
    failed = sum(rows.count() for rows in failures_naming(user.get_username()))
    if failed:
        counts["failed sign-ins"] = failed
    return Erasure(user.get_username(), counts)


def _owned_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if any(
            f.name == "owner" and f.is_relation and f.related_model is User
            for f in model._meta.concrete_fields
        )
    ]


@transaction.atomic
def account_erase(*, user: User) -> Erasure:
    """Erase the account and everything it owned, its sessions included."""
    from django.contrib.sessions.models import Session

    done = account_erase_plan(user=user)
    # Leave every group as the member would: the last organiser hands a group on, the last
    # member ends it, so no group is left behind nameless and unowned.
    from circleback.groups.models import Membership
    from circleback.groups.services import group_leave

    for membership in Membership.objects.filter(owner=user).select_related("group"):
        group_leave(owner=user, group=membership.group)
    user_id = str(user.pk)
    for session in Session.objects.iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
    for rows in failures_naming(user.get_username()):
        rows.delete()
    # Files waiting for an import's confirmation go with their rows, once that is committed.
    from circleback.interchange.models import ImportUpload
    from circleback.interchange.upload_files import upload_discard

    for key in ImportUpload.objects.filter(owner=user).values_list("uuid", flat=True):
        transaction.on_commit(partial(upload_discard, key))
    user.delete()  # every owned row cascades from the account
    from circleback.journal.services import search_forget_deleted

    search_forget_deleted()
    return done


@transaction.atomic
def people_erase(*, owner: User, person_ids: list[int]) -> int:
    """Erase several of the owner's people (each as `person_erase`); returns how many."""
    people = list(Person.objects.filter(owner=owner, pk__in=person_ids))
    for person in people:
        person_erase(person=person)
    return len(people)
