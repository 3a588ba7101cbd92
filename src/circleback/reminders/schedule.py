"""Periodic jobs, claimed in the database so that each runs once however many workers run.

No scheduler package for Django's tasks framework installs on Python 3.11 (django-crontask
needs 3.12, django-periodic-tasks 3.13), so this is the small one healthchecks' `sendalerts`
shows: each job is a row with its next run time; a worker that moves that time forward with
one conditional update (exactly one row changed) enqueues the job's task. A worker that dies
after the update loses at most one run of a job that runs again within the hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from circleback.reminders.models import ScheduledJob


@dataclass(frozen=True)
class Job:
    name: str
    every: dt.timedelta
    enqueue: Callable[[], object]


def _jobs() -> list[Job]:
    from circleback.reminders import tasks

    return [
        # Due digests are found every minute: a digest for 07:00 goes out by 07:01.
        Job("digests", dt.timedelta(minutes=1), tasks.digests_due.enqueue),
        Job("clean-up", dt.timedelta(hours=1), tasks.clean_up.enqueue),
    ]


def run_due(*, worker_id: str, now: dt.datetime | None = None) -> list[str]:
    """Enqueue each job whose time has come and that this worker claims; their names."""
    now = now or timezone.now()
    started = []
    jobs = _jobs()
    known = dict(ScheduledJob.objects.values_list("name", "next_run_at"))
    for job in jobs:
        if job.name not in known:
            ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
            known[job.name] = now
        if known[job.name] > now:
            continue
        with transaction.atomic():  # claimed and enqueued together, or neither
            claimed = ScheduledJob.objects.filter(
                name=job.name, next_run_at=known[job.name]
            ).update(next_run_at=now + job.every, last_run_at=now, last_worker=worker_id)
            if claimed == 1:
                job.enqueue()
                started.append(job.name)
    return started
