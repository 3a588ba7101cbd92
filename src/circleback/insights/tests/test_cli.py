from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from circleback.cli.tests.support import as_json, one_line_error
from circleback.insights.models import CadenceSettings, MonthlyGoals, Pitch, PitchPractice, Snooze
from circleback.insights.tests.conftest import at, contact

NOW = at(2026, 11, 20, 10)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ben(alice, added):
    person = added(alice, "Ben Career", at(2025, 1, 1), contact_list="B", closeness=3)
    contact(alice, person, NOW - dt.timedelta(days=90))
    return person


def test_today_lists_reconnects_as_text_and_json(cli, alice, ben, frozen):
    result = cli("today")
    assert result.exit_code == 0, result.output
    assert "Today, Friday 20 November 2026" in result.stdout
    assert "Ben Career: 90 days since you were last in touch (every 60 days)" in result.stdout

    data = as_json(cli("today", "--json"))
    assert data["today"] == "2026-11-20"
    assert data["reconnects"][0]["person"]["full_name"] == "Ben Career"
    assert data["reconnects"][0]["days_overdue"] == 30
    assert data["loops_overdue"] == [] and data["gives"] == []


def test_today_with_nothing_due_gives_the_articles_advice(cli, alice, frozen):
    result = cli("today")
    assert result.exit_code == 0
    assert "Stay connected when you need nothing" in result.stdout


def test_health_as_text_and_json(cli, alice, ben, frozen):
    result = cli("health")
    assert result.exit_code == 0, result.output
    assert "Name ten: 1 of 10" in result.stdout
    data = as_json(cli("health", "--json"))
    assert data["name_ten"]["count"] == 1
    assert data["name_ten"]["people"][0]["full_name"] == "Ben Career"
    assert data["lists"] == {"A": 0, "B": 1, "C": 0}
    assert data["favours"] == {"given": 0, "received": 0}


def test_snooze_and_lift_it(cli, alice, ben, frozen):
    result = cli("snooze", "Ben Career", "--until", "2026-12-24")
    assert result.exit_code == 0, result.output
    assert "Snoozed Ben Career until 24 Dec 2026" in result.stdout
    assert as_json(cli("today", "--json"))["reconnects"] == []
    assert cli("snooze", "Ben Career", "--off").exit_code == 0
    assert Snooze.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("snooze", "Nobody Known", "--until", "2026-12-24"), "no one in your network"),
        (("snooze", "Ben Career", "--until", "24/12/2026"), "is not a date"),
        (("snooze", "Ben Career", "--until", "2026-11-01"), "after today"),
        (("snooze", "Ben Career"), "--until YYYY-MM-DD or --off"),
    ],
)
def test_a_bad_snooze_is_one_line_and_changes_nothing(cli, alice, ben, frozen, args, message):
    result = cli(*args)
    assert result.exit_code != 0
    assert message in one_line_error(result)
    assert Snooze.objects.count() == 0


def test_cadence_set_and_back_to_default(cli, alice, ben, frozen):
    assert cli("cadence", "set", "Ben Career", "30").exit_code == 0
    ben.refresh_from_db()
    assert ben.cadence_days == 30
    result = cli("cadence", "set", "Ben Career", "--default")
    assert "on your default cadence" in result.stdout
    ben.refresh_from_db()
    assert ben.cadence_days is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("cadence", "set", "Ben Career", "--", "-5"), "between 1 and 3650"),
        (("cadence", "set", "Ben Career", "soon"), "not a whole number"),
        (("cadence", "set", "Ben Career"), "one of them"),
        (("cadence", "set", "Nobody Known", "30"), "no one in your network"),
        (("cadence", "defaults", "--list-b", "0"), "--list-b: A cadence must be between"),
    ],
)
def test_a_bad_cadence_is_one_line_and_changes_nothing(cli, alice, ben, frozen, args, message):
    result = cli(*args)
    assert result.exit_code != 0
    assert message in one_line_error(result)
    ben.refresh_from_db()
    assert ben.cadence_days is None
    assert CadenceSettings.objects.count() == 0


