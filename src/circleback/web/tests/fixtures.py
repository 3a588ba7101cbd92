"""Fixtures for the web tests: a signed-in client and a small but realistic network."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from circleback.accounts.models import User
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_log
from circleback.people.models import Organisation, Person
from circleback.people.services.organisations import organisation_create
from circleback.people.services.people import person_create
from circleback.people.services.ties import tie_set


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def charlie_client(charlie: User) -> Client:
    other = Client()
    other.force_login(charlie)
    return other


@dataclass
class Network:
    people: list[Person]
    organisations: list[Organisation]
    interactions: list[Interaction]

    @property
    def first(self) -> Person:
        return self.people[0]


def build_network(owner: User, size: int = 36) -> Network:
    """`size` people across three organisations, with ties, tags and a journal."""
    orgs = [
        organisation_create(owner=owner, name="Hooli", is_target=True, priority=1),
        organisation_create(owner=owner, name="Pied Piper", is_target=True, priority=2),
        organisation_create(owner=owner, name="Initech"),
    ]
    people = [
        person_create(
            owner=owner,
            full_name=f"Person {i:02d} Example",
            organisation=orgs[i % 3],
            contact_list="ABC"[i % 3],
            emails=[f"p{i}@example.org"],
            phones=[f"+44 20 7946 0{i:03d}"],
            tags=["mentor", f"group{i % 4}"],
            is_decision_maker=i % 5 == 0,
        )
        for i in range(size)
    ]
    for i in range(size - 1):
        tie_set(owner=owner, person=people[i], other=people[i + 1])
        tie_set(owner=owner, person=people[0], other=people[i + 1], strength=3)
    now = timezone.now()
    interactions = [
        interaction_log(
            owner=owner,
            summary=f"Coffee number {i}",
            people=[people[i % size], people[(i + 1) % size], people[0]],
            kind="meeting" if i % 2 else "call",
            occurred_at=now - dt.timedelta(days=3 * i + 1),
            organisation=orgs[i % 3],
        )
        for i in range(size)
    ]
    return Network(people=people, organisations=orgs, interactions=interactions)


@pytest.fixture
def network(alice: User) -> Network:
    """Twelve people: enough for filters and selections."""
    return build_network(alice, size=12)


@pytest.fixture
def big_network(alice: User) -> Network:
    """Three dozen people: for checking that query counts don't grow with the data."""
    return build_network(alice, size=36)
