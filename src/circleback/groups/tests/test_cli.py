"""`circleback group …`, `circleback coach …` and `paths --group`, in-process and as a real
process."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from typer.testing import Result

from circleback.cli.tests.support import (
    Run,
    as_json,
    cli,
    cli_environment,
    migrated_home,
    one_line_error,
    run_program,
)
from circleback.groups.models import CoachGrant, IntroRequest, Membership, Opening
from circleback.groups.services import opening_close
from circleback.groups.tests.factories import club
from circleback.loops.models import Lead
from circleback.people.models import Person

__all__ = ["cli", "cli_environment"]


def test_it_creates_lists_and_shows_a_group(cli: Run, alice, bob) -> None:
    c = club(alice, bob)
    created = as_json(cli("--user", "alice", "group", "create", "Friday club", "--json"))
    assert created["name"] == "Friday club"
    listed = as_json(cli("--user", "alice", "group", "list", "--json"))
    assert {g["name"] for g in listed} == {"Thursday club", "Friday club"}
    shown = as_json(cli("--user", "alice", "group", "show", "Thursday club", "--json"))
    assert {p["name"] for p in shown["opened"]} == {"Vera Holt", "Sam Okafor"}
    assert "vera@globex.example" not in json.dumps(shown)
    assert c.group.name == shown["name"]


# Commands that show or change only the account's own groups, requests and coaches; `join`
# is the invitation itself, meant for someone outside.
OWN_ONLY = {"create", "list", "requests", "join", "log", "clients", "grants"}


def test_an_outsider_is_told_there_is_no_such_group(cli: Run, alice, bob, charlie) -> None:
    """Every `group` and `coach` command (read from the CLI itself, so one added later is
    covered): charlie, in no group, is told there is no such group, post, request or member,
    changes nothing, and his own lists show nothing of the club."""
    from circleback.cli.groups import coach_app, group_app
    from circleback.groups.services import board_post, coach_grant, intro_request_ask

    c = club(alice, bob)
    coach_grant(owner=bob, coach=alice, group=c.group, parts=["loops"])
    post = board_post(owner=alice, group=c.group, kind="ask", what="advice", text="CV?")
    request = intro_request_ask(
        owner=alice, group=c.group, person_uuid=str(c.vera.uuid), reason="Advice"
    )
    walk = {
        "show": ("group", "show", "Thursday club"),
        "invite": ("group", "invite", "Thursday club"),
        "invites": ("group", "invites", "Thursday club"),
        "leave": ("group", "leave", "Thursday club"),
        "open": ("group", "open", "Thursday club", "--list", "A", "--consent"),
        "close": ("group", "close", "Thursday club", "--list", "A"),
        "add": ("group", "add", "Thursday club", "charlie"),
        "openings": ("group", "openings", "Thursday club"),
        "balance": ("group", "balance", "Thursday club", "--share"),
        "board": ("group", "board", "Thursday club"),
        "post": ("group", "post", "Thursday club", "Anyone?"),
        "ask": ("group", "ask", "Thursday club", "--person", str(c.vera.uuid), "--reason", "x"),
        "answer": ("group", "answer", str(request.uuid), "--accept"),
        "thank": ("group", "thank", str(post.uuid), "--helper", "bob", "--note", "x"),
        "grant": ("coach", "grant", "alice", "--group", "Thursday club"),
        "revoke": ("coach", "revoke", "alice"),
        "show-coached": ("coach", "show", "bob"),
        "paths": ("paths", "--to", "Globex", "--group", "Thursday club"),
    }
    commands = {c.name for c in group_app.registered_commands + coach_app.registered_commands}
    assert commands - OWN_ONLY == {k for k in walk if k not in ("paths", "show-coached")}
    before = {
        m.__name__: m.objects.count()
        for m in (Membership, Opening, IntroRequest, CoachGrant, Person)
    }
    for key, args in walk.items():
        result = cli("--user", "charlie", *args)
        assert result.exit_code != 0, (key, result.output)
        said = one_line_error(result)
        assert re.search(
            r"no group called 'Thursday club'|no request|no post|not asked you|not your coach"
            r"|matches",
            said + result.stderr,
        ), (key, said)
        assert "Vera" not in result.output and "Maya" not in result.output, key
    for args in (
        ("group", "list"),
        ("group", "requests"),
        ("coach", "log"),
        ("coach", "clients"),
        ("coach", "grants"),
    ):
        result = cli("--user", "charlie", *args)
        assert result.exit_code == 0 and "Thursday" not in result.output, args
        assert "Vera" not in result.output and "bob" not in result.output, args
    assert before == {
        m.__name__: m.objects.count()
        for m in (Membership, Opening, IntroRequest, CoachGrant, Person)
    }


def test_paths_with_a_group_rank_its_ways_in(cli: Run, alice, bob, charlie) -> None:
    club(alice, bob)
    result = cli("--user", "alice", "paths", "--to", "Globex", "--group", "Thursday club")
    assert result.exit_code == 0, result.output
    assert "1. You → Maya Rosen (Thursday club) knows Vera Holt, VP Engineering at Globex" in (
        result.stdout
    )
    assert "Quinn" not in result.stdout
    data = as_json(
        cli("--user", "alice", "paths", "--to", "Globex", "--group", "Thursday club", "--json")
    )
    assert [w["person"]["name"] for w in data["ways"]] == ["Vera Holt", "Sam Okafor"]


def test_open_needs_consent_and_one_thing(cli: Run, alice, bob) -> None:
    club(alice, bob)
    refused = cli("--user", "bob", "group", "open", "Thursday club", "--person", "Quinn Secret")
    assert refused.exit_code == 2
    assert "--consent" in one_line_error(refused)
    both = cli("--user", "bob", "group", "open", "Thursday club", "--list", "A", "--tag", "x")
    assert both.exit_code == 2
    ok = cli(
        "--user", "bob", "group", "open", "Thursday club", "--person", "Quinn Secret", "--consent"
    )
    assert ok.exit_code == 0, ok.output
    assert Opening.objects.filter(owner=bob, person__full_name="Quinn Secret").exists()
    closed = cli("--user", "bob", "group", "close", "Thursday club", "--person", "Quinn Secret")
    assert closed.exit_code == 0
    shown = as_json(cli("--user", "alice", "group", "show", "Thursday club", "--json"))
    assert "Quinn Secret" not in {p["name"] for p in shown["opened"]}


def test_ask_and_answer_through_the_cli(cli: Run, alice, bob, charlie) -> None:
    c = club(alice, bob)
    asked = cli(
        "--user", "alice", "group", "ask", "Thursday club",
        "--person", str(c.vera.uuid), "--reason", "Platform engineering advice",
    )  # fmt: skip
    assert asked.exit_code == 0, asked.output
    request = IntroRequest.objects.get()
    outsider = cli("--user", "charlie", "group", "answer", str(request.uuid), "--accept")
    assert outsider.exit_code == 1 and "no request" in one_line_error(outsider)
    waiting = as_json(cli("--user", "bob", "group", "requests", "--json"))
    assert [(r["direction"], r["reason"]) for r in waiting] == [
        ("asked_of_you", "Platform engineering advice")
    ]
    assert cli("--user", "bob", "group", "answer", str(request.uuid), "--accept").exit_code == 0
    assert Lead.objects.get(owner=alice).referred.full_name == "Vera Holt"
    assert not Person.objects.filter(owner=charlie).exists()


def test_coach_grant_log_and_revoke(cli: Run, alice, bob) -> None:
    club(alice, bob)
    granted = cli(
        "--user", "bob", "coach", "grant", "alice", "--group", "Thursday club", "--part", "loops"
    )
    assert granted.exit_code == 0, granted.output
    clients = as_json(cli("--user", "alice", "coach", "clients", "--json"))
    assert clients[0]["username"] == "bob" and clients[0]["journal_entries_30_days"] is None
    bad = cli("--user", "bob", "coach", "grant", "alice", "--group", "Thursday club", "--part", "x")
    assert bad.exit_code == 2 and "not a part" in one_line_error(bad)
    assert cli("--user", "bob", "coach", "revoke", "alice").exit_code == 0
    assert not CoachGrant.objects.exists()
    assert as_json(cli("--user", "alice", "coach", "clients", "--json")) == []


def test_two_accounts_find_each_other_as_real_processes(tmp_path: Path) -> None:
    """The issue's "done when", every step a real `circleback` process on one database: maya
    and alex, in a group, find each other's opened contacts in their ways in; alex asks for
    an introduction and receives Vera only once maya accepts; olga, outside, sees none of it;
    a person maya closes is gone from alex's ways in at once."""
    migrated_home(tmp_path)

    def run(user: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = run_program(tmp_path, "--user", user, *args)
        assert (done.returncode == 0) == ok, (user, args, done.stdout, done.stderr)
        return done

    for name in ("maya", "alex", "olga"):
        made = run_program(
            tmp_path, "user", "create", name, "--password-file", "-", stdin="a long password\n"
        )
        assert made.returncode == 0, made.stderr
    run("maya", "group", "create", "Thursday club")
    link = json.loads(run("maya", "group", "invite", "Thursday club", "--json").stdout)["link"]
    assert "Welcome to Thursday club" in run("alex", "group", "join", link).stdout
    used = run("olga", "group", "join", link, ok=False)  # single use: olga can't follow
    assert "already used" in used.stderr
    run(
        "maya", "person", "add", "Vera Holt", "--org", "Globex", "--title", "CTO",
        "--email", "vera@globex.example", "--notes", "Private: moving house",
    )  # fmt: skip
    run("maya", "group", "open", "Thursday club", "--person", "Vera Holt", "--consent")
    run("alex", "person", "add", "Nina Park", "--org", "Initech", "--title", "Head of Data")
    run("alex", "group", "open", "Thursday club", "--person", "Nina Park", "--consent")
    run("maya", "org", "add", "Initech", "--target")
    run("alex", "org", "add", "Globex", "--target")
    run("olga", "org", "add", "Globex", "--target")
    # Each finds the other's opened contact in their ways in, with only the opened fields.
    ways = run("maya", "paths", "--to", "Initech", "--group", "Thursday club").stdout
    assert "alex (Thursday club) knows Nina Park, Head of Data at Initech" in ways
    ways = run("alex", "paths", "--to", "Globex", "--group", "Thursday club").stdout
    assert "maya (Thursday club) knows Vera Holt, CTO at Globex" in ways
    shown = json.loads(run("alex", "group", "show", "Thursday club", "--json").stdout)
    (vera,) = shown["opened"]
    assert shown["opened_count"] == 1
    paged = run("alex", "group", "show", "Thursday club", "--limit", "1", "--offset", "1")
    assert "Vera" not in paged.stdout and "Showing" not in paged.stderr
    assert "No opened people from --offset 1: there are 1." in paged.stderr
    assert "vera@globex" not in json.dumps(shown) and "moving house" not in json.dumps(shown)
    # Alex asks through the app; nothing of Vera is in Alex's record until maya accepts.
    run("alex", "group", "ask", "Thursday club", "--person", vera["uuid"], "--reason", "Advice")
    assert "Vera" not in run("alex", "people", "--json").stdout
    waiting = ("group", "requests", "--direction", "asked_of_you", "--state", "asked", "--json")
    (asked,) = json.loads(run("maya", *waiting).stdout)
    assert (asked["reason"], asked["seeker"]) == ("Advice", "alex")
    bad = run_program(tmp_path, "--user", "maya", "group", "requests", "--state", "waiting")
    assert bad.returncode == 2 and "--state 'waiting' is not a state" in bad.stderr
    run("olga", "group", "answer", asked["uuid"], "--accept", ok=False)
    # The board narrows with the API's words, and says which words when one is wrong.
    run(
        "maya",
        "group",
        "post",
        "Thursday club",
        "Mock PM loop",
        "--offer",
        "--what",
        "mock_interview",
    )
    run("alex", "group", "post", "Thursday club", "Read my CV?", "--what", "advice")
    offers = run("alex", "group", "board", "Thursday club", "--kind", "offer", "--open").stdout
    assert "maya offers a mock interview: Mock PM loop" in offers and "CV" not in offers
    bad = run_program(tmp_path, "--user", "alex", "group", "board", "Thursday club", "--kind", "x")
    assert bad.returncode == 2 and "use one of ask, offer" in bad.stderr
    refused = run("olga", "group", "board", "Thursday club", "--kind", "offer", ok=False)
    assert "Mock PM" not in refused.stdout + refused.stderr
    run("maya", "group", "answer", asked["uuid"], "--accept")
    received = json.loads(run("alex", "people", "--json").stdout)
    assert "Vera Holt" in [p["full_name"] for p in received]
    assert "vera@globex" not in json.dumps(received)  # the referral, not maya's record
    (sent,) = json.loads(run("alex", "group", "requests", "--json").stdout)
    assert (sent["direction"], sent["state"]) == ("you_asked", "accepted")
    assert json.loads(run("maya", *waiting).stdout) == []  # answered: no longer waiting
    # Olga, outside, sees none of it.
    outsider = run("olga", "group", "show", "Thursday club", ok=False)
    assert "Vera" not in outsider.stdout + outsider.stderr
    run("olga", "paths", "--to", "Globex", "--group", "Thursday club", ok=False)
    for args in (("paths", "--to", "Globex"), ("people", "--json"), ("group", "requests")):
        seen = run("olga", *args).stdout
        assert "Vera" not in seen and "Nina" not in seen and "Thursday" not in seen, args
    # What each opened, the balance and a coach: the same commands, as processes.
    (opened,) = json.loads(run("maya", "group", "openings", "Thursday club", "--json").stdout)
    assert (opened["kind"], opened["person_name"]) == ("person", "Vera Holt")
    balance = json.loads(
        run("alex", "group", "balance", "Thursday club", "--share", "--json").stdout
    )
    assert balance["shown"] is True
    run("alex", "coach", "grant", "maya", "--group", "Thursday club", "--part", "loops")
    coached = json.loads(run("maya", "coach", "show", "alex", "--json").stdout)
    assert coached["parts"] == ["loops"] and coached["journal"] is None
    assert [v["part"] for v in json.loads(run("alex", "coach", "log", "--json").stdout)] == [
        "loops"
    ]
    run("olga", "coach", "show", "alex", ok=False)
    # A person maya closes is gone from alex's ways in at once.
    run("maya", "group", "close", "Thursday club", "--person", "Vera Holt")
    ways = run("alex", "paths", "--to", "Globex", "--group", "Thursday club").stdout
    assert "maya (Thursday club) knows" not in ways


def test_the_board_through_the_cli(cli: Run, alice, bob, charlie) -> None:
    c = club(alice, bob)
    posted = cli(
        "--user", "alice", "group", "post", "Thursday club", "CV review?", "--what", "advice"
    )
    assert posted.exit_code == 0, posted.output
    board = as_json(cli("--user", "bob", "group", "board", "Thursday club", "--json"))
    uuid = board["posts"][0]["uuid"]
    assert board["posts"][0]["text"] == "CV review?"
    outsider = cli("--user", "charlie", "group", "board", "Thursday club")
    assert outsider.exit_code == 1
    stolen = cli("--user", "charlie", "group", "thank", uuid, "--helper", "bob", "--note", "x")
    assert stolen.exit_code == 1 and "no post" in one_line_error(stolen)
    done = cli("--user", "alice", "group", "thank", uuid, "--helper", "bob", "--note", "Thanks!")
    assert done.exit_code == 0, done.output
    assert as_json(cli("--user", "alice", "group", "board", "Thursday club", "--json"))["posts"][0][
        "closed"
    ]
    assert c.group.posts.get().helper == bob


def test_invitation_links_listed_and_withdrawn(cli: Run, alice, bob, charlie) -> None:
    c = club(alice, bob)
    empty = cli("--user", "alice", "group", "invites", "Thursday club")
    assert empty.exit_code == 0 and "No invitation links" in empty.stdout
    made = as_json(cli("--user", "alice", "group", "invite", "Thursday club", "--json"))
    listed = as_json(cli("--user", "alice", "group", "invites", "Thursday club", "--json"))
    assert [(i["uuid"], i["state"], i["made_by"]) for i in listed] == [
        (made["uuid"], "waiting", "alice")
    ]
    member = cli("--user", "bob", "group", "invites", "Thursday club")
    assert member.exit_code == 2 and "Only an organiser" in one_line_error(member)
    outsider = cli(
        "--user", "charlie", "group", "invite", "Thursday club", "--revoke", made["uuid"]
    )
    assert outsider.exit_code == 1 and "no group called" in one_line_error(outsider)
    unknown = cli("--user", "alice", "group", "invite", "Thursday club", "--revoke", "nope")
    assert unknown.exit_code == 1 and "no invitation 'nope'" in one_line_error(unknown)
    done = as_json(
        cli(
            "--user",
            "alice",
            "group",
            "invite",
            "Thursday club",
            "--revoke",
            made["uuid"],
            "--json",
        )
    )
    assert done["state"] == "withdrawn"
    from circleback.groups.services import invitation_accept

    token = made["link"].rstrip("/").rsplit("/", 1)[-1]
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="withdrew this invitation link"):
        invitation_accept(owner=charlie, token=token)
    assert not c.group.memberships.filter(owner=charlie).exists()


