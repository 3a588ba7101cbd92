"""In a real browser, the strict Content-Security-Policy holds and no page of ours breaks it.

The `page` fixture fails a test on any console error, and Chromium reports every refused
inline script or style as one: so visiting a page here proves it has none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from circleback.accounts.models import User
from circleback.insights.services import goals_update
from circleback.journal.services import interaction_log
from circleback.loops.services.meetings import meeting_schedule
from circleback.paths.tests.factories import network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_with_charts_bars_and_pictures_keep_to_the_policy(
    signed_in: Any, alice: User
) -> None:
    net = network(alice)
    interaction_log(
        owner=alice, summary="Coffee", people=[net.maya], kind="meeting",
        occurred_at=timezone.now() - dt.timedelta(days=20),
    )  # fmt: skip
    goals_update(owner=alice, new_contacts=4)
    meeting = meeting_schedule(
        owner=alice, person=net.maya, scheduled_for=timezone.now() + dt.timedelta(days=2)
    )
    page = signed_in
    for url in (
        "/",
        "/goals/",
        "/health/",
        f"/paths/org/{net.globex.uuid}/",
        f"/meetings/{meeting.uuid}/",
        f"/people/{net.maya.uuid}/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # The month labels under the home chart are placed without any style attribute.
    page.goto("/")
    ticks = page.locator("svg.chart-ticks text")
    assert ticks.count() > 0
    first, last = ticks.first.bounding_box(), ticks.last.bounding_box()
    assert first is not None and last is not None and last["x"] > first["x"] + 100
    # The goal's bar is drawn by an SVG rectangle, so it shows with the policy in force.
    page.goto("/goals/")
    assert page.locator(".progress-fill rect").first.get_attribute("width") is not None


def test_the_browser_refuses_an_inline_script(page: Any, page_errors: list[str]) -> None:
    """The policy is really enforced: a script written into the page does not run."""
    page.goto("/login/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("() => window.ran === true") is False
    refused = [e for e in page_errors if "Content Security Policy" in e]
    assert refused, page_errors
    page_errors.clear()  # expected here; any other test fails on such an error
