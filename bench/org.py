"""`make bench-org`: one account among 100 on PostgreSQL, against the same account alone.

    python tools/pgcluster.py -- .venv/bin/python bench/org.py              full size
    python tools/pgcluster.py -- .venv/bin/python bench/org.py --scale 0.05 a quick run

An organisation's deployment keeps every account in one database. What one member sees must
not slow down because 99 others are there: every list and filter reads through an index that
starts with the owner, so no plan walks other owners' rows. This measures that directly.

1. Database `alone`: the measured account (`member`), 20,000 people and 200,000 journal
   entries with everything `circleback demo` makes (meetings, loops, favours …), and — as
   real networks have — thousands of employers, not the demo's few hundred.
2. Database `org`, a copy of `alone` plus 99 more accounts: 500,000 people and 1,000,000
   journal entries in all. Account sizes follow a power law (a few of 30,000, most of a few
   thousand or fewer), activity is skewed (some write every day, many hardly ever), every
   account draws names from the same lists (so "Ana" matches in every account). Then the
   tables are laid out as years of use would leave them, not as one bulk insert does: the
   journal in time order across accounts, people and the rest in runs of a few hundred rows
   (an import's batch) shuffled among accounts. Then VACUUM ANALYZE, as autovacuum would.
3. The member's single-account paths are timed in both databases: search, the people list
   (default, search, filters), Home, the daily agenda, person pages (the busiest and
   ordinary people) and ways in (the paths page of target organisations, warm, and a cold
   graph load). Each step is timed in one database and at once in the other, which goes
   first alternating step by step and round by round, so each goes first equally often and
   the machine's load falls on both alike. Each ratio is the median over rounds of that
   round's org / alone; the target is ≤ 1.3.
4. Every SQL statement of those pages is EXPLAIN ANALYZEd on `org`; any plan that reads
   more than a few thousand rows of other owners (a sequential scan of a big table, or a
   filter throwing away many rows) is listed under `plan_findings`. Each is also timed in
   both databases (best of three): one that takes more than twice as long among the others
   is listed under `slower_statements`, with the pages it read in each. That is how a plan
   that looks the same in both but does more work is found.

Results go to bench/results-org.json (see bench/README.md). Generation takes a few minutes
at full size; `--scale 0.05` makes 1/20 of everything for a quick look.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results-org.json"

ACCOUNTS = 100
PEOPLE = 500_000
INTERACTIONS = 1_000_000
MEMBER_PEOPLE = 20_000
MEMBER_INTERACTIONS_PER_PERSON = 10.0
LARGEST = 30_000  # the biggest networks the guide names
SMALLEST = 40
# Employers per person: a 20,000-person network names about 4,000 (a real LinkedIn export
# of 30,000 connections names about 7,800; the demo alone makes 380).
EMPLOYERS_PER_PERSON = 0.2
TIES_PER_PERSON = 3.0
ROUNDS = 4  # even, so each database goes first equally often
RATIO_TARGET = 1.3
# Statements that read more than this many rows to answer are listed (on `org`).
ROWS_WORTH_A_LOOK = 5_000
# Statements whose execution among the others takes this many times as long as alone (and
# this much longer) are listed, with their pages read in each.
SLOWER_STATEMENT = 2.0
SLOWER_BY_MS = 0.5


def _setup() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "bench-org measures PostgreSQL: run it as `make bench-org`, or with DATABASE_URL "
            "set to a server where it may create databases `alone` and `org` "
            "(python tools/pgcluster.py -- .venv/bin/python bench/org.py)."
        )
    os.environ.setdefault("CIRCLEBACK_HOME", str(BENCH / "data" / "org"))
    Path(os.environ["CIRCLEBACK_HOME"]).mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "circleback.settings"
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(BENCH))
    import django

    django.setup()


# --- databases ----------------------------------------------------------------------------


def _admin(sql: str) -> None:
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg
    from django.db import connection

    settings = dict(connection.settings_dict)
    conninfo = {
        "dbname": "postgres",
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}, autocommit=True) as admin:
        admin.execute(sql)


def _use(name: str) -> None:
    """Point Django's default connection at database `name` (and forget per-process caches
    that belong to the other one: the account has the same id in both)."""
    from django.db import connection

    from circleback.paths import graph

    connection.close()
    connection.settings_dict["NAME"] = name
    graph.cache_clear()


def _sql(statement: str, params: list[Any] | None = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


# --- generation ---------------------------------------------------------------------------


@contextlib.contextmanager
def _employers(per_person: float) -> Iterator[None]:
    """The demo names round(people ** 0.6) organisations; real networks name many more."""
    from circleback.demo import services

    original = services._Generator.make_organisations

    def make_organisations(self: Any) -> None:
        people = self.n_people
        self.n_people = round(max(3.0, people * per_person) ** (1 / 0.6))
        try:
            original(self)
        finally:
            self.n_people = people

    services._Generator.make_organisations = make_organisations  # type: ignore[method-assign]
    try:
        yield
    finally:
        services._Generator.make_organisations = original  # type: ignore[method-assign]


def account_sizes(total: int, count: int, largest: int, smallest: int) -> list[int]:
    """`count` network sizes summing to `total`, following a power law capped at `largest`."""
    weights = [(i + 1) ** -0.85 for i in range(count)]
    sizes = [0.0] * count
    free = list(range(count))
    left = float(total)
    while free:
        scale = left / sum(weights[i] for i in free)
        capped = [i for i in free if weights[i] * scale > largest]
        if not capped:
            for i in free:
                sizes[i] = weights[i] * scale
            break
        for i in capped:
            sizes[i] = largest
            left -= largest
            free.remove(i)
    return [max(smallest, round(s)) for s in sizes]


def activity(count: int, total: float, people: list[int], rng: random.Random) -> list[float]:
    """Journal entries per person for each account: lognormal, so a few accounts write most
    of the journal and many hardly anything; scaled so the entries add up to `total`."""
    raw = [rng.lognormvariate(0, 1.2) for _ in range(count)]
    scale = total / sum(r * p for r, p in zip(raw, people, strict=True))
    return [min(60.0, r * scale) for r in raw]


def _generate(
    username: str, people: int, per_person: float, seed: int, ties: float
) -> dict[str, Any]:
    from circleback.accounts.models import User
    from circleback.demo.services import demo_generate

    owner = User.objects.create_user(username=username, password=None, time_zone="Europe/London")
    with _employers(EMPLOYERS_PER_PERSON):
        report = demo_generate(
            owner=owner,
            people=people,
            seed=seed,
            interactions_per_person=per_person,
            ties_per_person=ties,
        )
    return {
        "people": report.people,
        "organisations": report.organisations,
        "interactions": report.interactions,
        "ties": report.ties,
    }


# Tables laid out as use leaves them: (table, the order rows end up in). The journal is
# written day by day by every account at once; people, their details, ties and search
# documents arrive in imports, a batch at a time, interleaved with other accounts' batches.
def _layout_orders() -> list[tuple[str, str]]:
    runs = "hashtext((id / {n})::text), id"
    return [
        ("journal_interaction", "occurred_at, id"),
        ("journal_participation", "occurred_at, id"),
        ("people_person", runs.format(n=200)),
        ("people_email", runs.format(n=200)),
        ("people_phone", runs.format(n=200)),
        ("people_link", runs.format(n=200)),
        ("people_tie", runs.format(n=500)),
        ("people_organisation", runs.format(n=100)),
        ("search_searchdocument", runs.format(n=200)),
    ]


def _lay_out() -> None:
    """Rewrite the big tables in the order years of use would leave them (CLUSTER on a
    throwaway index of that order)."""
    for table, order in _layout_orders():
        index = f"bench_layout_{table}"
        _sql(f"CREATE INDEX {index} ON {table} (({order.replace(', id', '')}), id)")
        _sql(f"CLUSTER {table} USING {index}")
        _sql(f"DROP INDEX {index}")


def build(scale: float, log: Callable[[str], None]) -> dict[str, Any]:
    """Databases `alone` and `org`; returns what was made and how long it took."""
    from django.core.management import call_command
    from django.db import connection

    from circleback.journal.models import Interaction
    from circleback.people.models import Person

    made: dict[str, Any] = {"scale": scale}
    base = connection.settings_dict["NAME"]
    for name in ("alone", "org"):
        _admin(f"DROP DATABASE IF EXISTS {name}")
    _admin("CREATE DATABASE alone")
    _use("alone")
    call_command("migrate", interactive=False, verbosity=0)

    member_people = max(300, round(MEMBER_PEOPLE * scale))
    started = time.perf_counter()
    log(f"Generating the member's network: {member_people:,} people…")
    _generate("member", member_people, MEMBER_INTERACTIONS_PER_PERSON, seed=1, ties=5.0)
    # Compact, as `org`'s tables will be once laid out (the generator updates every person
    # after inserting them, which leaves half-empty pages): the two differ in their
    # neighbours only.
    _sql("VACUUM FULL ANALYZE")
    made["member_generate_s"] = round(time.perf_counter() - started, 1)
    connection.close()

    _admin("CREATE DATABASE org TEMPLATE alone")
    _use("org")
    rng = random.Random(18)
    others = ACCOUNTS - 1
    people_left = round(PEOPLE * scale) - Person.objects.count()
    entries_left = round(INTERACTIONS * scale) - Interaction.objects.count()
    sizes = account_sizes(people_left, others, max(SMALLEST, round(LARGEST * scale)), SMALLEST)
    rng.shuffle(sizes)
    per_person = activity(others, entries_left, sizes, rng)
    started = time.perf_counter()
    last = started
    for n, (size, rate) in enumerate(zip(sizes, per_person, strict=True)):
        _generate(f"org-{n:03d}", size, rate, seed=100 + n, ties=TIES_PER_PERSON)
        if time.perf_counter() - last > 10 or n == others - 1:
            last = time.perf_counter()
            log(
                f"  {n + 1}/{others} accounts, {Person.objects.count():,} people, "
                f"{Interaction.objects.count():,} journal entries "
                f"({last - started:.0f} s)"
            )
    made["others_generate_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    log("Laying the tables out as years of use would, then VACUUM ANALYZE…")
    _lay_out()
    _sql("VACUUM ANALYZE")
    made["layout_s"] = round(time.perf_counter() - started, 1)
    made.update(describe())
    connection.settings_dict["NAME"] = base
    return made


def describe() -> dict[str, Any]:
    """What databases `alone` and `org` hold (with `org` in use)."""
    from django.db import connection
    from django.db.models import Count

    from circleback.accounts.models import User
    from circleback.journal.models import Interaction
    from circleback.people.models import Organisation, Person

    _use("org")
    sizes = sorted(
        Person.objects.values("owner")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("n", flat=True)
    )
    member = User.objects.get(username="member")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size('org'), pg_database_size('alone')")
        org_bytes, alone_bytes = cursor.fetchone()
    return {
        "org": {
            "accounts": User.objects.count(),
            "people": Person.objects.count(),
            "interactions": Interaction.objects.count(),
            "organisations": Organisation.objects.count(),
            "largest_network": sizes[-1],
            "median_network": sizes[len(sizes) // 2],
            "smallest_network": sizes[0],
            "database_mb": round(org_bytes / 2**20),
        },
        "member": {
            "people": Person.objects.filter(owner=member).count(),
            "interactions": Interaction.objects.filter(owner=member).count(),
            "organisations": Organisation.objects.filter(owner=member).count(),
        },
        "alone_database_mb": round(alone_bytes / 2**20),
    }


# --- measuring ----------------------------------------------------------------------------


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _paths_urls(owner: Any) -> list[str]:
    from django.urls import reverse

    from circleback.people.models import Organisation

    targets = Organisation.objects.filter(owner=owner, is_target=True).order_by("pk")[:8]
    return [reverse("paths:organisation", kwargs={"uuid": str(o.uuid)}) for o in targets]


def measurements(owner: Any) -> dict[str, Callable[[], dict[str, float]]]:
    """The member's single-account paths, each a step that times one thing; milliseconds."""
    import bench_core
    import bench_insights
    from circleback.insights.queries.agenda import agenda_for
    from circleback.paths import graph

    def ways_in() -> dict[str, float]:
        client = bench_core._client(owner)
        urls = _paths_urls(owner)
        graph.cache_clear()
        started = time.perf_counter()
        bench_core._get(client, urls[0])
        cold = round((time.perf_counter() - started) * 1000, 1)
        samples = bench_core._timed(lambda: [bench_core._get(client, u) for u in urls], 3)
        return {
            "ways_in_cold_ms": cold,
            "ways_in_page_p50_ms": round(statistics.median(samples) / len(urls), 1),
        }

    return {
        "search": lambda: bench_core._bench_search(owner),
        "pages": lambda: bench_core._bench_pages(owner, []),
        "agenda": lambda: {
            "agenda_p50_ms": bench_insights._p50_ms(lambda: agenda_for(owner), time.perf_counter)
        },
        "ways in": ways_in,
    }