def test_balance_sharing_through_the_cli(cli: Run, alice, bob, charlie) -> None:
    from circleback.groups.services import board_close, board_post

    c = club(alice, bob)
    post = board_post(owner=alice, group=c.group, kind="ask", what="advice", text="CV?")
    board_close(owner=alice, post=post, helper=bob, thanks="Thanks!")
    mine = cli("--user", "bob", "group", "balance", "Thursday club")
    assert mine.exit_code == 0 and "gave 1, got 0 (only you see it)" in mine.stdout
    assert "bob" not in json.dumps(
        as_json(cli("--user", "alice", "group", "board", "Thursday club", "--json"))["balances"]
    )
    shared = as_json(cli("--user", "bob", "group", "balance", "Thursday club", "--share", "--json"))
    assert (shared["gave"], shared["shown"]) == (1, True)
    seen = as_json(cli("--user", "alice", "group", "board", "Thursday club", "--json"))
    assert {b["username"] for b in seen["balances"]} == {"alice", "bob"}
    assert cli("--user", "bob", "group", "balance", "Thursday club", "--hide").exit_code == 0
    seen = as_json(cli("--user", "alice", "group", "board", "Thursday club", "--json"))
    assert {b["username"] for b in seen["balances"]} == {"alice"}
    outsider = cli("--user", "charlie", "group", "balance", "Thursday club", "--share")
    assert outsider.exit_code == 1 and "no group called" in one_line_error(outsider)
    assert not Membership.objects.get(owner=bob).shows_balance


