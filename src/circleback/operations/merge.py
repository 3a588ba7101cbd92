"""Merging two people: the one operation that must know every relation in the product, so it lives
above the areas and uses each area's own services.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction

from circleback.people.models import (
    Email,
    Link,
    Person,
    Phone,
    Photo,
    Tie,
)
from circleback.people.services.index import search_index_people
from circleback.people.services.people import PERSON_FIELDS


def _merge_details(
    model: type[Email] | type[Phone] | type[Link], keep: Person, other: Person
) -> None:
    have = set(model._default_manager.filter(person=keep).values_list("normalized", flat=True))
    start = len(have)
    for offset, detail in enumerate(model._default_manager.filter(person=other)):
        if detail.normalized in have:
            detail.delete()
        else:
            have.add(detail.normalized)
            detail.person = keep  # type: ignore[attr-defined]
            detail.position = start + offset
            detail.save(update_fields=["person", "position"])


def _repoint_ties(keep: Person, other: Person) -> None:
    existing = {}
    for tie in Tie.objects.filter(models.Q(person_a=keep) | models.Q(person_b=keep)):
        existing[tie.person_b_id if tie.person_a_id == keep.pk else tie.person_a_id] = tie
    for tie in Tie.objects.filter(models.Q(person_a=other) | models.Q(person_b=other)):
        third = tie.person_b_id if tie.person_a_id == other.pk else tie.person_a_id
        if third == keep.pk:
            tie.delete()  # a tie between the two halves of one person means nothing
            continue
        if third in existing:
            kept = existing[third]
            kept.strength = max(kept.strength, tie.strength)
            notes = [kept.notes, tie.notes if tie.notes not in kept.notes else ""]
            if tie.kind != kept.kind and kept.kind == Tie.Kind.OTHER:
                kept.kind = tie.kind
            elif tie.kind not in (kept.kind, Tie.Kind.OTHER):
                notes.append(f"Also: {tie.get_kind_display()}.")  # how else they know each other
            kept.notes = "\n".join(filter(None, notes))
            kept.save(update_fields=["strength", "kind", "notes"])
            tie.delete()
            continue
        tie.delete()
        a, b = sorted((keep.pk, third))
        Tie.objects.create(
            owner_id=keep.owner_id,
            uuid=tie.uuid,
            person_a_id=a,
            person_b_id=b,
            kind=tie.kind,
            strength=tie.strength,
            notes=tie.notes,
        )


def _merged_by_hand() -> set[type[models.Model]]:
    """Models whose rows person_merge moves itself, because of their unique constraints."""
    from circleback.journal.models import Participation
    from circleback.search.models import SearchDocument

    return {
        Email,
        Phone,
        Link,
        Photo,
        Tie,
        Participation,
        SearchDocument,
        Person,
        Person.tags.through,
        apps.get_model("insights", "Snooze"),
        apps.get_model("interchange", "PossibleDuplicate"),
    }


def _person_foreign_keys() -> dict[type[models.Model], list[str]]:
    """Other models' foreign keys to Person (meetings, leads, favours, loop steps …), by model.

    Hidden relations (related_name="+": an introduction's two people, a loop step's, who
    referred you to a meeting) count too: left out, merging deleted them with the other person.
    """
    by_model: dict[type[models.Model], list[str]] = {}
    for relation in Person._meta.get_fields(include_hidden=True):
        if not isinstance(relation, models.ForeignObjectRel) or relation.many_to_many:
            continue
        if relation.related_model in _merged_by_hand():
            continue
        by_model.setdefault(relation.related_model, []).append(relation.field.name)  # type: ignore[arg-type]
    return by_model


def _merge_snoozes(keep: Person, other: Person) -> None:
    """One snooze per person: the one that lasts longer."""
    snooze = apps.get_model("insights", "Snooze")
    mine = snooze.objects.filter(person=keep).first()
    theirs = snooze.objects.filter(person=other).first()
    if theirs is None:
        return
    if mine is not None and mine.until >= theirs.until:
        theirs.delete()
        return
    if mine is not None:
        mine.delete()
    snooze.objects.filter(pk=theirs.pk).update(person=keep)


def _merge_possible_duplicates(keep: Person, other: Person) -> None:
    """The pair being merged is settled; other pairs with `other` become pairs with `keep`
    (stored lower id first, once), so a "kept apart" decision is not forgotten."""
    pair = apps.get_model("interchange", "PossibleDuplicate")
    pair.objects.filter(
        models.Q(person_a=keep, person_b=other) | models.Q(person_a=other, person_b=keep)
    ).delete()
    for row in pair.objects.filter(models.Q(person_a=other) | models.Q(person_b=other)):
        third = row.person_b_id if row.person_a_id == other.pk else row.person_a_id
        a, b = sorted((keep.pk, third))
        if pair.objects.filter(person_a_id=a, person_b_id=b).exists():
            row.delete()
        else:
            pair.objects.filter(pk=row.pk).update(person_a_id=a, person_b_id=b)


def _drop_repeated_follow_ups(keep: Person, other: Person) -> None:
    """An open "follow up on the introduction you asked for" is one per person asked and
    person asked about; when both halves have one about the same person, `keep`'s stays."""
    step = apps.get_model("loops", "LoopStep")
    open_requests = step.objects.filter(kind="intro_request", done_at__isnull=True)
    for mine, theirs in (("person", "about"), ("about", "person")):
        taken = open_requests.filter(**{mine: keep}).values_list(f"{theirs}_id", flat=True)
        open_requests.filter(**{mine: other, f"{theirs}_id__in": list(taken)}).delete()


