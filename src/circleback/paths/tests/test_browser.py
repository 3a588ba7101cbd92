"""Ways in on a phone: the picture scrolls within its box and opens with the target in view."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import sign_in

from circleback.paths.graph import cache_clear
from circleback.paths.tests.factories import network

pytestmark = pytest.mark.browser


def test_the_paths_picture_fits_a_phone_with_the_decision_maker_in_view(
    phone_page: Any, alice: Any
) -> None:
    cache_clear()
    net = network(alice)
    page = phone_page
    sign_in(page, "alice")
    page.goto(f"/paths/org/{net.globex.uuid}/")
    picture = page.locator(".paths-picture")
    picture.scroll_into_view_if_needed()
    # The page itself never scrolls sideways; the picture scrolls within its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = picture.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate(
        "(() => { const p = document.querySelector('.paths-picture');"
        " return p.scrollWidth > p.clientWidth; })()"
    ), "the picture is wider than a phone, so this test checks the scrolling it needs"
    # The decision maker, at the right-hand end, is on screen without scrolling.
    dana = picture.locator("svg text", has_text="Dana Li").first
    mark = dana.bounding_box()
    assert mark is not None and mark["x"] >= 0 and mark["x"] + mark["width"] <= 375