def test_joining_openings_and_coaching_through_the_cli(cli: Run, alice, bob, charlie) -> None:
    from circleback.accounts.models import User
    from circleback.groups.services import coach_grant

    c = club(alice, bob)
    User.objects.create(username="dora")
    link = cli("--user", "alice", "group", "invite", "Thursday club").stdout.strip()
    member = cli("--user", "alice", "group", "join", link)  # already in: the link stays unused
    assert member.exit_code == 0, member.output
    joined = cli("--user", "charlie", "group", "join", link)
    assert joined.exit_code == 0 and "Welcome to Thursday club" in joined.stdout, joined.output
    used = cli("--user", "dora", "group", "join", link)
    assert used.exit_code == 2 and "already used" in one_line_error(used)
    unknown = cli("--user", "charlie", "group", "join", "not-a-link")
    assert unknown.exit_code == 2 and "not one we know" in one_line_error(unknown)
    opened = as_json(cli("--user", "bob", "group", "openings", "Thursday club", "--json"))
    assert {(o["kind"], o["person_name"] or o["list"]) for o in opened} == {
        ("person", "Vera Holt"),
        ("list", "A"),
    }
    none = cli("--user", "charlie", "group", "openings", "Thursday club")
    assert none.exit_code == 0 and "nothing of yours is shared" in none.stdout
    assert "Vera" not in none.stdout  # only your own openings, never another member's
    coach_grant(owner=bob, coach=alice, group=c.group, parts=["journal"])
    grants = as_json(cli("--user", "bob", "coach", "grants", "--json"))
    assert [(g["coach"], g["parts"]) for g in grants] == [("alice", ["journal"])]
    seen = as_json(cli("--user", "alice", "coach", "show", "bob", "--json"))
    assert seen["parts"] == ["journal"] and seen["loops"] is None
    assert [v["part"] for v in as_json(cli("--user", "bob", "coach", "log", "--json"))] == [
        "journal"
    ]
    stranger = cli("--user", "charlie", "coach", "show", "bob")
    assert stranger.exit_code == 1 and "has not asked you" in one_line_error(stranger)
    assert cli("--user", "bob", "coach", "revoke", "alice").exit_code == 0
    revoked = cli("--user", "alice", "coach", "show", "bob")
    assert revoked.exit_code == 1  # a revoked grant: gone at once


