"""/api/v1/settings/digest and /settings/calendar. Turning the email digest on through the API
mails a verification link to the account's address — through a real SMTP server (aiosmtpd),
as from the settings page — and the digest starts only once that link is followed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from circleback.accounts.models import User
from circleback.api.tests.conftest import ApiClient
from circleback.reminders.models import DigestSettings
from circleback.reminders.tests import conftest as reminders_mail
from circleback.reminders.tests.conftest import SmtpServer, use_mail

pytestmark = pytest.mark.django_db

# The reminders' real SMTP server (aiosmtpd on loopback), and the app's mail pointed at it.
smtp_server = reminders_mail.smtp_server
mail = reminders_mail.mail


def _with_address(user: User, address: str = "alice@example.org") -> None:
    user.email = address
    user.save()


def test_it_shows_the_digest_off_until_chosen(alice_api: ApiClient) -> None:
    answer = alice_api.call("GET", "settings/digest")
    assert answer.status_code == 200 and answer["ETag"]
    body = answer.json()
    assert (body["enabled"], body["frequency"], body["hour"], body["verified"]) == (
        False,
        "daily",
        7,
        False,
    )
    assert body["summary"] == "The digest is off."


def test_turning_it_on_mails_a_link_and_the_digest_waits_for_it(
    alice: User,
    alice_api: ApiClient,
    mail: SmtpServer,
) -> None:
    _with_address(alice)
    answer = alice_api.call(
        "PATCH", "settings/digest", {"enabled": True, "frequency": "weekly", "weekday": 4}
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["enabled"] and not body["verified"]
    assert body["verification_sent_to"] == "alice@example.org"
    assert "waiting for alice@example.org to be verified" in body["summary"]
    (message,) = mail.mailbox.messages
    assert message["To"] == "alice@example.org"
    link = next(line for line in message.get_content().splitlines() if "/reminders/verify/" in line)
    page = Client().get(link.strip().removeprefix("https://cb.example.org"))  # in a browser
    assert page.status_code == 200
    after = alice_api.call("GET", "settings/digest").json()
    assert after["verified"] and after["verification_sent_to"] is None
    assert after["next_at"] is not None and "Next one" in after["summary"]
    chosen = DigestSettings.objects.get(owner=alice)
    assert (chosen.frequency, chosen.weekday, chosen.verified_email) == (
        "weekly",
        4,
        "alice@example.org",
    )


def test_a_stale_if_match_changes_nothing(alice: User, alice_api: ApiClient) -> None:
    etag = alice_api.call("GET", "settings/digest")["ETag"]
    assert alice_api.call("PATCH", "settings/digest", {"hour": 9}).status_code == 200
    stale = alice_api.call("PATCH", "settings/digest", {"hour": 6}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    assert DigestSettings.objects.get(owner=alice).hour == 9


@pytest.mark.parametrize(
    "body,field",
    [({"hour": 24}, "hour"), ({"weekday": -1}, "weekday"), ({"frequency": "hourly"}, "frequency")],
)
def test_bad_values_are_refused_field_by_field(
    alice: User, alice_api: ApiClient, body: dict[str, Any], field: str
) -> None:
    answer = alice_api.call("PATCH", "settings/digest", body)
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert not DigestSettings.objects.filter(owner=alice).exists()


def test_the_link_can_be_sent_again_and_says_where(
    alice: User,
    alice_api: ApiClient,
    mail: SmtpServer,
) -> None:
    _with_address(alice)
    answer = alice_api.call("POST", "settings/digest/verify")
    assert answer.status_code == 202, answer.content
    assert answer.json() == {
        "sent_to": "alice@example.org",
        "server_reply": "250 2.0.0 Ok: queued as CB42",
    }
    assert len(mail.mailbox.messages) == 1


def test_no_address_no_mail_server_or_a_refusing_one_each_say_so(
    alice: User,
    alice_api: ApiClient,
    smtp_server: SmtpServer,
    settings: Any,
) -> None:
    answer = alice_api.call("POST", "settings/digest/verify")
    assert answer.status_code == 409  # this server has no mail set up
    use_mail(settings, smtp_server.host, smtp_server.port)
    answer = alice_api.call("POST", "settings/digest/verify")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "email"
    _with_address(alice)
    smtp_server.mailbox.refuse_with = "451 4.3.0 try again later"
    answer = alice_api.call("POST", "settings/digest/verify")
    assert answer.status_code == 502 and "try again later" in answer.json()["detail"]
    assert answer["Content-Type"] == "application/problem+json"
    # Turned on while the server refuses: the settings stand, no link is said to have gone.
    body = alice_api.call("PATCH", "settings/digest", {"enabled": True}).json()
    assert body["enabled"] and body["verification_sent_to"] is None


def test_another_account_sees_only_its_own(
    alice: User, alice_api: ApiClient, charlie_api: ApiClient
) -> None:
    assert alice_api.call("PATCH", "settings/digest", {"enabled": True}).status_code == 200
    theirs = charlie_api.call("GET", "settings/digest").json()
    assert theirs["enabled"] is False


def test_a_calendar_feed_is_made_shown_once_and_stopped(
    alice: User, alice_api: ApiClient, charlie_api: ApiClient
) -> None:
    assert alice_api.call("GET", "settings/calendar").json()["active"] is False
    made = alice_api.call("POST", "settings/calendar")
    assert made.status_code == 201 and made["Cache-Control"] == "private, no-store"
    url = made.json()["url"]
    assert "/calendar/" in url and url.endswith(".ics")
    path = url[url.index("/calendar/") :]
    feed = Client().get(path)
    assert feed.status_code == 200 and feed.content.startswith(b"BEGIN:VCALENDAR")
    shown = alice_api.call("GET", "settings/calendar").json()
    assert shown["active"] and shown["last_fetched_at"] is not None and "url" not in shown
    assert charlie_api.call("GET", "settings/calendar").json()["active"] is False
    again = alice_api.call("POST", "settings/calendar").json()["url"]
    assert Client().get(path).status_code == 404  # the old address stops at once
    stopped = alice_api.call("DELETE", "settings/calendar")
    assert stopped.status_code == 200 and stopped.json()["active"] is False
    assert Client().get(again[again.index("/calendar/") :]).status_code == 404
