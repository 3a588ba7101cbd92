"""/api/v1 interviews and follow-ups: each has a GET with an ETag, and cancelling or marking
done takes If-Match (412 when someone changed it since); the interview lists are cursor
pages with the CLI's filter (coming, or all)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from circleback.accounts.models import User
from circleback.jobs.models import FollowUp, Interview
from circleback.jobs.services import interview_schedule, opening_add
from circleback.jobs.tests.test_api import _api


def test_cancelling_an_interview_honours_if_match(alice: User, ada: Any, charlie: User) -> None:
    api = _api(alice)
    opening = opening_add(owner=alice, title="Analyst", organisation="Hooli")
    interview = interview_schedule(
        application=opening.application,
        scheduled_for=dt.datetime(2036, 1, 5, 9, tzinfo=dt.UTC),
        interviewers=[ada],
    )
    where = f"job-interviews/{interview.uuid}"
    read = api.call("GET", where)
    assert read.status_code == 200 and read.json()["status"] == "scheduled"
    assert _api(charlie).call("GET", where).status_code == 404
    Interview.objects.filter(pk=interview.pk).update(location="Room 4")  # moved meanwhile
    stale = api.call("POST", f"{where}/cancel", {}, {"If-Match": read["ETag"]})
    assert stale.status_code == 412
    assert Interview.objects.get(pk=interview.pk).status == "scheduled"
    fresh = api.call("GET", where)
    assert fresh.json()["location"] == "Room 4"
    cancelled = api.call("POST", f"{where}/cancel", {}, {"If-Match": fresh["ETag"]})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert cancelled["ETag"] == api.call("GET", where)["ETag"] != fresh["ETag"]


def test_marking_a_follow_up_done_honours_if_match(alice: User, ada: Any, frozen: Any) -> None:
    api = _api(alice)
    opening = opening_add(owner=alice, title="Analyst", organisation="Hooli")
    interview = interview_schedule(
        application=opening.application,
        scheduled_for=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC),
        interviewers=[ada],
    )
    follow_up = interview.follow_ups.get()
    where = f"job-follow-ups/{follow_up.uuid}"
    read = api.call("GET", where)
    assert read.status_code == 200 and read.json()["done_on"] is None
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=follow_up.due_on + dt.timedelta(1))
    stale = api.call("POST", f"{where}/done", {"note": "Sent"}, {"If-Match": read["ETag"]})
    assert stale.status_code == 412
    assert FollowUp.objects.get(pk=follow_up.pk).done_on is None
    fresh = api.call("GET", where)["ETag"]
    done = api.call("POST", f"{where}/done", {"note": "Sent"}, {"If-Match": fresh})
    assert done.status_code == 200 and done.json()["done"]["done_on"] is not None
    assert done.json()["done"] == api.call("GET", where).json()


def test_interview_lists_are_pages_with_the_clis_coming_or_all(
    alice: User, ada: Any, frozen: Any
) -> None:
    api = _api(alice)
    opening = opening_add(owner=alice, title="Analyst", organisation="Hooli")
    other = opening_add(owner=alice, title="Engineer", organisation="Initech")
    now = dt.datetime(2026, 11, 19, 12, tzinfo=dt.UTC)
    past, soon, later, elsewhere = (
        interview_schedule(application=o.application, scheduled_for=now + dt.timedelta(days=d))
        for o, d in ((opening, -3), (opening, 1), (opening, 5), (other, 2))
    )
    cancelled = interview_schedule(
        application=opening.application, scheduled_for=now + dt.timedelta(days=3)
    )
    api.call("POST", f"job-interviews/{cancelled.uuid}/cancel")

    def uuids(url: str) -> list[str]:
        found, next_url = [], url
        while next_url:
            page = api.call("GET", next_url).json()
            found += [i["uuid"] for i in page["items"]]
            next_url = page["next"]
        return found

    mine = f"openings/{opening.uuid}/interviews"
    assert uuids(f"{mine}?limit=2") == [
        str(i.uuid) for i in (past, soon, cancelled, later)
    ]  # all, soonest first (the default here, as before)
    assert uuids(f"{mine}?when=coming&limit=1") == [str(soon.uuid), str(later.uuid)]
    # Every opening's, coming by default, as `circleback job interviews`.
    assert uuids("job-interviews?limit=1") == [str(i.uuid) for i in (soon, elsewhere, later)]
    assert len(uuids("job-interviews?when=all")) == 5
    assert api.call("GET", "job-interviews?when=soon").status_code == 422
