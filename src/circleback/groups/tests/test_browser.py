"""Two accounts in a group find each other's opened contacts in their ways in, ask for and
receive an introduction; a third account sees none of it — in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import BrowserErrors, _new_page, sign_in

from circleback.people.services.organisations import organisation_create
from circleback.people.services.people import person_create

pytestmark = pytest.mark.browser


def test_two_members_find_ways_in_ask_and_receive_an_introduction(
    browser: Any, live_server: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    bob.first_name, bob.last_name = "Maya", "Rosen"
    bob.save()
    alice.first_name, alice.last_name = "Alex", "Field"
    alice.save()
    person_create(
        owner=bob,
        full_name="Vera Holt",
        title="VP Engineering",
        organisation="Globex",
        emails=["vera@globex.example"],
        notes="private note about Vera",
        closeness=4,
    )
    person_create(owner=alice, full_name="Nina Park", title="CTO", organisation="Initech")
    globex = organisation_create(owner=alice, name="Globex", is_target=True)
    initech = organisation_create(owner=bob, name="Initech", is_target=True)
    outsiders_globex = organisation_create(owner=charlie, name="Globex", is_target=True)
    errors = BrowserErrors()
    maya_ctx, maya = _new_page(browser, live_server, errors, 1280, 800)
    alex_ctx, alex = _new_page(browser, live_server, errors, 375, 740)  # alex is on a phone
    olga_ctx, olga = _new_page(browser, live_server, errors, 1280, 800)
    try:
        sign_in(maya, "bob")
        sign_in(alex, "alice")
        sign_in(olga, "charlie")
        # Maya starts the club and makes an invitation link.
        maya.goto("/groups/")
        maya.get_by_text("No groups yet").wait_for()
        maya.get_by_label("Name").fill("Thursday club")
        maya.get_by_role("button", name="Start the group").click()
        maya.get_by_role("heading", name="Thursday club", level=1).wait_for()
        group_url = maya.url
        maya.get_by_role("button", name="Make an invitation link").click()
        link = maya.locator("#invite-link").inner_text()
        assert "/groups/join/" in link
        # Alex joins with it.
        alex.goto(re.sub(r"^https?://[^/]+", "", link))
        alex.get_by_role("button", name="Join Thursday club").click()
        alex.get_by_role("heading", name="Thursday club", level=1).wait_for()
        assert alex.evaluate("document.documentElement.scrollWidth") <= 375
        # Each opens someone, chosen in the person picker, with the consent statement.
        for page, typed, name in ((maya, "vera", "Vera Holt"), (alex, "nin", "Nina Park")):
            page.get_by_role("combobox", name="Person", exact=True).click()
            page.keyboard.type(typed)
            listbox = page.get_by_role("listbox", name="Suggested people")
            listbox.get_by_role("option", name=re.compile(name)).click()
            page.get_by_label("I have their permission").check()
            page.get_by_role("button", name="Open to Thursday club").click()
            page.get_by_text("Opened to Thursday club.").wait_for()
        # Each finds the other's contact in their ways in.
        maya.goto(f"/paths/org/{initech.uuid}/")
        maya.get_by_text("Alex Field (Thursday club) knows Nina Park, CTO at Initech").wait_for()
        alex.goto(f"/paths/org/{globex.uuid}/")
        alex.get_by_text("Maya Rosen (Thursday club) knows Vera Holt, VP Engineering").wait_for()
        assert "vera@globex.example" not in alex.content()
        assert "private note" not in alex.content()
        # Alex asks; nothing of Vera is in Alex's record until Maya accepts.
        alex.get_by_role("link", name="Ask Maya Rosen for an introduction").click()
        alex.get_by_label("Why you'd like to meet them").fill(
            "I'm moving into platform engineering; 20 minutes of advice would help."
        )
        alex.get_by_role("button", name="Send the request").click()
        alex.get_by_text("waiting for an answer").wait_for()
        alex.goto("/people/?q=Vera")
        assert "Vera Holt" not in alex.locator("main").inner_text()
        # Maya answers from her loops page, where the request waits beside her own loops.
        maya.goto("/loops/")
        maya.get_by_role("heading", name="Introductions fellow members asked of you (1)").wait_for()
        maya.get_by_text("platform engineering").wait_for()
        maya.get_by_role("button", name="Accept: I'll introduce them").click()
        maya.get_by_text("Accepted: Vera Holt is now a referral").wait_for()
        assert maya.url.endswith("/loops/")
        alex.goto("/groups/requests/")
        alex.get_by_text("accepted").first.wait_for()
        alex.goto("/loops/")
        alex.get_by_text("Vera Holt").first.wait_for()
        # The outsider sees none of it.
        response = olga.goto(group_url.replace(live_server.url, ""))
        assert response is not None and response.status == 404
        olga.goto(f"/paths/org/{outsiders_globex.uuid}/")
        assert "Vera Holt" not in olga.content() and "Thursday club" not in olga.content()
        olga.goto("/groups/")
        assert "Thursday club" not in olga.locator("main").inner_text()
    finally:
        for context in (maya_ctx, alex_ctx, olga_ctx):
            context.close()
    assert [e for e in errors if "404" not in e] == [], errors