def test_requests_narrow_and_page_as_the_api_does(cli: Run, alice, bob, charlie) -> None:
    """GIVEN alice's three requests (two she asked, one asked of her, one since declined),
    WHEN she lists them with `--direction`, `--state`, `--limit` and `--offset`, THEN she gets
    what GET /group-requests gives for the same filters, in its order; a bad value is a
    usage error naming the values; charlie sees none of it."""
    from circleback.api.services import token_create
    from circleback.api.tests.conftest import ApiClient
    from circleback.groups.tests.test_requests import three_requests

    c = club(alice, bob)
    three_requests(c, alice, bob)
    api = ApiClient(token_create(owner=alice, name="script").secret)

    def same(*args: str) -> list[str]:
        query = "&".join(f"{k[2:]}={v}" for k, v in zip(args[::2], args[1::2], strict=True))
        items = api.call("GET", f"group-requests?{query}").json()["items"]
        listed = as_json(cli("--user", "alice", "group", "requests", *args, "--json"))
        drop_time = [{k: v for k, v in r.items() if k != "asked_at"} for r in listed]
        assert drop_time == [{k: v for k, v in r.items() if k != "asked_at"} for r in items]
        return [r["person"] for r in listed]

    assert same() == ["Sam Okafor", "Ola Opened", "Vera Holt"]
    assert same("--direction", "asked_of_you") == ["Ola Opened"]
    assert same("--direction", "you_asked") == ["Sam Okafor", "Vera Holt"]
    assert same("--direction", "you_asked", "--state", "asked") == ["Sam Okafor"]
    assert same("--state", "declined") == ["Vera Holt"]
    # A page at a time: stdout stays the rows, stderr says where the next ones start.
    second = cli("--user", "alice", "group", "requests", "--limit", "1", "--offset", "1")
    assert second.exit_code == 0, second.output
    (line,) = second.stdout.splitlines()
    ola = IntroRequest.objects.get(person_name="Ola Opened")
    assert line.startswith(f"{ola.uuid}  2026-11-02  Maya Rosen (Thursday club) asks to meet Ola")
    assert "Showing 2 to 2 of 3 requests; see the next ones with --offset 2." in second.stderr
    first = cli("--user", "alice", "group", "requests", "--json", "--limit", "1")
    assert [r["person"] for r in as_json(first)] == ["Sam Okafor"]
    assert "Showing 1 to 1 of 3 requests; see the next ones with --offset 1." in first.stderr
    every = cli("--user", "alice", "group", "requests", "--json")
    # Streamed, yet byte for byte what printing the whole list at once writes; nothing left
    # out, so nothing said on stderr.
    assert every.stdout == json.dumps(as_json(every), ensure_ascii=False, indent=2) + "\n"
    assert every.stderr == ""
    text = cli("--user", "alice", "group", "requests", "--state", "declined").stdout
    assert "You asked Maya Rosen (Thursday club) about Vera Holt at Globex Inc. — declined" in text
    assert "“Sorry”" in text
    for args, said in (
        (("--direction", "sideways"), "--direction 'sideways' is not a direction; use one of"),
        (("--state", "waiting"), "--state 'waiting' is not a state; use one of asked,"),
        (("--limit", "0"), "--limit must be from 1"),
        (("--offset", "-1"), "--offset must be 0 or more"),
    ):
        refused = cli("--user", "alice", "group", "requests", *args)
        assert refused.exit_code == 2 and said in one_line_error(refused), args
    none = cli("--user", "alice", "group", "requests", "--state", "withdrawn")
    assert none.exit_code == 0 and "No introduction requests like that" in none.stdout
    for shown in ([], ["--direction", "asked_of_you"], ["--json"]):
        seen = cli("--user", "charlie", "group", "requests", *shown)
        assert seen.exit_code == 0 and "Vera" not in seen.stdout and "Ola" not in seen.stdout