def _refuse_if_linked(keep: Person, other: Person) -> None:
    """Two people one record links to each other (a lead from one about the other, an
    introduction of one to the other) are two people: merging them would make that record
    point at one person twice."""
    for model, fields in _person_foreign_keys().items():
        for first in fields:
            for second in fields:
                if (
                    first != second
                    and model._default_manager.filter(**{first: keep, second: other}).exists()
                ):
                    raise ValidationError(
                        f"{keep.full_name} and {other.full_name} are linked by a "
                        f"{model._meta.verbose_name} between them, so they are two different "
                        "people; they were not merged."
                    )


@transaction.atomic
def person_merge(*, keep: Person, other: Person, prefer_other: Iterable[str] = ()) -> Person:
    """Fold `other` into `keep` and delete `other`; no value is silently lost.

    Scalar fields keep `keep`'s value unless it is empty or named in `prefer_other`; a value
    that loses is appended to the notes. Emails, phones, links, tags, ties, journal entries and
    every other record pointing at `other` (meetings, loops, favours, introductions, snoozes,
    duplicate reviews) move to `keep`; where both had one that must be unique, one is kept.
    """
    if keep.owner_id != other.owner_id:
        raise ValidationError("Only people in the same network can be merged.")
    if keep.pk == other.pk:
        raise ValidationError("Choose two different people to merge.")
    prefer = set(prefer_other)
    unknown = prefer - set(PERSON_FIELDS) - {"organisation", "introduced_by"}
    if unknown:
        raise ValidationError(f"Unknown person fields: {', '.join(sorted(unknown))}.")
    _refuse_if_linked(keep, other)
    from circleback.journal.services import participations_move

    lost: list[str] = []
    for field in (*PERSON_FIELDS, "organisation", "introduced_by"):
        if field in ("notes", "source"):
            continue
        model_field = Person._meta.get_field(field)
        assert isinstance(model_field, models.Field)
        attname, label = model_field.attname, model_field.verbose_name
        mine, theirs = getattr(keep, attname), getattr(other, attname)
        if field == "introduced_by" and theirs == keep.pk:
            continue
        empty_mine = mine in (None, "")
        if theirs in (None, "") or theirs == mine:
            continue
        if field in prefer or empty_mine:
            if not empty_mine and field in ("full_name", "title", "how_we_met", "location"):
                lost.append(f"{label}: {mine}")
            setattr(keep, attname, theirs)
        elif field in ("full_name", "title", "how_we_met", "location"):
            lost.append(f"{label}: {theirs}")
    if (
        isinstance(keep.closeness, int)
        and isinstance(other.closeness, int)
        and "closeness" not in prefer
    ):
        keep.closeness = max(keep.closeness, other.closeness)
    keep.is_decision_maker = keep.is_decision_maker or other.is_decision_maker
    notes = [keep.notes.strip()]
    if other.notes.strip() and other.notes.strip() not in keep.notes:
        notes.append(other.notes.strip())
    if lost:
        notes.append("Also known as — " + "; ".join(lost))
    keep.notes = "\n\n".join(filter(None, notes))
    if other.last_contact_at and (
        keep.last_contact_at is None or other.last_contact_at > keep.last_contact_at
    ):
        keep.last_contact_at = other.last_contact_at
    if keep.introduced_by_id == other.pk:
        keep.introduced_by = None

    for model in (Email, Phone, Link):
        _merge_details(model, keep, other)
    if not Photo.objects.filter(person=keep).exists():
        Photo.objects.filter(person=other).update(person=keep)
    keep.tags.add(*other.tags.all())
    _repoint_ties(keep, other)
    participations_move(from_person=other, to_person=keep)
    _merge_snoozes(keep, other)
    _merge_possible_duplicates(keep, other)
    _drop_repeated_follow_ups(keep, other)
    Person.objects.filter(introduced_by=other).exclude(pk=keep.pk).update(introduced_by=keep)
    # Anything else that points at a person (meetings, loops, favours …) simply moves over.
    for related, fields in _person_foreign_keys().items():
        for name in fields:
            related._default_manager.filter(**{name: other}).update(**{name: keep})
    keep.full_clean(exclude=["owner", "organisation", "introduced_by"])
    keep.save()
    other.delete()
    search_index_people(person_ids=[keep.pk])
    return keep


@transaction.atomic
def person_merge_chosen(*, keep: Person, other: Person, take_from_other: Iterable[str]) -> Person:
    """person_merge where every value the user chose on the merge screen wins as chosen.

    person_merge keeps the closer closeness and either decision-maker flag on its own; here a
    field not taken from `other` keeps `keep`'s value exactly, so the screen says what happens.
    """
    take = set(take_from_other)
    closeness, decision_maker = keep.closeness, keep.is_decision_maker
    merged = person_merge(keep=keep, other=other, prefer_other=take - {"is_decision_maker"})
    changed = []
    if "closeness" not in take and merged.closeness != closeness:
        merged.closeness = closeness
        changed.append("closeness")
    wanted_flag = other.is_decision_maker if "is_decision_maker" in take else decision_maker
    if merged.is_decision_maker != wanted_flag:
        merged.is_decision_maker = wanted_flag
        changed.append("is_decision_maker")
    if changed:
        merged.save(update_fields=changed)
    return merged
