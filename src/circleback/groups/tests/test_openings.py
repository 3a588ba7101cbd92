from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from circleback.groups.models import Opening
from circleback.groups.queries import (
    get_membership_for,
    group_ways_in,
    opened_people,
    opened_to_group,
)
from circleback.groups.services import group_leave, opening_close, opening_open
from circleback.groups.tests.factories import club, four_posts
from circleback.people.services.people import person_create


def names(viewer, group=None) -> set[str]:
    return {p.full_name for p in opened_people(viewer=viewer, group=group)}


def test_it_shows_only_what_was_opened(alice, bob) -> None:
    club(alice, bob)
    assert names(alice) == {"Vera Holt", "Sam Okafor"}
    assert names(bob) == set()  # alice opened nothing


def test_an_outsider_sees_nothing_and_gets_404(alice, bob, charlie) -> None:
    c = club(alice, bob)
    assert names(charlie) == set()
    with pytest.raises(Http404):
        get_membership_for(charlie, c.group.uuid)
    with pytest.raises(Http404):
        get_membership_for(charlie, "Thursday club")
    assert group_ways_in(owner=charlie, organisation=c.globex) == []


def test_only_opened_fields_leave_the_record(alice, bob) -> None:
    c = club(alice, bob)
    seen = {p.name: p for p in opened_to_group(viewer=alice, group=c.group)}
    vera = seen["Vera Holt"].as_dict()
    assert set(vera) == {
        "uuid", "name", "organisation", "title", "closeness", "decision_maker",
        "member", "member_username", "group", "group_uuid",
    }  # fmt: skip
    assert vera["title"] == "VP Engineering" and vera["closeness"] == 4
    assert "globex.example" not in str(vera) and "divorcing" not in str(vera)
    assert seen["Sam Okafor"].closeness is None  # the list was opened without closeness


def test_a_list_is_resolved_when_read(alice, bob) -> None:
    c = club(alice, bob)
    person_create(owner=bob, full_name="Later Added", contact_list="A", if_exists="new")
    assert "Later Added" in names(alice, c.group)


def test_closing_a_person_open_through_a_list_keeps_them_closed(alice, bob) -> None:
    c = club(alice, bob)
    opening_close(owner=bob, group=c.group, person=c.sam)
    assert names(alice) == {"Vera Holt"}
    assert Opening.objects.filter(kind="except", person=c.sam).exists()
    opening_open(owner=bob, group=c.group, person=c.sam, consent=True)
    assert "Sam Okafor" in names(alice)


def test_closing_and_leaving_hide_at_once(alice, bob) -> None:
    c = club(alice, bob)
    opening_close(owner=bob, group=c.group, person=c.vera)
    assert names(alice) == {"Sam Okafor"}
    group_leave(owner=bob, group=c.group)
    assert names(alice) == set()
    assert not Opening.objects.filter(owner=bob).exists()


def test_opening_needs_consent_and_a_member(alice, bob, charlie, make_person) -> None:
    c = club(alice, bob)
    with pytest.raises(ValidationError, match="permission"):
        opening_open(owner=bob, group=c.group, person=c.quinn, consent=False)
    charlies = make_person(charlie, "Not Yours")
    with pytest.raises(Http404):
        opening_open(owner=charlie, group=c.group, person=charlies, consent=True)
    with pytest.raises(Http404):  # someone else's person
        opening_open(owner=alice, group=c.group, person=c.quinn, consent=True)
    with pytest.raises(ValidationError, match="A, B or C"):
        opening_open(owner=bob, group=c.group, contact_list="D", consent=True)


def test_a_tag_opens_its_people(alice, bob) -> None:
    c = club(alice, bob)
    person_create(owner=bob, full_name="Tagged One", tags=["fintech"], if_exists="new")
    opening_open(owner=bob, group=c.group, tag="fintech", consent=True)
    assert "Tagged One" in names(alice)
    opening_close(owner=bob, group=c.group, tag="FinTech")
    assert "Tagged One" not in names(alice)


def test_group_ways_in_match_the_organisation_by_name_and_rank(alice, bob) -> None:
    c = club(alice, bob)
    ways = group_ways_in(owner=alice, organisation=c.globex)
    assert [w.person.name for w in ways] == ["Vera Holt", "Sam Okafor"]
    assert ways[0].sentence == (
        "Maya Rosen (Thursday club) knows Vera Holt, VP Engineering at Globex Inc."
    )
    assert "Quinn" not in str([w.as_dict() for w in ways])


def test_group_ways_in_take_six_queries_whatever_the_size(
    alice, bob, charlie, django_assert_num_queries
) -> None:
    c = club(alice, bob)
    person_create(owner=bob, full_name="Tagged", organisation="Globex", tags=["x"], if_exists="new")
    opening_open(owner=bob, group=c.group, tag="x", consent=True)
    with django_assert_num_queries(6):
        small = group_ways_in(owner=alice, organisation=c.globex)
    from circleback.groups.services import member_add

    member_add(owner=alice, group=c.group, user=charlie)
    for n in range(5):
        person_create(
            owner=charlie, full_name=f"Third {n}", organisation="Globex", contact_list="B"
        )
    opening_open(owner=charlie, group=c.group, contact_list="B", consent=True)
    with django_assert_num_queries(6):
        big = group_ways_in(owner=alice, organisation=c.globex)
    assert len(big) == len(small) + 5


def _statements(viewer, group) -> tuple[int, list]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        seen = opened_to_group(viewer=viewer, group=group)
    return len(queries), seen


