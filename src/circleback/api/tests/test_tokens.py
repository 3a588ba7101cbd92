"""Personal access tokens: made, shown once, stored hashed, listed, revoked — from the
services, the settings page and the CLI."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from circleback.api.models import Token
from circleback.api.services import digest, token_check, token_create, token_revoke
from circleback.cli.tests.support import Run, as_json, cli, cli_environment, one_line_error

__all__ = ["cli", "cli_environment"]

pytestmark = pytest.mark.django_db


def test_it_keeps_only_a_digest_of_the_token(alice: Any) -> None:
    new = token_create(owner=alice, name="phone")
    row = Token.objects.get(pk=new.token.pk)
    assert new.secret.startswith("cb_") and len(new.secret) > 40
    assert row.digest == digest(new.secret) and new.secret not in (row.digest, row.prefix)
    assert token_check(new.secret) == row


def test_names_are_unique_per_account_and_expiry_is_bounded(alice: Any, bob: Any) -> None:
    token_create(owner=alice, name="phone")
    token_create(owner=bob, name="phone")
    with pytest.raises(ValidationError):
        token_create(owner=alice, name="Phone")
    with pytest.raises(ValidationError):
        token_create(owner=alice, name="x", expires_in_days=0)
    with pytest.raises(ValidationError):
        token_create(owner=alice, name="  ")


def test_revoking_works_at_once_and_only_on_your_own(alice: Any, bob: Any) -> None:
    new = token_create(owner=alice, name="phone")
    with pytest.raises(ValidationError):
        token_revoke(owner=bob, name="phone")
    token_revoke(owner=alice, name="phone")
    assert token_check(new.secret) is None


def test_the_settings_page_creates_shows_once_and_revokes(alice: Any) -> None:
    browser = Client()
    browser.force_login(alice)
    response = browser.post(
        "/settings/tokens/", {"name": "laptop", "access": "read", "expires_in_days": "30"}
    )
    assert response.status_code == 302
    page = browser.get("/settings/").content.decode()
    token = Token.objects.get(owner=alice, name="laptop")
    assert token.read_only and token.expires_at is not None
    secret = page.split('id="new-token">')[1].split("<")[0]
    assert token_check(secret) == token
    assert secret not in browser.get("/settings/").content.decode()  # shown once
    browser.post("/settings/tokens/", {"action": "revoke", "name": "laptop"})
    assert not Token.objects.filter(owner=alice).exists()


def test_the_settings_page_says_what_is_wrong(alice: Any) -> None:
    browser = Client()
    browser.force_login(alice)
    browser.post("/settings/tokens/", {"name": "", "access": "write"})
    assert "needs a name" in browser.get("/settings/").content.decode()


def test_another_account_cannot_revoke_from_the_settings_page(alice: Any, bob: Any) -> None:
    token_create(owner=alice, name="phone")
    browser = Client()
    browser.force_login(bob)
    browser.post("/settings/tokens/", {"action": "revoke", "name": "phone"})
    assert Token.objects.filter(owner=alice, name="phone").exists()


def test_the_cli_creates_lists_and_revokes(alice: Any, cli: Run) -> None:
    made = cli("token", "create", "cron", "--read-only", "--expires", "7")
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    checked = token_check(secret)
    assert checked is not None and checked.read_only
    listed = as_json(cli("token", "list", "--json"))
    assert [t["name"] for t in listed] == ["cron"] and secret not in str(listed)
    assert "cron" in cli("token", "list").stdout
    bad = cli("token", "create", "x", "--expires", "0")
    assert bad.exit_code == 2 and "--expires" in one_line_error(bad)
    gone = cli("token", "revoke", "cron")
    assert gone.exit_code == 0 and token_check(secret) is None
    missing = cli("token", "revoke", "cron")
    assert missing.exit_code == 2 and "no token called" in one_line_error(missing)
