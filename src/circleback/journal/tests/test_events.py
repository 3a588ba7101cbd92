"""Event capture: everyone met at one event, in one step, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from circleback.accounts.models import User
from circleback.journal.models import Interaction
from circleback.people.models import Organisation, Person

pytestmark = pytest.mark.django_db


def rows(*people: dict[str, str], total: int = 5) -> dict[str, str]:
    data = {"row-TOTAL_FORMS": str(total), "row-INITIAL_FORMS": "0"}
    for i, person in enumerate(people):
        data.update({f"row-{i}-{k}": v for k, v in person.items()})
    return data


THREE = [
    {
        "full_name": "Ada Quill",
        "organisation": "Hooli",
        "title": "VP Eng",
        "email": "ada@hooli.example",
        "note": "Hiring in Q3",
    },
    {"full_name": "Bart Nguyen", "organisation": "Pied Piper"},
    {},  # a blank row in the middle is ignored
    {"full_name": "Chloé Durand", "email": "chloe@example.org"},
]


def post(client: Client, people: list[dict[str, str]], **event: str) -> Any:
    data = {"event": "Fintech Forum", "day": "2026-05-14", "contact_list": "C", **event}
    return client.post("/journal/event/", {**data, **rows(*people)})


def test_it_adds_everyone_and_links_them_to_one_event(alice_client: Client) -> None:
    response = post(alice_client, THREE)
    assert response.status_code == 302
    event = Interaction.objects.get()
    assert (event.summary, event.kind) == ("Fintech Forum", "event")
    assert {p.full_name for p in event.people.all()} == {"Ada Quill", "Bart Nguyen", "Chloé Durand"}
    ada = Person.objects.get(full_name="Ada Quill")
    assert (ada.title, ada.organisation.name, ada.contact_list, ada.source) == (
        "VP Eng",
        "Hooli",
        "C",
        "event",
    )
    assert ada.notes == "Hiring in Q3" and ada.how_we_met == "Met at Fintech Forum"
    assert str(ada.met_on) == "2026-05-14"


def test_someone_already_known_by_email_is_linked_not_duplicated(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    known = make_person(alice, "Ada Q.", emails=["ADA@hooli.example"])
    post(alice_client, THREE)
    assert Person.objects.filter(full_name__startswith="Ada").count() == 1
    assert known in Interaction.objects.get().people.all()


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"organisation": "Hooli"}, "full_name", "needs a name"),
        ({"full_name": "Dee", "email": "not-an-email"}, "email", "not an email address"),
        ({"full_name": "x" * 201}, "full_name", "at most 200"),
        ({"full_name": "Dee", "organisation": "!!!"}, "organisation", "no letters or digits"),
    ],
)
def test_one_bad_row_writes_nothing_and_is_marked(
    alice_client: Client, row: dict[str, str], field: str, message: str
) -> None:
    response = post(alice_client, [*THREE, row])
    assert response.status_code == 400
    bad = response.context["rows"].forms[4]
    assert message in " ".join(bad.errors[field]), bad.errors
    assert 'value="Ada Quill"' in response.content.decode()
    assert (Person.objects.count(), Interaction.objects.count(), Organisation.objects.count()) == (
        0,
        0,
        0,
    )


def test_an_event_needs_a_name_and_someone(alice_client: Client) -> None:
    response = post(alice_client, [{}, {}], event="")
    assert response.status_code == 400
    assert response.context["form"].errors
    response = post(alice_client, [{}])
    assert "Add at least one person" in response.content.decode()
    assert Interaction.objects.count() == 0


def test_more_rows_keeps_what_was_typed(alice_client: Client) -> None:
    data = {"event": "Fintech Forum", "more": "1", **rows(THREE[0])}
    response = alice_client.post("/journal/event/", data)
    assert len(response.context["rows"].forms) == 10
    assert 'value="Ada Quill"' in response.content.decode()
    assert Person.objects.count() == 0