# The ratios judged against the target, and those shown for information.
JUDGED = (
    "search_p50_ms",
    "people_page_p50_ms",
    "page_home_p50_ms",
    "agenda_p50_ms",
    "page_person_p50_ms",
    "ways_in_page_p50_ms",
)


def order_of(round_: int, step: int) -> tuple[str, str]:
    """Which database a step measures first in a round: it alternates step by step and round
    by round, so over an even number of rounds each database goes first equally often in
    every step (whatever goes first pays for a cold cache and meets the load of the moment)."""
    return ("alone", "org") if (round_ + step) % 2 == 0 else ("org", "alone")


def measure(rounds: int, log: Callable[[str], None]) -> dict[str, Any]:
    """Each step timed in both databases back to back, the order alternating (`order_of`).

    Each database's figure is its median over the rounds, and each ratio the median of the
    rounds' own org / alone ratios: the two halves of a pair ran within seconds of each other,
    so a change in the machine's load between rounds cancels out of the pair."""
    from circleback.accounts.models import User

    runs: dict[str, list[dict[str, float]]] = {
        "alone": [{} for _ in range(rounds)],
        "org": [{} for _ in range(rounds)],
    }
    first = {"alone": 0, "org": 0}
    owners: dict[str, Any] = {}
    for name in ("alone", "org"):
        _use(name)
        owners[name] = User.objects.get(username="member")
    for n in range(rounds):
        started = time.perf_counter()
        steps = list(measurements(owners["alone"]))
        for index, step in enumerate(steps):
            order = order_of(n, index)
            first[order[0]] += 1
            for name in order:
                _use(name)
                runs[name][n].update(measurements(owners[name])[step]())
        log(f"  round {n + 1}/{rounds}: {time.perf_counter() - started:.0f} s")
    summary: dict[str, Any] = {}
    for name, found in runs.items():
        keys = [k for k in found[0] if isinstance(found[0][k], int | float)]
        summary[name] = {k: round(statistics.median(r[k] for r in found), 2) for k in keys}
    ratios = {}
    spread = {}
    for key in summary["org"]:
        if not key.endswith("_ms"):
            continue
        paired = [
            org[key] / alone[key]
            for alone, org in zip(runs["alone"], runs["org"], strict=True)
            if alone.get(key)
        ]
        if paired:
            ratios[key] = round(statistics.median(paired), 2)
            spread[key] = [round(min(paired), 2), round(max(paired), 2)]
    summary["ratios"] = ratios
    summary["ratio_range"] = spread
    summary["worst_judged_ratio"] = max(ratios[k] for k in JUDGED)
    summary["rounds"] = rounds
    summary["measured_first"] = first
    return summary


