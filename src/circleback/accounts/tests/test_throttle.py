"""Sign-in throttling: per account from anywhere, per address on any account, HTTP 429."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from conftest import PASSWORD
from django.test import Client, override_settings

from circleback.accounts.models import User

pytestmark = pytest.mark.django_db
LIMIT = 10


def _sign_in(username: str, password: str, address: str, **headers: str) -> int:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/login/", {"username": username, "password": password}, **headers)
    return response.status_code


def test_it_pauses_an_account_after_too_many_wrong_passwords_from_anywhere(alice: User) -> None:
    for n in range(LIMIT - 1):
        assert _sign_in("alice", "wrong", f"198.51.100.{n + 1}") == 200
    assert _sign_in("alice", "wrong", "198.51.100.99") == 429  # the tenth failure pauses it
    # The right password, from an address never seen: still refused while the pause lasts.
    client = Client(REMOTE_ADDR="203.0.113.200")
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many sign-in attempts failed" in page and "15 minutes" in page
    assert response["Retry-After"] == str(15 * 60)
    assert "_auth_user_id" not in client.session


def test_it_counts_one_account_whatever_the_case_of_its_name(alice: User) -> None:
    for n in range(LIMIT - 1):
        assert _sign_in(["alice", "Alice", " ALICE "][n % 3], "wrong", f"198.51.100.{n + 1}") == 200
    assert _sign_in("ALICE", "wrong", "198.51.100.99") == 429
    assert _sign_in("alice", PASSWORD, "203.0.113.200") == 429


def test_it_pauses_an_address_that_tries_many_accounts(alice: User, bob: User) -> None:
    for n in range(LIMIT - 1):
        assert _sign_in(f"guess{n}", "wrong", "198.51.100.7") == 200
    assert _sign_in("guess-last", "wrong", "198.51.100.7") == 429
    assert _sign_in("bob", PASSWORD, "198.51.100.7") == 429
    # Everyone else carries on.
    assert _sign_in("bob", PASSWORD, "198.51.100.8") == 302
    assert _sign_in("alice", PASSWORD, "203.0.113.5") == 302


def test_a_successful_sign_in_before_the_limit_starts_the_count_again(alice: User) -> None:
    for _ in range(LIMIT - 1):
        assert _sign_in("alice", "wrong", "198.51.100.1") == 200
    assert _sign_in("alice", PASSWORD, "198.51.100.1") == 302
    for _ in range(LIMIT - 1):
        assert _sign_in("alice", "wrong", "198.51.100.1") == 200
    assert _sign_in("alice", PASSWORD, "198.51.100.1") == 302


def test_the_pause_ends_after_the_cool_off(alice: User) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(LIMIT):
            _sign_in("alice", "wrong", "198.51.100.1")
        assert _sign_in("alice", PASSWORD, "198.51.100.1") == 429
        clock.shift(dt.timedelta(minutes=16))
        assert _sign_in("alice", PASSWORD, "198.51.100.1") == 302


@override_settings(CIRCLEBACK_TRUSTED_PROXIES=1)
def test_behind_a_proxy_it_counts_the_visitor_the_proxy_names(alice: User, bob: User) -> None:
    """Every request comes from the proxy's address; X-Forwarded-For tells visitors apart."""
    forwarded = {"HTTP_X_FORWARDED_FOR": "spoofed, 198.51.100.9"}
    for n in range(LIMIT):
        _sign_in(f"guess{n}", "wrong", "127.0.0.1", **forwarded)
    assert _sign_in("bob", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9") == 429
    assert _sign_in("bob", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.10") == 302


def test_without_trusted_proxies_a_forwarded_header_changes_nothing(alice: User) -> None:
    """A visitor who writes X-Forwarded-For himself cannot escape the per-address count."""
    for n in range(LIMIT):
        _sign_in(f"guess{n}", "wrong", "198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert _sign_in("alice", PASSWORD, "198.51.100.7", HTTP_X_FORWARDED_FOR="10.0.0.99") == 429
