"""What each page of the load test costs the app process: CPU and queries per request.

    python tools/pgcluster.py -- python tools/pagecost.py [--repeat 20] [--profile KIND]

Prepares the accounts as the load test does (four 1,500-person demo networks, on the
PostgreSQL that DATABASE_URL names, or SQLite without it; `--accounts 1` for one alone) and
requests the load test's pages as the first account, in this process, through Django's test
client (the whole middleware stack, no HTTP). For each kind it
reports the queries made, the CPU this thread spent (time.thread_time: unlike wall-clock
time it hardly moves when other programs share the cores), median and worst of --repeat,
and PostgreSQL's own time for the same SELECTs (planning and execution, by EXPLAIN ANALYZE).
`--profile KIND` prints cProfile's top functions for that kind instead (by CPU time too).

The load test's wall-clock times depend on everything else running on the machine; this is
the number a change to a page can be judged by.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PEOPLE = 1500


ACCOUNTS = 4  # as tools/loadtest.py: its accounts' rows are in every table the pages read


def _prepare(home: Path, accounts: int = ACCOUNTS) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIRCLEBACK_")}
    env["CIRCLEBACK_HOME"] = str(home)
    run = [sys.executable, "-m", "circleback"]
    steps: list[tuple[list[str], str | None]] = [(["migrate"], None)]
    for n in range(accounts):  # named and seeded as the load test does
        name = f"member{n}"
        steps += [
            (["user", "create", name, "--password-file", "-"], "a long enough password\n"),
            (["--user", name, "demo", "--people", str(PEOPLE), "--seed", str(n)], None),
        ]
    for args, given in steps:
        subprocess.run([*run, *args], env=env, input=given, text=True, check=True,
                       capture_output=True)  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--accounts", type=int, default=ACCOUNTS, help="accounts to prepare (the load test's 4)"
    )
    parser.add_argument("--profile", default=None, help="a kind to profile (e.g. home)")
    parser.add_argument("--only", default=None, help="comma-separated kinds to measure")
    parser.add_argument(
        "--queries", default=None, help="a kind whose queries to list with their times"
    )
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="pagecost-"))
    print(
        f"Preparing {args.accounts} account(s) of {PEOPLE:,} people…", file=sys.stderr, flush=True
    )
    _prepare(home, args.accounts)
    for key in [k for k in os.environ if k.startswith("CIRCLEBACK_")]:
        del os.environ[key]
    os.environ["CIRCLEBACK_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "circleback.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from circleback.accounts.models import User
    from circleback.people.models import Person

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have by now (see tools/loadtest.py)
    owner = User.objects.get(username="member0")
    people = [str(u) for u in Person.objects.filter(owner=owner).values_list("uuid", flat=True)]
    rng = random.Random(1)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(owner)

    def search() -> str:
        return "/people/?q=" + rng.choice("abcdeghijklmnoprstw") + rng.choice("aeiou")

    def log() -> None:
        person = rng.choice(people)
        page = client.get(f"/people/{person}/").content.decode()
        token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        done = client.post(
            f"/people/{person}/log/",
            {"csrfmiddlewaretoken": token, "log-summary": "cost", "log-kind": "call",
             "log-occurred_at": time.strftime("%Y-%m-%dT%H:%M")},
        )  # fmt: skip
        assert done.status_code == 302, done.content.decode()[:2000]

    kinds: dict[str, Callable[[], object]] = {
        "home": lambda: client.get("/"),
        "people": lambda: client.get("/people/"),
        "search": lambda: client.get(search()),
        "person": lambda: client.get(f"/people/{rng.choice(people)}/"),
        "today": lambda: client.get("/today/"),
        "meeting form": lambda: client.get("/meetings/new/"),
        "log (person page + post)": log,
    }
    if args.only:
        kinds = {k: v for k, v in kinds.items() if k in args.only.split(",")}
    for fn in kinds.values():  # warm: templates compiled, connection open
        fn()
    if args.queries:
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                kinds[args.queries]()
        rows = []
        for q in captured.captured_queries:
            took = float(q["time"]) * 1000
            plan, execution = "", took
            if connection.vendor == "postgresql" and q["sql"].lstrip().startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + q["sql"])
                    found = cursor.fetchone()[0][0]
                plan = found["Plan"]["Node Type"]
                execution = found["Execution Time"] + found["Planning Time"]
            rows.append((execution, took, plan, q["sql"]))
        print(f"{'server ms':>9} {'client ms':>9}")
        for execution, took, plan, sql in sorted(rows, reverse=True):
            print(f"{execution:9.2f} {took:9.1f}  {plan[:14]:14} {sql[:300]}")
        print(f"{sum(r[0] for r in rows):9.2f} {sum(r[1] for r in rows):9.1f}  total")
        return 0
    if args.profile:
        # Timed by this thread's CPU, as the table is: by the wall clock, PostgreSQL's work
        # (and other programs') shows up as psycopg's, waiting for the answer.
        profiler = cProfile.Profile(time.thread_time)
        profiler.enable()
        for _ in range(args.repeat):
            kinds[args.profile]()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(45)
        out.write("\n--- by own time ---\n")
        stats.sort_stats("tottime").print_stats(30)
        print(out.getvalue())
        return 0
    print(f"{'kind':28} {'queries':>7} {'cpu ms p50':>10} {'cpu ms max':>10} {'db ms p50':>9}")
    for kind, fn in kinds.items():
        cpu: list[float] = []
        queries: list[int] = []
        database: list[float] = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.thread_time()
                fn()
                cpu.append(1000 * (time.thread_time() - started))
            queries.append(len(captured))
            database.append(_server_ms(connection, captured.captured_queries))
        shown = f"{min(queries)}-{max(queries)}" if min(queries) != max(queries) else queries[0]
        print(
            f"{kind:28} {shown!s:>7} {statistics.median(cpu):10.1f} {max(cpu):10.1f} "
            f"{statistics.median(database):9.1f}"
        )
    return 0


def _server_ms(connection: Any, captured: list[dict[str, str]]) -> float:
    """PostgreSQL's own time (planning and execution, EXPLAIN ANALYZE) for the SELECTs just
    made, run again; writes are left alone. 0 on SQLite, which runs inside this process."""
    if connection.vendor != "postgresql":
        return 0.0
    total = 0.0
    with connection.cursor() as cursor:
        for query in captured:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0][0]
                total += plan["Planning Time"] + plan["Execution Time"]
    return total


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
