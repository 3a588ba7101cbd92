"""The menu says where you are the way WAI-ARIA asks of a nested navigation: only the most
specific entry of all the page's menus is the current page (aria-current="page"); the main
menu's entry for the area around it says it is the current section (aria-current="true"). On
the Jobs page, "Openings" in the jobs menu is the page and "Jobs" in the main menu the section;
on event capture, "Journal" is the section and nothing is the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver

from circleback.accounts.models import User
from circleback.web.tests.test_browser_every_page import NOT_PAGES, _walk

pytestmark = pytest.mark.django_db


def _main_menu(html: str) -> str:
    start = html.index('<nav aria-label="Main">')
    return html[start : html.index("</header>", start)]


def _marked(html: str) -> list[tuple[str, str]]:
    """(aria-current value, link text) of every link that carries one."""
    return re.findall(r'<a [^>]*aria-current="(\w+)"[^>]*>([^<]*)', html)


@pytest.mark.parametrize(
    ("path", "main", "page"),
    [
        ("/", ("page", "Home"), "Home"),
        ("/people/", ("page", "People"), "People"),
        ("/people/new/", ("true", "People"), None),
        ("/journal/", ("page", "Journal"), "Journal"),
        ("/journal/event/", ("true", "Journal"), None),
        # Areas with a menu of their own: it names the page, the main menu the section.
        ("/jobs/", ("true", "Jobs"), "Openings"),
        ("/jobs/new/", ("true", "Jobs"), "Add an opening"),
        ("/favours/", ("true", "Give &amp; take"), "Favours"),
        ("/introductions/", ("true", "Give &amp; take"), "Introductions"),
        ("/paths/connectors/", ("true", "Ways in"), "Introductions you could make"),
        ("/groups/requests/", ("true", "Groups"), "Introduction requests"),
        # Settings stands for the import pages; the job tracker's import is the Jobs area's.
        ("/settings/", ("page", "Settings"), "Settings"),
        ("/import/", ("true", "Settings"), None),
        ("/import/applications/", ("true", "Jobs"), None),
        ("/today/", None, "Today"),  # reached from Home, not in the menu
    ],
)
def test_one_entry_is_the_page_and_the_area_is_the_section(
    alice_client: Client, path: str, main: tuple[str, str] | None, page: str | None
) -> None:
    response = alice_client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert _marked(_main_menu(html)) == ([main] if main else [])
    pages = [text for how, text in _marked(html) if how == "page"]
    assert pages == ([page] if page else [])


def test_no_page_says_current_page_twice(alice: User, alice_client: Client) -> None:
    """Every page the URL conf serves without arguments: at most one "page" in all its menus,
    and at most one current entry in the main menu."""
    seen = 0
    twice = []
    for name, route, pattern in _walk(get_resolver().url_patterns):
        if (
            name in NOT_PAGES
            or name.startswith(("api:", "api_site:"))
            or pattern.pattern.converters
        ):
            continue
        response = alice_client.get("/" + route)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if '<nav aria-label="Main">' not in html:
            continue
        seen += 1
        pages = [text for how, text in _marked(html) if how == "page"]
        if len(pages) > 1 or len(_marked(_main_menu(html))) > 1:
            twice.append(f"/{route}: {_marked(html)}")
    assert seen >= 25, seen
    assert not twice, "; ".join(twice)


@pytest.mark.browser
def test_in_a_browser_the_area_still_looks_current_and_one_link_is_the_page(
    signed_in: Any,
) -> None:
    page = signed_in
    page.goto("/jobs/new/")
    current = page.locator('[aria-current="page"]')
    assert current.count() == 1 and current.inner_text() == "Add an opening"
    jobs = page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs")
    assert jobs.get_attribute("aria-current") == "true"
    # Sighted people see the section as before: the main menu's underline.
    underline = jobs.evaluate("a => getComputedStyle(a).borderBottomWidth")
    people = page.get_by_role("navigation", name="Main").get_by_role("link", name="People")
    assert (
        underline == "3px"
        and people.evaluate("a => getComputedStyle(a).borderBottomWidth") != "3px"
    )