def test_requests_help_teaches_the_api_s_words(cli: Run) -> None:
    from circleback.groups.models import IntroRequest
    from circleback.groups.queries import REQUEST_DIRECTIONS

    shown = cli("group", "requests", "--help").stdout
    assert "Example: circleback group requests --direction asked_of_you --state asked" in shown
    for word in (*REQUEST_DIRECTIONS, *IntroRequest.State.values, "--limit", "--offset"):
        assert word in shown, word


def test_the_whole_board_is_reachable_a_page_at_a_time(cli: Run, alice, bob, charlie) -> None:
    """GIVEN 120 posts on the board (past the 100 it used to stop at), WHEN bob pages through
    `group board`, THEN the table shows 50 and says where the rest start, --offset reaches
    the oldest, and --json gives every post unless --limit says otherwise."""
    import time_machine

    from circleback.groups.tests.factories import many_posts

    c = club(alice, bob)
    with time_machine.travel("2026-11-01 10:00Z", tick=False):
        many_posts(c.group, alice, 120)

    def board(*args: str) -> Result:
        done = cli("--user", "bob", "group", "board", "Thursday club", *args)
        assert done.exit_code == 0, done.output
        return done

    first = board()
    posts = [line for line in first.stdout.splitlines() if "asks for advice" in line]
    assert len(posts) == 50 and posts[0].startswith("alice asks for advice: Post 119")
    assert "Showing 1 to 50 of 120 posts; see the next ones with --offset 50." in first.stderr
    last = board("--offset", "100")
    posts = [line for line in last.stdout.splitlines() if "asks for advice" in line]
    assert len(posts) == 20 and posts[-1].startswith("alice asks for advice: Post 000")
    assert "Showing 101 to 120 of 120 posts." in last.stderr
    whole = json.loads(board("--json").stdout)
    assert [p["text"] for p in whole["posts"]] == [f"Post {i:03}" for i in range(119, -1, -1)]
    assert [b["username"] for b in whole["balances"]] == ["bob"]
    some = board("--json", "--limit", "10", "--offset", "105")
    assert [p["text"] for p in json.loads(some.stdout)["posts"]] == [
        f"Post {i:03}" for i in range(14, 4, -1)
    ]
    assert "Showing 106 to 115 of 120 posts; see the next ones with --offset 115." in some.stderr
    refused = cli("--user", "bob", "group", "board", "Thursday club", "--limit", "0")
    assert refused.exit_code == 2 and "--limit must be from 1" in one_line_error(refused)
    outsider = cli("--user", "charlie", "group", "board", "Thursday club", "--offset", "50")
    assert outsider.exit_code == 1 and "Post" not in outsider.output


