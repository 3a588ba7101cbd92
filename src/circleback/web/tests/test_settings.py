"""Settings: profile, time zone, mode and password."""

from __future__ import annotations

import pytest
from django.test import Client

from circleback.accounts.models import User

pytestmark = pytest.mark.django_db


def test_it_saves_the_profile(alice_client: Client, alice: User) -> None:
    response = alice_client.post(
        "/settings/",
        {
            "which": "profile",
            "time_zone": "America/New_York",
            "mode": "employed",
            "first_name": "Alice",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.time_zone, alice.mode, alice.first_name) == (
        "America/New_York",
        "employed",
        "Alice",
    )


@pytest.mark.parametrize(
    "data",
    [
        {"time_zone": "Mars/Olympus", "mode": "employed"},
        {"time_zone": "UTC", "mode": "retired"},
        {"time_zone": "UTC", "mode": "employed", "email": "not-an-email"},
        {"time_zone": "UTC", "mode": "employed", "first_name": "x" * 200},
    ],
)
def test_a_bad_profile_changes_nothing(
    alice_client: Client, alice: User, data: dict[str, str]
) -> None:
    response = alice_client.post("/settings/", {"which": "profile", **data})
    assert response.status_code == 400 and response.context["profile"].errors
    alice.refresh_from_db()
    assert (alice.time_zone, alice.mode, alice.email) == ("Europe/London", "job_searching", "")


def test_it_changes_the_password_and_stays_signed_in(alice_client: Client, alice: User) -> None:
    response = alice_client.post(
        "/settings/",
        {
            "which": "password",
            "old_password": "correct horse battery staple",
            "new_password1": "a fresh passphrase 9",
            "new_password2": "a fresh passphrase 9",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a fresh passphrase 9")
    assert alice_client.get("/settings/").status_code == 200


def test_a_wrong_old_password_changes_nothing(alice_client: Client, alice: User) -> None:
    response = alice_client.post(
        "/settings/",
        {
            "which": "password",
            "old_password": "guess",
            "new_password1": "a fresh passphrase 9",
            "new_password2": "a fresh passphrase 9",
        },
    )
    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.check_password("correct horse battery staple")


def test_it_leaves_a_spot_for_the_export_download(alice_client: Client) -> None:
    html = alice_client.get("/settings/").content.decode()
    assert 'id="export"' in html