# --- plans --------------------------------------------------------------------------------


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def _pages(owner: Any) -> dict[str, Callable[[], Any]]:
    """The member's pages and paths, each a call that runs its statements."""
    from django.urls import reverse

    import bench_core
    from circleback.insights.queries.agenda import agenda_for
    from circleback.journal.queries import search
    from circleback.people.models import Person

    client = bench_core._client(owner)
    person = Person.objects.filter(owner=owner).order_by("-last_contact_at").first()
    people = bench_core._people_url()
    pages: dict[str, Callable[[], Any]] = {
        "people list": lambda: bench_core._get(client, people),
        "people search": lambda: bench_core._get(client, f"{people}?q=ana"),
        "people filter": lambda: bench_core._get(client, f"{people}?list=B&closeness=3"),
        "home": lambda: bench_core._get(client, reverse("home")),
        "agenda": lambda: agenda_for(owner),
        "search": lambda: search(owner=owner, text="ana ma"),
        "person": lambda: bench_core._get(
            client, reverse("person", kwargs={"uuid": str(person.uuid)})
        ),
    }
    for n, url in enumerate(_paths_urls(owner)[:2]):
        pages[f"ways in {n + 1}"] = lambda url=url: bench_core._get(client, url)
    return pages


def _statements(owner: Any) -> list[tuple[str, str]]:
    """(page, SQL) of every SELECT the member's pages make, captured on the database in use."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = []
    for page, work in _pages(owner).items():
        with CaptureQueriesContext(connection) as captured:
            work()
        found += [
            (page, q["sql"])
            for q in captured.captured_queries
            if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
        ]
    return found


def _explain(sql: str, timing: bool = True) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, TIMING {timing}, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]


def _short(sql: str) -> str:
    return " ".join(sql.split())[:300]


def plan_findings(statements: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The statements EXPLAIN ANALYZEd on `org` (in use): the nodes that read many rows to
    keep few (a sequential scan, or a filter throwing rows away)."""
    findings: list[dict[str, Any]] = []
    for page, sql in statements:
        for node in _walk(_explain(sql)["Plan"]):
            removed = node.get("Rows Removed by Filter", 0) + node.get(
                "Rows Removed by Index Recheck", 0
            )
            read = node.get("Actual Rows", 0) * node.get("Actual Loops", 1) + removed
            seq = node["Node Type"] == "Seq Scan"
            if (seq and read > ROWS_WORTH_A_LOOK) or removed > ROWS_WORTH_A_LOOK:
                findings.append(
                    {
                        "page": page,
                        "node": node["Node Type"],
                        "table": node.get("Relation Name", ""),
                        "index": node.get("Index Name", ""),
                        "rows_kept": node.get("Actual Rows", 0) * node.get("Actual Loops", 1),
                        "rows_removed": removed,
                        "ms": round(node.get("Actual Total Time", 0.0), 1),
                        "sql": _short(sql),
                    }
                )
    return findings


