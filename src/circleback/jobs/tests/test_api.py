"""/api/v1/openings and /api/v1/job-stats: add, read, move on, the network, what worked;
bad values are a 422 naming the field with nothing written; another account gets 404."""

from __future__ import annotations

import datetime as dt
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


def test_an_opening_is_changed_under_if_match_and_a_stale_etag_is_refused(
    alice: User, ada: Any
) -> None:
    api = _api(alice)
    opening = opening_add(owner=alice, title="Analyst", organisation="Hooli")
    read = api.call("GET", f"openings/{opening.uuid}")
    etag = read["ETag"]
    changed = api.call(
        "PATCH",
        f"openings/{opening.uuid}",
        {"title": "Senior Analyst", "via": "referral", "through": str(ada.uuid)},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["title"] == "Senior Analyst" and body["through"]["full_name"] == "Ada Quill"
    assert changed["ETag"] != etag
    stale = api.call(
        "PATCH", f"openings/{opening.uuid}", {"notes": "lost"}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    people = api.call("GET", f"openings/{opening.uuid}/people").json()["items"]
    assert [(p["person"]["full_name"], p["role"]) for p in people] == [("Ada Quill", "referrer")]
    # Moving it on, adding someone or an interview changes what a GET shows: If-Match too.
    for path, body in (
        (f"openings/{opening.uuid}/advance", {"to": "applied"}),
        (f"openings/{opening.uuid}/people", {"person": str(ada.uuid), "role": "contact"}),
        (f"openings/{opening.uuid}/interviews", {"scheduled_for": "2036-01-05T09:00:00Z"}),
    ):
        assert api.call("POST", path, body, headers={"If-Match": etag}).status_code == 412, path
    fresh = changed["ETag"]
    moved = api.call(
        "POST", f"openings/{opening.uuid}/advance", {"to": "applied"}, headers={"If-Match": fresh}
    )
    assert moved.status_code == 200 and moved["ETag"] != fresh
    assert api.call("GET", f"openings/{opening.uuid}")["ETag"] == moved["ETag"]
    opening.refresh_from_db()
    assert opening.application.stage == "applied" and opening.application.people.count() == 1
    cleared = api.call("PATCH", f"openings/{opening.uuid}", {"deadline": None, "url": ""})
    assert cleared.status_code == 200 and cleared.json()["deadline"] is None
    bad = api.call("PATCH", f"openings/{opening.uuid}", {"via": "board", "through": str(ada.uuid)})
    assert bad.status_code == 422
    opening.refresh_from_db()
    assert (opening.title, opening.notes, opening.source) == ("Senior Analyst", "", "referral")
    assert opening.deadline is None


def test_people_interviews_and_follow_ups_through_the_api(
    alice: User, ada: Any, dana: Any, frozen: Any
) -> None:
    api = _api(alice)
    opening = opening_add(owner=alice, title="Analyst", organisation="Hooli")
    added = api.call(
        "POST",
        f"openings/{opening.uuid}/people",
        {"person": str(dana.uuid), "role": "hiring_manager"},
    )
    assert added.status_code == 201, added.content
    scheduled = api.call(
        "POST",
        f"openings/{opening.uuid}/interviews",
        {
            "scheduled_for": "2026-11-20T09:00:00+00:00",
            "kind": "onsite",
            "interviewers": [str(dana.uuid), str(ada.uuid)],
        },
    )
    assert scheduled.status_code == 201, scheduled.content
    interview = scheduled.json()
    assert {p["full_name"] for p in interview["interviewers"]} == {"Dana Hale", "Ada Quill"}
    listed = api.call("GET", f"openings/{opening.uuid}/interviews").json()["items"]
    assert [i["uuid"] for i in listed] == [interview["uuid"]]
    assert api.call("GET", "job-follow-ups").json()["items"] == []  # due tomorrow
    frozen.shift(dt.timedelta(days=1))
    due = api.call("GET", "job-follow-ups?due=today").json()["items"]
    assert sorted(f["person"]["full_name"] for f in due) == ["Ada Quill", "Dana Hale"]
    # Ada wasn't an interviewer after all: her part and her thank-you go.
    parts = api.call("GET", f"openings/{opening.uuid}/people").json()["items"]
    ada_part = next(p for p in parts if p["person"]["full_name"] == "Ada Quill")
    read = api.call("GET", f"openings/{opening.uuid}/people/{ada_part['uuid']}")
    assert read.status_code == 200 and read.json() == ada_part
    stale = api.call(
        "DELETE", f"openings/{opening.uuid}/people/{ada_part['uuid']}", headers={"If-Match": '"x"'}
    )
    assert stale.status_code == 412 and opening.application.people.filter(person=ada).exists()
    gone = api.call(
        "DELETE",
        f"openings/{opening.uuid}/people/{ada_part['uuid']}",
        headers={"If-Match": read["ETag"]},
    )
    assert gone.status_code == 200 and gone.json() == {"deleted": True}
    due = api.call("GET", "job-follow-ups").json()["items"]
    assert [f["person"]["full_name"] for f in due] == ["Dana Hale"]
    done = api.call("POST", f"job-follow-ups/{due[0]['uuid']}/done", {"note": "Sent"})
    assert done.status_code == 200 and done.json()["done"]["done_on"] == "2026-11-21"
    again = api.call("POST", f"job-follow-ups/{due[0]['uuid']}/done", {})
    assert again.status_code == 422
    cancelled = api.call("POST", f"job-interviews/{interview['uuid']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_the_person_it_came_through_is_changed_on_the_opening_not_removed(
    alice: User, ada: Any
) -> None:
    api = _api(alice)
    opening = opening_add(
        owner=alice, title="Analyst", organisation="Hooli", source="referral", source_person=ada
    )
    part = api.call("GET", f"openings/{opening.uuid}/people").json()["items"][0]
    refused = api.call("DELETE", f"openings/{opening.uuid}/people/{part['uuid']}")
    assert refused.status_code == 422
    assert "change where it came from" in refused.json()["errors"][0]["message"]
    assert opening.application.people.count() == 1


def test_another_accounts_people_interviews_and_follow_ups_are_not_found(
    alice: User, charlie: User, make_person: Any
) -> None:
    theirs = opening_add(owner=charlie, title="Secret", organisation="Umbrella")
    boss = make_person(charlie, "Wes Ker")
    from circleback.jobs.services import application_person_add, interview_schedule

    part = application_person_add(application=theirs.application, person=boss, role="contact")
    interview = interview_schedule(
        application=theirs.application,
        scheduled_for=dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC),
        interviewers=[boss],
    )
    follow_up = interview.follow_ups.get()
    mine = opening_add(owner=alice, title="Mine", organisation="Hooli")
    api = _api(alice)
    for method, path, body in (
        ("PATCH", f"openings/{theirs.uuid}", {"title": "Taken"}),
        ("GET", f"openings/{theirs.uuid}/people", None),
        ("POST", f"openings/{theirs.uuid}/people", {"person": str(boss.uuid), "role": "contact"}),
        ("GET", f"openings/{theirs.uuid}/people/{part.uuid}", None),
        ("GET", f"openings/{mine.uuid}/people/{part.uuid}", None),
        ("DELETE", f"openings/{theirs.uuid}/people/{part.uuid}", None),
        ("DELETE", f"openings/{mine.uuid}/people/{part.uuid}", None),
        ("GET", f"openings/{theirs.uuid}/interviews", None),
        ("POST", f"job-interviews/{interview.uuid}/cancel", None),
        ("POST", f"job-follow-ups/{follow_up.uuid}/done", {}),
    ):
        assert api.call(method, path, body).status_code == 404, (method, path)
    assert api.call("GET", "job-follow-ups?due=all").json()["items"] == []
    # Naming their person in my opening's body is my body's fault, not a way in.
    named = api.call(
        "POST", f"openings/{mine.uuid}/people", {"person": str(boss.uuid), "role": "contact"}
    )
    assert named.status_code == 422
    theirs.refresh_from_db()
    follow_up.refresh_from_db()
    interview.refresh_from_db()
    assert theirs.title == "Secret" and follow_up.done_on is None
    assert interview.status == "scheduled" and theirs.application.people.count() == 2
