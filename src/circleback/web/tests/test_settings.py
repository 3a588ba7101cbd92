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


def test_a_new_time_zone_moves_the_next_digest_to_the_hour_there(
    alice_client: Client, alice: User
) -> None:
    """The page saves through `account_update`, as the API does: the digest follows."""
    import zoneinfo

    from circleback.reminders.models import DigestSettings
    from circleback.reminders.services import digest_configure

    digest_configure(owner=alice, enabled=True, hour=7)
    london = DigestSettings.objects.get(owner=alice).next_at
    assert london is not None and london.astimezone(zoneinfo.ZoneInfo("Europe/London")).hour == 7
    response = alice_client.post(
        "/settings/", {"which": "profile", "time_zone": "America/New_York", "mode": "employed"}
    )
    assert response.status_code == 302
    moved = DigestSettings.objects.get(owner=alice).next_at
    assert moved is not None and moved != london
    assert moved.astimezone(zoneinfo.ZoneInfo("America/New_York")).hour == 7
