"""Applications from job trackers' CSV exports (shapes of real programs, invented rows; see
fixtures/job-trackers/PROVENANCE.md): the contact import's rules — the dry run reads the
import's own plan and writes nothing, twice changes nothing, a bad value costs the value,
broken rows stop it."""

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


def test_the_preview_writes_nothing_and_shows_what_the_import_then_does(
    alice: User, make_person: Any
) -> None:
    """The preview used to be the import rolled back: every insert made, then undone. Now
    it reads: not one statement that writes. And it reports what the import does, refusals
    (an organisation named by no letter, found only when its name is checked) included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_person(alice, "Ada Quill")
    data = _read("tracker-board.csv") + b"Analyst,!!!,,Applied,2026-10-01,2026-10-02,,\n"
    with CaptureQueriesContext(connection) as preview_queries:
        preview = applications_import(owner=alice, data=data, dry_run=True, skip_bad=True)
    writes = [
        q["sql"]
        for q in preview_queries.captured_queries
        if q["sql"].lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
        or "SAVEPOINT" in q["sql"].upper()
    ]
    assert writes == []
    assert not Opening.objects.exists() and not Interaction.objects.exists()
    done = applications_import(owner=alice, data=data, skip_bad=True)
    shown = preview.as_json()
    for key in ("dry_run", "seconds"):
        shown.pop(key, None)
    made = done.as_json()
    for key in ("dry_run", "seconds"):
        made.pop(key, None)
    assert shown == made
    assert done.created == Opening.objects.count() == 4
    assert [s.where for s in done.skipped] == ["row 5", "row 7"]
    assert "letters or digits" in done.skipped[1].reason


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


def _tracker_csv(
    rows: int, organisations: int, referrer: str = "Ada Quill", employer: str = "Employer"
) -> bytes:
    """A tracker's export of `rows` applications at `organisations` organisations: every
    stage, some through a referrer, some with a link that isn't one and a date to come."""
    statuses = ("Wishlist", "Applied", "Phone Screen", "Offer", "Rejected", "Withdrawn", "Hired")
    lines = ["Job Title,Company,Job URL,Status,Date Saved,Date Applied,Interview Date,Referred By"]
    for n in range(rows):
        status = statuses[n % len(statuses)]
        applied = "" if status == "Wishlist" else f"2026-{9 + n % 2:02d}-{1 + n % 27:02d}"
        interview = "2026-11-10" if status in ("Phone Screen", "Offer", "Hired") else ""
        url = "not a link" if n % 11 == 0 else f"https://jobs.example.org/{employer}/{n}"
        saved = "2027-01-01" if n % 13 == 0 else "2026-08-15"
        by = referrer if n % 5 == 0 else ""
        lines.append(
            f"Role {n},{employer} {n % organisations},{url},{status},{saved},{applied},"
            f"{interview},{by}"
        )
    return ("\n".join(lines) + "\n").encode()


def test_the_import_is_set_based_as_many_queries_for_fifty_rows_as_for_five_hundred(
    alice: User, make_person: Any
) -> None:
    """Every table is written a statement at a time, organisations are found in one query
    and their stages set an update per distinct change (at most one per stage), so the
    count stays put as the file grows. (Search documents go through the driver's own
    cursor on SQLite, one statement too, which this count doesn't see.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_person(alice, "Ada Quill")
    counts = []
    for rows, orgs, employer in ((50, 30, "Small"), (500, 300, "Large")):
        with CaptureQueriesContext(connection) as queries:
            report = applications_import(
                owner=alice, data=_tracker_csv(rows, orgs, employer=employer)
            )
        assert report.created == rows, report.skipped
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 30, counts
    assert Opening.objects.filter(owner=alice, source="referral").count() == 110
    assert Application.objects.filter(owner=alice, referral_step__isnull=False).exists()


def _snapshot(owner: User) -> list[Any]:
    """What an account's job search holds, in words and days, without ids."""
    from circleback.jobs.models import FollowUp, Involvement
    from circleback.loops.models import LoopStep

    out: list[Any] = []
    for o in Opening.objects.filter(owner=owner).order_by("title"):
        a = o.application
        out.append(
            (
                o.title, o.organisation.name, o.url, o.source,
                o.source_person.full_name if o.source_person else None,
                o.found_on, o.deadline, o.notes,
                a.stage, a.stage_on, a.applied_on, a.answered_on, a.first_interview_on,
                [(c.stage, c.on, c.note, c.interaction.summary, c.interaction.notes,
                  c.interaction.occurred_at, c.interaction.organisation.name)
                 for c in a.changes.order_by("on", "pk")],
                sorted((i.person.full_name, i.role)
                       for i in Involvement.objects.filter(application=a)),
                [(f.kind, f.due_on, f.done_on, f.resolution)
                 for f in FollowUp.objects.filter(application=a).order_by("pk")],
                (a.referral_step.kind, a.referral_step.person.full_name, a.referral_step.note,
                 a.referral_step.due_at) if a.referral_step else None,
                (o.organisation.stage, o.organisation.is_target),
            )
        )  # fmt: skip
    out.append(LoopStep.objects.filter(owner=owner).count())
    return out


def test_an_imported_application_is_what_entering_it_by_hand_makes(
    alice: User, bob: User, make_person: Any
) -> None:
    """The set-based import and the services a person uses give the same rows."""
    from circleback.jobs.services import application_advance, opening_add

    data = (
        b"Job Title,Company,Job URL,Status,Date Saved,Date Applied,Interview Date,"
        b"Response Date,Referred By\n"
        b"Analyst,Hooli,https://j.example/1,Offer,2026-10-01,2026-10-03,2026-10-20,2026-10-25,"
        b"Ada Quill\n"
        b"Engineer,Hooli,https://j.example/2,Rejected,2026-10-02,2026-10-05,,2026-10-09,\n"
        b"Lead,Initech,,Applied,2026-11-01,2026-11-10,,,\n"
        b"Scientist,Globex,,Wishlist,2026-11-12,,,,\n"
    )
    ada_b = make_person(bob, "Ada Quill")
    report = applications_import(owner=bob, data=data)
    assert report.created == 4 and not report.problems
    ada_a = make_person(alice, "Ada Quill")
    day = dt.date
    by_hand: tuple[Any, ...] = (
        ("Analyst", "Hooli", "https://j.example/1", "referral", ada_a, day(2026, 10, 1),
         [("applied", day(2026, 10, 3)), ("interviewing", day(2026, 10, 20)),
          ("offer", day(2026, 10, 25))]),
        ("Engineer", "Hooli", "https://j.example/2", "board", None, day(2026, 10, 2),
         [("applied", day(2026, 10, 5)), ("rejected", day(2026, 10, 9))]),
        ("Lead", "Initech", "", "board", None, day(2026, 11, 1),
         [("applied", day(2026, 11, 10))]),
        ("Scientist", "Globex", "", "board", None, day(2026, 11, 12), []),
    )  # fmt: skip
    for title, org, url, via, person, found, moves in by_hand:
        opening = opening_add(
            owner=alice, title=title, organisation=org, url=url, source=via,
            source_person=person, found_on=found,
        )  # fmt: skip
        for to, on in moves:
            application_advance(application=opening.application, to=to, on=on, note="Imported")
    assert ada_b.full_name == ada_a.full_name
    assert _snapshot(bob) == _snapshot(alice)
