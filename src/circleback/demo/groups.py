"""The sample network's job club: three fellow members (each an account of their own on this
server, with a network of their own), what each opened to the club, a board with asks and
offers, and an introduction one of them asked of the owner — written through the groups
services, as the members' own clicks would make them.

The owner opens two of their own people (with their consent recorded) and asks for advice
on the board; nothing the club does adds people to the owner's network (a thank-you closed
on the board is between two other members), so the network's size stays what was asked for.
The fellow members' accounts can't sign in (no password, inactive), and the CLI never takes
one for the owner's when no --user is given: a single-user install stays single-user.
"""

from __future__ import annotations

import random

from circleback.accounts.models import User
from circleback.accounts.services import user_create
from circleback.demo.names import LEGAL_SUFFIXES
from circleback.groups.models import BoardPost, IntroRequest, Membership
from circleback.groups.queries import opened_people
from circleback.groups.services import (
    board_close,
    board_post,
    group_create,
    intro_request_ask,
    member_add,
    opening_open,
)
from circleback.people.models import ContactList, Organisation, Person
from circleback.people.services.people import person_create
from circleback.people.services.tags import people_tag

CLUB = "Thursday job club"
DESCRIPTION = (
    "Job seekers who meet on Thursdays at the library: we share leads, open our networks to "
    "each other and practise interviews."
)
MEMBERS = (
    ("maya", "Maya", "Rosen"),  # the organiser
    ("jonas", "Jonas", "Weber"),
    ("aisha", "Aisha", "Khan"),
)
# Each member's own people: (name, title, decision maker). The first few work at the
# owner's target organisations (spelled the member's own way), the rest elsewhere.
_PEOPLE = {
    "maya": (
        ("Vera Holt", "VP Engineering", True),
        ("Ravi Shah", "Staff Engineer", False),
        ("Lena Fischer", "Head of Talent", True),
        ("Tom Becker", "Product Designer", False),
    ),
    "jonas": (
        ("Grace Liu", "Director of Data", True),
        ("Omar Haddad", "Senior Analyst", False),
        ("Nina Petrova", "Recruiter", False),
    ),
    "aisha": (
        ("Daniel Okoro", "CTO", True),
        ("Sara Lindqvist", "Engineering Manager", True),
        ("Ben Carter", "Platform Engineer", False),
    ),
}
_ELSEWHERE = ("Northwind Traders", "Contoso", "Fabrikam")


def demo_group(*, owner: User, seed: int = 1) -> dict[str, int]:
    """The club, unless the owner is in one of that name already (a second demo with
    --force) or the network has no target and too few career contacts to open; how many
    members, people open to the owner, board posts and requests the owner now has."""
    rng = random.Random(seed)
    if Membership.objects.filter(owner=owner, group__name__iexact=CLUB).exists():
        return _counts(owner)
    targets = list(
        Organisation.objects.filter(owner=owner, is_target=True).order_by("priority", "pk")[:3]
    )
    career = list(
        Person.objects.filter(owner=owner, contact_list=ContactList.B).order_by("pk")[:40]
    )
    if not targets or len(career) < 2:
        return _counts(owner)
    rng.shuffle(career)
    members = {key: _account(owner, key, first, last) for key, first, last in MEMBERS}
    maya, jonas, aisha = members["maya"], members["jonas"], members["aisha"]
    group = group_create(owner=maya, name=CLUB, description=DESCRIPTION)
    for member in (jonas, aisha, owner):
        member_add(owner=maya, group=group, user=member)

    # Each member's people: some at the owner's targets (so the club shows ways in there).
    for key, rows in _PEOPLE.items():
        member = members[key]
        for n, (name, title, decides) in enumerate(rows):
            where = targets[n % len(targets)].name if n < 2 else _ELSEWHERE[n % len(_ELSEWHERE)]
            if key == "aisha" and n < 2 and not where.endswith(tuple(filter(None, LEGAL_SUFFIXES))):
                where += " Inc."  # spelled her own way: still the same organisation
            person_create(
                owner=member,
                full_name=name,
                title=title,
                organisation=where,
                is_decision_maker=decides,
                closeness=rng.randint(2, 5),
                contact_list=ContactList.C if decides else ContactList.B,
                if_exists="new",
            )
    # What each opened: a whole list, a tag and one person, two people (one without closeness).
    opening_open(owner=maya, group=group, contact_list="C", consent=True)
    opening_open(owner=maya, group=group, contact_list="B", consent=True, shows_closeness=False)
    jonas_people = list(Person.objects.filter(owner=jonas).order_by("pk"))
    people_tag(owner=jonas, person_ids=[jonas_people[0].pk], tag_names=["data"])
    opening_open(owner=jonas, group=group, tag="data", consent=True)
    opening_open(owner=jonas, group=group, person=jonas_people[1], consent=True)
    for person in Person.objects.filter(owner=aisha).order_by("pk")[:2]:
        opening_open(owner=aisha, group=group, person=person, consent=True)
    # The owner opens two career contacts, one of them without their closeness.
    opening_open(owner=owner, group=group, person=career[0], consent=True)
    opening_open(owner=owner, group=group, person=career[1], consent=True, shows_closeness=False)

    # The board: an ask and an offer open, one ask closed with thanks, the owner's own ask.
    board_post(
        owner=jonas,
        group=group,
        kind="ask",
        what="mock_interview",
        text="A mock interview for a product analyst role next Tuesday: 30 minutes?",
    )
    board_post(
        owner=aisha,
        group=group,
        kind="offer",
        what="article",
        text="The salary negotiation guide that got me 8% more: happy to send it.",
    )
    helped = board_post(
        owner=jonas,
        group=group,
        kind="ask",
        what="advice",
        text="How do I follow up after a referral went quiet?",
    )
    board_close(owner=jonas, post=helped, helper=maya, thanks="Sent the note you suggested.")
    board_post(
        owner=owner,
        group=group,
        kind="ask",
        what="introduction",
        text=f"Anyone who knows someone at {targets[0].name}? Happy to return the favour.",
    )
    # An introduction Jonas asks of the owner, waiting on the owner's loops page.
    intro_request_ask(
        owner=jonas,
        group=group,
        person_uuid=str(career[0].uuid),
        reason=(
            f"I'm moving into analytics and would value 20 minutes of {career[0].full_name}'s "
            "advice on how their team hires."
        ),
    )
    return _counts(owner)


def _account(owner: User, key: str, first: str, last: str) -> User:
    """A fellow member's account, named after the owner's (usernames are the server's):
    found again on a second demo, else made as one no one signs in to."""
    username = f"{owner.get_username()}-club-{key}"[:150]
    found = User.objects.filter(username__iexact=username).first()
    if found is not None:
        return found
    return user_create(
        username=username, password="", full_name=f"{first} {last}", can_sign_in=False
    )


def _counts(owner: User) -> dict[str, int]:
    groups = Membership.objects.filter(owner=owner).values("group_id")
    return {
        "group_members": Membership.objects.filter(group_id__in=groups).count(),
        "opened_to_you": opened_people(viewer=owner).count(),
        "board_posts": BoardPost.objects.filter(group_id__in=groups).count(),
        "group_requests": IntroRequest.objects.filter(member=owner, state="asked").count(),
    }
