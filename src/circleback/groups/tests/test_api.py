"""/api/v1 groups: members see only opened fields; closed people and revoked grants are gone
at once; another account gets 404 (the walk over every endpoint covers that too)."""

from __future__ import annotations

from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient
from circleback.groups.models import IntroRequest
from circleback.groups.services import coach_grant, opening_close
from circleback.groups.tests.factories import club
from circleback.loops.models import Lead


def api(user) -> ApiClient:
    return ApiClient(token_create(owner=user, name=f"{user.username}-t").secret)


def test_a_member_reads_the_group_and_its_ways_in(alice, bob, charlie) -> None:
    c = club(alice, bob)
    client = api(alice)
    group = client.call("GET", f"groups/{c.group.uuid}").json()
    assert {p["name"] for p in group["opened"]} == {"Vera Holt", "Sam Okafor"}
    assert "vera@globex" not in str(group) and "divorcing" not in str(group)
    ways = client.call("GET", f"organisations/{c.globex.uuid}/group-ways-in").json()
    assert ways[0]["sentence"].startswith("Maya Rosen (Thursday club) knows Vera Holt")
    assert api(charlie).call("GET", f"groups/{c.group.uuid}").status_code == 404
    opening_close(owner=bob, group=c.group, person=c.vera)
    group = client.call("GET", f"groups/{c.group.uuid}").json()
    assert {p["name"] for p in group["opened"]} == {"Sam Okafor"}


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
    assert coach.call("GET", "coaching/clients").json() == []
