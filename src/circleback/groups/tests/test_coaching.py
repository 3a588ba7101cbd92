"""The coach's side: only the parts granted, every look in the member's log, and the
dashboard flagging the drive-through pattern — members who went quiet after landing a job,
and members who only ask."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from circleback.accounts.models import User
from circleback.groups.coaching import coach_dashboard, coach_member_view, view_log
from circleback.groups.services import board_post, coach_grant, member_add
from circleback.groups.tests.factories import club
from circleback.journal.services import interaction_log
from circleback.loops.services.favours import favour_log
from circleback.ops import clock

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def _member(name: str, group, alice, *, mode: str = User.Mode.JOB_SEARCHING) -> User:
    user = User.objects.create(username=name, mode=mode)
    member_add(owner=alice, group=group, user=user)
    coach_grant(owner=user, coach=alice, group=group, parts=["journal", "loops"])
    return user


def test_the_dashboard_flags_who_went_quiet_after_a_job_and_who_only_asks(
    alice, bob, make_person
) -> None:
    c = club(alice, bob)
    with clock.at(NOW):
        landed = _member("landed", c.group, alice, mode=User.Mode.EMPLOYED)
        interaction_log(owner=landed, summary="Offer call", occurred_at=NOW - dt.timedelta(60))
        taker = _member("taker", c.group, alice)
        interaction_log(owner=taker, summary="Coffee", occurred_at=NOW - dt.timedelta(2))
        helper = make_person(taker, "Helpful Hana")
        for _ in range(2):
            favour_log(owner=taker, person=helper, direction="received", kind="advice")
        board_post(owner=taker, group=c.group, kind="ask", what="introduction", text="Anyone?")
        steady = _member("steady", c.group, alice, mode=User.Mode.EMPLOYED)
        interaction_log(owner=steady, summary="Lunch", occurred_at=NOW - dt.timedelta(3))
        friend = make_person(steady, "Fair Fred")
        for _ in range(3):
            favour_log(owner=steady, person=friend, direction="received", kind="advice")
        favour_log(owner=steady, person=friend, direction="given", kind="advice")
        with CaptureQueriesContext(connection) as statements:
            rows = {c.username: c for c in coach_dashboard(coach=alice)}
        # the same statements for three members as for thirty: one aggregate a measure
        more = [_member(f"m{n}", c.group, alice) for n in range(6)]
        with CaptureQueriesContext(connection) as again:
            assert len(coach_dashboard(coach=alice)) == 3 + len(more)
    assert len(again) == len(statements)
    assert rows["landed"].flags == ["went quiet after landing a job"]
    assert rows["taker"].flags == ["only asks: nothing given back yet"]
    assert rows["steady"].flags == []
    assert (rows["steady"].entries_30d, rows["landed"].entries_30d) == (1, 0)
    page = Client()
    page.force_login(alice)
    text = page.get("/groups/coaching/").content.decode()
    assert "went quiet after landing a job" in text and "only asks" in text


def test_a_coach_sees_only_the_parts_granted_and_each_look_is_logged(alice, bob, charlie) -> None:
    c = club(alice, bob)
    interaction_log(owner=bob, summary="Met Vera", notes="Private: she is leaving Globex")
    coach_grant(owner=bob, coach=alice, group=c.group, parts=["goals", "journal"])
    view = coach_member_view(coach=alice, username="bob")
    assert view.parts == ["goals", "journal"]
    assert view.agenda is None and view.health is None and view.loops is None
    assert [title for _when, _kind, title in view.journal or []] == ["Met Vera"]
    assert "leaving Globex" not in str(view.as_dict())  # titles, never notes
    assert sorted(v.part for v in view_log(owner=bob)) == ["goals", "journal"]
    assert view_log(owner=alice) == [] and view_log(owner=charlie) == []
