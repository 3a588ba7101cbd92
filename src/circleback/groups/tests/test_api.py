"""/api/v1 groups: members see only opened fields; closed people and revoked grants are gone
at once; another account gets 404 (the walk over every endpoint covers that too)."""

from __future__ import annotations

from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient
from circleback.groups.models import IntroRequest
from circleback.groups.services import (
    coach_grant,
    opening_close,
    opening_open,
)
from circleback.groups.tests.factories import club, many_opened, three_requests
from circleback.loops.models import Lead
from circleback.people.services.people import person_create


def api(user) -> ApiClient:
    """A client with a new token of the user's (each call its own, as several programs)."""
    import uuid

    return ApiClient(token_create(owner=user, name=f"t-{uuid.uuid4().hex[:12]}").secret)


def test_a_member_reads_the_group_and_its_ways_in(alice, bob, charlie) -> None:
    c = club(alice, bob)
    client = api(alice)
    group = client.call("GET", f"groups/{c.group.uuid}").json()
    assert group["opened_count"] == 2
    assert group["opened_url"] == f"http://testserver/api/v1/groups/{c.group.uuid}/people"
    opened = client.call("GET", group["opened_url"]).json()
    assert [p["name"] for p in opened["items"]] == ["Sam Okafor", "Vera Holt"]
    assert "vera@globex" not in str(opened) and "divorcing" not in str(opened)
    ways = client.call("GET", f"organisations/{c.globex.uuid}/group-ways-in").json()["items"]
    assert ways[0]["sentence"].startswith("Maya Rosen (Thursday club) knows Vera Holt")
    assert api(charlie).call("GET", f"groups/{c.group.uuid}").status_code == 404
    opening_close(owner=bob, group=c.group, person=c.vera)
    group = client.call("GET", f"groups/{c.group.uuid}").json()
    opened = client.call("GET", group["opened_url"]).json()["items"]
    assert group["opened_count"] == 1 and [p["name"] for p in opened] == ["Sam Okafor"]
    assert api(charlie).call("GET", f"groups/{c.group.uuid}/people").status_code == 404


def test_every_opened_person_comes_a_page_at_a_time(alice, bob, charlie) -> None:
    """GIVEN 230 people opened to the group (past the 200 the group detail used to stop at),
    one of them kept closed, WHEN alice follows `next` 100 at a time, THEN she gets each
    opened person once, by member then name, and never the closed one; charlie, outside,
    gets 404."""
    c = club(alice, bob)
    many_opened(c, bob, 230)
    kept = person_create(owner=bob, full_name="Kept Closed", contact_list="A")
    opening_close(owner=bob, group=c.group, person=kept)
    client = api(alice)
    group = client.call("GET", f"groups/{c.group.uuid}").json()
    assert group["opened_count"] == 232  # Sam and Vera too
    seen, url, pages = [], f"{group['opened_url']}?limit=100", 0
    while url:
        page = client.call("GET", url).json()
        seen += [p["name"] for p in page["items"]]
        url, pages = page["next"], pages + 1
    assert pages == 3
    assert seen == [f"Listed {n:03}" for n in range(230)] + ["Sam Okafor", "Vera Holt"]
    assert api(charlie).call("GET", f"groups/{c.group.uuid}/people?limit=100").status_code == 404


def test_openings_come_people_lists_tags_then_those_kept_closed(alice, bob, charlie) -> None:
    """GIVEN bob opened, in this order, a tag, a list, a person, kept one closed and opened
    another person WHEN he reads his openings two at a time THEN people come first, then
    lists, tags and those kept closed (as the summary says), the oldest first in each;
    alice, a member, and charlie, outside, see none of bob's."""
    c = club(alice, bob)  # Vera (a person), then list A
    person_create(owner=bob, full_name="Cleo Climate", tags=["climate"])
    opening_open(owner=bob, group=c.group, tag="climate", consent=True)
    kept = person_create(owner=bob, full_name="Kit Kept", contact_list="A")
    opening_close(owner=bob, group=c.group, person=kept)
    opening_open(owner=bob, group=c.group, person=c.quinn, consent=True)
    client = api(bob)
    seen, url = [], f"groups/{c.group.uuid}/openings?limit=2"
    while url:
        page = client.call("GET", url).json()
        seen += [(o["kind"], o["person_name"] or o["list"] or o["tag"]) for o in page["items"]]
        url = page["next"]
    assert seen == [
        ("person", "Vera Holt"),
        ("person", "Quinn Secret"),
        ("list", "A"),
        ("tag", "climate"),
        ("except", "Kit Kept"),
    ]
    assert api(alice).call("GET", f"groups/{c.group.uuid}/openings").json()["items"] == []
    assert api(charlie).call("GET", f"groups/{c.group.uuid}/openings").status_code == 404


