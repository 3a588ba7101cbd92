"""Error pages look like the rest of the app, say what happened and offer a way back."""

from __future__ import annotations

import pytest
from django.test import Client

from circleback.accounts.models import User


def test_it_shows_a_styled_404_with_the_menu_and_a_way_home(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.get("/people/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We couldn't find that page" in page
    assert 'aria-label="Main"' in page  # the menu, so the way on is one click
    assert 'href="/"' in page and "Go to your home page" in page


def test_it_shows_the_404_to_a_signed_out_visitor_without_the_menu(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Go to your home page" in page
    assert 'aria-label="Main"' not in page


def test_it_explains_an_expired_form(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/people/new/", {"full_name": "Ada Quill"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


@pytest.mark.parametrize("code", ["400", "403", "404", "500"])
def test_each_error_page_renders_without_a_request(code: str) -> None:
    """Django renders 500 (and may render the others) with no request in the context."""
    from django.template.loader import render_to_string

    page = render_to_string(f"{code}.html")
    assert f"Error {code}" in page and "Go to your home page" in page
