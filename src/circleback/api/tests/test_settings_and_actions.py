"""Account and loop settings through the API; If-Match on POST actions that change a record a
client reads with an ETag; the favour balances a page at a time; links in the OpenAPI
document from what a request creates to reading it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from circleback.api.root import api
from circleback.api.tests.conftest import ApiClient
from circleback.loops.models import Lead, LoopSettings, Meeting

pytestmark = pytest.mark.django_db


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content[:800]
    return response.json()


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:800]
    assert response["Content-Type"].startswith("application/problem+json")
    return dict(response.json())


# --- settings -----------------------------------------------------------------------------


def test_it_reads_and_changes_the_accounts_profile(alice: Any, alice_api: ApiClient) -> None:
    read = alice_api.call("GET", "settings/account")
    assert ok(read)["username"] == alice.username
    changed = ok(
        alice_api.call(
            "PATCH",
            "settings/account",
            {"first_name": "Alice", "last_name": "Moss", "time_zone": "Europe/Paris"},
            {"If-Match": read["ETag"]},
        )
    )
    assert changed["time_zone"] == "Europe/Paris" and changed["first_name"] == "Alice"
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/Paris" and alice.sign_off() == "Alice Moss"
    problem(
        alice_api.call(
            "PATCH", "settings/account", {"mode": "employed"}, {"If-Match": read["ETag"]}
        ),
        412,
    )


def test_a_time_zone_is_checked_by_the_models_own_rule(alice: Any, alice_api: ApiClient) -> None:
    before = alice.time_zone
    body = problem(alice_api.call("PATCH", "settings/account", {"time_zone": "Mars/Olympus"}), 422)
    assert body["errors"][0]["field"] == "time_zone"
    assert "Europe/London" in body["errors"][0]["message"]  # the model's message, how to fix it
    alice.refresh_from_db()
    assert alice.time_zone == before


def test_changing_the_time_zone_moves_the_next_digest(alice: Any, alice_api: ApiClient) -> None:
    from circleback.reminders.models import DigestSettings

    DigestSettings.objects.create(
        owner=alice, enabled=True, hour=7, verified_email="a@example.org", next_at=timezone.now()
    )
    ok(alice_api.call("PATCH", "settings/account", {"time_zone": "Asia/Tokyo"}))
    moved = DigestSettings.objects.get(owner=alice).next_at
    assert moved is not None
    local = moved.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert (local.hour, local.minute) == (7, 0)


def test_it_reads_and_changes_when_loop_steps_fall_due(alice: Any, alice_api: ApiClient) -> None:
    read = alice_api.call("GET", "settings/loops")
    assert ok(read)["thank_you_hours"] == 24 and not LoopSettings.objects.exists()
    changed = ok(
        alice_api.call(
            "PATCH", "settings/loops", {"thank_you_hours": 48}, {"If-Match": read["ETag"]}
        )
    )
    assert changed["thank_you_hours"] == 48 and changed["lead_meet_days"] == 14
    assert LoopSettings.objects.get(user=alice).thank_you_hours == 48
    problem(
        alice_api.call(
            "PATCH", "settings/loops", {"thank_you_hours": 47}, {"If-Match": read["ETag"]}
        ),
        412,
    )
    body = problem(alice_api.call("PATCH", "settings/loops", {"check_back_days": 0}), 422)
    assert body["errors"][0]["field"] == "check_back_days"
    assert LoopSettings.objects.get(user=alice).check_back_days == 14


def test_one_accounts_settings_are_its_own(
    alice: Any, alice_api: ApiClient, charlie: Any, charlie_api: ApiClient
) -> None:
    ok(alice_api.call("PATCH", "settings/loops", {"lead_contact_days": 9}))
    ok(alice_api.call("PATCH", "settings/account", {"first_name": "Alice"}))
    assert ok(charlie_api.call("GET", "settings/loops"))["lead_contact_days"] == 3
    account = ok(charlie_api.call("GET", "settings/account"))
    assert account["username"] == charlie.username and account["first_name"] == ""


# --- If-Match on actions ------------------------------------------------------------------


def test_cancelling_a_meeting_honours_if_match(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    meeting = ok(
        alice_api.call(
            "POST",
            "meetings",
            {
                "person": str(ada.uuid),
                "scheduled_for": (timezone.now() + dt.timedelta(days=2)).isoformat(),
            },
        ),
        201,
    )
    read = alice_api.call("GET", f"meetings/{meeting['uuid']}")
    ok(alice_api.call("PATCH", f"meetings/{meeting['uuid']}", {"location": "Café"}))
    problem(
        alice_api.call(
            "POST", f"meetings/{meeting['uuid']}/cancel", {}, {"If-Match": read["ETag"]}
        ),
        412,
    )
    assert Meeting.objects.get(uuid=meeting["uuid"]).status == "scheduled"
    fresh = alice_api.call("GET", f"meetings/{meeting['uuid']}")["ETag"]
    cancelled = alice_api.call(
        "POST", f"meetings/{meeting['uuid']}/cancel", {}, {"If-Match": fresh}
    )
    assert ok(cancelled)["status"] == "cancelled"
    assert cancelled["ETag"] == alice_api.call("GET", f"meetings/{meeting['uuid']}")["ETag"]


def test_advancing_a_lead_honours_if_match(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    lead = ok(
        alice_api.call("POST", "leads", {"referrer": str(ada.uuid), "full_name": "Dana Lee"}), 201
    )
    read = alice_api.call("GET", f"leads/{lead['uuid']}")["ETag"]
    advanced = alice_api.call(
        "POST", f"leads/{lead['uuid']}/advance", {"to": "contacted"}, {"If-Match": read}
    )
    assert ok(advanced)["next_step"] is not None
    assert advanced["ETag"] == alice_api.call("GET", f"leads/{lead['uuid']}")["ETag"] != read
    before = Lead.objects.get(uuid=lead["uuid"]).steps.filter(done_at__isnull=True).count()
    problem(
        alice_api.call("POST", f"leads/{lead['uuid']}/advance", {"to": "met"}, {"If-Match": read}),
        412,
    )
    assert Lead.objects.get(uuid=lead["uuid"]).steps.filter(done_at__isnull=True).count() == before


# Actions under a record with an ETag that don't change what a GET of it shows, and why.
NOT_GUARDED = {
    "PUT /api/v1/people/{person_uuid}/snooze": "a snooze is not part of the person",
    "DELETE /api/v1/people/{person_uuid}/snooze": "a snooze is not part of the person",
    "POST /api/v1/people/{person_uuid}/reconnect": "creates a journal entry (Idempotency-Key)",
}


def test_every_action_on_a_record_with_an_etag_takes_if_match() -> None:
    """A record a client reads with an ETag (its PATCH or DELETE takes If-Match) is changed
    only by operations that take If-Match too: its POST actions (…/cancel, …/advance,
    …/merge, …/photo) and the PUTs that change it (…/cadence)."""
    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]

    def takes_if_match(operation: dict[str, Any]) -> bool:
        return "If-Match" in {p["name"] for p in operation.get("parameters", [])}

    versioned = {
        path
        for path, operations in paths.items()
        if "{" in path and any(takes_if_match(o) for m, o in operations.items() if m != "get")
    }
    assert {"/api/v1/people/{person_uuid}", "/api/v1/meetings/{meeting_uuid}"} <= versioned
    missing = [
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method, operation in operations.items()
        if method != "get"
        and path.rsplit("/", 1)[0] in versioned
        and not takes_if_match(operation)
        and f"{method.upper()} {path}" not in NOT_GUARDED
    ]
    assert missing == []


# --- paging and links ---------------------------------------------------------------------


def test_favour_balances_come_a_page_at_a_time_each_person_once(
    alice: Any, alice_api: ApiClient, make_person: Any
) -> None:
    from circleback.loops.services.favours import favour_log

    people = [make_person(alice, f"Person {i}") for i in range(5)]
    for i, person in enumerate(people):
        for _ in range(i):
            favour_log(owner=alice, person=person, direction="received", kind="advice")
        favour_log(owner=alice, person=person, direction="given", kind="advice")
    seen, url = [], "favours-balances?limit=2"
    while url:
        page = ok(alice_api.call("GET", url))
        assert len(page["items"]) <= 2
        seen += page["items"]
        url = page["next"]
    assert [r["person"]["full_name"] for r in seen] == [f"Person {i}" for i in range(4, -1, -1)]
    assert [r["net"] for r in seen] == [-3, -2, -1, 0, 1]


def test_what_a_request_creates_is_linked_to_reading_it() -> None:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    paths = schema["paths"]
    people = paths["/api/v1/people"]["post"]["responses"]["201"]
    link = people["links"]["GetPerson"]
    assert link["operationId"] == paths["/api/v1/people/{person_uuid}"]["get"]["operationId"]
    assert link["parameters"] == {"person_uuid": "$response.body#/uuid"}
    unlinked = []
    for path, operations in paths.items():
        created = operations.get("post", {}).get("responses", {}).get("201")
        readable = [
            p
            for p, ops in paths.items()
            if p.startswith(path + "/{") and p.count("/") == path.count("/") + 1 and "get" in ops
        ]
        if created and readable and not created.get("links"):
            unlinked.append(path)
    assert unlinked == []
