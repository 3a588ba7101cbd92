"""`circleback group …`, `circleback coach …` and `paths --group`, in-process and as a real
process."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_an_outsider_is_told_there_is_no_such_group(cli: Run, alice, bob, charlie) -> None:
    club(alice, bob)
    for args in (
        ("group", "show", "Thursday club"),
        ("group", "invite", "Thursday club"),
        ("group", "leave", "Thursday club"),
        ("group", "open", "Thursday club", "--list", "A", "--consent"),
        ("group", "close", "Thursday club", "--list", "A"),
        ("group", "add", "Thursday club", "charlie"),
        ("group", "openings", "Thursday club"),
        ("group", "balance", "Thursday club", "--share"),
        ("group", "board", "Thursday club"),
        ("group", "invites", "Thursday club"),
        ("coach", "grant", "alice", "--group", "Thursday club"),
        ("paths", "--to", "Globex", "--group", "Thursday club"),
    ):
        result = cli("--user", "charlie", *args)
        assert result.exit_code != 0, args
        assert "no group called 'Thursday club'" in one_line_error(result) or "matches" in (
            result.stderr
        ), (args, result.stderr)
    assert not Membership.objects.filter(owner=charlie).exists()


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
    assert waiting["asked_of_you"][0]["reason"] == "Platform engineering advice"
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
    """Two accounts and an outsider on one database, every step a real `circleback` process."""
    migrated_home(tmp_path)
    for name in ("maya", "alex", "olga"):
        made = run_program(
            tmp_path, "user", "create", name, "--password-file", "-", stdin="a long password\n"
        )
        assert made.returncode == 0, made.stderr
    steps = [
        ("maya", "group", "create", "Thursday club"),
        ("maya", "group", "add", "Thursday club", "alex"),
        ("maya", "person", "add", "Vera Holt", "--org", "Globex", "--title", "CTO"),
        ("maya", "group", "open", "Thursday club", "--person", "Vera Holt", "--consent"),
        ("alex", "org", "add", "Globex", "--target"),
    ]
    for user, *args in steps:
        done = run_program(tmp_path, "--user", user, *args)
        assert done.returncode == 0, (args, done.stderr)
    link = run_program(tmp_path, "--user", "maya", "group", "invite", "Thursday club")
    assert "/groups/join/" in link.stdout
    listed = run_program(tmp_path, "--user", "maya", "group", "invites", "Thursday club", "--json")
    (waiting,) = json.loads(listed.stdout)
    assert waiting["state"] == "waiting" and link.stdout.strip().rsplit("/", 2)[-2] not in (
        listed.stdout
    )
    withdrawn = run_program(
        tmp_path, "--user", "maya", "group", "invite", "Thursday club", "--revoke", waiting["uuid"]
    )
    assert withdrawn.returncode == 0 and "no longer works" in withdrawn.stdout, withdrawn.stderr
    table = run_program(tmp_path, "--user", "maya", "group", "invites", "Thursday club")
    assert "withdrawn" in table.stdout
    found = run_program(
        tmp_path, "--user", "alex", "paths", "--to", "Globex", "--group", "Thursday club"
    )
    assert "maya (Thursday club) knows Vera Holt, CTO at Globex" in found.stdout, found.stderr
    outsider = run_program(tmp_path, "--user", "olga", "group", "show", "Thursday club")
    assert outsider.returncode == 1 and "Vera" not in outsider.stdout + outsider.stderr


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
