"""Writes for tags: made on first use, added to and taken off people in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import models, transaction

from circleback.accounts.models import User
from circleback.people.models import (
    Person,
    Tag,
)
from circleback.people.services.index import search_index_people

MAX_TAG_LENGTH = 60


# --- tags ----------------------------------------------------------------------------------


def _clean_tag_names(names: Iterable[str]) -> list[str]:
    cleaned: dict[str, str] = {}
    for raw in names:
        name = " ".join(str(raw).split())
        if not name:
            raise ValidationError({"tags": "A tag can't be empty."})
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(
                {
                    "tags": f"The tag {name[:20]!r}… is too long; "
                    f"use at most {MAX_TAG_LENGTH} characters."
                }
            )
        cleaned.setdefault(name.lower(), name)
    return list(cleaned.values())


def tags_get_or_create(*, owner: User, names: Iterable[str]) -> list[Tag]:
    """The owner's tags with these names (case-insensitive), creating the missing ones."""
    wanted = _clean_tag_names(names)
    if not wanted:
        return []
    existing = _tags_named(owner, wanted)
    missing = [Tag(owner=owner, name=n) for n in wanted if n.lower() not in existing]
    # A tag another request adds between the look above and this insert (PostgreSQL; SQLite's
    # writes take turns) is kept as theirs: read back below with the rest, not a 500.
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    # bulk_create doesn't return primary keys on every database version; read them back.
    if missing:
        existing.update(_tags_named(owner, [m.name for m in missing]))
    return [existing[n.lower()] for n in wanted]


def _tags_named(owner: User, names: Sequence[str]) -> dict[str, Tag]:
    """The owner's tags with these names (case-insensitive), by their lower-case name."""
    named = models.Q(*[models.Q(name__iexact=n) for n in names], _connector=models.Q.OR)
    return {t.name.lower(): t for t in Tag.objects.filter(owner=owner).filter(named)}


@transaction.atomic
def people_tag(*, owner: User, person_ids: Iterable[int], tag_names: Sequence[str]) -> int:
    """Add tags to many people at once; returns how many people were touched."""
    ids = list(
        Person.objects.filter(owner=owner, pk__in=list(person_ids)).values_list("pk", flat=True)
    )
    tags = tags_get_or_create(owner=owner, names=tag_names)
    if not ids or not tags:
        return 0
    through = Person.tags.through
    existing = set(
        through.objects.filter(person_id__in=ids, tag__in=tags).values_list("person_id", "tag_id")
    )
    through.objects.bulk_create(
        [
            through(person_id=pid, tag_id=tag.pk)
            for pid in ids
            for tag in tags
            if (pid, tag.pk) not in existing
        ]
    )
    search_index_people(person_ids=ids)
    return len(ids)


@transaction.atomic
def people_untag(*, owner: User, person_ids: Iterable[int], tag_names: Sequence[str]) -> int:
    ids = list(
        Person.objects.filter(owner=owner, pk__in=list(person_ids)).values_list("pk", flat=True)
    )
    names = _clean_tag_names(tag_names)
    tags = (
        Tag.objects.filter(owner=owner).filter(
            models.Q(*[models.Q(name__iexact=n) for n in names], _connector=models.Q.OR)
        )
        if names
        else Tag.objects.none()
    )
    if not ids:
        return 0
    Person.tags.through.objects.filter(person_id__in=ids, tag__in=tags).delete()
    search_index_people(person_ids=ids)
    return len(ids)
