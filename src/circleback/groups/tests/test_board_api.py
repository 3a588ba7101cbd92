"""/api/v1 the group board: a member lists (a page at a time, open posts first, filtered by
kind, subject and state), posts and closes with a thank-you (the favour in both ledgers); the
balances a member may see are their own list; an outsider and a member who left get 404; bad
input is a 422 naming the field."""

from __future__ import annotations

import time_machine

from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient
from circleback.groups.services import balance_share, board_close, board_post, group_leave
from circleback.groups.tests.factories import club, four_posts
from circleback.loops.models import Favour


def api(user) -> ApiClient:
    """A client with a new token of the user's (each call its own, as several programs)."""
    import uuid

    return ApiClient(token_create(owner=user, name=f"t-{uuid.uuid4().hex[:12]}").secret)


def test_a_member_posts_and_closes_with_thanks(alice, bob) -> None:
    c = club(alice, bob)
    client = api(alice)
    board = f"groups/{c.group.uuid}/board"
    balances = f"groups/{c.group.uuid}/balances"
    assert client.call("GET", board).json() == {"items": [], "next": None}
    assert client.call("GET", balances).json() == {
        "items": [{"member": "alice", "username": "alice", "gave": 0, "got": 0, "shown": False}],
        "next": None,
    }
    posted = client.call(
        "POST", board, {"kind": "ask", "what": "mock_interview", "text": "A PM mock interview?"}
    )
    assert posted.status_code == 201, posted.content
    post = posted.json()
    assert (post["kind"], post["by_username"], post["closed"]) == ("ask", "alice", False)
    seen_by_bob = api(bob).call("GET", board).json()["items"]
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
    seen = {
        b["username"]: (b["gave"], b["got"]) for b in client.call("GET", balances).json()["items"]
    }
    assert seen == {"alice": (0, 1)}  # bob does not show his


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


def test_the_board_comes_a_page_at_a_time_open_posts_first(alice, bob) -> None:
    """GIVEN four posts made a day apart, the oldest closed with a thank-you since and the
    second oldest closed before it, WHEN alice follows `next` one post at a time, THEN she
    gets the open ones newest first, then the closed ones, the latest closed first — each
    once; and the filters narrow the same order."""
    c = club(alice, bob)
    with time_machine.travel("2026-11-01 10:00Z", tick=False) as clock:
        posts = four_posts(c.group, alice, clock)
        board_close(owner=alice, post=posts["second"], helper=bob, thanks="Thanks")
        clock.shift(86400)
        board_close(owner=alice, post=posts["oldest"], helper=bob, thanks="Thanks")
    client = api(alice)
    board = f"groups/{c.group.uuid}/board"
    seen, url = [], f"{board}?limit=1"
    while url:
        page = client.call("GET", url).json()
        assert len(page["items"]) <= 1
        seen += [p["text"] for p in page["items"]]
        url = page["next"]
    assert seen == ["newest", "third", "oldest", "second"]

    def texts(query: str) -> list[str]:
        answer = client.call("GET", f"{board}?{query}")
        assert answer.status_code == 200, answer.content
        return [p["text"] for p in answer.json()["items"]]

    assert texts("kind=ask") == ["third", "oldest"]
    assert texts("kind=offer&closed=false") == ["newest"]
    assert texts("closed=true") == ["oldest", "second"]
    assert texts("what=advice") == ["newest", "oldest"]
    refused = client.call("GET", f"{board}?kind=favour")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "kind"


def test_balances_show_your_own_and_only_those_others_let_the_group_see(
    alice, bob, charlie
) -> None:
    from circleback.groups.services import member_add

    c = club(alice, bob)
    member_add(owner=alice, group=c.group, user=charlie)
    post = board_post(owner=alice, group=c.group, kind="ask", what="advice", text="CV?")
    board_close(owner=alice, post=post, helper=bob, thanks="Thanks!")
    offer = board_post(owner=charlie, group=c.group, kind="offer", what="article", text="Read")
    board_close(owner=charlie, post=offer, helper=alice, thanks="Thanks!")
    balances = f"groups/{c.group.uuid}/balances"

    def seen_by(user) -> list[tuple[str, int, int, bool]]:
        items = api(user).call("GET", balances).json()["items"]
        return [(b["username"], b["gave"], b["got"], b["shown"]) for b in items]

    assert seen_by(alice) == [("alice", 0, 2, False)]
    assert seen_by(bob) == [("bob", 1, 0, False)]
    balance_share(owner=bob, group=c.group, shown=True)
    balance_share(owner=charlie, group=c.group, shown=True)
    # by the name shown (bob is Maya Rosen), a page at a time
    assert seen_by(alice) == [("alice", 0, 2, False), ("charlie", 1, 0, True), ("bob", 1, 0, True)]
    first = api(alice).call("GET", f"{balances}?limit=2").json()
    assert [b["username"] for b in first["items"]] == ["alice", "charlie"]
    rest = api(alice).call("GET", first["next"]).json()
    assert ([b["username"] for b in rest["items"]], rest["next"]) == (["bob"], None)
    balance_share(owner=bob, group=c.group, shown=False)  # stopped at once
    assert seen_by(alice) == [("alice", 0, 2, False), ("charlie", 1, 0, True)]
    assert seen_by(charlie) == [("charlie", 1, 0, True)]


def test_an_outsider_and_a_member_who_left_get_404(alice, bob, charlie) -> None:
    c = club(alice, bob)
    post = board_post(owner=alice, group=c.group, kind="ask", what="advice", text="Salary?")
    board = f"groups/{c.group.uuid}/board"
    for who in (charlie, bob):
        if who is bob:
            group_leave(owner=bob, group=c.group)
        client = api(who)
        assert client.call("GET", board).status_code == 404
        assert client.call("GET", f"groups/{c.group.uuid}/balances").status_code == 404
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
