"""Importing applications from a job tracker's CSV, with the contact import's rules: one
transaction, a dry run that is the import rolled back (the same report), a bad value costs
the value (reported) and not the row, broken rows stop the import unless skipped, and
importing a file twice changes nothing.

Each row becomes an opening and its application through the jobs services, walked through
its stages in order with the file's dates (so the journal, follow-ups and the target's
stage follow as if entered by hand)."""

from __future__ import annotations

import datetime as dt
import time

from django.core.exceptions import ValidationError
from django.db import transaction

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.interchange.formats.job_tracker import ApplicationRecord, parse
from circleback.interchange.records import Problem, Skipped
from circleback.interchange.services import BrokenRecordsError, ImportReport
from circleback.jobs.models import ENDINGS, FORWARD, Opening
from circleback.jobs.services import application_advance, opening_add
from circleback.people.models import Person
from circleback.text import normalize_org_name

FORMAT = "job-tracker-csv"


def _key(title: str, company: str) -> str:
    return f"{' '.join(title.lower().split())}@{normalize_org_name(company)}"


def applications_import(
    *, owner: User, data: bytes, dry_run: bool = False, skip_bad: bool = False
) -> ImportReport:
    """Import a tracker's applications into the owner's job search and report what it did:
    `created` openings, `unchanged` ones already there (the same link, or the same title at
    the same organisation), `skipped` rows and `problems` with values. Refuses
    (InterchangeError) a file that isn't one, and (BrokenRecordsError) one with rows that
    can't be applications unless `skip_bad`; either way nothing is written."""
    started = time.perf_counter()
    parsed = parse(data)
    report = ImportReport(format=FORMAT, dry_run=dry_run)
    report.skipped, report.problems = parsed.skipped, parsed.problems
    if any(s.broken for s in parsed.skipped) and not skip_bad:
        raise BrokenRecordsError(parsed.skipped)
    today = user_today(owner)
    existing = Opening.objects.filter(owner=owner).values_list("title", "organisation__name", "url")
    seen = {_key(t, o) for t, o, _u in existing} | {u.lower() for *_x, u in existing if u}
    with transaction.atomic():
        for record in parsed.records:
            keys = {_key(record.title, record.company)} | (
                {record.url.lower()} if record.url else set()
            )
            if keys & seen:
                report.unchanged += 1
                continue
            seen |= keys
            try:
                with transaction.atomic():
                    _import_one(owner, record, today, report.problems)
                report.created += 1
            except ValidationError as exc:
                report.skipped.append(Skipped(record.where, " ".join(exc.messages)))
        if any(s.broken for s in report.skipped) and not skip_bad:
            transaction.set_rollback(True)
            raise BrokenRecordsError(report.skipped)
        if dry_run:
            transaction.set_rollback(True)
    report.seconds = time.perf_counter() - started
    return report


def _import_one(
    owner: User, record: ApplicationRecord, today: dt.date, problems: list[Problem]
) -> None:
    def day(value: dt.date | None, what: str) -> dt.date | None:
        if value is not None and value > today:
            problems.append(
                Problem(f"{record.where}, {what}", str(value), "still to come; left out")
            )
            return None
        return value

    applied = day(record.applied_on, "date applied")
    interview = day(record.interview_on, "interview date")
    answered = day(record.answered_on, "response date")
    dates = [d for d in (day(record.saved_on, "date saved"), applied, interview, answered) if d]
    found = min(dates) if dates else today
    referrer = None
    if record.referrer:
        referrer = Person.objects.filter(owner=owner, full_name__iexact=record.referrer).first()
        if referrer is None:
            problems.append(
                Problem(f"{record.where}, referred by", record.referrer,
                        "no one of that name in your network; kept in the notes")
            )  # fmt: skip
            record.notes.append(f"Referred by {record.referrer}")
    route = record.route
    if route == "referral" and referrer is None:
        route = "contact"
    deadline = record.deadline if record.deadline and record.deadline >= found else None
    if record.deadline and deadline is None:
        problems.append(
            Problem(
                f"{record.where}, deadline",
                str(record.deadline),
                "before the opening was found; left out",
            )
        )
    opening = opening_add(
        owner=owner,
        title=record.title[:200],
        organisation=record.company,
        url=record.url if record.url.startswith(("http://", "https://")) else "",
        source=route,
        source_person=referrer if route in ("referral", "recruiter", "contact") else None,
        found_on=found,
        deadline=deadline,
        notes="\n".join(record.notes),
    )
    if record.url and not opening.url:
        problems.append(Problem(f"{record.where}, URL", record.url, "not a web address; left out"))
    # Walk the stages up to the file's, each on the best date the file gives.
    target = record.stage
    steps = [s.value for s in FORWARD[1:]]
    if target in ENDINGS:
        rejected = steps[:2] if interview else steps[:1]
        before = {"accepted": steps, "declined": steps, "rejected": rejected, "withdrawn": []}
        path = [*before[target], target]
    else:
        path = steps[: steps.index(target) + 1] if target in steps else []
    on = found
    application = opening.application
    for stage in path:
        when = (
            {
                "applied": applied,
                "interviewing": interview or answered,
                "offer": answered,
            }.get(stage)
            or answered
            or on
        )
        on = max(on, when)
        application_advance(application=application, to=stage, on=on, note="Imported")
        application.refresh_from_db()
