"""A member's backup holds their own groups and openings, never other members' people; erasing
an account takes its memberships, openings, requests and grants."""

from __future__ import annotations

import json

from circleback.accounts.models import User
from circleback.groups.models import CoachGrant, Group, IntroRequest, Membership, Opening
from circleback.groups.services import coach_grant, intro_request_ask
from circleback.groups.tests.factories import club
from circleback.operations.backup.services import backup_export, backup_restore
from circleback.operations.erase import account_erase


def test_the_backup_holds_my_openings_and_never_theirs(alice, bob) -> None:
    c = club(alice, bob)
    mine = json.loads(backup_export(owner=bob))
    assert [g["name"] for g in mine["groups"]] == ["Thursday club"]
    kinds = sorted(o["kind"] for o in mine["groups"][0]["openings"])
    assert kinds == ["list", "person"]
    theirs = backup_export(owner=alice).decode()
    assert "Vera Holt" not in theirs and "Sam Okafor" not in theirs
    assert json.loads(theirs)["groups"][0]["openings"] == []
    assert c.group.name in theirs


def test_a_restore_reopens_only_where_already_a_member(alice, bob) -> None:
    club(alice, bob)
    data = backup_export(owner=bob)
    Opening.objects.filter(owner=bob).delete()
    report = backup_restore(owner=bob, data=data)
    assert report.restored["groups"] == 2
    assert Opening.objects.filter(owner=bob).count() == 2
    stranger = User.objects.create(username="stranger")
    report = backup_restore(owner=stranger, data=data)
    assert not Membership.objects.filter(owner=stranger).exists()
    assert any("ask an organiser" in s.reason for s in report.skipped)


def test_erasing_an_account_leaves_no_group_row_of_it(alice, bob) -> None:
    c = club(alice, bob)
    intro_request_ask(owner=alice, group=c.group, person_uuid=str(c.vera.uuid), reason="Advice")
    coach_grant(owner=bob, coach=alice, group=c.group, parts=["loops"])
    account_erase(user=bob)
    assert not Opening.objects.exists() and not IntroRequest.objects.exists()
    assert not CoachGrant.objects.exists()
    assert list(Membership.objects.values_list("owner__username", "role")) == [
        ("alice", "organiser")
    ]
    account_erase(user=alice)
    assert not Group.objects.exists()  # the last member ends the group