def test_every_opened_person_is_reachable_through_group_show(cli: Run, alice, bob, charlie) -> None:
    """`group show` pages the people other members opened (230 of them, past the 200 it used
    to stop at) with --limit and --offset; --json gives every one unless --limit; the closed
    one never shows; charlie, outside, is told there is no such group."""
    from circleback.groups.tests.factories import many_opened

    c = club(alice, bob)
    many_opened(c, bob, 228)
    kept = Person.objects.create(owner=bob, full_name="Kept Closed", contact_list="A")
    opening_close(owner=bob, group=c.group, person=kept)

    def show(*args: str) -> Result:
        done = cli("--user", "alice", "group", "show", "Thursday club", *args)
        assert done.exit_code == 0, done.output
        return done

    first = show()
    assert "Opened by other members (230)" in first.stdout and "Listed 049" in first.stdout
    assert "Listed 050" not in first.stdout
    assert "Showing 1 to 50 of 230 opened people; see the next ones with --offset 50." in (
        first.stderr
    )
    last = show("--offset", "200")
    assert "Listed 200" in last.stdout and "Vera Holt" in last.stdout
    assert "Showing 201 to 230 of 230 opened people." in last.stderr
    whole = json.loads(show("--json").stdout)
    assert whole["opened_count"] == 230
    assert [p["name"] for p in whole["opened"]] == [f"Listed {n:03}" for n in range(228)] + [
        "Sam Okafor",
        "Vera Holt",
    ]
    assert "Kept Closed" not in json.dumps(whole) and "vera@globex" not in json.dumps(whole)
    some = show("--json", "--limit", "10", "--offset", "225")
    assert [p["name"] for p in json.loads(some.stdout)["opened"]] == [
        "Listed 225",
        "Listed 226",
        "Listed 227",
        "Sam Okafor",
        "Vera Holt",
    ]
    refused = cli("--user", "alice", "group", "show", "Thursday club", "--offset", "-1")
    assert refused.exit_code == 2 and "--offset must be 0 or more" in one_line_error(refused)
    outsider = cli("--user", "charlie", "group", "show", "Thursday club", "--offset", "50")
    assert outsider.exit_code == 1 and "Listed" not in outsider.output


