"""Deleting a person through the API erases them as the web app and the CLI do: the journal
entries they shared lose them, and the owner's notes that named them say "someone"."""

from __future__ import annotations

from typing import Any

import pytest

from circleback.api.tests.conftest import ApiClient
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_log
from circleback.people.models import Person
from circleback.people.services.people import person_create

pytestmark = pytest.mark.django_db


def test_it_erases_the_person_and_every_mention(alice: Any, alice_api: ApiClient) -> None:
    ada = person_create(owner=alice, full_name="Ada Quill")
    bart = person_create(owner=alice, full_name="Bart Nguyen", notes="Met through Ada Quill.")
    alone = interaction_log(owner=alice, summary="Coffee", people=[ada])
    shared = interaction_log(
        owner=alice, summary="Lunch with Bart and Ada Quill", people=[ada, bart]
    )

    response = alice_api.call("DELETE", f"people/{ada.uuid}")

    assert response.status_code == 200, response.content
    assert not Person.objects.filter(pk=ada.pk).exists()
    assert not Interaction.objects.filter(pk=alone.pk).exists()
    shared.refresh_from_db()
    assert list(shared.people.all()) == [bart]
    assert shared.summary == "Lunch with Bart and someone"
    bart.refresh_from_db()
    assert bart.notes == "Met through someone."


def test_another_owner_cannot_delete_them(alice: Any, charlie_api: ApiClient) -> None:
    ada = person_create(owner=alice, full_name="Ada Quill")
    response = charlie_api.call("DELETE", f"people/{ada.uuid}")
    assert response.status_code == 404
    assert Person.objects.filter(pk=ada.pk).exists()