def test_ask_and_accept_through_the_api(alice, bob, charlie) -> None:
    c = club(alice, bob)
    asked = api(alice).call(
        "POST", f"groups/{c.group.uuid}/people/{c.vera.uuid}/requests", {"reason": "Advice"}
    )
    assert asked.status_code == 201, asked.content
    uuid = asked.json()["uuid"]
    assert (
        api(charlie).call("POST", f"group-requests/{uuid}/answer", {"accept": True}).status_code
        == 404
    )
    assert not Lead.objects.filter(owner=alice).exists()
    answered = api(bob).call("POST", f"group-requests/{uuid}/answer", {"accept": True})
    assert answered.json()["state"] == "accepted"
    assert Lead.objects.get(owner=alice).referred.full_name == "Vera Holt"
    assert IntroRequest.objects.get().state == "accepted"


def test_requests_come_a_page_at_a_time_newest_first_each_saying_which_way(
    alice, bob, charlie
) -> None:
    """GIVEN alice asked bob about Vera, then bob asked her about Ola, then she asked about
    Sam (a day apart), WHEN she lists her requests, THEN they are one list, newest first,
    each saying which way it goes; `direction` and `state` narrow it; charlie sees none."""
    c = club(alice, bob)
    ola = three_requests(c, alice, bob)
    client = api(alice)
    seen, url = [], "group-requests?limit=1"
    while url:
        page = client.call("GET", url).json()
        assert len(page["items"]) <= 1
        seen += [(r["person"], r["direction"]) for r in page["items"]]
        url = page["next"]
    assert seen == [
        ("Sam Okafor", "you_asked"),
        ("Ola Opened", "asked_of_you"),
        ("Vera Holt", "you_asked"),
    ]

    def people(query: str, who=alice) -> list[str]:
        answer = api(who).call("GET", f"group-requests?{query}")
        assert answer.status_code == 200, answer.content
        return [r["person"] for r in answer.json()["items"]]

    assert people("direction=asked_of_you") == ["Ola Opened"]
    assert people("direction=you_asked") == ["Sam Okafor", "Vera Holt"]
    assert people("direction=you_asked&state=asked") == ["Sam Okafor"]
    assert people("state=declined") == ["Vera Holt"]
    assert people("direction=asked_of_you", who=bob) == ["Sam Okafor", "Vera Holt"]
    assert people("", who=charlie) == []
    refused = client.call("GET", "group-requests?direction=sideways")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "direction"
    one = client.call("GET", f"group-requests/{IntroRequest.objects.get(person=ola).uuid}")
    assert one.json()["direction"] == "asked_of_you"