def test_the_board_narrows_as_the_api_does(cli: Run, alice, bob, charlie) -> None:
    """`group board --kind/--what/--open/--closed` filter the posts with the API's words;
    a word the API would refuse exits 2 naming the allowed ones."""
    from circleback.groups.services import board_close, board_post

    c = club(alice, bob)
    board_post(owner=alice, group=c.group, kind="ask", what="advice", text="CV review")
    offer = board_post(owner=bob, group=c.group, kind="offer", what="article", text="A read")
    board_post(owner=bob, group=c.group, kind="offer", what="advice", text="Salary chat")
    board_close(owner=bob, post=offer, helper=alice, thanks="Thanks")

    def texts(*args: str) -> list[str]:
        done = cli("--user", "alice", "group", "board", "Thursday club", "--json", *args)
        assert done.exit_code == 0, done.output
        return [p["text"] for p in json.loads(done.stdout)["posts"]]

    assert texts("--kind", "offer") == ["Salary chat", "A read"]
    assert texts("--kind", "offer", "--open") == ["Salary chat"]
    assert texts("--closed") == ["A read"]
    assert texts("--what", "advice") == ["Salary chat", "CV review"]
    narrowed = cli("--user", "alice", "group", "board", "Thursday club", "--what", "article")
    assert "offers an article: A read" in narrowed.stdout and "CV review" not in narrowed.stdout
    assert "alice: gave 0, got 1" in narrowed.stdout  # the balances stay whole
    none = cli("--user", "alice", "group", "board", "Thursday club", "--kind", "ask", "--closed")
    assert none.exit_code == 0 and "No posts like that" in none.stdout
    for args, words in (
        (("--kind", "favour"), "--kind 'favour' is not a kind of post; use one of ask, offer."),
        (("--what", "cv"), "use one of article, introduction, advice, mock_interview."),
    ):
        bad = cli("--user", "alice", "group", "board", "Thursday club", *args)
        assert bad.exit_code == 2 and words in one_line_error(bad), bad.output
    outsider = cli("--user", "charlie", "group", "board", "Thursday club", "--kind", "offer")
    assert outsider.exit_code == 1 and "Salary" not in outsider.output


def test_every_invitation_link_is_reachable_through_group_invites(
    cli: Run, alice, bob, charlie
) -> None:
    """GIVEN 120 invitation links (past the 100 `group invites` used to stop at), WHEN alice
    pages through them, THEN the table shows 50 and says where the rest start, --offset
    reaches the oldest, and --json gives every link, newest first, unless --limit says
    otherwise; bob, a member but no organiser, and charlie, outside, get none of them."""
    from circleback.groups.tests.factories import many_invitations

    c = club(alice, bob)
    made = [str(i.uuid) for i in many_invitations(c.group, alice, 120)]

    def invites(*args: str, user: str = "alice") -> Result:
        return cli("--user", user, "group", "invites", "Thursday club", *args)

    first = invites()
    assert first.exit_code == 0, first.output
    assert "Invitation links to Thursday club (120)" in first.stdout
    # An id may fold onto a second line of its cell; its first eight characters don't.
    shown = {u for u in made if u[:8] in first.stdout}
    assert shown == set(made[70:]), len(shown)
    assert (
        "Showing 1 to 50 of 120 invitation links; see the next ones with --offset 50."
        in first.stderr
    )
    last = invites("--offset", "100")
    assert {u for u in made if u[:8] in last.stdout} == set(made[:20])
    assert "Showing 101 to 120 of 120 invitation links." in last.stderr
    whole = json.loads(invites("--json").stdout)
    assert [i["uuid"] for i in whole] == made[::-1]
    assert {(i["state"], i["made_by"]) for i in whole} == {("waiting", "alice")}
    some = invites("--json", "--limit", "10", "--offset", "115")
    assert [i["uuid"] for i in json.loads(some.stdout)] == made[4::-1]
    assert "Showing" not in some.stderr  # the last five: nothing left out after them
    refused = invites("--limit", "0")
    assert refused.exit_code == 2 and "--limit must be from 1" in one_line_error(refused)
    for user, code, said in ((bob, 2, "Only an organiser"), (charlie, 1, "no group called")):
        for args in ((), ("--offset", "50"), ("--json", "--offset", "50")):
            other = invites(*args, user=user.username)
            assert other.exit_code == code and said in one_line_error(other), (user, args)
            assert not any(u in other.output for u in made), (user, args)


