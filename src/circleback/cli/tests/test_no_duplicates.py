"""The CLI asks the same question as the web app before adding someone: an error listing who
may already be them, with their ids, and --new to add a new person anyway."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from circleback.accounts.models import User
from circleback.cli.tests.support import Run, cli, one_line_error  # noqa: F401
from circleback.loops.models import Lead
from circleback.loops.services.meetings import meeting_schedule
from circleback.people.models import Person
from circleback.people.services.people import person_create


def test_person_add_lists_who_may_be_them_and_adds_nothing(cli: Run, alice: User) -> None:  # noqa: F811
    priya = person_create(
        owner=alice, full_name="Priya Patel", organisation="Globex", emails=["p@globex.com"]
    )
    result = cli("person", "add", "Priya Patel", "--org", "Globex")
    assert result.exit_code == 2
    line = one_line_error(result)
    assert "'Priya Patel' may already be in your network" in line
    assert str(priya.uuid) in line and "the same name at Globex" in line
    assert "email at globex.com" in line and "--new" in line
    assert Person.objects.count() == 1

    assert cli("person", "add", "Priya Patel", "--org", "Globex", "--new").exit_code == 0
    assert Person.objects.count() == 2


def test_person_add_knows_an_email_already_there(cli: Run, alice: User) -> None:  # noqa: F811
    person_create(owner=alice, full_name="Priya Patel", emails=["priya@globex.com"])
    result = cli("person", "add", "P. Patel", "--email", "PRIYA@globex.com")
    assert result.exit_code == 2
    assert "the same email address" in one_line_error(result)


def test_a_meeting_referral_to_someone_known_is_asked_then_chosen_by_id(
    cli: Run,  # noqa: F811
    alice: User,
) -> None:
    ada = person_create(owner=alice, full_name="Ada Quill")
    priya = person_create(owner=alice, full_name="Priya Patel", organisation="Globex")
    meeting_schedule(owner=alice, person=ada, scheduled_for=timezone.now() + dt.timedelta(hours=1))
    asked = cli("meeting", "log", "Ada Quill", "--referral", "Priya Patel@Globex")
    assert asked.exit_code == 2
    assert str(priya.uuid) in one_line_error(asked)
    assert not Lead.objects.exists()

    chose = cli("meeting", "log", "Ada Quill", "--referral", str(priya.uuid))
    assert chose.exit_code == 0, chose.output
    assert Lead.objects.get().referred == priya
    assert Person.objects.filter(full_name="Priya Patel").count() == 1


def test_a_meeting_referral_can_be_a_new_namesake_on_purpose(cli: Run, alice: User) -> None:  # noqa: F811
    ada = person_create(owner=alice, full_name="Ada Quill")
    person_create(owner=alice, full_name="Priya Patel", organisation="Globex")
    meeting_schedule(owner=alice, person=ada, scheduled_for=timezone.now() + dt.timedelta(hours=1))
    result = cli("meeting", "log", "Ada Quill", "--referral", "Priya Patel@Initech", "--new")
    assert result.exit_code == 0, result.output
    assert Person.objects.filter(full_name="Priya Patel").count() == 2


def test_someone_elses_person_cannot_be_a_referral(
    cli: Run,  # noqa: F811
    alice: User,
    charlie: User,
) -> None:
    ada = person_create(owner=alice, full_name="Ada Quill")
    theirs = person_create(owner=charlie, full_name="Priya Patel")
    meeting_schedule(owner=alice, person=ada, scheduled_for=timezone.now() + dt.timedelta(hours=1))
    result = cli("--user", "alice", "meeting", "log", "Ada Quill", "--referral", str(theirs.uuid))
    assert result.exit_code == 1
    assert "no one in your network has that id" in one_line_error(result)
    assert not Lead.objects.exists()