def slower_statements(statements: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The statements that take the database much longer among the others than alone.

    A plan can look the same in both and still cost more among the others: a prefix search
    whose index gathered every account's matching words read barely more pages but took 5.5
    times as long (search migration 0010). Each statement's execution time is its best of
    three in each database (the member has the same ids in both, so the SQL is the same),
    run as the app runs it, rows fetched: EXPLAIN ANALYZE's clock on every row of every node
    can cost more than the statement (a plan that sorts 1,487 rows looked 5 times slower
    than one that reads 50 in order; run plainly, it was not)."""
    from django.db import connection

    times: dict[str, list[float]] = {"alone": [], "org": []}
    pages: dict[str, list[int]] = {"alone": [], "org": []}
    for name in ("org", "alone"):
        _use(name)
        for _, sql in statements:
            best = float("inf")
            with connection.cursor() as cursor:
                for _ in range(3):
                    started = time.perf_counter()
                    cursor.execute(sql)
                    cursor.fetchall()
                    best = min(best, (time.perf_counter() - started) * 1000)
            times[name].append(best)
            pages[name].append(_explain(sql, timing=False)["Plan"].get("Shared Hit Blocks", 0))
    _use("org")
    slower = []
    for n, (page, sql) in enumerate(statements):
        alone, org = times["alone"][n], times["org"][n]
        if org > SLOWER_STATEMENT * alone and org - alone > SLOWER_BY_MS:
            slower.append(
                {
                    "page": page,
                    "alone_ms": round(alone, 2),
                    "org_ms": round(org, 2),
                    "alone_pages": pages["alone"][n],
                    "org_pages": pages["org"][n],
                    "sql": _short(sql),
                }
            )
    return slower


# --- the run ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="a fraction of the full size (people, journal, the member's network); "
        "e.g. 0.05 for a quick run",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=ROUNDS,
        help="rounds; each times every step in both databases, the one first alternating "
        "(keep it even, so each goes first equally often)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure databases `alone` and `org` already built"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="the results file")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1:
        parser.error("--scale is a fraction: more than 0, at most 1")
    _setup()
    import run as bench_run

    began = time.perf_counter()

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - began:6.0f} s] {text}", flush=True)

    made: dict[str, Any] = {}
    if args.reuse:
        # The same data, with whatever migrations (new indexes) this checkout adds.
        from django.core.management import call_command

        for name in ("alone", "org"):
            _use(name)
            call_command("migrate", interactive=False, verbosity=0)
            _sql("VACUUM ANALYZE")
        made = {"reused": True, **describe()}
    else:
        made = build(args.scale, log)
    log("Measuring the member alone and among the others…")
    summary = measure(args.rounds, log)
    _use("org")
    from circleback.accounts.models import User

    log("EXPLAIN ANALYZE of every statement of the member's pages, on `org` and alone…")
    statements = _statements(User.objects.get(username="member"))
    findings = plan_findings(statements)
    slower = slower_statements(statements)
    results = {
        "machine": bench_run._machine(),
        "data": made,
        "alone": summary["alone"],
        "org": summary["org"],
        "ratios": summary["ratios"],
        "judged": list(JUDGED),
        "worst_judged_ratio": summary["worst_judged_ratio"],
        "target": f"each judged ratio <= {RATIO_TARGET}",
        "rounds": summary["rounds"],
        "ratio_range": summary["ratio_range"],
        "measured_first": summary["measured_first"],
        "plan_findings": findings,
        "slower_statements": slower,
        "seconds": round(time.perf_counter() - began, 1),
    }
    args.out.write_text(json.dumps(results, indent=2, sort_keys=True, default=str) + "\n")
    _print(results)
    print(f"Wrote {args.out}.")
    return 0


def _print(results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="One account among 100, against the same account alone")
    for column in ("metric", "alone", "org", "org / alone", ""):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for key, ratio in sorted(results["ratios"].items()):
        judged = key in JUDGED
        verdict = (
            ("[green]ok[/]" if ratio <= RATIO_TARGET else "[bold red]MISSED[/]") if judged else ""
        )
        table.add_row(
            key, f"{results['alone'][key]:g}", f"{results['org'][key]:g}", f"{ratio:.2f}", verdict
        )
    console = Console()
    console.print(table)
    console.print(f"Plan findings: {len(results['plan_findings'])}")
    for finding in results["plan_findings"]:
        console.print(finding, highlight=False)
    console.print(
        f"Statements over {SLOWER_STATEMENT}x slower among the others: "
        f"{len(results['slower_statements'])}"
    )
    for statement in results["slower_statements"]:
        console.print(statement, highlight=False)
    machine = results["machine"]
    console.print(f"Load average {machine.get('load_average')}; {results['seconds']} s in all.")


if __name__ == "__main__":
    sys.exit(main())
