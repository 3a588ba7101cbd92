"""The introduction requests' reads, which the requests page, `group requests` and
GET /group-requests share: which way, which state, in which order; another account's are
never among them."""

from __future__ import annotations

import time_machine

from circleback.groups.queries import (
    ASKED_OF_YOU,
    YOU_ASKED,
    request_order,
    requests_of,
    requests_sent,
    requests_to_answer,
)
from circleback.groups.services import (
    intro_request_answer,
    intro_request_ask,
    member_add,
)
from circleback.groups.tests.factories import club, many_requests, three_requests


def people(rows) -> list[str]:
    return [r.person_name for r in rows]


def test_it_narrows_by_direction_and_state_newest_first(alice, bob) -> None:
    c = club(alice, bob)
    three_requests(c, alice, bob)
    assert people(request_order(requests_of(owner=alice))) == [
        "Sam Okafor",
        "Ola Opened",
        "Vera Holt",
    ]
    assert people(request_order(requests_of(owner=alice, direction=ASKED_OF_YOU))) == ["Ola Opened"]
    assert people(request_order(requests_of(owner=alice, direction=YOU_ASKED))) == [
        "Sam Okafor",
        "Vera Holt",
    ]
    assert people(request_order(requests_of(owner=alice, state="declined"))) == ["Vera Holt"]
    assert people(request_order(requests_of(owner=bob, direction=ASKED_OF_YOU, state="asked"))) == [
        "Sam Okafor"
    ]


def test_requests_made_at_one_moment_keep_one_order(alice, bob) -> None:
    """The newest made first, so a page never repeats or skips one."""
    c = club(alice, bob)
    with time_machine.travel("2026-11-01 10:00Z", tick=False):
        made = many_requests(c, alice, bob, 5)
    expected = [r.pk for r in reversed(made)]
    assert [r.pk for r in request_order(requests_of(owner=alice))] == expected
    assert [r.pk for r in requests_sent(owner=alice)] == expected
    assert [r.pk for r in requests_to_answer(owner=bob)] == expected


def test_requests_to_answer_put_those_waiting_first(alice, bob, charlie) -> None:
    """GIVEN bob was asked about Sam first, then about Vera by charlie, who then left — which
    withdraws his request — and a third time, answered since, WHEN bob reads what he was
    asked, THEN the one still waiting comes first, whatever the others' states spell (it
    used to sort by the state's letters, backwards: "withdrawn" and "declined" before
    "asked")."""
    from circleback.groups.services import group_leave

    c = club(alice, bob)
    member_add(owner=alice, group=c.group, user=charlie)
    with time_machine.travel("2026-11-01 10:00Z", tick=False) as clock:
        intro_request_ask(owner=alice, group=c.group, person_uuid=str(c.sam.uuid), reason="1")
        clock.shift(86400)
        intro_request_ask(owner=charlie, group=c.group, person_uuid=str(c.vera.uuid), reason="2")
        clock.shift(86400)
        answered = intro_request_ask(
            owner=alice, group=c.group, person_uuid=str(c.vera.uuid), reason="3"
        )
    group_leave(owner=charlie, group=c.group)
    intro_request_answer(owner=bob, request=answered, accept=False, answer="Not now")
    assert [(r.reason, r.state) for r in requests_to_answer(owner=bob)] == [
        ("1", "asked"),
        ("3", "declined"),
        ("2", "withdrawn"),
    ]


def test_it_shows_no_one_else_s_requests(alice, bob, charlie) -> None:
    c = club(alice, bob)
    three_requests(c, alice, bob)
    for direction in (None, ASKED_OF_YOU, YOU_ASKED):
        assert not requests_of(owner=charlie, direction=direction).exists()
    assert not requests_to_answer(owner=charlie).exists()
    assert not requests_sent(owner=charlie).exists()