def test_open_needs_consent(alice, bob) -> None:
    c = club(alice, bob)
    refused = api(bob).call(
        "POST", f"groups/{c.group.uuid}/openings", {"person": str(c.quinn.uuid), "consent": False}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "consent"


def test_a_revoked_grant_is_gone_at_once(alice, bob) -> None:
    c = club(alice, bob)
    grant = coach_grant(owner=bob, coach=alice, group=c.group, parts=["goals"])
    coach = api(alice)
    assert coach.call("GET", f"coaching/clients/{grant.uuid}").status_code == 200
    assert api(bob).call("DELETE", f"coaching/grants/{grant.uuid}").status_code == 200
    assert coach.call("GET", f"coaching/clients/{grant.uuid}").status_code == 404
    assert coach.call("GET", "coaching/clients").json()["items"] == []


def test_organisers_list_and_withdraw_invitation_links(alice, bob, charlie, client) -> None:
    from circleback.groups.services import invitation_create

    c = club(alice, bob)
    invitation, token = invitation_create(owner=alice, group=c.group)
    links = f"groups/{c.group.uuid}/invitations"
    page = api(alice).call("GET", links).json()
    listed = page["items"]
    assert page["next"] is None
    assert [(i["uuid"], i["state"]) for i in listed] == [(str(invitation.uuid), "waiting")]
    assert token not in str(listed)
    member = api(bob).call("GET", links)  # a member who does not organise: told who can
    assert member.status_code == 422 and "organiser" in member.json()["errors"][0]["message"]
    assert api(bob).call("DELETE", f"{links}/{invitation.uuid}").status_code == 422
    assert api(charlie).call("DELETE", f"{links}/{invitation.uuid}").status_code == 404
    withdrawn = api(alice).call("DELETE", f"{links}/{invitation.uuid}")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    client.force_login(charlie)
    page = client.get(f"/groups/join/{token}/")
    assert page.status_code == 404
    assert "withdrew this invitation link" in page.content.decode()


def test_invitation_links_are_paged_by_cursor_newest_first(alice, bob) -> None:
    """Like every other list: {"items", "next"}, in a stable order, following `next`."""
    from circleback.groups.services import invitation_create

    c = club(alice, bob)
    made = [invitation_create(owner=alice, group=c.group)[0] for _ in range(3)]
    first = api(alice).call("GET", f"groups/{c.group.uuid}/invitations?limit=2").json()
    assert len(first["items"]) == 2 and first["next"]
    second = api(alice).call("GET", first["next"]).json()
    assert second["next"] is None
    seen = [i["uuid"] for i in first["items"] + second["items"]]
    assert sorted(seen) == sorted(str(i.uuid) for i in made) and len(set(seen)) == 3


def test_a_member_shares_their_balance_and_stops_through_the_api(alice, bob, charlie) -> None:
    from circleback.groups.services import board_close, board_post

    c = club(alice, bob)
    post = board_post(owner=alice, group=c.group, kind="ask", what="advice", text="CV?")
    board_close(owner=alice, post=post, helper=bob, thanks="Thanks!")
    sharing = f"groups/{c.group.uuid}/balance-sharing"

    def seen_by_alice() -> dict[str, tuple[int, int]]:
        balances = api(alice).call("GET", f"groups/{c.group.uuid}/balances").json()["items"]
        return {b["username"]: (b["gave"], b["got"]) for b in balances}

    assert seen_by_alice() == {"alice": (0, 1)}  # bob's is his until he shares it
    shared = api(bob).call("PUT", sharing, {"shown": True})
    assert shared.status_code == 200, shared.content
    assert shared.json() == {
        "member": "Maya Rosen",
        "username": "bob",
        "gave": 1,
        "got": 0,
        "shown": True,
    }
    assert seen_by_alice() == {"alice": (0, 1), "bob": (1, 0)}
    listed = api(bob).call("GET", "groups").json()["items"]
    assert listed[0]["shares_balance"] is True
    assert api(bob).call("PUT", sharing, {"shown": False}).json()["shown"] is False
    assert seen_by_alice() == {"alice": (0, 1)}  # stopped at once
    # an outsider: 404, and nothing changed
    assert api(charlie).call("PUT", sharing, {"shown": True}).status_code == 404
    assert api(bob).call("PUT", sharing, {}).status_code == 422  # say which


def test_joining_by_link_and_adding_a_member_through_the_api(alice, bob, charlie) -> None:
    from circleback.accounts.models import User
    from circleback.groups.models import Membership

    c = club(alice, bob)
    made = api(alice).call("POST", f"groups/{c.group.uuid}/invitations", {"days": 2}).json()
    joined = api(charlie).call("POST", "group-invitations/accept", {"token": made["link"]})
    assert joined.status_code == 201, joined.content
    assert (joined.json()["name"], joined.json()["role"]) == ("Thursday club", "member")
    dora = User.objects.create(username="dora")
    again = api(dora).call("POST", "group-invitations/accept", {"token": made["link"]})
    assert again.status_code == 422 and "already used" in again.json()["errors"][0]["message"]
    members = f"groups/{c.group.uuid}/members"
    # a member only is told who can; an outsider gets 404; an unknown name is said
    assert api(bob).call("POST", members, {"username": "dora"}).status_code == 422
    assert api(dora).call("POST", members, {"username": "dora"}).status_code == 404
    unknown = api(alice).call("POST", members, {"username": "nobody"})
    assert unknown.status_code == 422 and "nobody" in unknown.json()["errors"][0]["message"]
    added = api(alice).call("POST", members, {"username": "DORA", "organiser": True})
    assert added.status_code == 201 and added.json() == {
        "username": "dora",
        "name": "",
        "role": "organiser",
    }
    assert Membership.objects.filter(group=c.group).count() == 4


def test_the_coach_log_and_one_opening_through_the_api(alice, bob, charlie) -> None:
    c = club(alice, bob)
    coach_grant(owner=bob, coach=alice, group=c.group, parts=["loops", "goals"])
    assert api(bob).call("GET", "coaching/log").json()["items"] == []
    grant = api(alice).call("GET", "coaching/clients").json()["items"][0]["grant"]
    assert api(alice).call("GET", f"coaching/clients/{grant}").status_code == 200
    log = api(bob).call("GET", "coaching/log").json()["items"]
    assert sorted(v["part"] for v in log) == ["goals", "loops"]
    assert {v["coach"] for v in log} == {"alice"}
    assert api(charlie).call("GET", "coaching/log").json()["items"] == []
    openings = api(bob).call("GET", f"groups/{c.group.uuid}/openings").json()["items"]
    vera = next(o for o in openings if o["person_name"] == "Vera Holt")
    one = f"groups/{c.group.uuid}/openings/{vera['uuid']}"
    assert api(bob).call("GET", one).json() == vera
    assert api(alice).call("GET", one).status_code == 404  # another member's opening
    assert api(charlie).call("GET", one).status_code == 404


def test_a_yes_or_no_is_true_or_false_never_a_number(alice, bob) -> None:
    """Found by schemathesis: 0 was read as false. Every yes/no the groups API takes is a JSON
    boolean, and anything else is refused naming the field."""
    c = club(alice, bob)
    refused = api(bob).call("PUT", f"groups/{c.group.uuid}/balance-sharing", {"shown": 0})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"].endswith("shown")
    refused = api(alice).call(
        "POST", f"groups/{c.group.uuid}/members", {"username": "bob", "organiser": "yes"}
    )
    assert refused.status_code == 422
