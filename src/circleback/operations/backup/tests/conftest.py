"""A whole account to back up: a small demo network with its give and take, and the corners
the demo doesn't reach (a photo, a birthday without a year, two people of one name at one
organisation, a tag no one carries, a pair kept apart, settings changed)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from circleback.accounts.models import User
from circleback.demo.services import demo_generate
from circleback.interchange.models import PossibleDuplicate
from circleback.people.models import Person, Photo
from circleback.people.services.people import person_create
from circleback.people.services.tags import tags_get_or_create

FIXTURES = Path(__file__).parent / "fixtures"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def full_account(owner: User, people: int = 48) -> None:
    demo_generate(owner=owner, people=people, years=1, interactions_per_person=2, seed=4)
    first = person_create(
        owner=owner,
        full_name="Priya Patel",
        organisation="Globex",
        birthday_month=2,
        birthday_day=29,
        notes="Platform team",
        if_exists="new",  # the demo may have a Priya Patel at Globex already
    )
    # Two people of one name at one organisation, kept apart on purpose.
    second = person_create(
        owner=owner, full_name="Priya Patel", organisation="Globex", if_exists="new"
    )
    Photo.objects.create(person=first, content_type="image/png", data=PNG)
    a, b = sorted([first.pk, second.pk])
    PossibleDuplicate.objects.create(
        owner=owner,
        person_a_id=a,
        person_b_id=b,
        reason="similar names at the same organisation",
        status=PossibleDuplicate.Status.KEPT_APART,
    )
    tags_get_or_create(owner=owner, names=["someday"])
    owner.time_zone, owner.mode = "America/New_York", User.Mode.EMPLOYED
    owner.first_name, owner.last_name, owner.email = "Ada", "Quill", "ada@quill.example"
    owner.save(update_fields=["time_zone", "mode", "first_name", "last_name", "email"])


def comparable(data: bytes) -> dict[str, Any]:
    """A backup with what may differ between two exports of one account taken out."""
    document: dict[str, Any] = json.loads(data)
    document.pop("exported_at")
    return document


def wipe(owner: User) -> None:
    """Everything of the account gone, as in a fresh database: its uuids are free again."""
    Person.objects.filter(owner=owner).delete()
    owner.delete()


@pytest.fixture
def account(alice: User) -> User:
    full_account(alice)
    return alice
