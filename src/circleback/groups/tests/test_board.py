"""The board: asks and offers closed with a thank-you, the favour in both members' ledgers,
the balance shown to the group only when its member allows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client

from circleback.cli.tests.support import Run, cli
from circleback.groups.queries import board_balances
from circleback.groups.services import balance_share, board_close, board_post
from circleback.groups.tests.factories import club
from circleback.loops.models import Favour, LoopStep

__all__ = ["cli"]


def test_closing_an_ask_records_the_favour_in_both_ledgers(alice, bob) -> None:
    c = club(alice, bob)
    post = board_post(owner=alice, group=c.group, kind="ask", what="mock_interview", text="PM")
    board_close(owner=alice, post=post, helper=bob, thanks="That was so useful, thank you!")
    mine = Favour.objects.get(owner=alice)
    theirs = Favour.objects.get(owner=bob)
    assert (mine.direction, mine.person.full_name) == ("received", "Maya Rosen")
    assert (theirs.direction, theirs.person.full_name) == ("given", "alice")
    # thanked on the board: no thank-you left open
    assert not LoopStep.objects.filter(owner=alice, kind="thank_you", done_at__isnull=True).exists()
    with pytest.raises(ValidationError, match="already closed"):
        board_close(owner=alice, post=post, helper=bob, thanks="again")


def test_the_balance_is_mine_unless_shared(alice, bob) -> None:
    c = club(alice, bob)
    offer = board_post(owner=bob, group=c.group, kind="offer", what="article", text="A read")
    board_close(owner=bob, post=offer, helper=alice, thanks="Enjoy")
    assert [b.username for b in board_balances(viewer=alice, group=c.group)] == ["alice"]
    balance_share(owner=bob, group=c.group, shown=True)
    seen = {b.username: b.words for b in board_balances(viewer=alice, group=c.group)}
    assert seen == {"alice": "gave 0, got 1", "bob": "gave 1, got 0"}


def test_outsiders_cannot_post_or_close(alice, bob, charlie) -> None:
    c = club(alice, bob)
    with pytest.raises(Http404):
        board_post(owner=charlie, group=c.group, kind="ask", what="advice", text="Hi")
    post = board_post(owner=alice, group=c.group, kind="ask", what="advice", text="Hi")
    with pytest.raises(Http404):
        board_close(owner=charlie, post=post, helper=bob, thanks="x")
    with pytest.raises(ValidationError, match="not in"):
        board_close(owner=alice, post=post, helper=charlie, thanks="x")
    outsider = Client()
    outsider.force_login(charlie)
    assert outsider.post(f"/groups/{c.group.uuid}/board/", {"kind": "ask"}).status_code == 404
    assert outsider.post(f"/groups/{c.group.uuid}/board/{post.uuid}/close/", {}).status_code == 404
    assert outsider.post(f"/groups/{c.group.uuid}/balance/", {"shown": "1"}).status_code == 404


def test_the_board_on_the_page(alice, bob) -> None:
    c = club(alice, bob)
    client = Client()
    client.force_login(alice)
    url = f"/groups/{c.group.uuid}/"
    assert "Nothing on the board yet" in client.get(url).content.decode()
    posted = client.post(
        url + "board/", {"kind": "ask", "what": "advice", "text": "Salary talks at a startup?"}
    )
    assert posted.status_code == 302
    page = client.get(url).content.decode()
    assert "Salary talks at a startup?" in page and "Close with thanks" in page
    bad = client.post(url + "board/", {"kind": "ask", "what": "cake", "text": "x"})
    assert bad.status_code == 400


def test_balances_are_in_one_order_on_the_page_in_the_cli_and_the_api(
    alice, bob, charlie, cli: Run
) -> None:
    """GIVEN four members who all let the group see their balance — alice (no name given),
    bob (Maya Rosen), charlie (Bea) and aaron (Zoe Quist, an organiser) — WHEN alice reads
    the balances on the group page, in `group board` and at GET /groups/{id}/balances, THEN
    each lists them by the name it shows, ignoring case: alice, Bea, Maya Rosen, Zoe Quist
    (not by sign-in name, organisers first, or capitals before small letters)."""
    import re

    from circleback.accounts.models import User
    from circleback.api.services import token_create
    from circleback.api.tests.conftest import ApiClient
    from circleback.cli.tests.support import as_json
    from circleback.groups.services import member_add

    c = club(alice, bob)
    charlie.first_name = "Bea"
    charlie.save()
    aaron = User.objects.create(username="aaron", first_name="Zoe", last_name="Quist")
    member_add(owner=alice, group=c.group, user=charlie)
    member_add(owner=alice, group=c.group, user=aaron, organiser=True)
    for member in (alice, bob, charlie, aaron):
        balance_share(owner=member, group=c.group, shown=True)
    order = ["alice", "Bea", "Maya Rosen", "Zoe Quist"]
    assert [b.member for b in board_balances(viewer=alice, group=c.group)] == order
    client = Client()
    client.force_login(alice)
    page = client.get(f"/groups/{c.group.uuid}/").content.decode()
    assert re.findall(r"<li>([\w ]+): gave \d+, got \d+</li>", page) == order
    board = as_json(cli("--user", "alice", "group", "board", "Thursday club", "--json"))
    assert [b["member"] for b in board["balances"]] == order
    text = cli("--user", "alice", "group", "board", "Thursday club").stdout
    assert re.findall(r"^([\w ]+): gave", text, re.M) == order
    api = ApiClient(token_create(owner=alice, name="script").secret)
    balances = f"groups/{c.group.uuid}/balances"
    assert [b["member"] for b in api.call("GET", balances).json()["items"]] == order
    seen, url = [], f"{balances}?limit=3"
    while url:
        answer = api.call("GET", url).json()
        seen += [b["member"] for b in answer["items"]]
        url = answer["next"]
    assert seen == order
