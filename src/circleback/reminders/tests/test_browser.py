"""The reminders on the settings page, in a real browser: by keyboard labels, at phone width,
and the calendar address shown once."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from circleback.accounts.models import User
from circleback.reminders.models import CalendarFeed, DigestSettings

pytestmark = pytest.mark.browser


def test_the_digest_and_calendar_settings_on_a_phone(phone_page: Any, alice: User) -> None:
    from conftest import sign_in

    sign_in(phone_page, "alice")
    phone_page.goto("/settings/#reminders")
    expect(phone_page.get_by_role("heading", name="Reminders")).to_be_visible()
    expect(phone_page.get_by_text("No mail server is set up")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the settings page scrolls sideways ({width}px)"
    phone_page.get_by_label("Email me my agenda").check()
    phone_page.get_by_label("Once a week").check()
    phone_page.get_by_label("Hour (your time)").select_option("18:00")
    phone_page.get_by_label("Day (for weekly)").select_option("Friday")
    phone_page.get_by_role("button", name="Save digest settings").click()
    expect(phone_page.get_by_text("Digest settings saved.")).to_be_visible()
    chosen = DigestSettings.objects.get(owner=alice)
    assert (chosen.enabled, chosen.frequency, chosen.hour, chosen.weekday) == (
        True,
        "weekly",
        18,
        4,
    )
    phone_page.get_by_role("button", name="Make my calendar address").click()
    address = phone_page.get_by_label("Feed address")
    assert "/calendar/" in address.input_value() and address.input_value().endswith(".ics")
    assert CalendarFeed.objects.filter(owner=alice).exists()
    phone_page.get_by_role("link", name="Back to settings").click()
    expect(phone_page.get_by_role("button", name="Make a new address")).to_be_visible()
