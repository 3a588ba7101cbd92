from __future__ import annotations

import datetime as dt

import time_machine

from circleback.insights.queries.agenda import agenda_for, reconnects_due, suggested_gives
from circleback.insights.services import person_snooze
from circleback.insights.tests.conftest import at, contact
from circleback.loops.models import Favour
from circleback.loops.services import (
    favours,
    introductions,
    leads,
    meetings,
    shares,
)

NOW = at(2026, 11, 20, 10)


def _names(reconnects):
    return [r.person.full_name for r in reconnects]


def test_reconnects_interleave_strong_and_weak_ties_by_overdue_ratio(alice, added):
    long_ago = at(2025, 1, 1)
    inner = added(alice, "Ida Inner", long_ago, contact_list="B", closeness=5)
    ben = added(alice, "Ben B", long_ago, contact_list="B", closeness=3)
    added(alice, "Cat C", long_ago, contact_list="C", closeness=1)  # never contacted
    ann = added(alice, "Ann A", long_ago, contact_list="A", closeness=2)
    fresh = added(alice, "Fay Fresh", long_ago, contact_list="B", closeness=3)
    sleepy = added(alice, "Sam Snoozed", long_ago, contact_list="B", closeness=4)
    contact(alice, inner, NOW - dt.timedelta(days=40))  # 40 / 30 = 1.33
    contact(alice, ben, NOW - dt.timedelta(days=90))  # 90 / 60 = 1.5
    contact(alice, ann, NOW - dt.timedelta(days=100))  # 100 / 90 = 1.11
    contact(alice, fresh, NOW - dt.timedelta(days=10))  # not due
    contact(alice, sleepy, NOW - dt.timedelta(days=200))
    with time_machine.travel(NOW, tick=False):
        person_snooze(owner=alice, person=sleepy, until=dt.date(2026, 12, 1))
        found = reconnects_due(alice)

    # Strong queue: Ben, Ida. Weak queue: Cat (dormant > a year, ratio doubled), Ann.
    assert _names(found) == ["Ben B", "Cat C", "Ida Inner", "Ann A"]
    assert found[1].never_contacted and found[1].weak
    assert found[1].reason.startswith("Added 688 days ago")
    assert "90 days since you were last in touch (every 60 days)" in found[0].reason


def test_a_contact_years_ago_reads_as_a_month_not_thousands_of_days(alice, added):
    """After a first LinkedIn import, Today said "2193 days since you were last in touch"."""
    old = added(alice, "Dmitri Volkov", at(2019, 1, 1), contact_list="B", closeness=2)
    contact(alice, old, at(2020, 12, 1, 12))
    with time_machine.travel(NOW, tick=False):
        found = reconnects_due(alice)
    assert found[0].reason == "Last in touch in December 2020 (every 60 days)"


def test_a_weak_tie_gets_a_turn_even_when_the_inner_circle_is_more_overdue(alice, added):
    long_ago = at(2025, 1, 1)
    for index in range(8):
        friend = added(alice, f"Friend {index}", long_ago, contact_list="A", closeness=5)
        contact(alice, friend, NOW - dt.timedelta(days=300 + index))
    weak = added(alice, "Wendy Weak", long_ago, contact_list="B", closeness=1)
    contact(alice, weak, NOW - dt.timedelta(days=61))
    with time_machine.travel(NOW, tick=False):
        found = reconnects_due(alice)
    assert len(found) == 6
    assert _names(found)[1] == "Wendy Weak"


def test_a_snooze_ends_and_the_person_is_due_again(alice, added):
    ben = added(alice, "Ben B", at(2025, 1, 1), contact_list="B", closeness=3)
    with time_machine.travel(NOW, tick=False):
        person_snooze(owner=alice, person=ben, until=dt.date(2026, 11, 25))
        assert reconnects_due(alice) == []
    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        assert _names(reconnects_due(alice)) == ["Ben B"]


def test_reconnects_are_the_owners_only(alice, charlie, added):
    added(charlie, "Carl Other", at(2025, 1, 1), contact_list="B", closeness=3)
    with time_machine.travel(NOW, tick=False):
        assert reconnects_due(alice) == []


def test_an_introduction_is_suggested_between_people_with_a_shared_interest(alice, added):
    ada = added(alice, "Ada Quill", at(2025, 1, 1), closeness=3, tags=["fintech"], organisation="A")
    bart = added(alice, "Bart N", at(2025, 1, 1), closeness=4, tags=["fintech"], organisation="B")
    added(alice, "Cleo Colleague", at(2025, 1, 1), closeness=4, tags=["golf"], organisation="B")
    for person in (ada, bart):
        contact(alice, person, NOW - dt.timedelta(days=5))
    with time_machine.travel(NOW, tick=False):
        gives = suggested_gives(alice)
    assert [g.kind for g in gives] == ["introduction"]
    assert gives[0].title == "Introduce Ada Quill and Bart N"
    assert "fintech" in gives[0].reason

    # Already introduced (or proposed): no longer suggested.
    with time_machine.travel(NOW, tick=False):
        introductions.introduction_make(owner=alice, person_x=bart, person_y=ada, reason="fintech")
        assert suggested_gives(alice) == []


