from __future__ import annotations

import json

import pytest
from django.utils import timezone

from circleback.cli import app
from circleback.cli.tests.support import Runner
from circleback.loops.models import Favour, Lead, LoopStep, Meeting, NamePermission
from circleback.people.models import Person


@pytest.fixture
def cli(db, monkeypatch):
    monkeypatch.delenv("CIRCLEBACK_USER", raising=False)
    runner = Runner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    yield run
    timezone.deactivate()


def _error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("circleback: ")
    return lines[0]


def test_it_schedules_preps_and_logs_a_meeting(cli, alice, ada, bart, frozen):
    result = cli(
        "meeting",
        "schedule",
        "Ada Quill",
        "--when",
        "2026-11-21 14:30",
        "--purpose",
        "referrals",
        "--referred-by",
        "Bart Nguyen",
        "--minutes",
        "45",
    )
    assert result.exit_code == 0, result.output
    assert "never requesting more than 30 minutes" in result.stdout
    meeting = Meeting.objects.get()
    assert meeting.scheduled_for.isoformat() == "2026-11-21T14:30:00+00:00"  # London in winter

    brief = json.loads(cli("meeting", "prep", "Ada Quill", "--json").stdout)
    assert brief["referred_by"] == "Bart Nguyen"
    assert "Obtain referrals" in brief["questions"]
    assert brief["pitch"] is None

    frozen.move_to("2026-11-21 16:00Z")
    result = cli(
        "meeting",
        "log",
        str(meeting.uuid)[:8],
        "--learned",
        "A lot",
        "--referral",
        "Dana Lee@Hooli",
        "--referral",
        "Eli Moss",
        "--name-ok",
        "--offered",
        "information",
        "--offer-note",
        "The payments report",
    )
    assert result.exit_code == 0, result.output
    assert Lead.objects.count() == 2
    assert NamePermission.objects.count() == 2
    assert Favour.objects.filter(direction="given").count() == 1
    assert "Thank Ada Quill by 2026-11-22 16:00" in result.stdout


def test_it_refuses_a_past_time_for_an_upcoming_meeting(cli, alice, ada, frozen):
    result = cli("meeting", "schedule", "Ada Quill", "--when", "2026-11-01 09:00")
    assert result.exit_code == 2
    assert "--when: That time has already passed" in _error(result)
    assert Meeting.objects.count() == 0
    result = cli("meeting", "schedule", "Ada Quill", "--when", "next tuesday")
    assert result.exit_code == 2 and "is not a date and time" in _error(result)


def test_it_lists_and_advances_loops_in_order(cli, alice, ada, make_person, frozen):
    make_person(alice, "Dana Lee")
    assert cli("loop", "lead", "Ada Quill", "Dana Lee", "--for", "data team").exit_code == 0
    [item] = json.loads(cli("loop", "list", "--json").stdout)
    assert item["title"] == "Contact Dana Lee"
    assert item["actions"] == [{"to": "contacted", "label": "Contacted"}]

    result = cli("loop", "advance", item["id"], "--to", "met")
    assert result.exit_code == 2
    assert "out of order" in _error(result)

    result = cli("loop", "advance", item["id"])
    assert result.exit_code == 0 and "Next: Meet Dana Lee" in result.stdout
    [item] = json.loads(cli("loop", "list", "--json").stdout)
    result = cli("loop", "snooze", item["id"], "--until", "2027-01-10")
    assert result.exit_code == 0
    assert LoopStep.objects.get(uuid=item["uuid"]).snoozed_until.isoformat() == "2027-01-10"
    assert json.loads(cli("loop", "list", "--overdue", "--json").stdout) == []


def test_it_logs_favours_and_shows_the_balance(cli, alice, ada, frozen):
    assert cli("favour", "log", "Ada Quill", "--received", "--kind", "advice").exit_code == 0
    assert cli("favour", "log", "Ada Quill", "--given", "--kind", "information").exit_code == 0
    [row] = json.loads(cli("favour", "balance", "--json").stdout)
    assert (row["given"], row["received"], row["net"]) == (1, 1, 0)
    [thanks] = json.loads(cli("loop", "list", "--thanks", "--json").stdout)
    result = cli("loop", "advance", thanks["id"], "--how", "card")
    assert result.exit_code == 0
    result = cli("favour", "log", "Ada Quill", "--given", "--kind", "bribe")
    assert result.exit_code == 2 and "--kind" in _error(result)
    assert cli("favour", "log", "Ada Quill").exit_code == 2


def test_intro_share_permission_and_draft(cli, alice, ada, bart, frozen):
    result = cli("intro", "make", "Ada Quill", "Ada Quill", "--reason", "x")
    assert result.exit_code == 2 and "themselves" in _error(result)
    assert cli("intro", "make", "Ada Quill", "Bart Nguyen", "--reason", "Payments").exit_code == 0
    [intro] = json.loads(cli("intro", "list", "--json").stdout)
    assert cli("intro", "advance", intro["id"], "--to", "asked_x").exit_code == 0

    result = cli(
        "share",
        "log",
        "Fintech",
        "--with",
        "Ada Quill",
        "--with",
        "Bart Nguyen",
        "--url",
        "https://example.org/f",
        "--topic",
        "fintech",
    )
    assert result.exit_code == 0
    [share] = json.loads(cli("share", "list", "--json").stdout)
    assert share["with"] == ["Ada Quill", "Bart Nguyen"]

    draft = json.loads(
        cli("draft", "outreach", "Ada Quill", "--referrer", "Bart Nguyen", "--json").stdout
    )
    assert draft["warnings"] and "job" not in draft["body"].lower()
    assert cli("permission", "grant", "Bart Nguyen").exit_code == 0
    [permission] = json.loads(cli("permission", "list", "--json").stdout)
    assert permission["organisation"] is None
    draft = json.loads(
        cli("draft", "outreach", "Ada Quill", "--referrer", "Bart Nguyen", "--json").stdout
    )
    assert draft["warnings"] == []
    assert Person.objects.count() == 2
