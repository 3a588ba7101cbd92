"""Shared fixtures: the personas (alice owns, bob shares her group later, charlie is an
outsider), small factories for people and networks, and the real-browser fixtures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
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


# --- which tests run on which database -------------------------------------------------------
#
# `make test` runs the suite on SQLite, then again on PostgreSQL. The second run is for what
# may behave differently there, so on PostgreSQL a test runs only if it reaches a database:
# through pytest-django (the `db`/`transactional_db`/`live_server` fixtures or the `django_db`
# marker), or in processes of its own on the suite's database: its module (or a test helper
# module it imports from) uses `on_suite_database` (circleback.cli.tests.processes), or reads
# DATABASE_URL from the environment itself. A test that reaches neither (parsing, text,
# --help, the architecture, processes on a SQLite file of their own) ran on SQLite.
# `@pytest.mark.only_on("sqlite" | "postgresql", reason=...)` overrides the rule either way.

DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}
READS_DATABASE_URL = re.compile(r"""environ(\.get\(|\[)\s*["']DATABASE_URL["']""")
# The process helpers read DATABASE_URL for `on_suite_database` only: a module importing
# them runs on PostgreSQL if it uses that, not for importing `run_program`.
PROCESSES = "circleback.cli.tests.processes"
# Test helper modules whose users start processes.
LONG_HELPERS = {PROCESSES, "circleback.api.tests.live", "circleback.reminders.tests.test_process"}
# Modules that take long in-process (--durations): run first too. One missing only runs later.
LONG_MODULES = {
    "tests.test_squashed_migrations",
    "circleback.operations.backup.tests.test_restore",
    "circleback.operations.backup.tests.test_roundtrip_property",
    "circleback.operations.tests.test_interface_walk",
}


def suite_vendor() -> str:
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def _source(module: Any) -> str:
    try:
        with open(module.__file__, encoding="utf-8") as handle:
            return handle.read()
    except (AttributeError, TypeError, OSError):
        return ""


_reaches_cache: dict[str, bool] = {}


def _helpers(module: Any) -> set[Any]:
    """The test helper modules `module` imports from (or imports)."""
    found = {
        sys.modules.get(getattr(value, "__module__", None) or "") for value in vars(module).values()
    } | {value for value in vars(module).values() if isinstance(value, type(sys))}
    return {
        helper
        for helper in found
        if helper is not None and ".tests" in helper.__name__ and helper is not module
    }


def _uses_suite_database(module: Any) -> bool:
    from circleback.cli.tests.processes import ON_SUITE_DATABASE

    return any(value is helper for value in vars(module).values() for helper in ON_SUITE_DATABASE)


def _module_reads_database_url(module: Any) -> bool:
    """Does the test module, or a test helper module it imports from, put processes on the
    suite's database (or read DATABASE_URL)?"""
    name = module.__name__
    if name not in _reaches_cache:
        modules = [module] + [h for h in _helpers(module) if h.__name__ != PROCESSES]
        _reaches_cache[name] = any(
            _uses_suite_database(each) or READS_DATABASE_URL.search(_source(each))
            for each in modules
        )
    return _reaches_cache[name]


def runs_on(item: pytest.Item, vendor: str) -> bool:
    marker = item.get_closest_marker("only_on")
    if marker is not None:
        return bool(marker.args[0] == vendor)
    if vendor == "sqlite":
        return True
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & DATABASE_FIXTURES or item.get_closest_marker("django_db") is not None:
        return True
    module = getattr(item, "module", None)
    return module is not None and _module_reads_database_url(module)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        marker = item.get_closest_marker("only_on")
        if marker is not None and (
            marker.args[:1] not in (("sqlite",), ("postgresql",)) or not marker.kwargs.get("reason")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: write only_on('sqlite' or 'postgresql', reason='why')"
            )
    vendor = suite_vendor()
    keep: list[pytest.Item] = []
    elsewhere: list[pytest.Item] = []
    for item in items:
        (keep if runs_on(item, vendor) else elsewhere).append(item)
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = keep
    # The long tests first (whole modules: a module's fixtures are made once): with two
    # workers, the last minutes are then short tests shared out, not one worker finishing
    # a long process test while the other waits. (pytest-django then orders by database use,
    # keeping this order within each kind.)
    long = {id(getattr(item, "module", None)) for item in items if _is_long(item)}
    items.sort(key=lambda item: id(getattr(item, "module", None)) not in long)


def _is_long(item: pytest.Item) -> bool:
    """Does the test start a browser or the real program (a process, a server)?"""
    module = getattr(item, "module", None)
    if module is None:
        return False
    if item.get_closest_marker("browser") is not None or module.__name__ in LONG_MODULES:
        return True
    return any(
        value is subprocess or getattr(value, "__module__", "") == PROCESSES
        for value in vars(module).values()
    ) or any(helper.__name__ in LONG_HELPERS for helper in _helpers(module))


@pytest.fixture(scope="session", autouse=True)
def _process_database_templates() -> Iterator[None]:
    """Removes the migrated template databases that process tests copied (made only when one
    asks; see circleback.cli.tests.processes)."""
    yield
    from circleback.cli.tests.processes import remove_templates

    remove_templates()


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