def test_a_recent_share_is_suggested_for_someone_who_follows_its_topic(alice, added):
    ada = added(alice, "Ada Quill", at(2025, 1, 1), closeness=3, tags=["Fintech"])
    bart = added(alice, "Bart N", at(2025, 1, 1), closeness=3, tags=["fintech"])
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        shares.share_log(owner=alice, people=[ada], title="State of fintech", topics="fintech")
    with time_machine.travel(NOW, tick=False):
        gives = suggested_gives(alice)
    assert gives[0].kind == "share"
    assert gives[0].people == [bart]
    assert gives[0].title == "Pass “State of fintech” on to Bart N"


def test_introductions_check_the_days_pairs_in_one_lookup_whatever_the_day(alice, added):
    """Ten people share an interest and all but two of them already know each other: the
    day decides where the search for a pair starts, but not how many queries it takes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from circleback.insights.queries.agenda import _introduction_gives
    from circleback.people.services.ties import tie_set

    group = [
        added(alice, f"Fin {n}", at(2025, 1, 1), closeness=3, tags=["fintech"]) for n in range(10)
    ]
    for person in group:
        contact(alice, person, NOW - dt.timedelta(days=5))
    for a, first in enumerate(group):
        for second in group[a + 1 :]:
            if {first.full_name, second.full_name} != {"Fin 7", "Fin 8"}:
                tie_set(owner=alice, person=first, other=second)
    counts = set()
    for day in range(20):
        with CaptureQueriesContext(connection) as queries:
            gives = _introduction_gives(alice, NOW.date() + dt.timedelta(days=day), 2)
        counts.add(len(queries))
        assert [g.title for g in gives] == ["Introduce Fin 7 and Fin 8"]
    # The pool, its tags, its introductions, its ties, the two people: on every day.
    assert counts == {5}


def test_a_share_everyone_following_it_already_got_gives_way_to_an_older_one(alice, added):
    ada = added(alice, "Ada Quill", at(2025, 1, 1), closeness=3, tags=["fintech"])
    bart = added(alice, "Bart N", at(2025, 1, 1), closeness=3, tags=["Fintech"])
    cleo = added(alice, "Cleo Golf", at(2025, 1, 1), closeness=3, tags=["golf", "fintech"])
    dan = added(alice, "Dan Golf", at(2025, 1, 1), closeness=3, tags=["golf"])
    contact(alice, dan, NOW - dt.timedelta(days=2))  # in touch lately: Cleo's turn first
    with time_machine.travel(NOW - dt.timedelta(days=9), tick=False):
        shares.share_log(owner=alice, people=[ada], title="Golf days", topics="Golf")
    for n in range(4):
        with time_machine.travel(NOW - dt.timedelta(days=8 - n), tick=False):
            shares.share_log(
                owner=alice, people=[ada, bart, cleo], title=f"Fintech {n}", topics="fintech"
            )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        gives = suggested_gives(alice, limit=1)
    assert [(g.title, g.people) for g in gives] == [("Pass “Golf days” on to Cleo Golf", [cleo])]
    # The new roles to congratulate, the shares, who got them, the followers of all their
    # topics (as ids) and the one picked: not a query a share.
    assert len(queries) == 5


def test_the_agenda_reads_loops_meetings_and_thank_yous_in_order(alice, added):
    ada = added(alice, "Ada Quill", at(2025, 1, 1), closeness=3, contact_list="B")
    bart = added(alice, "Bart N", at(2025, 1, 1), closeness=3, contact_list="B")
    cleo = added(alice, "Cleo C", at(2025, 1, 1), closeness=3, contact_list="B")
    dan = added(alice, "Dan D", at(2025, 1, 1), closeness=3, contact_list="B")
    with time_machine.travel(at(2026, 11, 1), tick=False):
        leads.lead_create(owner=alice, referrer=ada, referred=bart, about="a role in payments")
    with time_machine.travel(NOW - dt.timedelta(hours=1), tick=False):
        favours.favour_log(owner=alice, person=cleo, direction=Favour.Direction.RECEIVED)
        meetings.meeting_schedule(owner=alice, person=dan, scheduled_for=at(2026, 11, 20, 15))
        meetings.meeting_schedule(owner=alice, person=ada, scheduled_for=at(2026, 11, 21, 15))
    with time_machine.travel(NOW, tick=False):
        agenda = agenda_for(alice)

    assert [i.title for i in agenda.loops_overdue] == ["Contact Bart N"]
    step = agenda.loops_overdue[0]
    assert step.actions[0].url.endswith("/done/") and step.actions[0].method == "post"
    assert step.actions[-1].method == "get" and step.actions[-1].url.endswith("/snooze/")
    assert [i.person_name for i in agenda.thank_yous] == ["Cleo C"]
    assert agenda.thank_yous[0].actions[0].fields == {"how": "email"}
    assert [i.title for i in agenda.meetings] == ["15:00 Meeting with Dan D"]
    assert agenda.meetings[0].url.startswith("/meetings/")
    assert not agenda.is_empty


def test_the_agenda_shows_the_first_ten_of_each_loop_section_as_loops_lists_them(alice, added):
    """GIVEN twelve overdue follow-ups and twelve thank-yous, whose due dates interleave
    WHEN the agenda reads both sections in one query
    THEN each is what loops' own lists give: the ten most overdue other than thank-yous,
    and the first ten thank-yous (oldest loop first)."""
    from circleback.loops import queries as loop_queries

    people = [
        added(alice, f"Person {i:02}", at(2025, 1, 1), closeness=3, contact_list="B")
        for i in range(13)
    ]
    for i in range(12):
        with time_machine.travel(at(2026, 10, 1 + 2 * i), tick=False):
            leads.lead_create(
                owner=alice, referrer=people[i], referred=people[i + 1], about="a role"
            )
        with time_machine.travel(at(2026, 10, 2 + 2 * i), tick=False):
            favours.favour_log(owner=alice, person=people[i], direction=Favour.Direction.RECEIVED)
    with time_machine.travel(NOW, tick=False):
        agenda = agenda_for(alice)
        overdue = loop_queries.open_loops(owner=alice, overdue_only=True, limit=20)
        thank_yous = loop_queries.thank_yous_owed(owner=alice, limit=10)

    expected = [(i.title, i.person.full_name) for i in overdue if not i.is_thank_you][:10]
    assert [(i.title, i.person_name) for i in agenda.loops_overdue] == expected
    assert len(expected) == 10
    assert [i.person_name for i in agenda.thank_yous] == [i.person.full_name for i in thank_yous]
    assert len(thank_yous) == 10


def test_an_empty_network_has_an_empty_agenda(alice):
    with time_machine.travel(NOW, tick=False):
        agenda = agenda_for(alice)
    assert agenda.is_empty
    assert agenda.today == dt.date(2026, 11, 20)


def test_the_agendas_loop_steps_read_as_loops_reads_them_in_one_query(alice, added):
    # The agenda reads only the columns loops' descriptions use (sources._AGENDA_STEP_FIELDS):
    # one left out would be read per step. Every kind of step, and every row a step points at
    # (meeting, favour, lead and its organisation, introduction, the other person), is read
    # here as loops itself reads it, whole.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from circleback.insights import sources
    from circleback.loops.queries import open_loops

    start = at(2026, 9, 1)
    ada = added(alice, "Ada Lovelace", start, organisation="Analytical Engines")
    bob = added(alice, "Bob Babbage", start, organisation="Difference Ltd")
    cy = added(alice, "Cy Clerk", start)
    with time_machine.travel(start, tick=False):
        meetings.meeting_schedule(
            owner=alice, person=ada, scheduled_for=start + dt.timedelta(days=1)
        )
        favours.favour_log(
            owner=alice, person=bob, direction="received", kind="advice", note="Read my CV."
        )
        leads.lead_create(
            owner=alice, referrer=ada, referred=cy, about="the data team", organisation="Hooli"
        )
        introductions.introduction_make(
            owner=alice, person_x=bob, person_y=cy, reason="Both build compilers"
        )
        introductions.name_give(owner=alice, helped=cy, name=ada)
        introductions.introduction_request(
            owner=alice, via=bob, target=ada, organisation="Initech", note="Asked at lunch."
        )
    with time_machine.travel(NOW, tick=False):
        expected = {(i.title, i.context) for i in open_loops(owner=alice)}
        with CaptureQueriesContext(connection) as captured:
            overdue, thanks = sources.agenda_loop_steps(alice, limit=20)
    shown = {(item.title, item.detail) for item in overdue + thanks}
    assert len(captured) == 1, [q["sql"] for q in captured.captured_queries]
    assert len(shown) >= 6 and shown <= expected, (shown, expected)
    assert all(title and detail for title, detail in shown), shown