def test_the_opened_list_takes_the_same_statements_whatever_the_groups_size(alice, bob) -> None:
    """Set-based: no statement a person, a member or an opening."""
    from circleback.accounts.models import User
    from circleback.groups.services import member_add
    from circleback.people.services.tags import people_tag

    c = club(alice, bob)
    people_tag(owner=bob, person_ids=[c.quinn.pk], tag_names=["fintech"])
    opening_open(owner=bob, group=c.group, tag="fintech", consent=True)
    small, seen = _statements(alice, c.group)
    assert {p.name for p in seen} == {"Vera Holt", "Sam Okafor", "Quinn Secret"}
    for n in range(4):
        member = User.objects.create(username=f"member{n}")
        member_add(owner=alice, group=c.group, user=member)
        people = [
            person_create(
                owner=member,
                full_name=f"Person {n}-{k}",
                title="Analyst",
                closeness=3,
                contact_list="A" if k < 2 else "B",
            )
            for k in range(6)
        ]
        opening_open(owner=member, group=c.group, contact_list="B", consent=True)
        opening_open(owner=member, group=c.group, person=people[0], consent=True)
        people_tag(owner=member, person_ids=[people[1].pk], tag_names=["fintech"])
        opening_open(owner=member, group=c.group, tag="fintech", consent=True, shows_title=False)
        opening_close(owner=member, group=c.group, person=people[2])
    large, seen = _statements(alice, c.group)
    assert len(seen) == 3 + 4 * 5  # each member's six, less the one kept closed
    assert "Person 0-2" not in {p.name for p in seen}
    by_name = {p.name: p for p in seen}
    # open only by the tag, which keeps titles closed; by the list, which shows them
    assert (by_name["Person 3-1"].title, by_name["Person 3-1"].closeness) == ("", 3)
    assert (by_name["Person 3-3"].title, by_name["Person 3-3"].closeness) == ("Analyst", 3)
    assert large == small <= 5


def test_the_opened_list_has_every_person_in_one_total_order(alice, bob, charlie) -> None:
    """GIVEN two members who opened 230 people between them (past the 200 the group page
    used to stop at), one kept closed, WHEN alice reads the list a stretch at a time, THEN
    she gets each opened person once, by member then name, with only the opened fields; the
    count says how many; charlie, outside, has nothing to read."""
    from circleback.groups.queries import OPENED_ORDER, group_as_dict, opened_as, opened_list
    from circleback.groups.services import member_add
    from circleback.groups.tests.factories import many_opened

    c = club(alice, bob)
    member_add(owner=alice, group=c.group, user=charlie)
    many_opened(c, bob, 220)
    person_create(owner=charlie, full_name="Ann Early", title="CFO", contact_list="B")
    person_create(owner=charlie, full_name="Zed Late", contact_list="B")
    opening_open(owner=charlie, group=c.group, contact_list="B", consent=True, shows_title=False)
    kept = person_create(owner=bob, full_name="Kept Closed", contact_list="A")
    opening_close(owner=bob, group=c.group, person=kept)
    rows = opened_list(viewer=alice, group=c.group)
    assert [field for field, _ in OPENED_ORDER] == ["member_username", "full_name", "pk"]
    expected = (
        [f"Listed {n:03}" for n in range(220)]
        + ["Sam Okafor", "Vera Holt"]  # bob's
        + ["Ann Early", "Zed Late"]  # then charlie's
    )
    assert [p.full_name for p in rows] == expected
    assert rows.count() == 224
    membership = get_membership_for(alice, c.group.uuid)
    assert group_as_dict(membership, viewer=alice)["opened_count"] == 224
    stretches = [
        opened_to_group(viewer=alice, group=c.group, limit=100, offset=o) for o in (0, 100, 200)
    ]
    assert [p.name for s in stretches for p in s] == expected
    (ann,) = opened_as([rows[222]], viewer=alice, group_ids=[c.group.pk])
    assert (ann.name, ann.title, ann.member_username) == ("Ann Early", "", "charlie")
    # Charlie sees bob's, not his own; once he leaves, nothing at all.
    assert [p.full_name for p in opened_list(viewer=charlie, group=c.group)][-2:] == [
        "Sam Okafor",
        "Vera Holt",
    ]
    group_leave(owner=charlie, group=c.group)
    assert list(opened_list(viewer=charlie, group=c.group)) == []
    assert opened_list(viewer=alice, group=c.group).count() == 222  # his people went with him


def test_the_board_filters_narrow_its_one_order(alice, bob) -> None:
    """board_list takes the API's filters (kind, what, closed) and keeps BOARD_ORDER."""
    import time_machine

    from circleback.groups.queries import board_list
    from circleback.groups.services import board_close

    c = club(alice, bob)
    with time_machine.travel("2026-11-01 10:00Z", tick=False) as clock:
        posts = four_posts(c.group, alice, clock)
        board_close(owner=alice, post=posts["oldest"], helper=bob, thanks="Thanks")

    def texts(**filters: object) -> list[str]:
        return [p.text for p in board_list(group=c.group, **filters)]

    assert texts() == ["newest", "third", "second", "oldest"]
    assert texts(kind="ask") == ["third", "oldest"]
    assert texts(what="advice") == ["newest", "oldest"]
    assert texts(closed=False) == ["newest", "third", "second"]
    assert texts(closed=True, kind="ask") == ["oldest"]
    assert texts(kind="offer", what="mock_interview") == []
