"""Merging two records of one person: pick the other, choose the winning values."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from circleback.accounts.models import User
from circleback.journal.services import interaction_log
from circleback.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(alice: User, make_person: Any) -> tuple[Person, Person]:
    keep = make_person(
        alice, "Ada Quill", title="VP Eng", emails=["ada@one.example"], tags=["mentor"], closeness=2
    )
    other = make_person(
        alice,
        "Ada Quill-Smith",
        title="CTO",
        organisation="Hooli",
        emails=["ada@two.example"],
        tags=["fintech"],
        closeness=4,
        notes="Likes sailing",
    )
    interaction_log(owner=alice, summary="Lunch", people=[other])
    return keep, other


def test_it_finds_candidates_to_merge_with(
    alice_client: Client, pair: tuple[Person, Person]
) -> None:
    keep, other = pair
    response = alice_client.get(f"/people/{keep.uuid}/merge/?q=smith")
    assert list(response.context["candidates"]) == [other]


def test_it_shows_both_records_side_by_side(
    alice_client: Client, pair: tuple[Person, Person]
) -> None:
    keep, other = pair
    rows = {
        r["field"]: r
        for r in alice_client.get(f"/people/{keep.uuid}/merge/{other.uuid}/").context["rows"]
    }
    assert (
        rows["title"]["choose"]
        and rows["title"]["keep"] == "VP Eng"
        and rows["title"]["other"] == "CTO"
    )
    assert not rows["organisation"]["choose"]  # only one has it: it is simply kept


def test_it_merges_with_the_chosen_values_and_loses_nothing(
    alice_client: Client, pair: tuple[Person, Person]
) -> None:
    keep, other = pair
    response = alice_client.post(
        f"/people/{keep.uuid}/merge/{other.uuid}/",
        {"title": "other", "closeness": "keep", "full_name": "keep"},
    )
    assert response["Location"] == f"/people/{keep.uuid}/"
    keep.refresh_from_db()
    assert not Person.objects.filter(pk=other.pk).exists()
    assert keep.title == "CTO" and keep.closeness == 2 and keep.organisation.name == "Hooli"
    assert {e.address for e in keep.emails.all()} == {"ada@one.example", "ada@two.example"}
    assert {t.name for t in keep.tags.all()} == {"mentor", "fintech"}
    assert (
        "Likes sailing" in keep.notes and "VP Eng" in keep.notes and "Ada Quill-Smith" in keep.notes
    )
    assert keep.interactions.get().summary == "Lunch"


def test_merging_someone_with_themselves_is_refused(
    alice_client: Client, pair: tuple[Person, Person]
) -> None:
    keep, _ = pair
    response = alice_client.post(f"/people/{keep.uuid}/merge/{keep.uuid}/", {})
    assert response.status_code == 400
    assert "same person" in response.content.decode()
    assert Person.objects.count() == 2


def test_merging_with_someone_elses_person_is_404(
    alice_client: Client, pair: tuple[Person, Person], bob: User, make_person: Any
) -> None:
    keep, _ = pair
    bobs = make_person(bob, "Ada Quill")
    assert alice_client.post(f"/people/{keep.uuid}/merge/{bobs.uuid}/", {}).status_code == 404
    assert Person.objects.count() == 3


def test_an_outsider_cannot_merge(charlie_client: Client, pair: tuple[Person, Person]) -> None:
    keep, other = pair
    assert charlie_client.post(f"/people/{keep.uuid}/merge/{other.uuid}/", {}).status_code == 404
    assert Person.objects.count() == 2
