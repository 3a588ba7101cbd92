"""/api/v1 the group board: a member lists, posts and closes with a thank-you (the favour in
both ledgers); an outsider and a member who left get 404; bad input is a 422 naming the field."""

from __future__ import annotations

from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient
from circleback.groups.services import board_post, group_leave
from circleback.groups.tests.factories import club
from circleback.loops.models import Favour


def api(user) -> ApiClient:
    """A client with a new token of the user's (each call its own, as several programs)."""
    import uuid

    return ApiClient(token_create(owner=user, name=f"t-{uuid.uuid4().hex[:12]}").secret)


def test_a_member_posts_and_closes_with_thanks(alice, bob) -> None:
    c = club(alice, bob)
    client = api(alice)
    board = f"groups/{c.group.uuid}/board"
    assert client.call("GET", board).json() == {
        "posts": [],
        "balances": [{"member": "alice", "username": "alice", "gave": 0, "got": 0, "shown": False}],
    }
    posted = client.call(
        "POST", board, {"kind": "ask", "what": "mock_interview", "text": "A PM mock interview?"}
    )
    assert posted.status_code == 201, posted.content
    post = posted.json()
    assert (post["kind"], post["by_username"], post["closed"]) == ("ask", "alice", False)
    seen_by_bob = api(bob).call("GET", board).json()["posts"]
    assert [p["text"] for p in seen_by_bob] == ["A PM mock interview?"]
    # only the one who posted closes it
    assert (
        api(bob)
        .call("POST", f"{board}/{post['uuid']}/close", {"helper": "alice", "thanks": "x"})
        .status_code
        == 404
    )
    closed = client.call(
        "POST", f"{board}/{post['uuid']}/close", {"helper": "bob", "thanks": "So useful, thanks!"}
    )
    assert closed.status_code == 200, closed.content
    assert (closed.json()["closed"], closed.json()["helper_username"]) == (True, "bob")
    assert Favour.objects.get(owner=alice).direction == "received"
    assert Favour.objects.get(owner=bob).direction == "given"
    again = client.call(
        "POST", f"{board}/{post['uuid']}/close", {"helper": "bob", "thanks": "Again"}
    )
    assert again.status_code == 422 and "already closed" in again.json()["errors"][0]["message"]
    balances = {
        b["username"]: (b["gave"], b["got"]) for b in client.call("GET", board).json()["balances"]
    }
    assert balances == {"alice": (0, 1)}  # bob does not show his


def test_bad_input_names_the_field(alice, bob) -> None:
    c = club(alice, bob)
    board = f"groups/{c.group.uuid}/board"
    refused = api(alice).call("POST", board, {"kind": "ask", "what": "cake", "text": "x"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"].endswith("what")
    post = board_post(owner=alice, group=c.group, kind="offer", what="article", text="A read")
    unknown = api(alice).call(
        "POST", f"{board}/{post.uuid}/close", {"helper": "nobody-here", "thanks": "Thanks"}
    )
    assert unknown.status_code == 422 and "nobody-here" in unknown.json()["errors"][0]["message"]


def test_an_outsider_and_a_member_who_left_get_404(alice, bob, charlie) -> None:
    c = club(alice, bob)
    post = board_post(owner=alice, group=c.group, kind="ask", what="advice", text="Salary?")
    board = f"groups/{c.group.uuid}/board"
    for who in (charlie, bob):
        if who is bob:
            group_leave(owner=bob, group=c.group)
        client = api(who)
        assert client.call("GET", board).status_code == 404
        assert (
            client.call("POST", board, {"kind": "ask", "what": "advice", "text": "x"}).status_code
            == 404
        )
        assert (
            client.call(
                "POST", f"{board}/{post.uuid}/close", {"helper": "alice", "thanks": "x"}
            ).status_code
            == 404
        )
