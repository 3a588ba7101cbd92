"""The `circleback` program as a separate process: --help, a database that can't be reached,
and `circleback serve` from start to Ctrl-C."""

from __future__ import annotations

import json
import signal
import urllib.error
import urllib.request
from pathlib import Path

from circleback.cli.tests.processes import Program, migrated_home, run_program


def _create_account(home: Path) -> None:
    """`home` past its first start (its database migrated), with the account 'ada'; the
    first start itself is `serve`'s test below."""
    migrated_home(home)
    created = run_program(
        home, "user", "create", "ada", "--password-file", "-", stdin="a long enough password\n"
    )
    assert created.returncode == 0, created.stderr


def test_the_module_prints_help(tmp_path: Path) -> None:
    result = run_program(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    for command in ("person", "people", "search", "log", "journal", "tie", "org", "user", "serve"):
        assert command in result.stdout
    assert not (tmp_path / "circleback.sqlite3").exists()  # help touches no database


def test_a_group_without_a_command_shows_its_help_and_nothing_else(tmp_path: Path) -> None:
    result = run_program(tmp_path, "loop")
    assert "advance" in result.stdout and "snooze" in result.stdout
    assert result.stderr == ""  # no empty "circleback: " error line after the help


def test_a_database_that_cannot_be_reached_is_one_clear_line(tmp_path: Path) -> None:
    result = run_program(tmp_path, "people", DATABASE_URL="postgres://nobody@127.0.0.1:1/x")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("circleback: cannot connect to the database")
    assert "DATABASE_URL" in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_database_url_that_cannot_be_understood_is_one_clear_line(tmp_path: Path) -> None:
    result = run_program(tmp_path, "people", DATABASE_URL="mysql://me@db/x")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0], result.stderr


def test_parse_errors_are_one_line_with_a_pointer_to_help(tmp_path: Path) -> None:
    for args, fragment in [
        (("person", "add"), "Missing argument 'name'. See `circleback person add --help`."),
        (("person", "add", "Ada", "--closeness", "abc"), "'--closeness'"),
        (("nosuch",), "No such command 'nosuch'. See `circleback --help`."),
    ]:
        result = run_program(tmp_path, *args)
        assert result.returncode == 2, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("circleback: ") and fragment in lines[0], lines[0]


def test_a_command_writes_all_its_output_and_keeps_its_exit_status(tmp_path: Path) -> None:
    """The program leaves without the interpreter's teardown: nothing written may be lost."""
    _create_account(tmp_path)
    for n in range(3):
        added = run_program(tmp_path, "person", "add", f"Person {n}", "--notes", "x" * 20_000)
        assert added.returncode == 0, added.stderr
    listed = run_program(tmp_path, "export")
    assert listed.returncode == 0, listed.stderr
    document = json.loads(listed.stdout)
    assert sorted(p["full_name"] for p in document["people"]) == [f"Person {n}" for n in range(3)]
    missing = run_program(tmp_path, "person", "show", "Nobody")
    assert missing.returncode == 1 and missing.stderr.startswith("circleback: no one")


def test_every_command_group_runs_as_a_program(tmp_path: Path) -> None:
    """Commands that import models before asking for the account find Django configured."""
    _create_account(tmp_path)
    for args in (
        ("loop", "list"),
        ("favour", "list"),
        ("meeting", "list"),
        ("today",),
        ("health",),
        ("goals",),
        ("pitch", "list"),
        ("cadence", "defaults"),
    ):
        result = run_program(tmp_path, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stderr == "", (args, result.stderr)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_serve_serves_the_welcome_page_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    server = Program(tmp_path).serve(ready="/").start()
    try:
        # A fresh install on this machine offers to create the owner account.
        status, body = _get(server.url + "/")
        assert status == 200
        assert "Welcome to Circleback" in body
        assert "Create my account" in body
        status, css = _get(server.url + "/static/circleback/app.css")
        assert status == 200 and css.strip()
    finally:
        finished = server.stop(signal.SIGINT)
    assert finished.returncode == 0, finished.err
    # The first start: it migrated the new database itself (the other tests here start on a
    # copy of one migrated already).
    assert "Preparing the database: applying" in finished.err
    assert f"serving on {server.url}/" in finished.out
    assert "No account yet" in finished.out
    assert "Stopped." in finished.out
    assert "Traceback" not in finished.err


def test_the_readme_people_json_example_gets_everyone_and_user_delete_erases(
    tmp_path: Path,
) -> None:
    """As the README says: `circleback people --list C --json | jq …` reads everyone (it was
    50 of them), a limit is said on stderr, and `user delete` leaves no account behind."""
    _create_account(tmp_path)
    cards = tmp_path / "people.vcf"
    cards.write_text(
        "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i:02}\r\nN:{i:02};Person;;;\r\n"
            f"EMAIL:person{i}@example.org\r\nEND:VCARD\r\n"
            for i in range(60)
        )
    )
    imported = run_program(tmp_path, "import", str(cards), "--list", "C")
    assert imported.returncode == 0, imported.stderr
    everyone = run_program(tmp_path, "people", "--list", "C", "--json")
    assert everyone.returncode == 0, everyone.stderr
    assert len(json.loads(everyone.stdout)) == 60 and everyone.stderr == ""
    some = run_program(tmp_path, "people", "--list", "C", "--json", "--limit", "50")
    assert len(json.loads(some.stdout)) == 50
    assert "Showing 1 to 50 of 60 people; see the next ones with --offset 50." in some.stderr

    erased = run_program(tmp_path, "user", "delete", "ada", "--yes")
    assert erased.returncode == 0, erased.stderr
    assert "Deleted the account 'ada', with 60 people;" in " ".join(erased.stdout.split())
    listed = run_program(tmp_path, "user", "list", "--json")
    assert json.loads(listed.stdout) == []
