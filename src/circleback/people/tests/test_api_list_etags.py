"""Each person in GET /people carries their ETag: the same value GET /people/{id} answers in
its ETag header, so a client can change someone it listed with If-Match and no second read —
and a stale one is still refused (412), whoever changed the person since."""

from __future__ import annotations

from typing import Any

from circleback.accounts.models import User
from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient
from circleback.people.models import Person
from circleback.people.services.people import person_update


def _api(user: User) -> ApiClient:
    return ApiClient(token_create(owner=user, name=f"{user.username}-etags").secret)


def test_a_listed_etag_is_the_records_own_and_changes_with_it(
    alice: User, make_person: Any
) -> None:
    make_person(alice, "Ada Quill", emails=["ada@example.org"], tags=["mentor"])
    make_person(alice, "Bart Nguyen", organisation="Hooli")
    api = _api(alice)
    items = api.call("GET", "people").json()["items"]
    for item in items:
        one = api.call("GET", f"people/{item['uuid']}")
        assert one["ETag"] == item["etag"] == one.json()["etag"]
    ada = items[0]
    changed = api.call(
        "PATCH", f"people/{ada['uuid']}", {"title": "CTO"}, headers={"If-Match": ada["etag"]}
    )
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == changed.json()["etag"] != ada["etag"]
    relisted = {p["uuid"]: p["etag"] for p in api.call("GET", "people").json()["items"]}
    assert relisted[ada["uuid"]] == changed["ETag"]


def test_a_listed_etag_goes_stale_when_someone_else_changes_the_person(
    alice: User, make_person: Any
) -> None:
    bart = make_person(alice, "Bart Nguyen")
    api = _api(alice)
    (item,) = api.call("GET", "people").json()["items"]
    person_update(person=bart, title="Founder")  # the web app or the CLI, meanwhile
    stale = api.call(
        "PATCH", f"people/{item['uuid']}", {"title": "CTO"}, headers={"If-Match": item["etag"]}
    )
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    assert Person.objects.get(pk=bart.pk).title == "Founder"
    # Several at once: the bulk action takes the listed ETags too.
    fresh = api.call("GET", "people").json()["items"][0]["etag"]
    done = api.call(
        "POST",
        "people/bulk",
        {"people": [item["uuid"]], "action": "tag", "tag": "founders"},
        headers={"If-Match": fresh},
    )
    assert done.status_code == 200, done.content
