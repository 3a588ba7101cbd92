"""The people list: search, filters, sort, pages, the partial for search-as-you-type, and
bulk actions on a selection."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from circleback.accounts.models import User
from circleback.people.models import Person, Tag
from circleback.web.tests.fixtures import Network, build_network

pytestmark = pytest.mark.django_db


def names(response: Any) -> list[str]:
    return [p.full_name for p in response.context["page"]]


def test_it_lists_only_the_owners_people(alice_client: Client, make_person: Any, bob: User) -> None:
    make_person(bob, "Bob's Secret Contact")
    make_person(alice_client.session and User.objects.get(username="alice"), "Ada Quill")
    html = alice_client.get("/people/").content.decode()
    assert "Ada Quill" in html and "Secret" not in html


def test_it_searches_by_prefix_and_accent(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    make_person(alice, "Chloé Durand")
    make_person(alice, "Ada Quill")
    assert names(alice_client.get("/people/?q=chloe")) == ["Chloé Durand"]
    assert names(alice_client.get("/people/?q=qui")) == ["Ada Quill"]


def test_the_partial_is_only_the_results_region(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    make_person(alice, "Ada Quill")
    html = alice_client.get("/people/?q=ada&partial=1").content.decode()
    assert "Ada Quill" in html
    assert "<html" not in html and 'id="q"' not in html


def test_it_filters_by_list_tag_organisation_and_closeness(
    alice_client: Client, network: Network
) -> None:
    assert all(p.contact_list == "C" for p in alice_client.get("/people/?list=C").context["page"])
    assert len(names(alice_client.get("/people/?tag=group1"))) == 3
    hooli = network.organisations[0]
    by_org = alice_client.get(f"/people/?org={hooli.uuid}").context["page"]
    assert {p.organisation_id for p in by_org} == {hooli.pk}
    assert len(names(alice_client.get("/people/?org=hooli"))) == 4
    assert names(alice_client.get("/people/?closeness=5")) == []


def test_it_filters_by_last_contact(alice_client: Client, alice: User, make_person: Any) -> None:
    from circleback.journal.services import interaction_log

    old, recent = make_person(alice, "Old Friend"), make_person(alice, "Recent Friend")
    make_person(alice, "Never Contacted")
    now = timezone.now()
    interaction_log(
        owner=alice, summary="Call", people=[old], occurred_at=now - dt.timedelta(days=400)
    )
    interaction_log(owner=alice, summary="Call", people=[recent], occurred_at=now)
    cutoff = (now - dt.timedelta(days=30)).date().isoformat()
    assert names(alice_client.get(f"/people/?before={cutoff}")) == ["Never Contacted", "Old Friend"]
    assert names(alice_client.get(f"/people/?after={cutoff}")) == ["Recent Friend"]


def test_it_sorts_and_paginates(alice_client: Client, alice: User) -> None:
    build_network(alice, size=60)
    first = alice_client.get("/people/?sort=-name")
    assert names(first)[0] == "Person 59 Example" and len(names(first)) == 50
    second = alice_client.get("/people/?sort=-name&page=2")
    assert names(second)[-1] == "Person 00 Example"
    assert "sort=-name&amp;page=2" in first.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("list=D", "D is not a list; use A, B or C."),
        ("before=2024-13-45", "Enter a valid date."),
        ("org=Nowhere+Ltd", "You have no organisation called"),
        ("closeness=9", "Select a valid choice."),
        ("q=" + "x" * 3000, "Nobody matches"),
    ],
)
def test_bad_filters_explain_themselves(
    alice_client: Client, network: Network, query: str, message: str
) -> None:
    response = alice_client.get(f"/people/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_outsider_sees_none_of_it(charlie_client: Client, network: Network) -> None:
    response = charlie_client.get("/people/?q=example")
    assert response.context["page"].paginator.count == 0


# More than the 5,000 matches the search once handed the list, which then counted and paged
# those alone: a common prefix matches more than that in a network of 20,000.
MANY = 5_010


def people_named(owner: User, given: str, count: int) -> None:
    """`count` of the owner's people called "<given> 00000", "<given> 00001"…, written and
    indexed in bulk (through person_create, thousands would take a minute)."""
    from circleback.people.services.index import search_index_people

    made = Person.objects.bulk_create(
        Person(owner=owner, full_name=f"{given} {n:05d}", given_name=given, family_name=f"{n:05d}")
        for n in range(count)
    )
    search_index_people(person_ids=[p.pk for p in made])


def test_a_search_counts_and_pages_through_every_match(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    people_named(alice, "Marta", MANY)
    make_person(alice, "Ada Quill")
    first = alice_client.get("/people/?q=mar")
    paginator = first.context["page"].paginator
    assert paginator.count == MANY
    assert f"{MANY} people match" in first.content.decode()
    last = alice_client.get(f"/people/?q=mar&page={paginator.num_pages}")
    assert names(last)[-1] == f"Marta {MANY - 1:05d}"


def test_a_search_counts_none_of_another_owners_matches(
    alice_client: Client, alice: User, charlie: User, make_person: Any
) -> None:
    people_named(charlie, "Marta", 20)
    make_person(alice, "Marta Quill")
    make_person(alice, "Ada Quill")
    response = alice_client.get("/people/?q=mar")
    assert names(response) == ["Marta Quill"]
    assert response.context["page"].paginator.count == 1


def test_the_people_list_makes_a_bounded_number_of_queries(
    alice_client: Client, big_network: Network, django_assert_max_num_queries: Any
) -> None:
    # Three of these mark who is due for a reconnect: a fixed cost per page, not per person.
    with django_assert_max_num_queries(12):
        alice_client.get("/people/?q=example&tag=mentor&sort=-last_contact")
    with django_assert_max_num_queries(11):
        alice_client.get("/people/")


# --- bulk -----------------------------------------------------------------------------------


def bulk(client: Client, people: list[Person], **data: Any) -> Any:
    return client.post(
        "/people/bulk/", {"ids": [str(p.uuid) for p in people], "back": "q=x", **data}
    )


def test_it_tags_and_untags_a_selection(alice_client: Client, network: Network) -> None:
    chosen = network.people[:3]
    response = bulk(alice_client, chosen, action="tag", tag="fintech")
    assert response.status_code == 302 and response["Location"] == "/people/?q=x"
    assert Person.objects.filter(tags__name="fintech").count() == 3
    bulk(alice_client, chosen[:2], action="untag", tag="FINTECH")
    assert list(Person.objects.filter(tags__name="fintech")) == [chosen[2]]


def test_it_moves_a_selection_to_a_list(alice_client: Client, network: Network) -> None:
    bulk(alice_client, network.people[:4], action="list", contact_list="a")
    assert {
        p.contact_list for p in Person.objects.filter(pk__in=[p.pk for p in network.people[:4]])
    } == {"A"}


def test_an_unknown_list_letter_changes_nothing(alice_client: Client, network: Network) -> None:
    before = list(Person.objects.order_by("pk").values_list("contact_list", flat=True))
    response = bulk(alice_client, network.people[:4], action="list", contact_list="Z")
    assert "is not a list" in str(list(response.wsgi_request._messages))
    assert list(Person.objects.order_by("pk").values_list("contact_list", flat=True)) == before


def test_deleting_asks_first_and_says_how_many(alice_client: Client, network: Network) -> None:
    chosen = network.people[1:4]
    response = bulk(alice_client, chosen, action="delete")
    assert response.status_code == 200
    assert "Delete 3 people?" in response.content.decode()
    assert Person.objects.count() == 12
    bulk(alice_client, chosen, action="delete", confirm="yes")
    assert Person.objects.count() == 9


def test_someone_elses_person_in_a_selection_changes_nothing(
    alice_client: Client, network: Network, bob: User, make_person: Any
) -> None:
    bobs = make_person(bob, "Bob's Contact")
    bulk(alice_client, [network.first, bobs], action="delete", confirm="yes")
    bulk(alice_client, [network.first, bobs], action="tag", tag="stolen")
    assert Person.objects.count() == 13
    assert not Tag.objects.filter(name="stolen").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "tag", "tag": ""},
        {"action": "tag", "tag": "x" * 61},
        {"action": "explode"},
        {"action": "tag", "tag": "ok", "ids": ["not-a-uuid"]},
        {"action": "delete", "confirm": "yes", "ids": []},
    ],
)
def test_bad_bulk_requests_change_nothing(
    alice_client: Client, network: Network, data: dict[str, Any]
) -> None:
    payload = {"ids": [str(p.uuid) for p in network.people[:2]], **data}
    response = alice_client.post("/people/bulk/", payload)
    assert response.status_code == 302
    assert Person.objects.count() == 12
    assert Tag.objects.count() == 5


def test_the_list_marks_who_is_overdue_for_a_reconnect(alice_client, alice):
    import datetime as dt

    from circleback.journal.services import interaction_log
    from circleback.people.services.people import person_create

    quiet = person_create(owner=alice, full_name="Quiet Quinn", contact_list="B")
    fresh = person_create(owner=alice, full_name="Fresh Fern", contact_list="B")
    interaction_log(
        owner=alice,
        summary="Coffee",
        people=[quiet],
        occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=100),
    )
    interaction_log(owner=alice, summary="Call", people=[fresh])
    html = alice_client.get("/people/").content.decode()
    quinn_row = html[html.index("Quiet Quinn") : html.index("</tr>", html.index("Quiet Quinn"))]
    fern_row = html[html.index("Fresh Fern") : html.index("</tr>", html.index("Fresh Fern"))]
    assert "overdue 40" in quinn_row  # list B: every 60 days, last contact 100 days ago
    assert "overdue" not in fern_row
