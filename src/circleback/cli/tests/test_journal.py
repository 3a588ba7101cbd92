"""`circleback log` and `circleback journal`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from circleback.accounts.models import User
from circleback.cli.tests.support import Run, as_json, one_line_error
from circleback.journal.models import Interaction, Participation
from circleback.journal.services import interaction_log
from circleback.people.services.organisations import organisation_create

UTC = dt.UTC


def journal_counts() -> tuple[int, int]:
    return Interaction.objects.count(), Participation.objects.count()


def test_it_logs_a_meeting_in_the_users_time_zone(cli: Run, alice: User, make_person: Any) -> None:
    ada = make_person(alice, "Ada Quill")
    bart = make_person(alice, "Bart Nguyen", emails=["bart@x.org"])
    organisation_create(owner=alice, name="Hooli")
    data = as_json(
        cli(
            "log", "Coffee with Ada", "--with", "Ada Quill", "--with", "bart@x.org",
            "--kind", "Meeting", "--when", "2026-07-01", "--time", "14:30",
            "--direction", "outgoing", "--org", "hooli", "--notes", "Offered an intro to Bart",
            "--json",
        )
    )  # fmt: skip
    # Alice lives in London: 14:30 in July is 13:30 UTC.
    assert data["occurred_at"] == "2026-07-01T13:30:00+00:00"
    assert (data["kind"], data["direction"]) == ("meeting", "outgoing")
    assert data["summary"] == "Coffee with Ada"
    assert data["notes"] == "Offered an intro to Bart"
    assert data["organization"] == "Hooli"
    assert {p["full_name"] for p in data["people"]} == {"Ada Quill", "Bart Nguyen"}
    entry = Interaction.objects.get()
    assert entry.occurred_at == dt.datetime(2026, 7, 1, 13, 30, tzinfo=UTC)
    ada.refresh_from_db()
    bart.refresh_from_db()
    assert ada.last_contact_at == bart.last_contact_at == entry.occurred_at


def test_it_prints_what_it_logged(cli: Run, alice: User, make_person: Any) -> None:
    make_person(alice, "Ada Quill")
    result = cli("log", "Coffee", "--with", "Ada", "--kind", "meeting", "--when", "2026-11-20")
    assert result.exit_code == 0, result.output
    # No time given for a past day: midday, London time (UTC+0 in November).
    assert "Logged meeting Coffee with Ada Quill on 2026-11-20 12:00." in result.stdout
    assert Interaction.objects.get().occurred_at == dt.datetime(2026, 11, 20, 12, tzinfo=UTC)


@time_machine.travel(dt.datetime(2026, 7, 1, 22, 45, tzinfo=UTC), tick=False)
def test_without_a_date_it_is_now_and_today_is_the_users_today(cli: Run, alice: User) -> None:
    assert cli("log", "Read an article").exit_code == 0
    assert Interaction.objects.get().occurred_at == dt.datetime(2026, 7, 1, 22, 45, tzinfo=UTC)
    # 22:45 UTC is already 2 July in Tokyo.
    alice.time_zone = "Asia/Tokyo"
    alice.save()
    data = as_json(cli("log", "Called back", "--when", "today", "--time", "09:00", "--json"))
    assert data["occurred_at"] == "2026-07-02T00:00:00+00:00"


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["Coffee", "--kind", "lunch"], 2, "--kind 'lunch' is not a kind of journal entry; use"),
        (["Coffee", "--when", "20/11/2026"], 2, "--when '20/11/2026' is not a date"),
        (["Coffee", "--when", "2026-02-30"], 2, "is not a date; use YYYY-MM-DD"),
        (["Coffee", "--time", "25:00"], 2, "--time '25:00' is not a time of day"),
        (["Coffee", "--time", "noon"], 2, "use HH:MM"),
        (["Coffee", "--direction", "sideways"], 2, "--direction 'sideways' is not a direction"),
        (["   "], 2, "say in a few words what happened"),
        (["Coffee", "--with", "Ada", "--with", "Nobody"], 1, "no one in your network matches"),
        (["Coffee", "--with", "A"], 1, "matches 2 people"),
        (["Coffee", "--org", "Nowhere"], 1, "no organisation matches 'Nowhere'"),
    ],
)
def test_it_refuses_a_bad_entry_and_writes_nothing(
    cli: Run, alice: User, make_person: Any, args: list[str], code: int, expected: str
) -> None:
    make_person(alice, "Ada Quill")
    make_person(alice, "Al Bundy")
    result = cli("log", *args)
    assert result.exit_code == code
    assert expected in one_line_error(result)
    assert journal_counts() == (0, 0)


def test_an_unknown_kind_lists_the_valid_ones(cli: Run, alice: User) -> None:
    error = one_line_error(cli("log", "Coffee", "--kind", "lunch"))
    for kind in Interaction.Kind.values:
        assert kind in error


def test_it_reads_the_journal_newest_first(cli: Run, alice: User, make_person: Any) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    for day, summary, people, kind in [
        (1, "Met Ada", [ada], "meeting"),
        (5, "Called Bart", [bart], "call"),
        (9, "Lunch with both", [ada, bart], "meeting"),
    ]:
        interaction_log(
            owner=alice,
            summary=summary,
            people=people,
            kind=kind,
            occurred_at=dt.datetime(2026, 3, day, 12, tzinfo=UTC),
        )

    def summaries(*args: str) -> list[str]:
        return [e["summary"] for e in as_json(cli("journal", "--json", *args))]

    assert summaries() == ["Lunch with both", "Called Bart", "Met Ada"]
    assert summaries("--person", "Ada Quill") == ["Lunch with both", "Met Ada"]
    assert summaries("--kind", "call") == ["Called Bart"]
    assert summaries("--since", "2026-03-02", "--until", "2026-03-05") == ["Called Bart"]
    assert summaries("--limit", "1") == ["Lunch with both"]
    table = cli("journal").stdout
    newest = Interaction.objects.get(summary="Lunch with both")
    assert "Lunch with" in table and "2026-03-09 12:00" in table
    assert str(newest.uuid)[:8] in table  # the id `circleback journal edit` takes


def test_the_journal_filters_by_organisation(cli: Run, alice: User, make_person: Any) -> None:
    ada = make_person(alice, "Ada Quill", organisation="Hooli")
    interaction_log(owner=alice, summary="Met Ada", people=[ada])
    interaction_log(owner=alice, summary="Unrelated note")
    data = as_json(cli("journal", "--org", "Hooli", "--json"))
    assert [e["summary"] for e in data] == ["Met Ada"]


def test_an_empty_journal_says_how_to_start(cli: Run, alice: User) -> None:
    result = cli("journal")
    assert result.exit_code == 0
    assert "The journal is empty — write the first entry with `circleback log" in result.stdout
    assert "No journal entries match" in cli("journal", "--kind", "call").stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--kind", "brunch"], "--kind 'brunch' is not a kind"),
        (["--since", "last week"], "--since 'last week' is not a date"),
        (["--since", "2026-03-05", "--until", "2026-03-01"], "is after --until"),
        (["--limit", "0"], "--limit must be from 1"),
    ],
)
def test_the_journal_refuses_bad_options(
    cli: Run, alice: User, args: list[str], expected: str
) -> None:
    result = cli("journal", *args)
    assert result.exit_code == 2
    assert expected in one_line_error(result)


def test_the_journal_never_shows_another_accounts_entries(
    cli: Run, alice: User, charlie: User, make_person: Any
) -> None:
    theirs = make_person(charlie, "Secret Contact")
    interaction_log(owner=charlie, summary="Secret meeting", people=[theirs])
    interaction_log(owner=alice, summary="My note")
    data = as_json(cli("--user", "alice", "journal", "--json"))
    assert [e["summary"] for e in data] == ["My note"]
    result = cli("--user", "alice", "journal", "--person", str(theirs.uuid))
    assert result.exit_code == 1
    assert "Secret" not in result.stdout
    refused = cli("--user", "alice", "log", "Sneaky", "--with", str(theirs.uuid))
    assert refused.exit_code == 1
    assert Interaction.objects.filter(owner=alice).count() == 1


def _entry_id(cli: Run, summary: str) -> str:
    [entry] = [e for e in as_json(cli("journal", "--json")) if e["summary"] == summary]
    return str(entry["id"])


def test_it_changes_who_took_part(cli: Run, alice: User, make_person: Any) -> None:
    ada, bart = make_person(alice, "Ada Quill"), make_person(alice, "Bart Nguyen")
    when = dt.datetime(2026, 3, 9, 12, tzinfo=UTC)
    interaction_log(owner=alice, summary="Lunch", people=[ada], occurred_at=when)
    short = _entry_id(cli, "Lunch")
    assert short in cli("journal").stdout
    result = cli("journal", "edit", short, "--with", "Bart Nguyen", "--without", "Ada Quill")
    assert result.exit_code == 0, result.output
    assert "Saved" in result.stdout and "with Bart Nguyen" in result.stdout
    entry = Interaction.objects.get()
    assert [p.full_name for p in entry.people.all()] == ["Bart Nguyen"]
    ada.refresh_from_db()
    bart.refresh_from_db()
    assert (ada.last_contact_at, bart.last_contact_at) == (None, when)
    data = as_json(cli("journal", "edit", short, "--with", "Ada Quill", "--notes", "Hi", "--json"))
    assert {p["full_name"] for p in data["people"]} == {"Ada Quill", "Bart Nguyen"}
    assert data["notes"] == "Hi" and data["occurred_at"] == when.isoformat()
    data = as_json(cli("journal", "edit", short, "--time", "09:30", "--json"))
    assert data["occurred_at"] == "2026-03-09T09:30:00+00:00"  # London is on GMT in March


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--with", "Nobody Known"], "no one in your network matches 'Nobody Known'"),
        (["--without", "Bart Nguyen"], "Bart Nguyen is not on this entry"),
        (["--with", "Bart Nguyen", "--without", "Bart Nguyen"], "in both --with and --without"),
        (["--summary", " "], "what happened"),
        ([], "say what to change"),
    ],
)
def test_a_bad_edit_writes_nothing(
    cli: Run, alice: User, make_person: Any, args: list[str], expected: str
) -> None:
    ada = make_person(alice, "Ada Quill")
    make_person(alice, "Bart Nguyen")
    interaction_log(owner=alice, summary="Lunch", people=[ada])
    result = cli("journal", "edit", _entry_id(cli, "Lunch"), *args)
    assert result.exit_code in (1, 2)
    assert expected in one_line_error(result)
    entry = Interaction.objects.get()
    assert entry.summary == "Lunch" and list(entry.people.all()) == [ada]


def test_an_entry_can_lose_everyone_but_a_meeting_keeps_its_person(
    cli: Run, alice: User, make_person: Any
) -> None:
    from circleback.loops.services.meetings import meeting_log_outcome, meeting_schedule

    ada = make_person(alice, "Ada Quill")
    interaction_log(owner=alice, summary="Thoughts", people=[ada])
    result = cli("journal", "edit", _entry_id(cli, "Thoughts"), "--without", "Ada Quill")
    assert result.exit_code == 0 and "with no one" in result.stdout
    meeting = meeting_schedule(
        owner=alice, person=ada, scheduled_for=timezone.now() + dt.timedelta(minutes=5)
    )
    meeting.scheduled_for = timezone.now() - dt.timedelta(minutes=30)
    meeting.save()
    meeting_log_outcome(meeting=meeting)
    short = _entry_id(cli, "Information meeting with Ada Quill")
    result = cli("journal", "edit", short, "--without", "Ada Quill")
    assert result.exit_code == 2
    assert "Ada Quill stays on it" in one_line_error(result)


def test_it_cannot_edit_another_accounts_entry(cli: Run, alice: User, charlie: User) -> None:
    theirs = interaction_log(owner=charlie, summary="Secret meeting")
    result = cli("--user", "alice", "journal", "edit", str(theirs.uuid), "--summary", "Mine")
    assert result.exit_code == 2
    assert "no journal entry has the id" in one_line_error(result)
    theirs.refresh_from_db()
    assert theirs.summary == "Secret meeting"


def test_the_journal_pages_with_offset(cli: Run, alice: User) -> None:
    for day in range(1, 6):
        interaction_log(
            owner=alice, summary=f"Day {day}", occurred_at=dt.datetime(2026, 3, day, tzinfo=UTC)
        )

    def summaries(*args: str) -> list[str]:
        return [e["summary"] for e in as_json(cli("journal", "--json", *args))]

    assert summaries("--limit", "2", "--offset", "2") == ["Day 3", "Day 2"]
    first = cli("journal", "--limit", "2").stderr
    assert "Showing 1 to 2 of 5 entries; see the next ones with --offset 2" in first
    assert "there are 5" in cli("journal", "--offset", "9").stderr
