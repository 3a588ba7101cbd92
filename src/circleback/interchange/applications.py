"""Importing applications from a job tracker's CSV, with the contact import's rules: one
transaction, a dry run that reads the import's own plan and writes nothing (the same
report), a bad value costs the value (reported) and not the row, broken rows stop the import
unless skipped, and importing a file twice changes nothing.

Each row becomes an opening and its application through the jobs services, walked through
its stages in order with the file's dates (so the journal, follow-ups and the target's
stage follow as if entered by hand)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models.functions import Lower

from circleback.accounts.models import User
from circleback.accounts.queries import user_today
from circleback.interchange.formats.job_tracker import ApplicationRecord, parse
from circleback.interchange.records import InterchangeError, Problem, Skipped, max_import_bytes
from circleback.interchange.services import BrokenRecordsError, ImportReport, Progress
from circleback.jobs.bulk import OpeningIn, openings_plan, openings_write
from circleback.jobs.models import ENDINGS, FORWARD, Opening
from circleback.people.models import Person
from circleback.text import MAX_TEXT, normalize_org_name

FORMAT = "job-tracker-csv"
_NAMES_PER_QUERY = 900
_is_url = URLValidator(schemes=["http", "https"])


def _key(title: str, company: str) -> str:
    return f"{' '.join(title.lower().split())}@{normalize_org_name(company)}"


def applications_import(
    *,
    owner: User,
    data: bytes,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a tracker's applications into the owner's job search and report what it did:
    `created` openings, `unchanged` ones already there (the same link, or the same title at
    the same organisation), `skipped` rows and `problems` with values. Refuses
    (InterchangeError) a file that isn't one, and (BrokenRecordsError) one with rows that
    can't be applications unless `skip_bad`; either way nothing is written.

    Set-based: the file is read, matched against what is there in a query or two, and
    written by `jobs.bulk.openings_write` a few inserts per table — as many queries for 5
    rows as for 500."""
    started = time.perf_counter()
    limit = max_import_bytes(data[:4096])
    if len(data) > limit:
        raise InterchangeError(
            f"This file is {len(data) / 1024 / 1024:.0f} MB; Circleback imports files of at "
            f"most {limit // 1024 // 1024} MB. Split it, or export less at a time."
        )
    parsed = parse(data)
    report = ImportReport(format=FORMAT, dry_run=dry_run)
    report.skipped, report.problems = parsed.skipped, parsed.problems
    if any(s.broken for s in parsed.skipped) and not skip_bad:
        raise BrokenRecordsError(parsed.skipped)
    if progress:
        progress("read", 1, 1)
    today = user_today(owner)
    existing = Opening.objects.filter(owner=owner).values_list("title", "organisation__name", "url")
    seen = {_key(t, o) for t, o, _u in existing} | {u.lower() for *_x, u in existing if u}
    fresh: list[ApplicationRecord] = []
    for record in parsed.records:
        # The same link is the same posting; a "link" that isn't one names nothing.
        keys = {_key(record.title, record.company)} | (
            {record.url.lower()} if _web_address(record.url) else set()
        )
        if keys & seen:
            report.unchanged += 1
            continue
        seen |= keys
        fresh.append(record)
    people = _people_named(owner, [r.referrer for r in fresh if r.referrer])
    items = [_item(record, today, people, report.problems) for record in fresh]
    if progress:
        progress("applications", 0, len(items))
    # The preview and the import read one plan: the preview writes nothing (not even a
    # savepoint), and the import writes what it showed (a refusal is known before a write).
    with nullcontext() if dry_run else transaction.atomic():
        plan = openings_plan(owner=owner, items=items)
        for at, exc in plan.refused.items():
            report.skipped.append(Skipped(fresh[at].where, " ".join(exc.messages)))
        report.created = len(plan.plans)
        if any(s.broken for s in report.skipped) and not skip_bad:
            raise BrokenRecordsError(report.skipped)
        if not dry_run:
            openings_write(owner=owner, plan=plan)
    if progress:
        progress("applications", len(items), len(items))
    report.seconds = time.perf_counter() - started
    return report


def _web_address(value: str) -> bool:
    try:
        _is_url(value)
    except ValidationError:
        return False
    return len(value) <= 500


def _people_named(owner: User, names: Sequence[str]) -> dict[str, Person]:
    """The owner's people by their name (any case), in a query per 900 names; of two with one
    name, the first added."""
    wanted = sorted({n.lower() for n in names})
    found: dict[str, Person] = {}
    for start in range(0, len(wanted), _NAMES_PER_QUERY):
        rows = (
            Person.objects.filter(owner=owner)
            .annotate(lowered=Lower("full_name"))
            .filter(lowered__in=wanted[start : start + _NAMES_PER_QUERY])
            .order_by("pk")
        )
        for person in rows:
            found.setdefault(person.full_name.lower(), person)
    return found


def _item(
    record: ApplicationRecord, today: dt.date, people: dict[str, Person], problems: list[Problem]
) -> OpeningIn:
    """A tracker's row as an opening with its moves; each value that can't be used as it
    is goes to `problems` (and the notes where it is worth keeping)."""

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
    referrer = people.get(record.referrer.lower()) if record.referrer else None
    if record.referrer and referrer is None:
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
    url = record.url
    if url and not _web_address(url):
        problems.append(
            Problem(f"{record.where}, URL", url[:200], "not a web address (or too long); left out")
        )
        url = ""
    title = " ".join(record.title.split())
    if len(title) > 200:
        problems.append(
            Problem(f"{record.where}, title", title[:60] + "…", "cut to 200 characters")
        )
        title = title[:200]
    notes = "\n".join(record.notes)
    if len(notes) > MAX_TEXT:
        problems.append(
            Problem(f"{record.where}, notes", notes[:60] + "…", f"cut to {MAX_TEXT} characters")
        )
        notes = notes[:MAX_TEXT]
    return OpeningIn(
        title=title,
        organisation=record.company,
        found_on=found,
        url=url,
        source=route,
        source_person=referrer if route in ("referral", "recruiter", "contact") else None,
        deadline=deadline,
        notes=notes,
        moves=_moves(record.stage, found, applied, interview, answered),
        note="Imported",
    )


def _moves(
    target: str,
    found: dt.date,
    applied: dt.date | None,
    interview: dt.date | None,
    answered: dt.date | None,
) -> list[tuple[str, dt.date]]:
    """The stages up to the file's, each on the best day the file gives (never before the
    one before it)."""
    steps = [s.value for s in FORWARD[1:]]
    if target in ENDINGS:
        rejected = steps[:2] if interview else steps[:1]
        before = {"accepted": steps, "declined": steps, "rejected": rejected, "withdrawn": []}
        path = [*before[target], target]
    else:
        path = steps[: steps.index(target) + 1] if target in steps else []
    on = found
    moves = []
    for stage in path:
        when = (
            {"applied": applied, "interviewing": interview or answered, "offer": answered}.get(
                stage
            )
            or answered
            or on
        )
        on = max(on, when)
        moves.append((stage, on))
    return moves
