"""Headers every page carries: a strict Content-Security-Policy, and no caching of private pages."""

from __future__ import annotations

import pytest
from django.test import Client

from circleback.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


SIGNED_IN_PAGES = ["/", "/people/", "/journal/", "/settings/", "/today/", "/paths/", "/loops/"]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("url", ["/login/", *SIGNED_IN_PAGES])
def test_every_page_allows_only_its_own_scripts_and_styles(alice: User, url: str) -> None:
    client = Client()
    if url != "/login/":
        client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_in_pages_are_never_stored(alice_client: Client, url: str) -> None:
    response = alice_client.get(url)
    assert response.status_code == 200
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache
    assert "public" not in cache


def test_a_signed_in_redirect_and_form_error_are_not_stored_either(alice_client: Client) -> None:
    response = alice_client.post("/settings/", {"which": "password"})
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]


def test_static_files_stay_cacheable_for_a_signed_in_visitor(alice_client: Client) -> None:
    response = alice_client.get("/static/circleback/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
