"""`circleback user create|list` and choosing the account with --user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from circleback.accounts.models import User
from circleback.cli.tests.support import Run, as_json, one_line_error

GOOD = "correct horse battery staple"


def test_it_creates_an_account_from_a_password_file(cli: Run, tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text(GOOD + "\n")
    result = cli(
        "user", "create", "ada", "--password-file", str(secret), "--time-zone", "Asia/Tokyo"
    )
    assert result.exit_code == 0, result.output
    assert "Created the account ada (time zone Asia/Tokyo)" in result.stdout
    user = User.objects.get()
    assert user.username == "ada" and user.time_zone == "Asia/Tokyo"
    assert user.check_password(GOOD)


def test_it_reads_the_password_from_stdin_with_a_dash(cli: Run) -> None:
    result = cli("user", "create", "ada", "--password-file", "-", input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    assert User.objects.get().check_password(GOOD)


def test_it_asks_twice_for_the_password_at_a_terminal(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("circleback.cli.accounts.is_interactive", lambda: True)
    result = cli("user", "create", "ada", input=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert GOOD not in result.output  # the prompt hides it
    assert User.objects.get().check_password(GOOD)


def test_it_needs_a_file_when_there_is_no_terminal(cli: Run) -> None:
    result = cli("user", "create", "ada")
    assert result.exit_code == 2
    assert "--password-file" in one_line_error(result)
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "password", "options", "expected"),
    [
        ("ada", "short", [], "password is too short"),
        ("ada", "password123", [], "too common"),
        ("ada", "12345678901", [], "entirely numeric"),
        ("ada", GOOD, ["--time-zone", "Mars/Olympus"], "--time-zone: 'Mars/Olympus' is not a"),
        ("  ", GOOD, [], "an account needs a name"),
    ],
)
def test_it_refuses_a_bad_account_and_writes_nothing(
    cli: Run, tmp_path: Path, name: str, password: str, options: list[str], expected: str
) -> None:
    secret = tmp_path / "password"
    secret.write_text(password)
    result = cli("user", "create", name, "--password-file", str(secret), *options)
    assert result.exit_code == 2
    assert expected in one_line_error(result)
    assert User.objects.count() == 0


def test_it_refuses_an_empty_or_missing_password_file(cli: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("\n")
    result = cli("user", "create", "ada", "--password-file", str(empty))
    assert result.exit_code == 2 and "is empty" in one_line_error(result)
    result = cli("user", "create", "ada", "--password-file", str(tmp_path / "missing"))
    assert result.exit_code == 2 and "cannot read --password-file" in one_line_error(result)
    assert User.objects.count() == 0


def test_it_refuses_a_taken_name(cli: Run, alice: User, tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text(GOOD)
    result = cli("user", "create", "ALICE", "--password-file", str(secret))
    assert result.exit_code == 1
    assert "already exists" in one_line_error(result)
    assert User.objects.count() == 1


def test_it_lists_accounts_with_their_people(
    cli: Run, alice: User, charlie: User, make_person: Any
) -> None:
    make_person(alice, "Ada Quill")
    make_person(alice, "Bart Nguyen")
    data = as_json(cli("user", "list", "--json"))
    assert [(u["username"], u["people"], u["time_zone"]) for u in data] == [
        ("alice", 2, "Europe/London"),
        ("charlie", 0, "Europe/London"),
    ]
    table = cli("user", "list").stdout
    assert "alice" in table and "charlie" in table


def test_it_says_how_to_create_the_first_account(cli: Run) -> None:
    result = cli("people")
    assert result.exit_code == 1
    assert "circleback user create YOUR-NAME" in one_line_error(result)
    assert "No accounts yet" in cli("user", "list").stdout


def test_with_several_accounts_it_needs_to_know_which(
    cli: Run, alice: User, charlie: User, make_person: Any
) -> None:
    make_person(alice, "Ada Quill")
    result = cli("people")
    assert result.exit_code == 2
    assert "--user NAME" in one_line_error(result)
    assert "Ada Quill" in cli("--user", "alice", "people").stdout
    assert "Ada Quill" in cli("people", env={"CIRCLEBACK_USER": "Alice"}).stdout
    assert "No people yet" in cli("-u", "charlie", "people").stdout
    unknown = cli("--user", "dave", "people")
    assert unknown.exit_code == 1
    assert "there is no account called 'dave'" in one_line_error(unknown)


def test_with_one_account_it_acts_as_that_account(cli: Run, alice: User) -> None:
    result = cli("person", "add", "Ada Quill")
    assert result.exit_code == 0
    assert User.objects.get(username="alice").pk == alice.pk
