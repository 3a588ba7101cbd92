"""Changing the password and deleting the account through the API: a token is a key to the
account's data, not to the account, so both ask for the password (and deleting, the account's
name) by the rules the settings page uses; tries are counted per account; a deleted account's
tokens stop at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from circleback.accounts.models import User
from circleback.api.models import Token
from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient
from circleback.people.models import Person

pytestmark = pytest.mark.django_db
PASSWORD = "a long password 1"


@pytest.fixture
def ada(alice: User, make_person: Any) -> Person:
    alice.set_password(PASSWORD)
    alice.save()
    return make_person(alice, "Ada Quill")


def _fields(answer: Any, status: int = 422) -> list[str]:
    assert answer.status_code == status, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    return sorted({e["field"] for e in answer.json()["errors"]})


def test_the_password_changes_only_with_the_current_one_and_a_good_new_one(
    alice: User, ada: Person, alice_api: ApiClient
) -> None:
    elsewhere = Client()
    elsewhere.force_login(alice)
    wrong = alice_api.call(
        "POST",
        "settings/account/password",
        {"current_password": "guess", "new_password": "another long password"},
    )
    assert _fields(wrong) == ["current_password"]
    weak = alice_api.call(
        "POST", "settings/account/password", {"current_password": PASSWORD, "new_password": "123"}
    )
    assert _fields(weak) == ["new_password"]
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)  # nothing changed
    done = alice_api.call(
        "POST",
        "settings/account/password",
        {"current_password": PASSWORD, "new_password": "another long password"},
    )
    assert done.status_code == 200, done.content
    assert done.json()["changed"] is True
    assert Client().login(username="alice", password="another long password")
    assert elsewhere.get("/api/v1/settings/account").status_code == 401  # signed out there
    assert alice_api.call("GET", "settings/account").status_code == 200  # tokens stay


def test_a_browser_session_changing_it_stays_signed_in(alice: User, ada: Person) -> None:
    browser = Client()
    browser.force_login(alice)
    done = browser.post(
        "/api/v1/settings/account/password",
        {"current_password": PASSWORD, "new_password": "another long password"},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert browser.get("/api/v1/settings/account").status_code == 200


def test_deleting_needs_the_password_and_the_name_and_then_takes_everything(
    alice: User, ada: Person, alice_api: ApiClient
) -> None:
    other = token_create(owner=alice, name="phone").secret
    neither = alice_api.call(
        "POST", "settings/account/delete", {"password": "guess", "confirm": "bob"}
    )
    assert _fields(neither) == ["confirm", "password"]
    name_only = alice_api.call(
        "POST", "settings/account/delete", {"password": PASSWORD, "confirm": "bob"}
    )
    assert _fields(name_only) == ["confirm"]
    assert Person.objects.filter(pk=ada.pk).exists()
    done = alice_api.call(
        "POST", "settings/account/delete", {"password": PASSWORD, "confirm": " ALICE "}
    )
    assert done.status_code == 200, done.content
    assert done.json()["deleted"] is True and "1 people" in done.json()["summary"]
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Person.objects.filter(pk=ada.pk).exists()
    assert not Token.objects.filter(owner_id=alice.pk).exists()
    for secret in (alice_api.secret, other):
        assert ApiClient(secret).call("GET", "people").status_code == 401


def test_password_tries_are_counted_per_account_whichever_token_makes_them(
    alice: User, ada: Person, alice_api: ApiClient
) -> None:
    second = ApiClient(token_create(owner=alice, name="second").secret)
    statuses = []
    for i in range(6):
        client = alice_api if i % 2 else second
        statuses.append(
            client.call(
                "POST", "settings/account/delete", {"password": f"guess {i}", "confirm": "alice"}
            ).status_code
        )
    assert statuses == [422] * 5 + [429]
    blocked = alice_api.call(
        "POST", "settings/account/delete", {"password": PASSWORD, "confirm": "alice"}
    )
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) >= 1
    assert User.objects.filter(pk=alice.pk).exists()


def test_a_read_only_token_can_do_neither(alice: User, ada: Person) -> None:
    reader = ApiClient(token_create(owner=alice, name="reader", read_only=True).secret)
    body = {"password": PASSWORD, "confirm": "alice"}
    assert reader.call("POST", "settings/account/delete", body).status_code == 403
    change = {"current_password": PASSWORD, "new_password": "another long password"}
    assert reader.call("POST", "settings/account/password", change).status_code == 403
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)
