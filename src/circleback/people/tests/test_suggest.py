"""The person picker's suggestions (`people_suggest`): the owner's people for what is typed so
far, exact names first, never anyone else's."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from circleback.accounts.models import User
from circleback.people.models import Person
from circleback.people.services.index import search_index_people


def _index() -> None:
    search_index_people(person_ids=list(Person.objects.values_list("pk", flat=True)))


def _suggest(client: Client, text: str) -> dict:
    response = client.get(reverse("people_suggest"), {"q": text})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return response.json()


def test_it_suggests_the_owners_people_as_they_type(alice_client, alice, make_person) -> None:
    make_person(alice, "Ada Quill", organisation="Hooli", title="Head of Data")
    make_person(alice, "Adam Smith")
    make_person(alice, "Bart Nguyen")
    _index()
    data = _suggest(alice_client, "ada")
    assert {p["name"] for p in data["people"]} == {"Ada Quill", "Adam Smith"}
    ada = next(p for p in data["people"] if p["name"] == "Ada Quill")
    assert ada["organisation"] == "Hooli" and ada["title"] == "Head of Data"
    assert ada["uuid"] == str(Person.objects.get(full_name="Ada Quill").uuid)
    assert data["more"] is False


def test_an_exact_name_comes_first_and_namesakes_are_told_apart(
    alice_client, alice, make_person
) -> None:
    make_person(alice, "Tom Brennan")
    make_person(alice, "Tom", organisation="Hooli")
    make_person(alice, "Tom", organisation="Initech")
    _index()
    people = _suggest(alice_client, "tom")["people"]
    assert [p["name"] for p in people[:2]] == ["Tom", "Tom"]
    assert {p["organisation"] for p in people[:2]} == {"Hooli", "Initech"}
    assert people[2]["name"] == "Tom Brennan"


def test_it_says_when_more_match_than_it_lists(alice_client, alice, make_person) -> None:
    for i in range(12):
        make_person(alice, f"Tom Number{i:02d}")
    _index()
    data = _suggest(alice_client, "tom")
    assert len(data["people"]) == 8 and data["more"] is True


def test_nothing_typed_or_nonsense_suggests_no_one(alice_client, alice, make_person) -> None:
    make_person(alice, "Ada Quill")
    _index()
    assert _suggest(alice_client, "") == {"people": [], "more": False}
    assert _suggest(alice_client, "   ") == {"people": [], "more": False}
    assert _suggest(alice_client, "\"*'; --")["people"] == []
    assert _suggest(alice_client, "x" * 5000)["people"] == []


def test_it_never_suggests_another_owners_people(
    charlie_client, alice: User, charlie: User, make_person
) -> None:
    make_person(alice, "Ada Quill")
    make_person(charlie, "Adam Charlieson")
    _index()
    names = [p["name"] for p in _suggest(charlie_client, "ada")["people"]]
    assert names == ["Adam Charlieson"]
    people = _suggest(charlie_client, "Ada Quill")["people"]
    assert people == []


def test_it_asks_a_stranger_to_sign_in(client: Client, alice, make_person) -> None:
    make_person(alice, "Ada Quill")
    response = client.get(reverse("people_suggest"), {"q": "ada"})
    assert response.status_code == 302 and "/login/" in response["Location"]
