"""One way to pick a person everywhere: event capture's rows, "Merge with" and the journal's
edit form use the shared person picker (the combobox's field, its `_picked` id) and, when a
typed name fits several people, the same list to choose from."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from circleback.accounts.models import User
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_log
from circleback.people.models import Person

pytestmark = pytest.mark.django_db


def _event(client: Client, **rows: str) -> Any:
    data = {
        "event": "Fintech Forum",
        "day": "2026-05-14",
        "contact_list": "C",
        "row-TOTAL_FORMS": "2",
        "row-INITIAL_FORMS": "0",
        **rows,
    }
    return client.post("/journal/event/", data)


def test_event_rows_are_person_pickers_and_a_chosen_namesake_is_not_asked_about(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    html = alice_client.get("/journal/event/").content.decode()
    assert len(re.findall(r'name="row-\d-full_name"[^>]*data-person-picker', html)) == 5
    assert 'name="row-0-full_name_picked"' in html and "data-allow-new" in html

    make_person(alice, "Ada Quill", organisation="Hooli")
    second = make_person(alice, "Ada Quill", organisation="Globex")
    # Typed alone, two Adas are a question; chosen in the picker, the second one is linked.
    assert (
        "Say who each one is below"
        in _event(alice_client, **{"row-0-full_name": "Ada Quill"}).content.decode()
    )
    response = _event(
        alice_client,
        **{"row-0-full_name": "Ada Quill", "row-0-full_name_picked": str(second.uuid)},
    )
    assert response.status_code == 302
    assert list(Interaction.objects.get().people.all()) == [second]
    assert Person.objects.filter(full_name="Ada Quill").count() == 2


def test_an_event_row_cannot_pick_someone_elses_person(
    alice_client: Client, charlie: User, make_person: Any
) -> None:
    theirs = make_person(charlie, "Ada Quill")
    response = _event(
        alice_client, **{"row-0-full_name": "Ada Quill", "row-0-full_name_picked": str(theirs.uuid)}
    )
    assert response.status_code == 400
    assert not Interaction.objects.exists()


def test_merge_with_is_a_person_picker_and_a_pick_goes_straight_to_the_comparison(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    other = make_person(alice, "A. Quill")
    html = alice_client.get(f"/people/{ada.uuid}/merge/").content.decode()
    assert re.search(r'name="q"[^>]*data-person-picker', html) and 'name="q_picked"' in html
    response = alice_client.get(
        f"/people/{ada.uuid}/merge/", {"q": "A. Quill", "q_picked": str(other.uuid)}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/people/{ada.uuid}/merge/{other.uuid}/"
    # Without JavaScript, what is typed lists the candidates to compare with.
    html = alice_client.get(f"/people/{ada.uuid}/merge/", {"q": "Quill"}).content.decode()
    assert f"/people/{ada.uuid}/merge/{other.uuid}/" in html


def test_merge_with_cannot_pick_someone_elses_person(
    alice_client: Client, alice: User, charlie: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    theirs = make_person(charlie, "Ada Quill")
    response = alice_client.get(
        f"/people/{ada.uuid}/merge/", {"q": "Ada Quill", "q_picked": str(theirs.uuid)}
    )
    assert response.status_code == 404


def test_the_journal_edit_form_asks_which_namesake_with_the_same_list(
    alice_client: Client, alice: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    toms = [
        make_person(alice, f"Tom {n}", organisation=o)
        for n, o in [("Lee", "Hooli"), ("Ng", "Globex")]
    ]
    entry = interaction_log(owner=alice, summary="Coffee", people=[ada], kind="meeting")
    url = f"/journal/{entry.uuid}/"
    html = alice_client.get(url).content.decode()
    assert re.search(r'name="log-people"[^>]*data-person-picker', html)
    data = {"log-summary": "Coffee", "log-people": "Ada Quill, Tom", "log-kind": "meeting"}
    response = alice_client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "2 people match “Tom”; they are listed below: choose one" in html
    assert "Which “Tom”?" in html
    radios = re.findall(r'name="choose-0" value="([0-9a-f-]+)"', html)
    assert sorted(radios) == sorted(str(t.uuid) for t in toms)
    data.update({"choose-0-name": "Tom", "choose-0": str(toms[1].uuid)})
    assert alice_client.post(url, data).status_code == 302
    assert set(entry.people.all()) == {ada, toms[1]}
