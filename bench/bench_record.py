"""The record's big reads and writes, each through the command line in a new process, as a
script or a user runs them, start-up included: `make bench` calls run(ctx).

- people_json_cli_s / journal_json_cli_s: `circleback people --json` (every one of the bench
  account's 20,000 people) and `circleback journal --json` (its 200,000-odd entries), written
  to a pipe that discards them; *_peak_rss_mb is that process's peak memory.
- restore_cli_s / restore_peak_rss_mb: the bench account's whole JSON backup (about 120 MB)
  restored with `circleback import` into a new, empty account of the same database. The CLI
  hands the open file to the restore, which reads it a buffer at a time, section by section,
  and writes a batch at a time: its peak is a bounded working set and SQLite's page cache
  for the transaction (bulk.sqlite_room), not the file's bytes.
- *_cli_cpu_s, *_cli_statements, *_cli_io_mb: the same processes' CPU time (user + system),
  SQL statements and bytes passed through read/write calls, counted inside the real program
  (its own `main`, with a statement counter on each connection it opens). CPU and statements
  do not depend on the machine's load the way seconds do; the restore's I/O is what a small
  SQLite cache made of it (31 GB for a 127 MB backup before bulk.sqlite_room).
- restore_queries / journal_json_queries / people_json_queries: SQL statements of the same
  work done once more in this process (a restore into another new account from the open
  file, the two lists written to nowhere): bounded by batches, not rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _accounts import drop_account

# Runs `circleback ARGS` in a child process as the entry point does (its own `main`), with a
# statement counter on every connection it opens, and reports the child's time, peak memory,
# CPU, statements and read/write bytes. Measured from a small launcher: from the (large) bench
# process, a child's peak would include the memory it forked with.
_LAUNCHER = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run([sys.executable, "-c", sys.argv[1], *sys.argv[2:]],
                      stdout=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, file=sys.stderr)
sys.exit(code)
"""
_COUNTED = """
import atexit, sys
from django.db.backends.signals import connection_created
counted = [0]
def count(execute, sql, params, many, context):
    counted[0] += 1
    return execute(sql, params, many, context)
connection_created.connect(
    lambda sender, connection, **kw: connection.execute_wrappers.append(count), weak=False)
def report():
    io = dict(line.split(": ") for line in open("/proc/self/io").read().splitlines())
    print("counted", counted[0], int(io["rchar"]) + int(io["wchar"]), file=sys.stderr)
atexit.register(report)
from circleback.cli import main
main(sys.argv[1:])
"""


def _timed(*args: str) -> dict[str, float]:
    """Seconds, peak MB, CPU seconds, statements and I/O MB of `circleback ARGS` in a new
    process."""
    launched = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, _COUNTED, *args],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
    )
    if launched.returncode:
        raise RuntimeError(f"circleback {args[2:]} failed: {launched.stderr.strip()[-400:]}")
    lines = launched.stderr.strip().splitlines()
    seconds, kilobytes, cpu = lines[-1].split()
    _, statements, io_bytes = next(x for x in reversed(lines) if x.startswith("counted ")).split()
    return {
        "s": round(float(seconds), 2),
        "peak_rss_mb": round(int(kilobytes) / 1024, 1),
        "cpu_s": round(float(cpu), 2),
        "statements": int(statements),
        "io_mb": round(int(io_bytes) / 1e6),
    }


def _named(prefix: str, measured: dict[str, float]) -> dict[str, float]:
    """people_json_cli_s, people_json_peak_rss_mb, people_json_cli_cpu_s … as before."""
    return {
        (f"{prefix}_{key}" if key == "peak_rss_mb" else f"{prefix}_cli_{key}"): value
        for key, value in measured.items()
    }


def run(ctx: Any) -> dict[str, float]:
    from circleback.accounts.models import User
    from circleback.interchange.exports import export_to

    owner = ctx.owner.username
    metrics: dict[str, float] = {}
    metrics.update(_named("people_json", _timed("--user", owner, "people", "--json")))
    metrics.update(_named("journal_json", _timed("--user", owner, "journal", "--json")))

    backup = Path(ctx.scratch_dir) / "backup.json"
    with backup.open("wb") as out:
        export_to(out, owner=ctx.owner, format="json")
    metrics["restore_backup_mb"] = round(backup.stat().st_size / 1e6, 1)
    user = User.objects.create(username=f"bench-restore-{time.time_ns()}")
    try:
        restored = _timed("--user", user.username, "import", str(backup))
    finally:
        drop_account(user)
    metrics.update(_named("restore", restored))
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
        with backup.open("rb") as data:
            metrics["restore_queries"] = statements(
                lambda: import_file(owner=user, data=data, format="json")
            )
    finally:
        drop_account(user)
    return metrics
