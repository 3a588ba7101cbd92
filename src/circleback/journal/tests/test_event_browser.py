"""Event capture's find-or-ask in a real Chromium: a name already in the network is asked
about on its row, and the person chosen is the one linked to the event."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from circleback.accounts.models import User
from circleback.journal.models import Interaction
from circleback.people.models import Person
from circleback.people.services.people import person_create

pytestmark = pytest.mark.browser


def test_a_namesake_typed_at_an_event_is_asked_about_then_linked(
    signed_in: Any, alice: User
) -> None:
    page = signed_in
    priya = person_create(owner=alice, full_name="Priya Patel", organisation="Globex")
    page.goto("/journal/event/")
    page.get_by_label("Event", exact=True).fill("Fintech Forum")
    page.locator("#id_row-0-full_name").fill("Priya Patel")
    page.locator("#id_row-0-organisation").fill("Globex")
    page.locator("#id_row-1-full_name").fill("Omar Haddad")
    with page.expect_response("**/journal/event/") as answered:
        page.get_by_role("button", name="Save everyone").click()
    assert answered.value.status == 200

    question = page.get_by_role("group", name="Is Priya Patel someone already in your network?")
    expect(question).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("may already be in your network")
    assert Interaction.objects.count() == 0
    question.get_by_role("radio", name="Priya Patel").check()
    page.get_by_role("button", name="Save everyone").click()
    page.get_by_text("Logged Fintech Forum with 2 people.").wait_for()

    assert Person.objects.filter(full_name="Priya Patel").count() == 1
    assert set(Interaction.objects.get().people.all()) == {
        priya,
        Person.objects.get(full_name="Omar Haddad"),
    }
