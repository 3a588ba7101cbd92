"""The record's big reads and writes, each through the command line in a new process, as a
script or a user runs them, start-up included: `make bench` calls run(ctx).

- people_json_cli_s / journal_json_cli_s: `circleback people --json` (every one of the bench
  account's 20,000 people) and `circleback journal --json` (its 200,000-odd entries), written
  to a pipe that discards them; *_peak_rss_mb is that process's peak memory.
- restore_cli_s / restore_peak_rss_mb: the bench account's whole JSON backup (about 120 MB)
  restored with `circleback import` into a new, empty account of the same database. The
  restore reads the file section by section and writes a batch at a time, so its peak is
  the file's bytes (read whole by the CLI) and a bounded working set, not the document.
- restore_queries / journal_json_queries / people_json_queries: SQL statements of the same
  work done once more in this process (a restore into another new account, the two lists
  written to nowhere): bounded by batches, not rows, whatever the machine's load.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _accounts import drop_account

# Runs a command and reports its time and peak memory: measured from the (large) bench
# process, a child's peak would include the memory it forked with.
_LAUNCHER = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - started
print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def _timed(*args: str) -> tuple[float, float]:
    """(seconds, peak MB) of `circleback ARGS` in a new process."""
    circleback = str(Path(sys.executable).with_name("circleback"))
    launched = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, circleback, *args],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
    )
    if launched.returncode:
        raise RuntimeError(f"circleback {args[2:]} failed: {launched.stderr.strip()[-400:]}")
    seconds, kilobytes = launched.stderr.strip().splitlines()[-1].split()
    return round(float(seconds), 2), round(int(kilobytes) / 1024, 1)


def run(ctx: Any) -> dict[str, float]:
    from circleback.accounts.models import User
    from circleback.interchange.exports import export_to

    owner = ctx.owner.username
    metrics: dict[str, float] = {}
    seconds, peak = _timed("--user", owner, "people", "--json")
    metrics.update(people_json_cli_s=seconds, people_json_peak_rss_mb=peak)
    seconds, peak = _timed("--user", owner, "journal", "--json")
    metrics.update(journal_json_cli_s=seconds, journal_json_peak_rss_mb=peak)

    backup = Path(ctx.scratch_dir) / "backup.json"
    with backup.open("wb") as out:
        export_to(out, owner=ctx.owner, format="json")
    metrics["restore_backup_mb"] = round(backup.stat().st_size / 1e6, 1)
    user = User.objects.create(username=f"bench-restore-{time.time_ns()}")
    try:
        seconds, peak = _timed("--user", user.username, "import", str(backup))
    finally:
        drop_account(user)
    metrics.update(restore_cli_s=seconds, restore_peak_rss_mb=peak)
    metrics.update(_queries(ctx, backup))
    return metrics


def _queries(ctx: Any, backup: Path) -> dict[str, float]:
    """How many statements a restore and the two --json lists take, counted in this process."""
    import contextlib
    import io

    from django.db import connection

    from circleback.accounts.models import User
    from circleback.cli._paging import stream_json
    from circleback.cli.journal import entry_dicts_of_rows
    from circleback.interchange.services import import_file
    from circleback.journal.queries import entry_rows, journal_list
    from circleback.people.queries import people_list
    from circleback.people.serializers import people_dicts_of_rows, person_rows

    count = [0]

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    def statements(work: Any) -> int:
        count[0] = 0
        with connection.execute_wrapper(counted), contextlib.redirect_stdout(io.StringIO()):
            work()
        return count[0]

    metrics: dict[str, float] = {}
    metrics["journal_json_queries"] = statements(
        lambda: stream_json(
            entry_rows(journal_list(owner=ctx.owner)),
            limit=None,
            offset=0,
            to_json=None,  # type: ignore[arg-type]
            to_json_batch=entry_dicts_of_rows,
            what="entries",
        )
    )
    metrics["people_json_queries"] = statements(
        lambda: stream_json(
            person_rows(people_list(owner=ctx.owner)),
            limit=None,
            offset=0,
            to_json=None,  # type: ignore[arg-type]
            to_json_batch=people_dicts_of_rows,
            what="people",
        )
    )
    user = User.objects.create(username=f"bench-restore-{time.time_ns()}")
    try:
        data = backup.read_bytes()
        metrics["restore_queries"] = statements(
            lambda: import_file(owner=user, data=data, format="json")
        )
    finally:
        drop_account(user)
    return metrics
