"""Quick capture on Home names people by what is typed; when several answer to a name, the page
says truly how many, lists them to choose from, and says how to see the rest."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from circleback.accounts.models import User
from circleback.journal.models import Interaction
from circleback.people.models import Person

pytestmark = pytest.mark.django_db


def _toms(owner: User, make_person: Any, count: int) -> list[Any]:
    return [
        make_person(owner, f"Tom {name}", organisation=f"Org {i}")
        for i, name in enumerate(
            [
                "Brennan",
                "Okafor",
                "Lee",
                "Ng",
                "Stone",
                "Berg",
                "Rossi",
                "Meyer",
                "Kaur",
                "Ito",
                "Hale",
                "Park",
            ][:count]
        )
    ]


def _log(client: Client, people: str, **extra: str) -> Any:
    return client.post(
        reverse("journal_new"),
        {"log-summary": "Coffee", "log-people": people, "log-kind": "meeting", **extra},
    )


def test_six_toms_are_all_listed_and_one_is_chosen(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    toms = _toms(alice, make_person, 6)
    response = _log(alice_client, "Tom")
    assert response.status_code == 400
    html = response.content.decode()
    assert "6 people match “Tom”; they are listed below: choose one" in html
    radios = re.findall(r'name="choose-0" value="([0-9a-f-]+)"', html)
    assert sorted(radios) == sorted(str(t.uuid) for t in toms)
    assert "See everyone" not in html and "see everyone" not in html
    assert 'value="Coffee"' in html  # what was typed is kept
    assert not Interaction.objects.exists()

    response = _log(alice_client, "Tom", **{"choose-0-name": "Tom", "choose-0": str(toms[3].uuid)})
    assert response.status_code == 302
    assert list(Interaction.objects.get().people.all()) == [toms[3]]


def test_twelve_toms_are_all_listed_the_last_two_behind_show_the_other(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    """Without JavaScript every match can be picked: ten at once, the rest behind a native
    disclosure in the same form (no link away that loses what was typed)."""
    toms = _toms(alice, make_person, 12)
    html = _log(alice_client, "Ada Quill, Tom").content.decode()
    assert "12 people match “Tom”; they are listed below: choose one" in html
    shown, hidden = html.split('<details class="candidates-more">')
    assert len(re.findall(r'name="choose-0" value=', shown)) == 10
    assert "<summary>Show the other 2</summary>" in hidden
    listed = re.findall(r'name="choose-0" value="([0-9a-f-]+)"', html)
    assert sorted(listed) == sorted(str(t.uuid) for t in toms)
    assert "see everyone called" not in html
    assert "Nobody in your network matches “Ada Quill”" in html
    last = re.findall(r'name="choose-0" value="([0-9a-f-]+)"', hidden)[-1]
    response = _log(alice_client, "Tom", **{"choose-0-name": "Tom", "choose-0": last})
    assert response.status_code == 302
    assert [str(p.uuid) for p in Interaction.objects.get().people.all()] == [last]


def test_more_namesakes_than_a_list_can_hold_say_so_and_how_to_see_them_all(
    alice_client: Client, alice: User
) -> None:
    Person.objects.bulk_create(
        [Person(owner=alice, full_name="Wei Zhang", title=f"Role {n}") for n in range(102)]
    )
    html = _log(alice_client, "Wei Zhang").content.decode()
    assert "More than 100 people match “Wei Zhang”; the 100 closest are listed below" in html
    assert len(re.findall(r'name="choose-0" value=', html)) == 100
    assert "<summary>Show the other 90</summary>" in html
    assert 'href="/people/?q=Wei%20Zhang"' in html and "see everyone called “Wei Zhang”" in html


def test_introduced_by_lists_every_tom_to_choose_from_without_javascript(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    """No "6 match, here are 5": the person form lists all six Toms as a radio group under
    "Introduced by", and the one chosen is the introducer."""
    toms = _toms(alice, make_person, 6)
    data = {"full_name": "Zoe Quinn", "contact_list": "B", "introduced_by": "Tom"}
    response = alice_client.post(reverse("person_new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "6 people match “Tom”; they are listed below: choose one" in html
    radios = re.findall(r'name="introduced_by_choice" value="([0-9a-f-]+)"', html)
    assert sorted(radios) == sorted(str(t.uuid) for t in toms)
    assert 'name="introduced_by_choice_for" value="Tom"' in html

    chosen = {**data, "introduced_by_choice": str(toms[4].uuid), "introduced_by_choice_for": "Tom"}
    assert alice_client.post(reverse("person_new"), chosen).status_code == 302
    zoe = Person.objects.get(full_name="Zoe Quinn")
    assert zoe.introduced_by == toms[4]

    # A choice that answers another name (the field was typed again) is not taken.
    other = {**data, "introduced_by": "Tom Brennan", "introduced_by_choice": str(toms[4].uuid)}
    other["introduced_by_choice_for"] = "Tom"
    other["full_name"] = "Yan Quinn"
    assert alice_client.post(reverse("person_new"), other).status_code == 302
    assert Person.objects.get(full_name="Yan Quinn").introduced_by == toms[0]  # Tom Brennan


def test_the_pitch_practice_partner_lists_every_tom_too(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    from circleback.insights.models import PitchPractice
    from circleback.insights.services import pitch_add

    toms = _toms(alice, make_person, 6)
    pitch = pitch_add(owner=alice, text="I build data teams that ship.")
    url = reverse("insights:pitch_practice", args=[pitch.uuid])
    response = alice_client.post(url, {"person": "Tom"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "6 people match “Tom”; they are listed below" in html
    radios = re.findall(r'name="person_choice" value="([0-9a-f-]+)"', html)
    assert sorted(radios) == sorted(str(t.uuid) for t in toms)
    chosen = {"person": "Tom", "person_choice": str(toms[2].uuid), "person_choice_for": "Tom"}
    assert alice_client.post(url, chosen).status_code == 302
    assert PitchPractice.objects.get().person == toms[2]


def test_someone_elses_person_cannot_be_chosen_from_the_list(
    alice_client: Client, alice: User, charlie: User, make_person: Any
) -> None:
    _toms(alice, make_person, 2)
    theirs = make_person(charlie, "Tom Secret")
    data = {"full_name": "Zoe Quinn", "contact_list": "B", "introduced_by": "Tom"}
    data.update(introduced_by_choice=str(theirs.uuid), introduced_by_choice_for="Tom")
    response = alice_client.post(reverse("person_new"), data)
    assert response.status_code == 400 and "Tom Secret" not in response.content.decode()


def test_an_outsider_cannot_choose_someone_elses_person(
    charlie_client: Client, alice: User, charlie: User, make_person: Any
) -> None:
    alices = make_person(alice, "Tom Secret")
    make_person(charlie, "Tom One")
    make_person(charlie, "Tom Two")
    response = _log(charlie_client, "Tom", **{"choose-0-name": "Tom", "choose-0": str(alices.uuid)})
    assert response.status_code == 400
    assert "Tom Secret" not in response.content.decode()
    assert not Interaction.objects.exists()