def test_cadence_defaults_show_and_change(cli, alice, frozen):
    assert as_json(cli("cadence", "defaults", "--json"))["B"] == 60
    result = cli("cadence", "defaults", "--list-b", "45", "--inner-circle", "21")
    assert "List B: every 45 days" in result.stdout
    assert "Inner circle: every 21 days" in result.stdout
    assert as_json(cli("cadence", "defaults", "--reset", "--json"))["B"] == 60


def test_goals_show_and_set(cli, alice, added, frozen):
    added(alice, "New Nina", at(2026, 11, 2))
    data = as_json(cli("goals", "--json"))
    assert data["this_month"]["new_contacts"] == {
        "count": 1,
        "target": 4,
        "met": False,
        "streak": 0,
    }
    assert len(data["history"]) == 12 and data["history"][-1]["month"] == "2026-11"
    assert cli("goals", "set", "--contacts", "1", "--favours", "0").exit_code == 0
    assert as_json(cli("goals", "--json"))["this_month"]["new_contacts"]["met"] is True
    assert "New contacts" in cli("goals").stdout


@pytest.mark.parametrize(
    "args",
    [("goals", "set"), ("goals", "set", "--meetings", "-1"), ("goals", "set", "--meetings", "x")],
)
def test_bad_goals_are_refused(cli, alice, frozen, args):
    result = cli(*args)
    assert result.exit_code == 2
    assert MonthlyGoals.objects.count() == 0


def test_pitch_add_list_show_and_practice(cli, alice, make_person, tmp_path, frozen):
    sister = make_person(alice, "Amy Sister", contact_list="A", closeness=5)
    boss = make_person(alice, "Bea Boss", contact_list="B")
    result = cli("pitch", "add", "I help small teams ship software they trust.")
    assert result.exit_code == 0, result.output
    assert "8 words, about 0:03 to say" in result.stdout

    long = tmp_path / "pitch.txt"
    long.write_text(" ".join(["word"] * 320), encoding="utf-8")
    result = cli("pitch", "add", "--file", str(long), "--label", "too long")
    assert "over two minutes" in result.stdout

    listed = as_json(cli("pitch", "list", "--json"))
    assert [p["label"] for p in listed] == ["too long", ""]
    assert listed[0]["speaking_time"] == "2:08" and listed[0]["too_long"] is True
    shown = as_json(cli("pitch", "show", listed[1]["id"], "--json"))
    assert shown["word_count"] == 8

    result = cli("pitch", "practice", "--with", "Bea Boss")
    assert "list A first" in result.stdout and "Try Amy Sister" in result.stdout
    result = cli("pitch", "practice", "--with", "Amy Sister", "--notes", "slower")
    assert "list A first" not in result.stdout
    assert set(PitchPractice.objects.values_list("person_id", flat=True)) == {boss.pk, sister.pk}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("pitch", "add"), "TEXT or --file"),
        (("pitch", "add", "   "), "Write the pitch"),
        (("pitch", "add", "--file", "/no/such/file.txt"), "cannot read --file"),
        (("pitch", "show"), "no pitch yet"),
        (("pitch", "practice", "--with", "Amy"), "no pitch yet"),
    ],
)
def test_bad_pitch_input_is_one_line(cli, alice, frozen, args, message):
    result = cli(*args)
    assert result.exit_code != 0
    assert message in one_line_error(result)
    assert Pitch.objects.count() == 0


def test_practice_in_the_future_is_refused(cli, alice, frozen):
    cli("pitch", "add", "Hello there.")
    result = cli("pitch", "practice", "--on", "2026-12-01")
    assert "--on: Log a practice once it has happened" in one_line_error(result)
    assert PitchPractice.objects.count() == 0
