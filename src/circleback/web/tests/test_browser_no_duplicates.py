"""No duplicate by accident, in a real Chromium: the picker on quick capture, and "Add person"
sent twice (a double click; the back button and send again)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from circleback.accounts.models import User
from circleback.people.models import Person
from circleback.people.services.people import person_create

pytestmark = pytest.mark.browser


def test_quick_capture_asks_about_a_namesake_with_a_picker(signed_in: Any, alice: User) -> None:
    page = signed_in
    priya = person_create(
        owner=alice,
        full_name="Priya Patel",
        organisation="Globex",
        title="Head of Data",
        emails=["priya@globex.example"],
    )
    page.goto("/")
    page.get_by_role("textbox", name="Add a person").fill("Priya Patel")
    page.locator("#id_add-organisation").fill("Globex")
    page.get_by_role("button", name="Add", exact=True).click()

    picker = page.get_by_role("group", name="Is Priya Patel someone already in your network?")
    expect(picker).to_be_visible()
    expect(picker).to_contain_text("Head of Data, Globex")
    expect(picker).to_contain_text("email at globex.example")
    expect(picker).to_contain_text("the same name at Globex")
    existing = picker.get_by_role("radio", name="Priya Patel")
    expect(existing).to_be_checked()  # using who is there is the default; a new one is chosen

    picker.get_by_role("radio", name="Add as a new person").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya Patel")
    assert Person.objects.filter(full_name="Priya Patel").count() == 2

    page.goto("/")
    page.get_by_role("textbox", name="Add a person").fill("Priya Patel")
    page.locator("#id_add-organisation").fill("Globex")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_role("radio", name="Priya Patel").first.check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("was already in your network; nothing was added.")).to_be_visible()
    assert page.url.endswith(f"/people/{priya.uuid}/")
    assert Person.objects.filter(full_name="Priya Patel").count() == 2


def test_add_person_double_clicked_adds_one(signed_in: Any, alice: User) -> None:
    page = signed_in
    page.goto("/people/new/")
    page.get_by_label("Full name").fill("Dana Lee")
    page.get_by_role("button", name="Add person").dblclick()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dana Lee")
    assert Person.objects.filter(full_name="Dana Lee").count() == 1


def test_add_person_sent_again_from_the_back_button_adds_one(signed_in: Any, alice: User) -> None:
    page = signed_in
    page.goto("/people/new/")
    page.get_by_label("Full name").fill("Eli Moss")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Eli Moss")
    page.go_back()
    if not page.get_by_label("Full name").input_value():
        page.get_by_label("Full name").fill("Eli Moss")  # a browser that kept nothing
    page.get_by_role("button", name="Add person").click()
    # Either the form's token was kept (it shows what the first one made) or it was not
    # (then Eli is found and asked about): never a second Eli without a choice.
    already = page.get_by_text("That form was already sent; this is what it made.")
    asked = page.get_by_role("group", name="Is Eli Moss someone already in your network?")
    expect(already.or_(asked)).to_be_visible()
    assert Person.objects.filter(full_name="Eli Moss").count() == 1
