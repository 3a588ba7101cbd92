"""Applications from job trackers' CSV exports (shapes of real programs, invented rows; see
fixtures/job-trackers/PROVENANCE.md): the contact import's rules — dry run = the import
rolled back, twice changes nothing, a bad value costs the value, broken rows stop it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine

from circleback.accounts.models import User
from circleback.interchange.applications import applications_import
from circleback.interchange.formats.job_tracker import parse, stage_of
from circleback.interchange.records import InterchangeError
from circleback.interchange.services import BrokenRecordsError
from circleback.jobs.models import Application, Opening, StageChange
from circleback.journal.models import Interaction

FIXTURES = Path(__file__).parent / "fixtures" / "job-trackers"


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False):
        yield


def _read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    ("status", "stage"),
    [
        ("Wishlist", "found"),
        ("Phone Screen", "interviewing"),
        ("Offer Received", "offer"),
        ("pending", "applied"),
        ("Not selected", "rejected"),
        ("ghosted", None),
    ],
)
def test_a_status_is_read_by_its_meaning(status: str, stage: str | None) -> None:
    assert stage_of(status) == stage


def test_jobappliers_full_export_walks_each_application_through_its_stages(
    alice: User,
) -> None:
    report = applications_import(owner=alice, data=_read("jobapplier-full.csv"))
    assert report.created == 5 and not report.skipped
    stages = dict(Opening.objects.filter(owner=alice).values_list("title", "application__stage"))
    assert stages == {
        "Senior Data Analyst": "interviewing",
        "Analytics Engineer": "rejected",
        "Data Platform Lead": "applied",
        "BI Developer": "offer",
        "Data Analyst": "found",  # "ghosted" is no stage: kept in the notes
    }
    bi = Application.objects.get(opening__title="BI Developer")
    assert bi.applied_on == dt.date(2026, 8, 11)
    assert [c.stage for c in StageChange.objects.filter(application=bi).order_by("on", "pk")] == [
        "found",
        "applied",
        "interviewing",
        "offer",
    ]
    assert bi.opening.source == "board" and bi.opening.url == "https://jobs.example.org/oh-90"
    wheres = {(p.where, p.value) for p in report.problems}
    assert ("row 6, Application Status", "ghosted") in wheres
    assert ("row 6, Response Date", "31/31/2026") in wheres
    assert ("row 6, URL", "not a link") in wheres
    assert "Status in the tracker: ghosted" in Opening.objects.get(title="Data Analyst").notes
    assert (
        Interaction.objects.filter(owner=alice, source="jobs").count()
        == StageChange.objects.count()
    )


def test_importing_twice_changes_nothing_and_a_dry_run_writes_nothing(alice: User) -> None:
    data = _read("jobapplier-summary.csv")
    dry = applications_import(owner=alice, data=data, dry_run=True)
    assert dry.created == 3 and dry.dry_run
    assert not Opening.objects.exists() and not Interaction.objects.exists()
    first = applications_import(owner=alice, data=data)
    again = applications_import(owner=alice, data=data)
    assert (first.created, again.created, again.unchanged) == (3, 0, 3)
    # The same posting in another tracker's file is the same opening (the same link).
    full = applications_import(owner=alice, data=_read("jobapplier-full.csv"))
    assert full.unchanged == 1 and full.created == 4


def test_a_row_without_a_title_stops_the_import_unless_skipped(
    alice: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    data = _read("tracker-board.csv")
    with pytest.raises(BrokenRecordsError) as refused:
        applications_import(owner=alice, data=data)
    assert "row 5: it has no title" in str(refused.value)
    assert not Opening.objects.exists()
    report = applications_import(owner=alice, data=data, skip_bad=True)
    assert report.created == 4 and [s.where for s in report.skipped] == ["row 5"]
    hooli = Opening.objects.get(organisation__name="Hooli")
    assert (hooli.source, hooli.source_person) == ("referral", ada)
    assert hooli.application.referral_step is not None  # the loop on Ada is open
    globex = Opening.objects.get(organisation__name="Globex")
    assert globex.source == "contact" and "Referred by Mira Stone" in globex.notes
    assert any(p.value == "Mira Stone" for p in report.problems)
    wish = Opening.objects.get(organisation__name="Copperleaf Energy")
    assert wish.deadline == dt.date(2026, 12, 15) and wish.application.stage == "found"


def test_a_file_that_is_not_one_is_refused_in_words(alice: User) -> None:
    with pytest.raises(InterchangeError) as refused:
        applications_import(owner=alice, data=b"First Name,Last Name\nAda,Quill\n")
    assert "title and company" in str(refused.value)
    assert parse(_read("tracker-board.csv")).records[0].title == "Data Engineer"