def test_every_opening_is_reachable_through_group_openings(cli: Run, alice, bob, charlie) -> None:
    """GIVEN alice opened 1,005 people to the club one by one (past the 1,000 `group
    openings` used to stop at), WHEN she pages through them, THEN the table shows 50 and says
    where the rest start, --offset reaches the last, and --json gives every one in the order
    opened unless --limit says otherwise; bob, in the club, sees only his own two, on any
    page; charlie, outside, is told there is no such group."""
    from circleback.groups.tests.factories import many_openings

    c = club(alice, bob)
    made = [str(o.uuid) for o in many_openings(c.group, alice, 1005)]

    def openings(*args: str, user: str = "alice") -> Result:
        return cli("--user", user, "group", "openings", "Thursday club", *args)

    first = openings()
    assert first.exit_code == 0, first.output
    assert "What you opened to Thursday club (1005)" in first.stdout
    assert "Opened 0049" in first.stdout and "Opened 0050" not in first.stdout
    assert "Showing 1 to 50 of 1005 openings; see the next ones with --offset 50." in first.stderr
    last = openings("--offset", "1000")
    assert "Opened 1004" in last.stdout and "Opened 0999" not in last.stdout
    assert "Showing 1001 to 1005 of 1005 openings." in last.stderr
    whole = json.loads(openings("--json").stdout)
    assert [o["uuid"] for o in whole] == made
    assert [o["person_name"] for o in whole[-2:]] == ["Opened 1003", "Opened 1004"]
    some = json.loads(openings("--json", "--limit", "3", "--offset", "1001").stdout)
    assert [o["uuid"] for o in some] == made[1001:1004]
    bobs = json.loads(openings("--json", user="bob").stdout)
    assert {(o["kind"], o["person_name"] or o["list"]) for o in bobs} == {
        ("person", "Vera Holt"),
        ("list", "A"),
    }
    for args in (("--offset", "50"), ("--json", "--offset", "50"), ("--offset", "1")):
        other = openings(*args, user="bob")
        assert other.exit_code == 0 and "Opened" not in other.output, args
    assert (
        "No openings from --offset 50: there are 2."
        in openings("--offset", "50", user="bob").stderr
    )
    outsider = openings("--json", "--offset", "1000", user="charlie")
    assert outsider.exit_code == 1 and "no group called" in one_line_error(outsider)
    assert "Opened" not in outsider.output


def test_invites_and_openings_page_as_real_processes(tmp_path: Path) -> None:
    """`group invites` and `group openings` as a user runs them, each a real `circleback`
    process: --limit shows the first page and says on stderr where the next starts, --offset
    reaches it, --json is one array; alex, a member, sees neither maya's links nor what she
    opened."""
    migrated_home(tmp_path)

    def run(user: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = run_program(tmp_path, "--user", user, *args)
        assert (done.returncode == 0) == ok, (user, args, done.stdout, done.stderr)
        return done

    for name in ("maya", "alex"):
        made = run_program(
            tmp_path, "user", "create", name, "--password-file", "-", stdin="a long password\n"
        )
        assert made.returncode == 0, made.stderr
    run("maya", "group", "create", "Thursday club")
    links = [
        json.loads(run("maya", "group", "invite", "Thursday club", "--json").stdout)
        for _ in range(3)
    ]
    run("alex", "group", "join", links[0]["link"])
    invites = run("maya", "group", "invites", "Thursday club", "--limit", "2")
    assert "(3)" in invites.stdout and links[0]["uuid"][:8] not in invites.stdout
    assert links[2]["uuid"][:8] in invites.stdout
    assert (
        "Showing 1 to 2 of 3 invitation links; see the next ones with --offset 2." in invites.stderr
    )
    (oldest,) = json.loads(
        run("maya", "group", "invites", "Thursday club", "--offset", "2", "--json").stdout
    )
    assert (oldest["uuid"], oldest["state"]) == (links[0]["uuid"], "used")
    refused = run("alex", "group", "invites", "Thursday club", "--offset", "2", ok=False)
    assert refused.returncode == 2 and links[0]["uuid"] not in refused.stdout + refused.stderr
    for name in ("Vera Holt", "Nina Park"):
        run("maya", "person", "add", name)
        run("maya", "group", "open", "Thursday club", "--person", name, "--consent")
    first = run("maya", "group", "openings", "Thursday club", "--limit", "1")
    assert "Vera Holt" in first.stdout and "Nina Park" not in first.stdout
    assert "Showing 1 to 1 of 2 openings; see the next ones with --offset 1." in first.stderr
    (second,) = json.loads(
        run("maya", "group", "openings", "Thursday club", "--offset", "1", "--json").stdout
    )
    assert second["person_name"] == "Nina Park"
    assert json.loads(run("alex", "group", "openings", "Thursday club", "--json").stdout) == []
