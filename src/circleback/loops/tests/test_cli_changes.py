"""CLI: `meeting edit|delete`, `favour edit|delete`, `share delete`, `loop lead --new`, and
`loop settings` with every due-date offset."""

from __future__ import annotations

import datetime as dt
import json

from circleback.loops.models import Favour, Lead, LoopSettings, LoopStep, Meeting, Share
from circleback.loops.services.favours import favour_log
from circleback.loops.services.meetings import meeting_log_outcome, meeting_schedule
from circleback.loops.services.shares import share_log
from circleback.loops.tests.conftest import NOW
from circleback.loops.tests.test_cli import _error, cli  # noqa: F401  (the fixture)
from circleback.loops.tests.test_services import _counts
from circleback.people.models import Person

TOMORROW = NOW + dt.timedelta(days=1)


def test_meeting_edit_reschedules_and_moves_the_step(cli, alice, ada, bart, frozen):  # noqa: F811
    meeting = meeting_schedule(owner=alice, person=ada, scheduled_for=TOMORROW)
    result = cli(
        "meeting",
        "edit",
        str(meeting.uuid)[:8],
        "--when",
        "2026-11-25 09:30",
        "--minutes",
        "20",
        "--where",
        "video call",
        "--purpose",
        "industry",
        "--referred-by",
        "Bart Nguyen",
    )
    assert result.exit_code == 0, result.output
    meeting.refresh_from_db()
    assert meeting.scheduled_for == dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
    assert (meeting.location, meeting.purposes, meeting.referred_by) == (
        "video call",
        ["industry"],
        bart,
    )
    step = LoopStep.objects.get(meeting=meeting)
    assert step.due_at == dt.datetime(2026, 11, 25, 9, 50, tzinfo=dt.UTC)
    assert cli("meeting", "edit", "Ada Quill", "--no-referrer").exit_code == 0
    meeting.refresh_from_db()
    assert meeting.referred_by is None


def test_meeting_edit_refuses_the_past_and_writes_nothing(cli, alice, ada, frozen):  # noqa: F811
    meeting = meeting_schedule(owner=alice, person=ada, scheduled_for=TOMORROW)
    before = _counts()
    result = cli("meeting", "edit", "Ada Quill", "--when", "2026-11-01 09:00", "--where", "Pub")
    assert result.exit_code == 2
    assert "--when: That time has already passed" in _error(result)
    result = cli("meeting", "edit", "Ada Quill", "--purpose", "a job")
    assert result.exit_code == 2 and "--purpose" in _error(result)
    result = cli("meeting", "edit", "Ada Quill", "--referred-by", "Ada Quill", "--no-referrer")
    assert result.exit_code == 2
    meeting.refresh_from_db()
    assert (meeting.scheduled_for, meeting.location) == (TOMORROW, "") and _counts() == before


def test_a_held_meeting_cannot_move_into_the_future(cli, alice, ada, frozen):  # noqa: F811
    meeting = meeting_schedule(
        owner=alice, person=ada, scheduled_for=NOW - dt.timedelta(hours=2), held=True
    )
    meeting_log_outcome(meeting=meeting, learned="Plenty")
    result = cli("meeting", "edit", str(meeting.uuid), "--when", "2026-11-30 10:00")
    assert result.exit_code == 2 and "can't move into the future" in _error(result)
    result = cli("meeting", "edit", str(meeting.uuid), "--outcome", "An intro to Initech")
    assert result.exit_code == 0
    meeting.refresh_from_db()
    assert meeting.outcome == "An intro to Initech"


def test_meeting_delete_asks_unless_told_yes(cli, alice, ada, frozen):  # noqa: F811
    meeting = meeting_schedule(owner=alice, person=ada, scheduled_for=TOMORROW)
    result = cli("meeting", "delete", str(meeting.uuid)[:8])
    assert result.exit_code == 2 and "add --yes" in _error(result)
    assert Meeting.objects.count() == 1
    result = cli("meeting", "delete", str(meeting.uuid)[:8], "--yes")
    assert result.exit_code == 0 and "Deleted the meeting with Ada Quill" in result.stdout
    assert Meeting.objects.count() == 0 and LoopStep.objects.count() == 0


