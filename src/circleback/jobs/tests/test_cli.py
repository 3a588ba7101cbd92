"""`circleback job …`: in-process for the details, and as a real program once, start to end;
another account's openings are "not found"."""

from __future__ import annotations

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
