from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from circleback.paths.graph import cache_clear
from circleback.paths.queries.paths import paths_to_organisation
from circleback.paths.svg import ego_svg, paths_svg
from circleback.paths.tests.factories import network
from circleback.people.models import Person, Tie
from circleback.people.queries import person_ties
from circleback.people.services.organisations import organisation_create
from circleback.people.services.people import person_create

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache_clear()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_index_lists_targets_with_their_ways_in(alice, django_assert_max_num_queries):
    net = network(alice)
    organisation_create(owner=alice, name="Nowhere Ltd", is_target=True)
    client = client_for(alice)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("paths:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Globex" in html and "4 ways in" in html
    assert "none yet — see openings" in html
    assert reverse("paths:organisation", args=[net.globex.uuid]) in html


def test_the_index_explains_what_to_do_without_targets(alice):
    response = client_for(alice).get(reverse("paths:index"))
    assert "No target organisations yet" in response.content.decode()


def test_the_organisation_page_shows_explained_paths_and_a_picture(
    alice, django_assert_max_num_queries
):
    net = network(alice)
    client = client_for(alice)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("paths:organisation", args=[net.globex.uuid]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You → Maya Rosen (career contact, inner circle" in html
    assert "How paths are ranked" in html
    assert "<svg" in html and "Introduction paths to Globex" in html
    assert reverse("paths:draft") + "?path=" in html


def test_the_page_says_when_there_is_no_path(alice):
    network(alice)
    far = organisation_create(owner=alice, name="Far Freight", industry="Logistics")
    person_create(owner=alice, full_name="Stranger", organisation=far, contact_list="C")
    html = client_for(alice).get(reverse("paths:organisation", args=[far.uuid])).content.decode()
    assert "No path to Far Freight yet" in html
    assert "knows Sam Okafor at Globex, also in Logistics" in html


@pytest.mark.parametrize("limit", ["0", "1000", "ten", "-3"])
def test_a_bad_limit_gets_a_clear_message(alice, limit):
    net = network(alice)
    response = client_for(alice).get(
        reverse("paths:organisation", args=[net.globex.uuid]), {"limit": limit}
    )
    assert response.status_code == 400
    assert "is not a number of paths from 1 to 50" in response.content.decode()


def test_paths_to_a_person_page(alice):
    net = network(alice)
    response = client_for(alice).get(reverse("paths:person", args=[net.dana.uuid]))
    assert response.status_code == 200
    assert "Ways in to Dana Li" in response.content.decode()


@pytest.mark.parametrize("name", ["paths:organisation", "paths:person", "paths:ego"])
def test_outsiders_get_404(alice, charlie, name):
    net = network(alice)
    target = net.globex.uuid if name == "paths:organisation" else net.dana.uuid
    assert client_for(charlie).get(reverse(name, args=[target])).status_code == 404
    assert client_for(charlie).get(reverse(name, args=["not-a-uuid"])).status_code == 404


def test_pages_need_sign_in(alice):
    net = network(alice)
    response = Client().get(reverse("paths:organisation", args=[net.globex.uuid]))
    assert response.status_code == 302


def test_the_ego_network_is_an_accessible_svg(alice):
    net = network(alice)
    response = client_for(alice).get(reverse("paths:ego", args=[net.sam.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.find(f"{SVG}title").text == "Sam Okafor's ties"
    assert "Maya Rosen (colleague, strength 5)" in (root.find(f"{SVG}desc").text or "")


def test_pictures_are_well_formed_even_with_awkward_names(alice, make_person):
    net = network(alice)
    net.maya.full_name = "Maya <script>\"&' Rosen"
    net.maya.save()
    result = paths_to_organisation(owner=alice, organisation=net.globex)
    for picture in (
        paths_svg(result.paths, target="Globex & <Co>"),
        paths_svg([], target="Nobody"),
        ego_svg(net.maya, person_ties(net.maya).ties),
        ego_svg(net.lee, []),
    ):
        root = ET.fromstring(picture)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    assert "<script>" not in paths_svg(result.paths, target="x")


def test_the_draft_asks_for_an_introduction_never_a_job(alice):
    net = network(alice)
    best = paths_to_organisation(owner=alice, organisation=net.globex).paths[0]
    response = client_for(alice).get(reverse("paths:draft"), {"path": best.key})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ask Maya Rosen for an introduction" in html
    assert "Hi Maya," in html
    assert "I understand you know Sam Okafor, who knows Dana Li at Globex" in html
    assert "not asking for a job" in html
    assert "do you have a job" not in html.lower()


def test_a_draft_for_a_broken_or_foreign_path_is_refused(alice, charlie):
    net = network(alice)
    client = client_for(alice)
    not_tied = f"{net.maya.uuid},{net.dana.uuid}"
    assert client.get(reverse("paths:draft"), {"path": not_tied}).status_code == 400
    assert client.get(reverse("paths:draft"), {"path": "garbage"}).status_code == 400
    repeated = f"{net.maya.uuid},{net.sam.uuid},{net.maya.uuid}"
    assert client.get(reverse("paths:draft"), {"path": repeated}).status_code == 400
    mine = f"{net.maya.uuid},{net.sam.uuid}"
    assert client_for(charlie).get(reverse("paths:draft"), {"path": mine}).status_code == 404
    assert Person.objects.count() == 5 and Tie.objects.count() == 3


def test_connectors_page(alice, charlie):
    person_create(owner=alice, full_name="Hana Hire", tags=["hiring"])
    person_create(owner=alice, full_name="Luis Look", tags=["looking"])
    person_create(owner=charlie, full_name="Charlie's Seeker", tags=["looking"])
    html = client_for(alice).get(reverse("paths:connectors")).content.decode()
    assert "Hana is hiring and Luis is looking" in html
    assert "Charlie" not in html.replace("charlie", "")


def test_informers_page(alice):
    network(alice)
    person_create(owner=alice, full_name="Fran Freight", tags=["logistics"])
    client = client_for(alice)
    empty = client.get(reverse("paths:informers")).content.decode()
    assert "Find people" in empty and "likely to value it" not in empty
    html = client.get(
        reverse("paths:informers"), {"title": "Freight news", "topics": "logistics, ports"}
    ).content.decode()
    assert "Fran Freight" in html and "interested in logistics" in html


def test_the_page_reads_as_sentences(alice):
    """One full stop after "Inc.", and the reason a path sits lower only where it does."""
    net = network(alice)
    from circleback.people.services.organisations import organisation_update

    organisation_update(organisation=net.globex, name="Globex Inc.")
    page = client_for(alice).get(reverse("paths:organisation", args=[net.globex.uuid]))
    html = page.content.decode()
    assert "work at Globex Inc.</p>" in html and "Inc.." not in html
    assert "Ends at a decision maker" not in html  # the heading says so once
    assert html.count("could introduce you to whoever decides") == sum(
        1
        for path in paths_to_organisation(owner=alice, organisation=net.globex).paths
        if not path.ends_at_decision_maker
    )
