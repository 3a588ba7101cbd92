"""`circleback new-roles`: every new role to congratulate people on (Today suggests only the
newest), and dismissing one — in-process for the details, and as a real program once; another
account's people are "not found"."""

from __future__ import annotations

import datetime as dt
import json
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

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
from circleback.insights.queries.agenda import suggested_gives
from circleback.insights.queries.new_roles import new_roles_to_congratulate
from circleback.insights.tests.conftest import contact
from circleback.people.models import Person, RoleChange
from circleback.people.services.people import person_update

__all__ = ["cli", "cli_environment"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(alice: User, make_person: Any) -> list[Person]:
    ada = make_person(alice, "Ada Quill", organisation="Initech", title="Data Analyst")
    bo = make_person(alice, "Bo Tran", organisation="Globex", title="Engineer")
    person_update(person=ada, organisation="Hooli", title="Head of Data")
    person_update(person=bo, title="Staff Engineer")
    return [ada, bo]


def test_it_lists_every_new_role_newest_first_as_a_table_and_as_json(
    cli: Run, alice: User, moved: list[Person]
) -> None:
    listed = as_json(cli("new-roles", "--json"))
    assert [row["person"]["full_name"] for row in listed] == ["Bo Tran", "Ada Quill"]
    ada = listed[1]
    assert (ada["title"], ada["organisation"]) == ("Head of Data", "Hooli")
    assert (ada["title_before"], ada["organisation_before"]) == ("Data Analyst", "Initech")
    table = cli("new-roles")
    assert table.exit_code == 0, table.output
    said = " ".join(table.stdout.split())
    assert "Ada Quill" in said and "Head of Data at Hooli" in said
    assert "Data Analyst at Initech" in said
    one = as_json(cli("new-roles", "--json", "--limit", "1", "--offset", "1"))
    assert [row["person"]["full_name"] for row in one] == ["Ada Quill"]


def test_new_roles_noted_at_one_moment_come_in_the_order_noted_and_today_shows_the_first(
    cli: Run, alice: User, alice_client: Client, make_person: Any
) -> None:
    """GIVEN four people in touch a month ago, who share an interest (so Today's
    introductions read them too), whose new roles were noted at one moment (as an import
    notes them), in the reverse of the order they were added
    WHEN the list and Today are read THEN the list runs in the order the roles were noted,
    and the one Today suggests is the list's first."""
    moment = timezone.now().replace(microsecond=0)
    people = [
        make_person(alice, name, organisation=f"Org {n}", title="Data Analyst", tags=["climate"])
        for n, name in enumerate(["Ada Quill", "Bo Tran", "Cy Ng", "Di Roy"])
    ]
    for person in people:
        contact(alice, person, moment - dt.timedelta(days=30))
    with time_machine.travel(moment, tick=False):
        for person in reversed(people):
            person.refresh_from_db()
            person_update(person=person, title="Head of Data")
    assert {c.changed_at for c in RoleChange.objects.filter(owner=alice)} == {moment}
    noted = [p.full_name for p in reversed(people)]

    listed = [c.person.full_name for c in new_roles_to_congratulate(owner=alice)]
    assert listed == noted
    assert [row["person"]["full_name"] for row in as_json(cli("new-roles", "--json"))] == noted
    first = noted[0]
    gives = suggested_gives(alice)
    assert gives[0].kind == "new_role" and gives[0].people[0].full_name == first
    today = unescape(alice_client.get("/today/").content.decode())
    assert f"Congratulate {first} on the new role" in today
    assert [name for name in noted[1:] if f"Congratulate {name}" in today] == []


def test_dismissing_one_ends_its_suggestion_and_changes_nothing_else(
    cli: Run, alice: User, moved: list[Person]
) -> None:
    ada = moved[0]
    done = cli("new-roles", "dismiss", "Ada Quill")
    assert done.exit_code == 0, done.output
    assert "No more suggestions to congratulate Ada Quill." in done.stdout
    assert not RoleChange.objects.filter(person=ada).exists()
    ada.refresh_from_db()
    assert ada.title == "Head of Data"  # the role stays; only the suggestion goes
    assert [row["person"]["full_name"] for row in as_json(cli("new-roles", "--json"))] == [
        "Bo Tran"
    ]
    assert all(ada not in g.people for g in suggested_gives(alice))
    again = cli("new-roles", "dismiss", "Ada Quill")  # a second time: nothing to do, no error
    assert again.exit_code == 0 and "no new role to dismiss" in again.stdout


def test_another_accounts_people_are_not_found(
    cli: Run, alice: User, charlie: User, moved: list[Person]
) -> None:
    result = cli("--user", "charlie", "new-roles", "dismiss", "Ada Quill")
    assert result.exit_code != 0
    assert "no one in your network matches" in one_line_error(result)
    assert as_json(cli("--user", "charlie", "new-roles", "--json")) == []
    empty = cli("--user", "charlie", "new-roles")
    assert "No new roles to congratulate anyone on" in empty.stdout
    assert RoleChange.objects.filter(owner=alice).count() == 2


def test_new_roles_run_as_a_program(tmp_path: Path) -> None:
    migrated_home(tmp_path)
    created = run_program(
        tmp_path, "user", "create", "ada", "--password-file", "-", stdin="a long enough password\n"
    )
    assert created.returncode == 0, created.stderr
    helped = run_program(tmp_path, "new-roles", "--help")
    assert helped.returncode == 0 and "Example:" in helped.stdout and "dismiss" in helped.stdout
    added = run_program(
        tmp_path, "person", "add", "Ana Lima", "--org", "Acme", "--title", "Product Manager"
    )
    assert added.returncode == 0, added.stderr
    edited = run_program(tmp_path, "person", "edit", "Ana Lima", "--title", "Head of Product")
    assert edited.returncode == 0, edited.stderr
    listed = json.loads(run_program(tmp_path, "new-roles", "--json").stdout)
    assert [(r["person"]["full_name"], r["title_before"]) for r in listed] == [
        ("Ana Lima", "Product Manager")
    ]
    today = run_program(tmp_path, "today")
    said = " ".join(today.stdout.split())
    assert "Congratulate Ana Lima on the new role" in said
    assert 'not this one: circleback new-roles dismiss "Ana Lima"' in said
    dismissed = run_program(tmp_path, "new-roles", "dismiss", "Ana Lima")
    assert dismissed.returncode == 0 and "No more suggestions" in dismissed.stdout
    assert json.loads(run_program(tmp_path, "new-roles", "--json").stdout) == []
    unknown = run_program(tmp_path, "new-roles", "dismiss", "Nobody Here")
    assert unknown.returncode != 0 and unknown.stderr.startswith("circleback:")
