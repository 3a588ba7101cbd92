"""The duplicates review says why two people were paired: what they really have in common."""

from __future__ import annotations

from django.test import Client

from circleback.accounts.models import User
from circleback.interchange.models import PossibleDuplicate
from circleback.people.models import Person
from circleback.people.services.people import person_create


def _pair(owner: User, a: Person, b: Person, reason: str) -> PossibleDuplicate:
    first, second = sorted((a, b), key=lambda p: p.pk)
    return PossibleDuplicate.objects.create(
        owner=owner, person_a=first, person_b=second, reason=reason
    )


def test_a_pair_with_the_same_name_at_one_organisation_says_so(client: Client, alice: User) -> None:
    """The defect: the review said "share an email address, phone or link" of two people
    who shared none — they had the same name at one organisation."""
    a = person_create(
        owner=alice, full_name="Priya Patel", organisation="Globex", emails=["a@x.org"]
    )
    b = person_create(owner=alice, full_name="Priya Patel", organisation="Globex", if_exists="new")
    _pair(alice, a, b, "share an email address, phone or link")
    client.force_login(alice)
    page = client.get("/import/duplicates/").content.decode()
    assert "Have the same name at Globex." in page
    assert "share an email" not in page.lower()


def test_a_pair_sharing_a_phone_names_it(client: Client, alice: User) -> None:
    a = person_create(owner=alice, full_name="Ada Quill", phones=["+44 20 7946 0000"])
    b = person_create(owner=alice, full_name="Bart Nguyen", phones=["+44 20 7946 0000"])
    _pair(alice, a, b, "share an email address, phone or link")
    client.force_login(alice)
    page = client.get("/import/duplicates/").content.decode()
    assert "Share the phone number +44 20 7946 0000." in page


def test_another_owners_pairs_are_not_shown(client: Client, alice: User, charlie: User) -> None:
    a = person_create(owner=charlie, full_name="Priya Patel", organisation="Globex")
    b = person_create(
        owner=charlie, full_name="Priya Patel", organisation="Globex", if_exists="new"
    )
    _pair(charlie, a, b, "similar names at the same organisation")
    client.force_login(alice)
    assert "Priya Patel" not in client.get("/import/duplicates/").content.decode()
