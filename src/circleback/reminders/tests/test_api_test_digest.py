"""POST /api/v1/settings/digest/test: today's digest sent now, as `circleback digest test`
sends it — through a real SMTP server (aiosmtpd on loopback) — marked [Test], to the account's
address or another; and each way it can't be sent says why, in the API's one error shape."""

from __future__ import annotations

from typing import Any

import pytest

from circleback.accounts.models import User
from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient
from circleback.reminders.models import Digest
from circleback.reminders.tests.conftest import SmtpServer, use_mail

pytestmark = pytest.mark.django_db


def _api(user: User) -> ApiClient:
    return ApiClient(token_create(owner=user, name=f"{user.username}-digest").secret)


def test_it_goes_to_the_accounts_address_or_another_and_counts_for_nothing(
    alice: User, make_person: Any, mail: SmtpServer
) -> None:
    alice.email = "alice@example.org"
    alice.save()
    make_person(alice, "Ada Quill")
    api = _api(alice)
    answer = api.call("POST", "settings/digest/test", {})
    assert answer.status_code == 202, answer.content
    assert answer.json() == {
        "sent_to": "alice@example.org",
        "server_reply": "250 2.0.0 Ok: queued as CB42",
    }
    other = api.call("POST", "settings/digest/test", {"to": "me@example.net"})
    assert other.status_code == 202 and other.json()["sent_to"] == "me@example.net"
    first, second = mail.mailbox.messages
    assert first["To"] == "alice@example.org" and second["To"] == "me@example.net"
    assert first["Subject"].startswith("[Test] ")
    assert not Digest.objects.filter(owner=alice).exists()  # never stands in for the day's


def test_no_mail_server_no_address_a_bad_one_or_a_refusing_server_each_say_so(
    alice: User, smtp_server: SmtpServer, settings: Any
) -> None:
    api = _api(alice)
    none = api.call("POST", "settings/digest/test", {})
    assert none.status_code == 409 and "no mail set up" in none.json()["detail"]
    use_mail(settings, smtp_server.host, smtp_server.port)
    nowhere = api.call("POST", "settings/digest/test", {})
    assert nowhere.status_code == 422
    assert nowhere["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in nowhere.json()["errors"]] == ["to"]
    bad = api.call("POST", "settings/digest/test", {"to": "ada@"})
    assert bad.status_code == 422 and "not an email address" in bad.json()["errors"][0]["message"]
    smtp_server.mailbox.refuse_with = "451 4.3.0 try again later"
    refused = api.call("POST", "settings/digest/test", {"to": "me@example.net"})
    assert refused.status_code == 502 and "try again later" in refused.json()["detail"]
    assert smtp_server.mailbox.messages == []


def test_a_read_only_token_cannot_send_one(alice: User, mail: SmtpServer) -> None:
    reader = ApiClient(token_create(owner=alice, name="reader", read_only=True).secret)
    answer = reader.call("POST", "settings/digest/test", {"to": "me@example.net"})
    assert answer.status_code == 403
    assert mail.mailbox.messages == []