def test_favour_edit_and_delete(cli, alice, ada, frozen):  # noqa: F811
    favour_log(owner=alice, person=ada, direction="given", kind="advice")
    [row] = json.loads(cli("favour", "list", "--json").stdout)
    result = cli(
        "favour", "edit", row["id"], "--received", "--kind", "endorsement", "--on", "2026-11-19"
    )
    assert result.exit_code == 0, result.output
    favour = Favour.objects.get()
    assert (favour.direction, favour.kind, favour.occurred_on) == (
        "received",
        "endorsement",
        dt.date(2026, 11, 19),
    )
    assert LoopStep.objects.filter(kind="thank_you", done_at__isnull=True).count() == 1

    before = _counts()
    result = cli("favour", "edit", row["id"], "--on", "2027-01-01")
    assert result.exit_code == 2 and "--on" in _error(result)
    result = cli("favour", "edit", row["id"], "--given", "--received")
    assert result.exit_code == 2
    result = cli("favour", "edit", "ffffffff", "--note", "x")
    assert result.exit_code == 2 and "no favour has the id" in _error(result)
    assert _counts() == before

    assert cli("favour", "delete", row["id"]).exit_code == 2
    assert cli("favour", "delete", row["id"], "--yes").exit_code == 0
    assert Favour.objects.count() == 0 and LoopStep.objects.count() == 0


def test_share_delete(cli, alice, ada, frozen):  # noqa: F811
    share_log(owner=alice, people=[ada], title="Fintech report")
    [row] = json.loads(cli("share", "list", "--json").stdout)
    assert cli("share", "delete", row["id"]).exit_code == 2
    result = cli("share", "delete", row["id"], "--yes")
    assert result.exit_code == 0 and "Deleted the share “Fintech report”" in result.stdout
    assert Share.objects.count() == 0 and Favour.objects.count() == 0


def test_others_rows_are_not_found(cli, alice, charlie, ada, frozen, monkeypatch):  # noqa: F811
    meeting = meeting_schedule(owner=alice, person=ada, scheduled_for=TOMORROW)
    favour = favour_log(owner=alice, person=ada, direction="received")
    share = share_log(owner=alice, people=[ada], title="Report")
    monkeypatch.setenv("CIRCLEBACK_USER", "charlie")
    before = _counts()
    for args in (
        ("meeting", "delete", str(meeting.uuid), "--yes"),
        ("meeting", "edit", str(meeting.uuid), "--where", "x"),
        ("favour", "delete", str(favour.uuid), "--yes"),
        ("share", "delete", str(share.uuid), "--yes"),
    ):
        result = cli(*args)
        assert result.exit_code != 0, args
        assert "no " in result.stderr or "No " in result.stderr, result.stderr
    assert _counts() == before


def test_a_new_lead_from_the_command_line(cli, alice, ada, frozen):  # noqa: F811
    result = cli("loop", "lead", "Ada Quill", "Eli Moss", "--new", "--org", "Initech", "--name-ok")
    assert result.exit_code == 0, result.output
    assert "contact Eli Moss by 2026-11-23" in result.stdout
    eli = Person.objects.get(full_name="Eli Moss")
    assert eli.introduced_by == ada and Lead.objects.get().referred == eli
    before = _counts()
    result = cli("loop", "lead", "Ada Quill", "Fay Ng", "--new", "--list", "A")
    assert result.exit_code == 2 and "--list" in _error(result)
    assert _counts() == before


def test_loop_settings_show_and_change_every_offset(cli, alice, frozen):  # noqa: F811
    result = cli("loop", "settings")
    assert "contact within 3 days, meet within 14" in result.stdout
    result = cli("loop", "settings", "--lead-contact-days", "5", "--check-back-days", "30")
    assert result.exit_code == 0
    settings = LoopSettings.objects.get(user=alice)
    assert (settings.lead_contact_days, settings.check_back_days) == (5, 30)
    result = cli("loop", "settings", "--lead-meet-days", "91")
    assert result.exit_code == 2 and "--lead-meet-days" in _error(result)
    settings.refresh_from_db()
    assert settings.lead_meet_days == 14


def test_standing_offers_are_listed_and_taken_up(cli, alice, ada, charlie, frozen, monkeypatch):  # noqa: F811
    monkeypatch.setenv("CIRCLEBACK_USER", "alice")
    assert cli("favour", "offer", "Ada Quill", "Review her deck").exit_code == 0
    [row] = json.loads(cli("favour", "offers", "--json").stdout)
    assert (row["person"], row["offer"]) == ("Ada Quill", "Review her deck")
    monkeypatch.setenv("CIRCLEBACK_USER", "charlie")
    result = cli("favour", "taken-up", row["id"])
    assert result.exit_code == 2 and "no open standing offer" in _error(result)
    monkeypatch.setenv("CIRCLEBACK_USER", "alice")
    assert cli("favour", "taken-up", row["id"]).exit_code == 0
    assert json.loads(cli("favour", "offers", "--json").stdout) == []
