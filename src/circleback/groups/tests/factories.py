"""A club of two (alice and bob) with charlie outside, and bob's people at Globex."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import time_machine

from circleback.accounts.models import User
from circleback.groups.models import BoardPost, Group, IntroRequest, Invitation, Opening
from circleback.groups.services import (
    board_post,
    group_create,
    intro_request_answer,
    intro_request_ask,
    invitation_create,
    member_add,
    opening_open,
)
from circleback.people.models import Organisation, Person
from circleback.people.services.organisations import organisation_create
from circleback.people.services.people import person_create


@dataclass
class Club:
    group: Group
    vera: Person  # bob's, opened by person
    quinn: Person  # bob's, at Globex, never opened
    sam: Person  # bob's, list A, opened with the list
    globex: Organisation  # alice's Globex (her target)


def club(alice: User, bob: User) -> Club:
    bob.first_name, bob.last_name = "Maya", "Rosen"
    bob.save()
    group = group_create(owner=alice, name="Thursday club")
    member_add(owner=alice, group=group, user=bob)
    bobs_globex = organisation_create(owner=bob, name="Globex Inc.")
    vera = person_create(
        owner=bob,
        full_name="Vera Holt",
        title="VP Engineering",
        organisation=bobs_globex,
        closeness=4,
        is_decision_maker=True,
        emails=["vera@globex.example"],
        phones=["+44 20 7946 0000"],
        notes="Private: divorcing, don't mention",
        contact_list="B",
    )
    quinn = person_create(
        owner=bob, full_name="Quinn Secret", organisation=bobs_globex, contact_list="B"
    )
    sam = person_create(
        owner=bob, full_name="Sam Okafor", organisation=bobs_globex, contact_list="A", title="Dev"
    )
    opening_open(owner=bob, group=group, person=vera, consent=True)
    opening_open(owner=bob, group=group, contact_list="A", consent=True, shows_closeness=False)
    globex = organisation_create(owner=alice, name="Globex", is_target=True)
    return Club(group, vera, quinn, sam, globex)


def many_posts(group: Group, owner: User, n: int) -> list[BoardPost]:
    """`n` open asks on the board, "Post 000" the first made; all made at one moment (freeze
    time around the call), so the board's order among them is the newest made first."""
    return BoardPost.objects.bulk_create(
        BoardPost(group=group, owner=owner, kind="ask", what="advice", text=f"Post {i:03}")
        for i in range(n)
    )


def many_requests(
    c: Club, seeker: User, member: User, n: int, state: str = "declined"
) -> list[IntroRequest]:
    """`n` answered requests from `seeker` to `member` about Vera, "Reason 000" the first
    made (freeze time around the call: the newest made is then the newest)."""
    return IntroRequest.objects.bulk_create(
        IntroRequest(
            group=c.group,
            seeker=seeker,
            member=member,
            person=c.vera,
            person_name=c.vera.full_name,
            reason=f"Reason {i:03}",
            state=state,
        )
        for i in range(n)
    )


def many_opened(c: Club, owner: User, n: int) -> list[Person]:
    """`n` of `owner`'s people on list A ("Listed 000" …), which bob opened to the club: so
    the club has n + 2 people opened (Sam Okafor and Vera Holt too), "Listed …" first."""
    return Person.objects.bulk_create(
        Person(owner=owner, full_name=f"Listed {i:03}", contact_list="A") for i in range(n)
    )


def many_invitations(group: Group, owner: User, n: int) -> list[Invitation]:
    """`n` invitation links to `group` made by `owner`, a minute apart up to now, oldest
    first; all still waiting."""
    made = []
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=n)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(n):
            made.append(invitation_create(owner=owner, group=group, days=30)[0])
            clock.shift(60)
    return made


def many_openings(group: Group, owner: User, n: int) -> list[Opening]:
    """`n` of `owner`'s people ("Opened 0000" …), each opened to `group` by itself, in that
    order."""
    people = Person.objects.bulk_create(
        Person(owner=owner, full_name=f"Opened {i:04}", contact_list="C") for i in range(n)
    )
    return Opening.objects.bulk_create(
        Opening(group=group, owner=owner, kind="person", person=p, consent="Asked each")
        for p in people
    )


def three_requests(c: Club, alice: User, bob: User) -> Person:
    """Alice asks bob about Vera, bob asks alice about Ola, alice asks bob about Sam, a day
    apart; bob declines the first. Returns Ola, alice's person she opened."""
    ola = person_create(owner=alice, full_name="Ola Opened", contact_list="B")
    opening_open(owner=alice, group=c.group, person=ola, consent=True)
    with time_machine.travel("2026-11-01 10:00Z", tick=False) as clock:
        for seeker, person in ((alice, c.vera), (bob, ola), (alice, c.sam)):
            intro_request_ask(
                owner=seeker, group=c.group, person_uuid=str(person.uuid), reason="Hi"
            )
            clock.shift(86400)
    intro_request_answer(
        owner=bob, request=IntroRequest.objects.get(person=c.vera), accept=False, answer="Sorry"
    )
    return ola


def four_posts(group: Group, owner: User, clock: time_machine.Traveller) -> dict[str, BoardPost]:
    """Posts "oldest", "second", "third" and "newest", a day apart on `clock`, asks and offers
    of three kinds of help; by their text."""
    posts = {}
    for text, kind, what in (
        ("oldest", "ask", "advice"),
        ("second", "offer", "article"),
        ("third", "ask", "mock_interview"),
        ("newest", "offer", "advice"),
    ):
        posts[text] = board_post(owner=owner, group=group, kind=kind, what=what, text=text)
        clock.shift(86400)
    return posts
