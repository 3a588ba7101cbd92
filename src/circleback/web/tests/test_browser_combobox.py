"""The person picker (static/circleback/combobox.js) in a real Chromium, by keyboard alone,
at laptop and phone width, and the same fields without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import PASSWORD, sign_in
from playwright.sync_api import expect

from circleback.accounts.models import User
from circleback.insights.models import PitchPractice
from circleback.insights.services import pitch_add
from circleback.people.models import Person
from circleback.people.services.index import search_index_people

pytestmark = pytest.mark.browser


def _network(alice: User, make_person: Any) -> tuple[Person, Person]:
    hooli = make_person(alice, "Sam Lee", organisation="Hooli", title="Designer")
    initech = make_person(alice, "Sam Lee", organisation="Initech", title="Engineer")
    make_person(alice, "Samira Khan", contact_list="A")
    make_person(alice, "Priya Raman", contact_list="A")
    search_index_people(person_ids=list(Person.objects.values_list("pk", flat=True)))
    pitch_add(owner=alice, text="I build payment systems that people trust.")
    return hooli, initech


def _focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def _tab_to(page: Any, element_id: str, limit: int = 80) -> None:
    """Press Tab until `element_id` has the focus, as someone without a mouse would."""
    for _ in range(limit):
        if _focused(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_choosing_a_practice_partner_by_keyboard_alone(
    signed_in: Any, alice: User, make_person: Any
) -> None:
    page = signed_in
    _, initech = _network(alice, make_person)
    page.goto("/pitch/")
    box = page.get_by_role("combobox", name="Practised with")
    expect(box).to_have_attribute("aria-expanded", "false")
    _tab_to(page, "id_person")

    page.keyboard.type("sam")
    listbox = page.get_by_role("listbox", name="Suggested people")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(3)
    expect(listbox.get_by_role("option", name="Sam Lee — Designer, Hooli")).to_have_count(1)
    expect(listbox.get_by_role("option", name="Sam Lee — Engineer, Initech")).to_have_count(1)
    expect(page.get_by_role("status").filter(has_text="3 people match")).to_have_count(1)

    # Down moves through the suggestions (and wraps), Up goes back.
    page.keyboard.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "id_person-option-0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    expect(options.nth(2)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")

    # Escape closes the list and keeps what was typed; a second Escape empties the box.
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("sam")
    page.keyboard.press("Escape")
    expect(box).to_have_value("")

    # Narrow down, choose the second Sam Lee with Enter: the form is not sent yet.
    page.keyboard.type("sam lee")
    expect(options).to_have_count(2)
    second = 0 if "Initech" in options.nth(0).inner_text() else 1
    for _ in range(second + 1):
        page.keyboard.press("ArrowDown")
    expect(options.nth(second)).to_have_attribute("aria-selected", "true")
    expect(options.nth(second)).to_contain_text("Initech")
    page.keyboard.press("Enter")
    expect(box).to_have_value("Sam Lee")
    expect(listbox).to_be_hidden()
    assert page.url.endswith("/pitch/")
    assert _focused(page) == "id_person"

    _tab_to(page, "id_notes")  # past the date's day, month and year
    page.keyboard.type("Slow down at the start.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Log a practice")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Practice logged with Sam Lee.")).to_be_visible()
    # The one chosen, though another Sam Lee is in the network.
    assert PitchPractice.objects.get().person == initech


def test_the_picker_completes_each_name_in_a_list_and_fits_a_phone(
    phone_page: Any, alice: User, make_person: Any
) -> None:
    page = phone_page
    _network(alice, make_person)
    sign_in(page, "alice")
    box = page.get_by_role("combobox", name="With")
    box.focus()
    page.keyboard.type("pri")
    expect(page.get_by_role("option", name="Priya Raman")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.type("samira")
    expect(page.get_by_role("option", name="Samira Khan")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the open list makes the page scroll sideways ({width}px)"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(box).to_have_value("Priya Raman, Samira Khan, ")
    # Nobody of that name: said on screen, not as an empty list.
    page.keyboard.type("zzz")
    expect(page.get_by_text("Nobody in your network matches “zzz”")).to_be_visible()
    expect(page.get_by_role("listbox")).to_be_hidden()


def test_without_javascript_a_typed_name_is_found_by_the_server(
    browser: Any, live_server: Any, alice: User, make_person: Any
) -> None:
    _network(alice, make_person)
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/login/")
        page.get_by_label("Username").fill("alice")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto("/pitch/")
        box = page.get_by_label("Practised with")
        assert box.get_attribute("role") is None  # a plain text box
        box.fill("Sam Lee")
        page.get_by_role("button", name="Log a practice").click()
        # Two Sam Lees: the field says so and names both; nothing is logged.
        expect(page.get_by_text("2 people match “Sam Lee”")).to_be_visible()
        expect(page.get_by_label("Practised with")).to_be_focused()
        assert not PitchPractice.objects.exists()
        page.get_by_label("Practised with").fill("Priya Raman")
        page.get_by_role("button", name="Log a practice").click()
        expect(page.get_by_text("Practice logged with Priya Raman.")).to_be_visible()
    finally:
        context.close()


def test_without_javascript_the_twelfth_namesake_can_be_picked(
    browser: Any, live_server: Any, alice: User, make_person: Any
) -> None:
    """Twelve Sam Lees and no JavaScript: ten are listed, "Show the other 2" opens the rest in
    the same form, and the last of them is the one the practice is logged with."""
    sams = [make_person(alice, "Sam Lee", organisation=f"Studio {n}") for n in range(12)]
    pitch_add(owner=alice, text="I build payment systems that people trust.")
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/login/")
        page.get_by_label("Username").fill("alice")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto("/pitch/")
        page.get_by_label("Practised with").fill("Sam Lee")
        page.get_by_role("button", name="Log a practice").click()
        expect(page.get_by_text("12 people match “Sam Lee”")).to_be_visible()
        last = page.get_by_role("radio", name="Sam Lee (Studio 11)")
        expect(last).to_be_hidden()
        page.get_by_text("Show the other 2").click()
        last.check()
        page.get_by_role("button", name="Log a practice").click()
        expect(page.get_by_text("Practice logged with Sam Lee.")).to_be_visible()
        assert PitchPractice.objects.get().person == sams[11]
    finally:
        context.close()
