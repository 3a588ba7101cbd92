"""Reads for import and export: an import by its UUID, the recent ones, and the possible
duplicates waiting for review. Each is the owner's alone: another owner's is a 404."""

from __future__ import annotations

import uuid as uuid_module

from django.db.models import QuerySet
from django.http import Http404

from circleback.accounts.models import User
from circleback.interchange.models import ImportUpload, PossibleDuplicate

RECENT_IMPORTS = 10
PAIRS_SHOWN = 200


def get_upload_for(owner: User, upload_uuid: str) -> ImportUpload:
    try:
        parsed = uuid_module.UUID(upload_uuid)
    except ValueError:
        raise Http404("No such import.") from None
    upload = ImportUpload.objects.filter(owner=owner, uuid=parsed).first()
    if upload is None:
        raise Http404("No such import.")
    return upload


def imports_recent(*, owner: User, format: str = "") -> QuerySet[ImportUpload]:
    """The owner's last imports, newest first (of one format, if given)."""
    found = ImportUpload.objects.filter(owner=owner)
    if format:
        found = found.filter(format=format)
    return found.order_by("-created_at")[:RECENT_IMPORTS]


def duplicates_open_count(*, owner: User) -> int:
    return PossibleDuplicate.objects.filter(owner=owner, status="open").count()


def duplicates_open(*, owner: User) -> QuerySet[PossibleDuplicate]:
    """Pairs to review, by the first person's name, with both people's organisations."""
    return (
        PossibleDuplicate.objects.filter(owner=owner, status="open")
        .select_related("person_a__organisation", "person_b__organisation")
        .order_by("person_a__full_name", "pk")[:PAIRS_SHOWN]
    )


def get_pair_for(owner: User, pair_uuid: str) -> PossibleDuplicate:
    try:
        parsed = uuid_module.UUID(pair_uuid)
    except ValueError:
        raise Http404("No such pair.") from None
    pair = (
        PossibleDuplicate.objects.filter(owner=owner, uuid=parsed, status="open")
        .select_related("person_a", "person_b")
        .first()
    )
    if pair is None:
        raise Http404("No such pair.")
    return pair
