"""A job tracker's applications imported: 500 applications naming 300 organisations.

`run(ctx)` makes its own account (it does not touch ctx.owner's data) with NETWORK people at
organisations of its own, a tenth of the file's employers among them, then imports a tracker's
CSV of ROWS applications at ORGANISATIONS employers (power-law: a few with many applications,
a long tail with one), every stage from saved to hired, a fifth referred by someone in the
network, a few values that can't be used. It measures, as the import page runs it:

- jobs_import_preview_s: the preview (a dry run, the import rolled back);
- jobs_import_s: the import itself;
- jobs_import_queries: SQL statements of the import (the same for 50 rows as for 500: see
  interchange/tests/test_job_tracker.py), and jobs_import_queries_50 for a 50-row file;
- jobs_import_rows_per_s: rows imported a second.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import numpy as np

from _accounts import drop_account

ROWS = int(os.environ.get("CIRCLEBACK_BENCH_JOB_ROWS", "500"))
ORGANISATIONS = 300
NETWORK = 2000
STATUSES = (
    "Saved", "Applied", "Applied", "Applied", "Phone screen", "Interviewing", "Offer received",
    "Rejected", "Rejected", "Withdrawn", "Hired", "ghosted",
)  # fmt: skip


def tracker_csv(rows: int, organisations: int, referrers: list[str], seed: int = 3) -> bytes:
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, organisations + 1) ** 1.1
    weights /= weights.sum()
    employers = rng.choice(organisations, size=rows, p=weights)
    lines = [
        "Job Title,Company,Job URL,Status,Date Saved,Date Applied,Interview Date,"
        "Response Date,Referred By,Notes"
    ]
    for n, employer in enumerate(employers.tolist()):
        status = STATUSES[n % len(STATUSES)]
        month = 1 + n % 10
        saved = f"2026-{month:02d}-{1 + n % 20:02d}"
        applied = "" if status == "Saved" else f"2026-{month:02d}-{3 + n % 20:02d}"
        interview = f"2026-{month:02d}-{8 + n % 20:02d}" if n % 3 == 0 and applied else ""
        answered = f"2026-{month:02d}-{9 + n % 19:02d}" if status in STATUSES[4:11] else ""
        url = "see email" if n % 37 == 0 else f"https://jobs.example.org/{employer}/{n}"
        by = referrers[n % len(referrers)] if n % 5 == 0 else ""
        lines.append(
            f"Role {n} {'Analyst' if n % 2 else 'Engineer'},Employer {employer} Ltd,{url},"
            f"{status},{saved},{applied},{interview},{answered},{by},Found on a board"
        )
    return ("\n".join(lines) + "\n").encode()


def run(ctx: Any) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from circleback.accounts.models import User
    from circleback.interchange.applications import applications_import
    from circleback.people.models import Organisation, Person
    from circleback.text import normalize_org_name

    user = User.objects.create(username=f"bench-jobs-{uuid.uuid4().hex[:8]}")
    try:
        names = [f"Employer {n} Ltd" for n in range(0, ORGANISATIONS, 10)] + [
            f"Network Org {n}" for n in range(200)
        ]
        orgs = Organisation.objects.bulk_create(
            [Organisation(owner=user, name=n, normalized_name=normalize_org_name(n)) for n in names]
        )
        Person.objects.bulk_create(
            [
                Person(
                    owner=user,
                    full_name=f"Contact {n} Person",
                    given_name=f"Contact {n}",
                    family_name="Person",
                    organisation=orgs[n % len(orgs)],
                )
                for n in range(NETWORK)
            ]
        )
        referrers = [f"Contact {n} Person" for n in range(0, NETWORK, 97)]
        data = tracker_csv(ROWS, ORGANISATIONS, referrers)
        small = tracker_csv(50, 30, referrers, seed=4).replace(b"Employer", b"Small")
        started = time.perf_counter()
        preview = applications_import(owner=user, data=data, dry_run=True, skip_bad=True)
        preview_s = time.perf_counter() - started
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report = applications_import(owner=user, data=data, skip_bad=True)
            import_s = time.perf_counter() - started
        with CaptureQueriesContext(connection) as small_queries:
            applications_import(owner=user, data=small, skip_bad=True)
        assert report.created == preview.created == ROWS, (report.created, report.skipped)
        return {
            "jobs_import_preview_s": round(preview_s, 3),
            "jobs_import_s": round(import_s, 3),
            "jobs_import_rows_per_s": round(ROWS / import_s, 1),
            "jobs_import_queries": len(queries),
            "jobs_import_queries_50": len(small_queries),
        }
    finally:
        drop_account(user)
