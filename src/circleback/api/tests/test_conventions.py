"""The conventions a client relies on: cursor pages, ETag/If-Match, Idempotency-Key, the rate
limit, JSON only, and the session with CSRF for the app's own pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from circleback.api.auth import count_request
from circleback.api.models import RateCounter
from circleback.api.tests.conftest import ApiClient
from circleback.people.models import Person

pytestmark = pytest.mark.django_db


def test_it_pages_people_by_cursor_in_a_stable_order(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    names = [f"Person {i:02d}" for i in range(7)]
    for name in reversed(names):
        make_person(alice, name)
    seen, url = [], "people?limit=3"
    pages = 0
    while url:
        response = alice_api.call("GET", url)
        assert response.status_code == 200
        body = response.json()
        seen += [p["full_name"] for p in body["items"]]
        # Someone added meanwhile sorts before the cursor and shifts no page.
        if pages == 0:
            make_person(alice, "Aaron Early")
        url = body["next"]
        pages += 1
    assert seen == names and pages == 3


def test_a_cursor_it_did_not_give_out_is_a_422_on_that_field(alice_api: ApiClient) -> None:
    body = alice_api.call("GET", "people?cursor=bm9wZQ").json()
    assert body["status"] == 422
    assert body["errors"][0]["field"] == "cursor"


def test_a_stale_if_match_is_refused_with_412_and_changes_nothing(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    first = alice_api.call("GET", f"people/{ada.uuid}")
    etag = first["ETag"]
    changed = alice_api.call(
        "PATCH", f"people/{ada.uuid}", {"title": "CTO"}, headers={"If-Match": etag}
    )
    assert changed.status_code == 200 and changed["ETag"] != etag
    stale = alice_api.call(
        "PATCH", f"people/{ada.uuid}", {"title": "CEO"}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale["Content-Type"].startswith("application/problem+json")
    assert Person.objects.get(pk=ada.pk).title == "CTO"
    deleted = alice_api.call("DELETE", f"people/{ada.uuid}", headers={"If-Match": etag})
    assert deleted.status_code == 412 and Person.objects.filter(pk=ada.pk).exists()


def test_a_retried_post_with_the_same_idempotency_key_creates_one_person(
    alice: Any, alice_api: ApiClient
) -> None:
    body = {"full_name": "Ada Quill", "emails": ["ada@example.org"]}
    first = alice_api.call("POST", "people", body, headers={"Idempotency-Key": "k-1"})
    again = alice_api.call("POST", "people", body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Person.objects.filter(owner=alice).count() == 1
    other = alice_api.call(
        "POST", "people", {"full_name": "Bart"}, headers={"Idempotency-Key": "k-1"}
    )
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Person.objects.filter(owner=alice).count() == 1


def test_a_failed_request_leaves_its_idempotency_key_free_for_the_corrected_retry(
    alice: Any, alice_api: ApiClient
) -> None:
    bad = alice_api.call(
        "POST", "people", {"full_name": "Ada", "emails": ["nope"]}, headers={"Idempotency-Key": "k"}
    )
    assert bad.status_code == 422
    good = alice_api.call(
        "POST",
        "people",
        {"full_name": "Ada", "emails": ["a@b.org"]},
        headers={"Idempotency-Key": "k"},
    )
    assert good.status_code == 201


def test_keys_are_per_account(alice_api: ApiClient, charlie_api: ApiClient) -> None:
    a = alice_api.call("POST", "people", {"full_name": "Ada"}, headers={"Idempotency-Key": "same"})
    c = charlie_api.call("POST", "people", {"full_name": "Cy"}, headers={"Idempotency-Key": "same"})
    assert a.status_code == c.status_code == 201 and a.json()["uuid"] != c.json()["uuid"]


@override_settings(CIRCLEBACK_API_RATE_PER_MINUTE=3)
def test_past_the_rate_limit_it_answers_429_with_retry_after(
    alice_api: ApiClient, charlie_api: ApiClient
) -> None:
    statuses = [alice_api.call("GET", "tags").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = alice_api.call("GET", "tags")
    assert limited["Content-Type"].startswith("application/problem+json")
    assert 1 <= int(limited["Retry-After"]) <= 60
    # Counted per token: another account's token is not held back.
    assert charlie_api.call("GET", "tags").status_code == 200


def test_the_counter_is_one_row_per_caller_and_minute_counted_in_the_database() -> None:
    assert count_request("token:x", now=120.0)[0] == 1
    assert count_request("token:x", now=150.0)[0] == 2
    count, left = count_request("token:x", now=181.0)  # the next minute starts again
    assert count == 1 and left == pytest.approx(59.0)
    assert RateCounter.objects.filter(bucket="token:x").count() == 2


def test_a_body_that_is_not_json_is_415_and_nul_characters_are_refused(
    alice_api: ApiClient,
) -> None:
    response = alice_api.client.post(
        "/api/v1/people",
        data="full_name=Ada",
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Bearer {alice_api.secret}",
    )
    assert response.status_code == 415
    nul = alice_api.call("POST", "people", {"full_name": "Ada\u0000"})
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "full_name"


def test_the_apps_own_pages_use_the_session_with_csrf(alice: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.get("/api/v1/people").status_code == 200
    refused = browser.post("/api/v1/people", {"full_name": "Ada"}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    browser.get("/settings/")  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    made = browser.post(
        "/api/v1/people",
        {"full_name": "Ada"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert made.status_code == 201


def test_an_unknown_address_under_the_api_is_a_problem_404(alice_api: ApiClient) -> None:
    response = alice_api.call("GET", "/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    wrong = alice_api.call("PUT", "people")
    assert wrong.status_code == 405 and "GET" in wrong["Allow"]


def test_organisations_page_by_cursor_targets_first(alice: Any, alice_api: ApiClient) -> None:
    from circleback.people.services.organisations import organisation_create

    for i in range(5):
        organisation_create(owner=alice, name=f"Org {i}", is_target=i % 2 == 0)
    seen, url = [], "organisations?limit=2"
    while url:
        body = alice_api.call("GET", url).json()
        seen += [(o["is_target"], o["name"]) for o in body["items"]]
        url = body["next"]
    assert seen == sorted(seen, key=lambda o: (not o[0], o[1])) and len(seen) == 5


def test_no_two_request_or_response_shapes_share_a_name() -> None:
    """The OpenAPI document names each shape once: two areas' `OpeningIn` would both be written
    as `#/components/schemas/OpeningIn`, and every client (and the fuzzer) would be sent the
    other area's fields. Same name, same shape, or a name of its own."""
    import json

    from ninja import Schema

    from circleback.api.root import api

    api.get_openapi_schema()  # every area's router is mounted and its schemas imported
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    stack = list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("circleback."):
            continue
        shape = json.dumps(cls.model_json_schema(), sort_keys=True)
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__][1] != shape:
            clashes.append(f"{seen[cls.__name__][0]} and {where}")
        seen.setdefault(cls.__name__, (where, shape))
    assert not clashes, "rename one of each: " + "; ".join(clashes)


def test_a_record_deleted_between_finding_and_locking_it_is_a_404_not_a_500(
    alice: Any, make_person: Any
) -> None:
    """Two requests at once: one finds the person, the other deletes them and commits, then
    the first locks the row. The first must answer as a GET would now (404)."""
    from django.http import Http404
    from django.test import RequestFactory

    from circleback.api.conditional import change_guarded

    person = make_person(alice, "Ada Quill")

    def fetch_then_lose_it() -> Person:
        found = Person.objects.get(pk=person.pk)
        Person.objects.filter(pk=person.pk).delete()  # the other request, committed
        return found

    changed: list[Person] = []
    with pytest.raises(Http404):
        change_guarded(
            RequestFactory().patch("/"),
            fetch=fetch_then_lose_it,
            show=lambda p: {"uuid": str(p.uuid)},
            change=changed.append,
        )
    assert changed == []
