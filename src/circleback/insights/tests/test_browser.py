"""Today, snooze, reconnect and the pitch in a real browser — and every page at 375 px."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from circleback.accounts.queries import user_today
from circleback.insights.models import Snooze
from circleback.insights.tests.conftest import at, contact

pytestmark = pytest.mark.browser


def test_today_snooze_reconnect_and_a_timed_pitch(signed_in, alice, added):
    page = signed_in
    ben = added(alice, "Ben Career", at(2024, 1, 1), contact_list="B", closeness=3)
    cleo = added(alice, "Cleo Weak", at(2024, 1, 1), contact_list="C", closeness=1)
    contact(alice, ben, timezone.now() - dt.timedelta(days=90))
    until = user_today(alice) + dt.timedelta(days=10)

    page.get_by_role("link", name=re.compile("today's agenda", re.IGNORECASE)).click()
    page.wait_for_url("**/today/")
    expect(page.get_by_role("heading", name="Reconnect")).to_be_visible()
    expect(page.get_by_role("link", name="Ben Career")).to_be_visible()
    expect(page.get_by_text("weak tie")).to_be_visible()
    page.get_by_label("Snooze Cleo Weak until").fill(until.isoformat())
    page.get_by_role("button", name="Snooze Cleo Weak").click()
    expect(page.get_by_text(f"Snoozed Cleo Weak until {until:%d %b %Y}.")).to_be_visible()
    assert page.get_by_role("link", name="Cleo Weak").count() == 0
    assert Snooze.objects.get(person=cleo).until == until

    page.get_by_role("button", name="Reconnected with Ben Career").click()
    expect(page.get_by_text("Logged: you reconnected with Ben Career.")).to_be_visible()
    expect(page.get_by_text("Nothing due today")).to_be_visible()
    page.get_by_role("link", name="Pitch", exact=True).click()
    page.get_by_label("Your two-minute pitch").fill(" ".join(["word"] * 150))
    page.get_by_role("button", name="Save this version").click()
    assert page.locator(".speaking-time").inner_text() == "1:00"
    expect(page.get_by_text("Saved: 150 words, about 1:00 to say.")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 740})
    for path in ("/today/", "/goals/", "/health/", "/pitch/", "/keep-in-touch/"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375 px"
