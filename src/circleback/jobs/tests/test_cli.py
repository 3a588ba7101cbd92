"""`circleback job …`: in-process for the details, and as a real program once, start to end;
another account's openings are "not found"."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from circleback.accounts.models import User
from circleback.cli.tests.support import (
    Run,
    as_json,
    cli,
    cli_environment,
    migrated_home,
    one_line_error,
    run_program,
)
from circleback.jobs.models import Opening
from circleback.jobs.services import opening_add

__all__ = ["cli", "cli_environment"]


def test_add_shows_who_you_know_there_and_the_ways_in(
    cli: Run, alice: User, ada: Any, dana: Any, tie: Any
) -> None:
    result = cli("job", "add", "Data Analyst", "--org", "Hooli", "--url", "https://j.example/1")
    assert result.exit_code == 0, result.output
    assert "Added Data Analyst at Hooli" in result.stdout
    assert "Dana Hale (decision maker)" in result.stdout
    assert "You → Ada Quill" in result.stdout
    data = as_json(cli("job", "add", "Analyst II", "--org", "Hooli", "--json"))
    assert (
        data["stage"] == "found"
        and data["network"]["ways_in"][0]["people"][0]["name"] == "Ada Quill"
    )


def test_a_referral_advances_with_its_loop_and_stats_say_too_few(
    cli: Run, alice: User, ada: Any
) -> None:
    added = as_json(
        cli("job", "add", "Analyst", "--org", "Hooli", "--referred-by", "Ada Quill", "--json")
    )
    assert added["via"] == "referral" and added["through"] == "Ada Quill"
    job = added["id"]
    assert cli("job", "advance", job, "--to", "applied").exit_code == 0
    moved = cli("job", "advance", job, "--to", "interviewing", "--note", "Recruiter called")
    assert "interviewing since" in moved.stdout
    shown = as_json(cli("job", "show", job, "--json"))
    assert [t["stage"] for t in shown["timeline"]] == ["found", "applied", "interviewing"]
    assert shown["referral_loop_open"] is True
    assert shown["people"] == [{"name": "Ada Quill", "uuid": str(ada.uuid), "role": "referrer"}]
    stats = as_json(cli("job", "stats", "--json"))
    assert stats["routes"][0]["route"] == "referred" and stats["routes"][0]["interviews"] == 1
    assert "too few" in stats["summary"]
    listed = as_json(cli("job", "list", "--stage", "interviewing", "--json"))
    assert [o["title"] for o in listed] == ["Analyst"]


def test_bad_input_is_one_line_and_writes_nothing(cli: Run, alice: User) -> None:
    for args, words in (
        (("job", "add", "A", "--org", "Hooli", "--via", "pigeon"), "--via 'pigeon'"),
        (("job", "add", "A", "--org", "Hooli", "--deadline", "soon"), "--deadline 'soon'"),
        (("job", "add", "A", "--org", "Hooli", "--url", "nope"), "--url"),
        (("job", "add", "A", "--org", "Hooli", "--via", "referral"), "--referred-by"),
        (("job", "list", "--stage", "hired"), "--stage 'hired'"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert words in one_line_error(result), args
    assert not Opening.objects.exists()
    opening = opening_add(owner=alice, title="A", organisation="Hooli")
    refused = cli("job", "advance", str(opening.uuid)[:8], "--to", "accepted")
    assert refused.exit_code == 2 and "--to" in one_line_error(refused)
    assert cli("job", "list").stdout.count("found") == 1


def test_another_accounts_opening_is_not_found(cli: Run, alice: User, charlie: User) -> None:
    theirs = opening_add(owner=charlie, title="Secret role", organisation="Umbrella")
    for args in (
        ("job", "show", str(theirs.uuid)),
        ("job", "advance", str(theirs.uuid)[:8], "--to", "applied"),
        ("job", "show", "Secret role"),
    ):
        result = cli("--user", "alice", *args)
        assert result.exit_code == 2, args
        assert "no opening matches" in one_line_error(result)
    listed = as_json(cli("--user", "alice", "job", "list", "--json"))
    assert listed == []
    theirs.application.refresh_from_db()
    assert theirs.application.stage == "found"


def test_the_job_commands_run_as_a_program(tmp_path: Path) -> None:
    migrated_home(tmp_path)
    created = run_program(
        tmp_path, "user", "create", "ada", "--password-file", "-", stdin="a long enough password\n"
    )
    assert created.returncode == 0, created.stderr
    helped = run_program(tmp_path, "job", "--help")
    assert helped.returncode == 0 and "Example:" in helped.stdout
    assert run_program(tmp_path, "person", "add", "Ada Quill", "--org", "Initech").returncode == 0
    added = run_program(
        tmp_path,
        "job",
        "add",
        "Data Analyst",
        "--org",
        "Hooli",
        "--referred-by",
        "Ada Quill",
        "--json",
    )
    assert added.returncode == 0, added.stderr
    job = json.loads(added.stdout)["id"]
    moved = run_program(tmp_path, "job", "advance", job, "--to", "applied")
    assert moved.returncode == 0 and "applied since" in moved.stdout
    listed = json.loads(run_program(tmp_path, "job", "list", "--json").stdout)
    assert [(o["title"], o["stage"]) for o in listed] == [("Data Analyst", "applied")]
    stats = run_program(tmp_path, "job", "stats")
    assert stats.returncode == 0 and "too few" in stats.stdout
    bad = run_program(tmp_path, "job", "advance", job, "--to", "hired")
    assert bad.returncode == 2 and bad.stderr.startswith("circleback:")


TRACKERS = (
    Path(__file__).resolve().parents[2] / "interchange" / "tests" / "fixtures" / "job-trackers"
)


def test_import_previews_then_brings_applications_in(cli: Run, alice: User) -> None:
    path = str(TRACKERS / "jobapplier-summary.csv")
    dry = cli("job", "import", path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Dry run — nothing was written. Would have added 3 applications" in dry.stdout
    assert not Opening.objects.exists()
    report = as_json(cli("job", "import", path, "--json"))
    assert report["created"] == 3 and report["format"] == "job-tracker-csv"
    again = cli("job", "import", path)
    assert "Added 0 applications, 3 already there" in again.stdout
    broken = cli("job", "import", str(TRACKERS / "tracker-board.csv"))
    assert broken.exit_code == 1 and "row 5: it has no title" in one_line_error(broken)
    assert Opening.objects.count() == 3


def test_edit_changes_what_is_given_and_leaves_the_rest(
    cli: Run, alice: User, ada: Any, dana: Any
) -> None:
    opening = opening_add(
        owner=alice, title="Analyst", organisation="Hooli", url="https://j.example/1"
    )
    job = str(opening.uuid)[:8]
    edited = as_json(
        cli("job", "edit", job, "--title", "Senior  Analyst", "--deadline", "2026-12-20", "--json")
    )
    assert edited["title"] == "Senior Analyst" and str(edited["deadline"]) == "2026-12-20"
    assert edited["url"] == "https://j.example/1" and edited["via"] == "board"
    # A person alone on a posting means a referral; the part moves with the route.
    assert cli("job", "edit", job, "--through", "Ada Quill").exit_code == 0
    shown = as_json(cli("job", "show", job, "--json"))
    assert shown["via"] == "referral" and shown["people"][0]["role"] == "referrer"
    moved = cli("job", "edit", job, "--via", "recruiter", "--through", "Dana Hale")
    assert moved.exit_code == 0, moved.output
    shown = as_json(cli("job", "show", job, "--json"))
    assert [(p["name"], p["role"]) for p in shown["people"]] == [("Dana Hale", "recruiter")]
    cleared = as_json(cli("job", "edit", job, "--deadline", "", "--url", "", "--json"))
    assert cleared["deadline"] is None and cleared["url"] == ""
    for args, words in (
        (("job", "edit", job), "say what to change"),
        (("job", "edit", job, "--url", "nope"), "--url"),
        (("job", "edit", job, "--via", "pigeon"), "--via 'pigeon'"),
        (("job", "edit", job, "--deadline", "2020-01-01"), "--deadline"),
        (("job", "edit", job, "--title", " "), "TITLE"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert words in one_line_error(result), args
    opening.refresh_from_db()
    assert (opening.title, opening.source, opening.deadline) == (
        "Senior Analyst",
        "recruiter",
        None,
    )


def test_people_are_added_and_taken_off(cli: Run, alice: User, ada: Any, dana: Any) -> None:
    opening = opening_add(
        owner=alice, title="Analyst", organisation="Hooli", source="referral", source_person=ada
    )
    job = str(opening.uuid)[:8]
    added = cli("job", "add-person", job, "Dana Hale", "--as", "hiring_manager")
    assert added.exit_code == 0 and "Dana Hale is the hiring manager" in added.stdout
    twice = cli("job", "add-person", job, "Dana Hale", "--as", "hiring_manager")
    assert twice.exit_code == 2 and "already the hiring manager" in one_line_error(twice)
    kept = cli("job", "remove-person", job, "Ada Quill")
    assert kept.exit_code == 2 and "change where it came from" in one_line_error(kept)
    assert cli("job", "remove-person", job, "Dana Hale").exit_code == 0
    nobody = cli("job", "remove-person", job, "Dana Hale")
    assert nobody.exit_code == 2 and "has no part" in one_line_error(nobody)
    assert [(i.person.full_name, i.role) for i in opening.application.people.all()] == [
        ("Ada Quill", "referrer")
    ]


def test_an_interview_its_thank_you_falling_due_and_marked_done(
    cli: Run, alice: User, dana: Any, frozen: Any
) -> None:
    opening = opening_add(owner=alice, title="Analyst", organisation="Hooli")
    job = str(opening.uuid)[:8]
    assert cli("job", "advance", job, "--to", "applied").exit_code == 0
    interview = as_json(
        cli(
            "job", "interview", job, "--when", "2026-11-23 14:30", "--with", "Dana Hale",
            "--kind", "onsite", "--where", "Hooli HQ", "--json",
        )
    )  # fmt: skip
    assert interview["with"] == ["Dana Hale"] and interview["kind"] == "onsite"
    coming = as_json(cli("job", "interviews", "--json"))
    assert [i["uuid"] for i in coming] == [interview["uuid"]]
    assert "Dana Hale" in cli("job", "interviews").stdout
    assert "Nothing to follow up today" in cli("job", "follow-ups").stdout
    later = as_json(cli("job", "follow-ups", "--all", "--json"))
    # Applying opened a chase; the interview answered it, so only the thank-you is left.
    assert [(f["kind"], f["person"], str(f["due_on"])) for f in later] == [
        ("thank_you", "Dana Hale", "2026-11-24")
    ]
    frozen.shift(dt.timedelta(days=4))
    due = as_json(cli("job", "follow-ups", "--json"))
    assert [f["what"] for f in due] == [
        "Send Dana Hale a thank-you note for the interview (Analyst at Hooli)"
    ]
    done = cli("job", "done", due[0]["id"], "--note", "Short and warm")
    assert done.exit_code == 0 and "in the journal" in done.stdout
    assert as_json(cli("job", "follow-ups", "--all", "--json")) == []
    again = cli("job", "done", due[0]["id"])
    assert again.exit_code == 2 and "already done" in one_line_error(again)
    for args, words in (
        (("job", "interview", job, "--when", "soon"), "--when 'soon'"),
        (("job", "interview", job, "--when", "2026-11-30 10:00", "--minutes", "1"), "--minutes"),
        (("job", "interview", job, "--when", "2026-11-30 10:00", "--kind", "dinner"), "--kind"),
        (("job", "done", "ffffffff"), "no follow-up matches"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert words in one_line_error(result), args
    assert opening.application.interviews.count() == 1


def test_another_accounts_people_interviews_and_follow_ups_are_not_found(
    cli: Run, alice: User, charlie: User, make_person: Any
) -> None:
    from circleback.jobs.services import application_person_add, interview_schedule

    theirs = opening_add(owner=charlie, title="Secret role", organisation="Umbrella")
    wes = make_person(charlie, "Wes Ker")
    application_person_add(application=theirs.application, person=wes, role="contact")
    interview = interview_schedule(
        application=theirs.application,
        scheduled_for=dt.datetime(2036, 1, 5, 9, tzinfo=dt.UTC),
        interviewers=[wes],
    )
    follow_up = interview.follow_ups.get()
    job = str(theirs.uuid)[:8]
    for args, words in (
        (("job", "edit", job, "--title", "Taken"), "no opening matches"),
        (("job", "add-person", job, "Wes Ker", "--as", "contact"), "no opening matches"),
        (("job", "remove-person", job, "Wes Ker"), "no opening matches"),
        (("job", "interview", job, "--when", "2036-01-06 09:00"), "no opening matches"),
        (("job", "done", str(follow_up.uuid)[:8]), "no follow-up matches"),
        (("job", "cancel-interview", str(interview.uuid)[:8]), "no interview matches"),
        (("job", "cancel-interview", str(interview.uuid), "--json"), "no interview matches"),
    ):
        result = cli("--user", "alice", *args)
        assert result.exit_code == 2, args
        assert words in one_line_error(result), args
    assert as_json(cli("--user", "alice", "job", "follow-ups", "--all", "--json")) == []
    assert as_json(cli("--user", "alice", "job", "interviews", "--all", "--json")) == []
    theirs.refresh_from_db()
    follow_up.refresh_from_db()
    assert theirs.title == "Secret role" and follow_up.done_on is None
    interview.refresh_from_db()
    assert interview.status == "scheduled"
    assert theirs.application.people.count() == 2 and theirs.application.interviews.count() == 1


def test_the_new_job_commands_run_as_a_program(tmp_path: Path) -> None:
    """edit, add-person, remove-person, interview, interviews, follow-ups and done, each
    started as the real program against a real database file."""
    created = run_program(
        tmp_path, "user", "create", "ada", "--password-file", "-", stdin="a long enough password\n"
    )
    assert created.returncode == 0, created.stderr
    for name in ("Ada Quill", "Dana Hale"):
        assert run_program(tmp_path, "person", "add", name, "--org", "Hooli").returncode == 0
    added = run_program(tmp_path, "job", "add", "Analyst", "--org", "Hooli", "--json")
    job = json.loads(added.stdout)["id"]
    for command in (
        "edit", "add-person", "remove-person", "interview", "follow-ups", "done",
        "cancel-interview",
    ):  # fmt: skip
        helped = run_program(tmp_path, "job", command, "--help")
        assert helped.returncode == 0 and "Example: circleback job" in helped.stdout, command
    edited = run_program(tmp_path, "job", "edit", job, "--title", "Data Analyst", "--json")
    assert edited.returncode == 0, edited.stderr
    assert json.loads(edited.stdout)["title"] == "Data Analyst"
    linked = run_program(tmp_path, "job", "add-person", job, "Ada Quill", "--as", "contact")
    assert linked.returncode == 0, linked.stderr
    unlinked = run_program(tmp_path, "job", "remove-person", job, "Ada Quill")
    assert unlinked.returncode == 0 and "Took Ada Quill off" in unlinked.stdout
    interview = run_program(
        tmp_path, "job", "interview", job, "--when", "2020-06-01 10:00", "--with", "Dana Hale"
    )
    assert interview.returncode == 0, interview.stderr
    listed = json.loads(run_program(tmp_path, "job", "interviews", "--all", "--json").stdout)
    assert [i["with"] for i in listed] == [["Dana Hale"]]
    due = json.loads(run_program(tmp_path, "job", "follow-ups", "--json").stdout)
    assert [f["person"] for f in due] == ["Dana Hale"]  # the thank-you, due long ago
    done = run_program(tmp_path, "job", "done", due[0]["id"])
    assert done.returncode == 0, done.stderr
    assert json.loads(run_program(tmp_path, "job", "follow-ups", "--json").stdout) == []
    bad = run_program(tmp_path, "job", "interview", job, "--when", "tomorrow")
    assert bad.returncode == 2 and bad.stderr.startswith("circleback:")
    cancelled = run_program(tmp_path, "job", "cancel-interview", listed[0]["id"], "--json")
    assert cancelled.returncode == 0, cancelled.stderr
    assert json.loads(cancelled.stdout)["status"] == "cancelled"
    again = run_program(tmp_path, "job", "cancel-interview", listed[0]["id"])
    assert again.returncode == 2 and "already cancelled" in again.stderr


def test_cancelling_an_interview_takes_its_thank_you_off(
    cli: Run, alice: User, dana: Any, frozen: Any
) -> None:
    opening = opening_add(owner=alice, title="Analyst", organisation="Hooli")
    job = str(opening.uuid)[:8]
    booked = as_json(
        cli("job", "interview", job, "--when", "2026-11-23 14:30", "--with", "Dana Hale", "--json")
    )
    assert [f["person"] for f in as_json(cli("job", "follow-ups", "--all", "--json"))] == [
        "Dana Hale"
    ]
    done = cli("job", "cancel-interview", booked["id"])
    assert done.exit_code == 0, done.output
    assert "Cancelled the interview for Analyst at Hooli" in done.stdout
    assert as_json(cli("job", "follow-ups", "--all", "--json")) == []
    assert as_json(cli("job", "interviews", "--json")) == []
    shown = as_json(cli("job", "interviews", "--all", "--json"))
    assert [(i["uuid"], i["status"]) for i in shown] == [(booked["uuid"], "cancelled")]
    again = cli("job", "cancel-interview", booked["uuid"], "--json")
    assert again.exit_code == 2 and "already cancelled" in one_line_error(again)
    for wrong in ("nope", "ffffffff"):
        missing = cli("job", "cancel-interview", wrong)
        assert missing.exit_code == 2 and "no interview matches" in one_line_error(missing)
