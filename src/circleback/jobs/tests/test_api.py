"""/api/v1/openings and /api/v1/job-stats: add, read, move on, the network, what worked;
bad values are a 422 naming the field with nothing written; another account gets 404."""

from __future__ import annotations

from typing import Any

from circleback.accounts.models import User
from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient
from circleback.jobs.models import Opening
from circleback.jobs.services import opening_add


def _api(user: User) -> ApiClient:
    return ApiClient(token_create(owner=user, name=f"{user.username}-jobs").secret)


def test_an_opening_through_the_api_from_found_to_interviewing(
    alice: User, ada: Any, dana: Any, tie: Any
) -> None:
    api = _api(alice)
    created = api.call(
        "POST",
        "openings",
        {
            "title": "Data Analyst",
            "organization": "Hooli",
            "via": "referral",
            "through": str(ada.uuid),
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["stage"] == "found" and body["through"]["full_name"] == "Ada Quill"
    uuid = body["uuid"]
    network = api.call("GET", f"openings/{uuid}/network").json()
    assert [p["full_name"] for p in network["people_there"]] == ["Dana Hale"]
    assert network["ways_in"][0]["people"][0]["name"] == "Ada Quill"
    moved = api.call("POST", f"openings/{uuid}/advance", {"to": "applied"})
    assert moved.status_code == 200 and moved.json()["stage"] == "applied"
    listed = api.call("GET", "openings?stage=applied").json()
    assert [o["uuid"] for o in listed["items"]] == [uuid]
    stats = api.call("GET", "job-stats").json()
    assert stats["routes"][0]["applied"] == 1 and "too few" in stats["summary"]


def test_bad_values_are_refused_by_field_and_nothing_is_written(alice: User) -> None:
    api = _api(alice)
    refused = api.call("POST", "openings", {"title": "A", "organization": "Hooli", "url": "nope"})
    assert refused.status_code == 422
    assert any(e["field"] == "url" for e in refused.json()["errors"])
    odd = api.call("POST", "openings", {"title": "A", "organization": "Hooli", "via": "pigeon"})
    assert odd.status_code == 422
    assert not Opening.objects.exists()
    opening = opening_add(owner=alice, title="A", organisation="Hooli")
    early = api.call("POST", f"openings/{opening.uuid}/advance", {"to": "accepted"})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "to"


def test_another_accounts_openings_are_not_found(alice: User, charlie: User) -> None:
    theirs = opening_add(owner=charlie, title="Secret", organisation="Umbrella")
    api = _api(alice)
    for method, path, body in (
        ("GET", f"openings/{theirs.uuid}", None),
        ("GET", f"openings/{theirs.uuid}/network", None),
        ("POST", f"openings/{theirs.uuid}/advance", {"to": "applied"}),
    ):
        assert api.call(method, path, body).status_code == 404, path
    assert api.call("GET", "openings").json()["items"] == []
    assert api.call("GET", "job-stats").json()["openings"] == 0
    theirs.application.refresh_from_db()
    assert theirs.application.stage == "found"
