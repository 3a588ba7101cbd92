"""Organisations: targets first, a page with its people and journal, add and edit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from circleback.accounts.models import User
from circleback.people.models import Organisation, Person
from circleback.people.services.organisations import organisation_create
from circleback.web.tests.fixtures import Network

pytestmark = pytest.mark.django_db


def test_it_lists_targets_first_by_priority(alice_client: Client, alice: User) -> None:
    organisation_create(owner=alice, name="Zeta")
    organisation_create(owner=alice, name="Beta", is_target=True, priority=2)
    organisation_create(owner=alice, name="Alpha", is_target=True, priority=1)
    page = alice_client.get("/organisations/").context["page"]
    assert [o.name for o in page] == ["Alpha", "Beta", "Zeta"]


def test_its_page_marks_decision_makers_and_shows_its_journal(
    alice_client: Client, network: Network
) -> None:
    hooli = network.organisations[0]
    response = alice_client.get(f"/organisations/{hooli.uuid}/")
    people = response.context["people"]
    assert people[0].is_decision_maker and {p.organisation_id for p in people} == {hooli.pk}
    html = response.content.decode()
    assert "Decision maker" in html and "Coffee number 0" in html


def test_a_target_page_links_its_ways_in(alice_client: Client, alice: User) -> None:
    globex = organisation_create(owner=alice, name="Globex", is_target=True)
    initech = organisation_create(owner=alice, name="Initech")
    ways_in = f'href="/paths/org/{globex.uuid}/"'
    assert ways_in in alice_client.get(f"/organisations/{globex.uuid}/").content.decode()
    assert "/paths/org/" not in alice_client.get(f"/organisations/{initech.uuid}/").content.decode()


def test_it_adds_and_edits_an_organisation(alice_client: Client) -> None:
    response = alice_client.post(
        "/organisations/new/",
        {"name": "Hooli", "is_target": "on", "priority": "1", "stage": "networking"},
    )
    hooli = Organisation.objects.get()
    assert response["Location"] == f"/organisations/{hooli.uuid}/"
    alice_client.post(
        f"/organisations/{hooli.uuid}/edit/", {"name": "Hooli", "stage": "applied", "priority": ""}
    )
    hooli.refresh_from_db()
    assert (hooli.stage, hooli.priority, hooli.is_target) == ("applied", None, False)


@pytest.mark.parametrize(
    "data",
    [
        {"name": ""},
        {"name": "x" * 201},
        {"name": "Hooli, Inc."},  # the same as Hooli
        {"name": "New", "stage": "bankrupt"},
        {"name": "New", "priority": "7"},
        {"name": "!!!"},
    ],
)
def test_bad_organisations_are_refused(
    alice_client: Client, alice: User, data: dict[str, str]
) -> None:
    organisation_create(owner=alice, name="Hooli")
    response = alice_client.post("/organisations/new/", {"stage": "researching", **data})
    assert response.status_code == 400 and response.context["form"].errors
    assert Organisation.objects.count() == 1


def test_deleting_keeps_its_people(alice_client: Client, network: Network) -> None:
    hooli = network.organisations[0]
    assert (
        "stay in your network"
        in alice_client.get(f"/organisations/{hooli.uuid}/delete/").content.decode()
    )
    alice_client.post(f"/organisations/{hooli.uuid}/delete/")
    assert not Organisation.objects.filter(pk=hooli.pk).exists()
    assert Person.objects.count() == 12


def test_an_outsider_gets_404(charlie_client: Client, network: Network) -> None:
    uuid = network.organisations[0].uuid
    for suffix in ["", "edit/", "delete/"]:
        assert charlie_client.get(f"/organisations/{uuid}/{suffix}").status_code == 404
    assert charlie_client.post(f"/organisations/{uuid}/delete/").status_code == 404
    assert charlie_client.post(f"/organisations/{uuid}/edit/", {"name": "Mine"}).status_code == 404
    assert Organisation.objects.filter(name="Hooli").exists()


def test_an_organisation_page_makes_a_bounded_number_of_queries(
    alice_client: Client, big_network: Network, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(9):
        alice_client.get(f"/organisations/{big_network.organisations[0].uuid}/")
    with django_assert_max_num_queries(6):
        alice_client.get("/organisations/")


def test_an_organisation_becomes_a_target_in_one_step(alice_client: Client, alice: User) -> None:
    initech = organisation_create(owner=alice, name="Initech")
    page = alice_client.get(f"/organisations/{initech.uuid}/").content.decode()
    assert "Mark as a target" in page
    response = alice_client.post(f"/organisations/{initech.uuid}/target/", follow=True)
    initech.refresh_from_db()
    assert initech.is_target
    assert "Initech is now one of your targets" in response.content.decode()
    assert "No longer a target" in response.content.decode()
    alice_client.post(f"/organisations/{initech.uuid}/target/", {"target": "0"})
    initech.refresh_from_db()
    assert not initech.is_target


def test_a_decision_maker_at_a_non_target_offers_to_make_it_one(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    vera = make_person(alice, "Vera Holt", organisation="Globex", is_decision_maker=True)
    page = alice_client.get(f"/people/{vera.uuid}/").content.decode()
    assert "Vera decides at Globex, but Globex isn't one of your targets." in page
    response = alice_client.post(
        f"/organisations/{vera.organisation.uuid}/target/",
        {"next": f"/people/{vera.uuid}/"},
    )
    assert response["Location"] == f"/people/{vera.uuid}/"
    page = alice_client.get(f"/people/{vera.uuid}/").content.decode()
    assert "isn't one of your targets" not in page and "Target" in page


def test_an_outsider_cannot_mark_a_target(
    charlie_client: Client, alice: User, network: Network
) -> None:
    organisation = network.organisations[0]
    before = organisation.is_target
    response = charlie_client.post(f"/organisations/{organisation.uuid}/target/")
    assert response.status_code == 404
    organisation.refresh_from_db()
    assert organisation.is_target is before
