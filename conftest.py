"""Shared fixtures: the personas (alice owns, bob shares her group later, charlie is an
outsider), small factories for people and networks, and the real-browser fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from circleback.accounts.models import User
from circleback.people.models import Person

# The web tests' fixtures (a signed-in client, a small network) serve every area's screens.
pytest_plugins = ["circleback.web.tests.fixtures"]

settings.register_profile(
    "circleback", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=150
)
settings.load_profile("circleback")

CHROMIUM = os.environ.get("CIRCLEBACK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery staple"


def _user(name: str) -> User:
    user = User(username=name, time_zone="Europe/London")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def alice(db: None) -> User:
    return _user("alice")


@pytest.fixture
def bob(db: None) -> User:
    return _user("bob")


@pytest.fixture
def charlie(db: None) -> User:
    return _user("charlie")


@pytest.fixture
def make_person(db: None) -> Any:
    """make_person(owner, "Ada Quill", organisation="Hooli", ...) through the real service.

    A factory makes whom it is told to, namesakes included (if_exists="new"); the tests of
    who-already-exists call the services themselves.
    """
    from circleback.people.services.people import person_create

    def make(owner: User, full_name: str, **fields: Any) -> Person:
        fields.setdefault("if_exists", "new")
        return person_create(owner=owner, full_name=full_name, **fields)

    return make


# --- real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium is not at {CHROMIUM}; run `bash tools/system-deps.sh` "
            "(or set CIRCLEBACK_CHROMIUM)."
        )
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


class BrowserErrors(list[str]):
    """Console errors and uncaught exceptions seen by a page during a test."""


@pytest.fixture
def page_errors() -> BrowserErrors:
    return BrowserErrors()


def _new_page(
    browser: Any, live_server: Any, errors: BrowserErrors, width: int, height: int
) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page


@pytest.fixture
def page(browser: Any, live_server: Any, page_errors: BrowserErrors) -> Iterator[Any]:
    """A laptop-sized page on the live server; fails the test on any console error."""
    context, page = _new_page(browser, live_server, page_errors, 1280, 800)
    yield page
    context.close()
    assert list(page_errors) == [], f"console errors: {page_errors}"


@pytest.fixture
def phone_page(browser: Any, live_server: Any, page_errors: BrowserErrors) -> Iterator[Any]:
    """A 375 px wide page, the width of a small phone."""
    context, page = _new_page(browser, live_server, page_errors, 375, 740)
    yield page
    context.close()
    assert list(page_errors) == [], f"console errors: {page_errors}"


@pytest.fixture
def signed_in(page: Any, alice: User) -> Any:
    """The laptop page, signed in as alice."""
    sign_in(page, "alice")
    return page


def sign_in(page: Any, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
