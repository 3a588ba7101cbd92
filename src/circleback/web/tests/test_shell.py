"""The shell: first run, sign in and out, and every page behind login."""

from __future__ import annotations

import pytest
from django.test import Client

from circleback.accounts.models import User

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/people/",
    "/people/new/",
    "/organisations/",
    "/organisations/new/",
    "/journal/",
    "/journal/new/",
    "/journal/event/",
    "/settings/",
]


def test_it_offers_the_welcome_page_on_a_fresh_install_from_loopback(client: Client) -> None:
    assert client.get("/login/")["Location"] == "/welcome/"
    response = client.post(
        "/welcome/",
        {
            "full_name": "Dana Mirza Okafor",
            "username": "dana",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
            "time_zone": "Europe/Paris",
        },
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.username, user.time_zone) == ("dana", "Europe/Paris")
    # The real name signs drafts; the sign-in name never does.
    assert (user.first_name, user.last_name) == ("Dana Mirza", "Okafor")
    assert user.sign_off() == "Dana Mirza Okafor"
    assert client.get("/").status_code == 200


def test_it_hides_the_welcome_page_once_an_account_exists(client: Client, alice: User) -> None:
    assert client.get("/welcome/").status_code == 404
    assert client.get("/login/").status_code == 200


def test_it_hides_the_welcome_page_from_other_machines(client: Client) -> None:
    assert client.get("/welcome/", REMOTE_ADDR="192.0.2.7").status_code == 404


def test_it_keeps_the_database_unchanged_when_passwords_differ(client: Client) -> None:
    response = client.post(
        "/welcome/",
        {
            "username": "dana",
            "password1": "one thing 42!",
            "password2": "another",
            "time_zone": "UTC",
        },
    )
    assert "The two passwords differ" in response.content.decode()
    assert User.objects.count() == 0


def test_it_signs_in_and_out(client: Client, alice: User) -> None:
    response = client.post(
        "/login/", {"username": "alice", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_it_refuses_a_wrong_password(client: Client, alice: User) -> None:
    response = client.post("/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", PAGES)
def test_every_page_asks_for_login(client: Client, alice: User, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_for_a_new_user(client: Client, alice: User, url: str) -> None:
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert 'id="main"' in response.content.decode()


def test_state_changes_need_a_csrf_token(alice: User) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post("/people/new/", {"full_name": "Ada Quill"}).status_code == 403


def test_the_navigation_marks_the_section_of_a_page_under_an_entry(alice_client: Client) -> None:
    """Event capture is in the Journal, not the Journal page: "true", not "page" (the full
    walk is web/tests/test_nav.py)."""
    html = alice_client.get("/journal/event/").content.decode()
    assert 'aria-current="page"' not in html
    assert '<a href="/journal/" aria-current="true">' in html
    assert (
        '<a href="/journal/" aria-current="page">' in alice_client.get("/journal/").content.decode()
    )


def test_the_navigation_keeps_to_what_you_move_between(alice_client: Client) -> None:
    html = alice_client.get("/").content.decode()
    nav = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
    assert nav.count("<li>") <= 10  # the places: the two job markets and your groups among them
    for url in ("/today/", "/journal/event/", "/import/"):
        assert url not in nav


@pytest.mark.parametrize(
    ("page", "link"),
    [
        ("/", "/today/"),
        ("/", "/health/"),
        ("/", "/journal/event/"),
        ("/journal/", "/journal/event/"),
        ("/settings/", "/import/"),
        ("/people/", "/import/"),
    ],
)
def test_pages_left_out_of_the_navigation_stay_one_click_away(
    alice_client: Client, page: str, link: str
) -> None:
    assert f'href="{link}"' in alice_client.get(page).content.decode()


def test_settings_stands_for_the_import_pages(alice_client: Client) -> None:
    html = alice_client.get("/import/").content.decode()
    assert '<a class="who" href="/settings/" aria-current="true">' in html
    assert 'aria-current="page"' not in html
