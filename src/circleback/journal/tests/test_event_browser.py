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
    expect(page.locator("div.messages[role=status]")).to_contain_text(
        "may already be in your network"
    )
    assert Interaction.objects.count() == 0
    question.get_by_role("radio", name="Priya Patel").check()
    page.get_by_role("button", name="Save everyone").click()
    page.get_by_text("Logged Fintech Forum with 2 people.").wait_for()

    assert Person.objects.filter(full_name="Priya Patel").count() == 1
    assert set(Interaction.objects.get().people.all()) == {
        priya,
        Person.objects.get(full_name="Omar Haddad"),
    }


def test_an_event_row_picks_a_namesake_from_the_suggestions(signed_in: Any, alice: User) -> None:
    """Each row's name is the shared person picker: choosing the second Priya links her,
    and nobody is asked about or added."""
    from circleback.people.services.index import search_index_people

    page = signed_in
    person_create(owner=alice, full_name="Priya Patel", organisation="Globex")
    second = person_create(
        owner=alice, full_name="Priya Patel", organisation="Initech", if_exists="new"
    )
    search_index_people(person_ids=list(Person.objects.values_list("pk", flat=True)))
    page.goto("/journal/event/")
    page.get_by_label("Event", exact=True).fill("Fintech Forum")
    box = page.locator("#id_row-0-full_name")
    expect(box).to_have_attribute("role", "combobox")
    box.press_sequentially("Priya")
    listbox = page.locator("#id_row-0-full_name-listbox")
    expect(listbox.get_by_role("option", name="Priya Patel — Initech")).to_be_visible()
    listbox.get_by_role("option", name="Priya Patel — Initech").click()
    expect(box).to_have_value("Priya Patel")
    # Typing a name and moving straight on: the suggestions asked for open nothing over the
    # next row once they arrive.
    row_one = page.locator("#id_row-1-full_name")
    row_one.fill("Omar")
    page.locator("#id_row-1-organisation").fill("Globex")
    page.wait_for_timeout(600)
    expect(page.locator("#id_row-1-full_name-listbox")).to_be_hidden()
    expect(row_one).to_have_attribute("aria-expanded", "false")
    row_one.fill("")
    page.locator("#id_row-1-organisation").fill("")
    page.get_by_role("button", name="Save everyone").click()
    page.get_by_text("Logged Fintech Forum with 1 person.").wait_for()
    assert list(Interaction.objects.get().people.all()) == [second]
    assert Person.objects.filter(full_name="Priya Patel").count() == 2
