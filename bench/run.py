"""`make bench`: measure Circleback on a generated network of realistic shape.

    .venv/bin/python bench/run.py                 every bench/bench_*.py module
    .venv/bin/python bench/run.py --only core     one module (bench_core.py)
    .venv/bin/python bench/run.py --fresh         throw the generated data away and rebuild it
    python tools/pgcluster.py -- .venv/bin/python bench/run.py     the same on PostgreSQL

The first run generates 20,000 people and 200,000 journal entries for a `bench` account
(`circleback demo` at benchmark size) into bench/data/; later runs reuse them while the
generator's version is unchanged. Each module's `run(ctx)` returns a dict of metrics; they
are merged into bench/results.json (bench/results-postgresql.json on PostgreSQL) with the
machine's details, and printed against their targets. A module that fails is reported and
the others still run. See bench/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
PEOPLE = 20_000
INTERACTIONS_PER_PERSON = 10.0
SEED = 1
# Bump when the generator changes what it makes, so stale data is regenerated.
DATA_VERSION = 2
USERNAME = "bench"

# Targets from the issues: (limit, "<=" or ">="). A metric without one is informational.
TARGETS: dict[str, tuple[float, str]] = {
    "search_p50_ms": (10, "<="),
    "people_page_p50_ms": (50, "<="),
    "page_people_p95_ms": (100, "<="),
    "page_person_p95_ms": (100, "<="),
    "page_home_p95_ms": (100, "<="),
    "export_s": (5, "<="),
    "demo_generate_s": (60, "<="),
    "agenda_p50_ms": (50, "<="),
    "health_p50_ms": (50, "<="),
    "paths_p50_ms": (30, "<="),
    "group_paths_p50_ms": (50, "<="),
    "group_index_counts_p50_ms": (50, "<="),
    "paths_cold_s": (1.5, "<="),
    "paths_rss_mb": (300, "<="),
    "networkx_ratio": (20, ">="),
    "import_linkedin_30k_cli_s": (2, "<="),
    "api_people_p95_ms": (50, "<="),
    "api_people_30k_p95_ms": (50, "<="),
    "reimport_linkedin_30k_cli_s": (3, "<="),
    "import_cli_floor_ratio": (8, "<="),
    "reimport_cli_floor_ratio": (8, "<="),
}
# Where an issue sets PostgreSQL a target of its own.
POSTGRESQL_TARGETS: dict[str, tuple[float, str]] = {"import_linkedin_30k_cli_s": (3, "<=")}


def _targets() -> dict[str, tuple[float, str]]:
    from django.db import connection

    return {**TARGETS, **(POSTGRESQL_TARGETS if connection.vendor == "postgresql" else {})}


@dataclass
class BenchContext:
    """What every bench module's run(ctx) gets."""

    owner: Any  # the bench account, holding the generated network
    scratch_dir: Path  # a private, emptied directory for the module's files
    database: str  # "sqlite" or "postgresql"
    people: int
    interactions: int
    # Seconds demo generation took for this data (measured when it was generated).
    generate_s: float | None = None
    generated_now: bool = False


def _setup_django(fresh: bool) -> None:
    os.environ.setdefault("CIRCLEBACK_HOME", str(DATA))
    os.environ["DJANGO_SETTINGS_MODULE"] = "circleback.settings"
    DATA.mkdir(parents=True, exist_ok=True)
    if fresh and not os.environ.get("DATABASE_URL"):
        for suffix in ("", "-wal", "-shm"):
            Path(DATA / f"circleback.sqlite3{suffix}").unlink(missing_ok=True)
        _marker_path("sqlite").unlink(missing_ok=True)
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(BENCH))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.db import connection

    if connection.vendor == "sqlite":
        # The app never runs ANALYZE, so a user's SQLite planner has no statistics. Drop any a
        # bench module left behind (bench_paths analyzes its own data), or they would steer
        # every later run's plans, and stale ones miss the indexes added since.
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat4")


def _marker_path(vendor: str | None = None) -> Path:
    """What was generated into this database. One file per kind of database, so a run on a
    throwaway PostgreSQL cluster doesn't make the next SQLite run regenerate its data."""
    if vendor is None:
        from django.db import connection

        vendor = connection.vendor
    return DATA / ("marker.json" if vendor == "sqlite" else f"marker-{vendor}.json")


def _database_key() -> str:
    from django.db import connection

    settings = connection.settings_dict
    return f"{connection.vendor}:{settings.get('HOST') or ''}:{settings['NAME']}"


def _prepare_data(fresh: bool) -> BenchContext:
    """The bench account with its generated network: reused when the marker says it's current."""
    from django.db import connection

    from circleback.accounts.models import User
    from circleback.demo.services import demo_generate
    from circleback.journal.models import Interaction
    from circleback.people.models import Person

    marker_path = _marker_path()
    marker = json.loads(marker_path.read_text()) if marker_path.exists() else {}
    owner = User.objects.filter(username=USERNAME).first()
    wanted = {"version": DATA_VERSION, "people": PEOPLE, "seed": SEED, "db": _database_key()}
    current = (
        not fresh
        and owner is not None
        and all(marker.get(k) == v for k, v in wanted.items())
        and Person.objects.filter(owner=owner).count() == PEOPLE
        # The journal also holds the demo's give and take (meetings, thank-yous…).
        and Interaction.objects.filter(owner=owner).count()
        >= round(PEOPLE * INTERACTIONS_PER_PERSON)
    )
    if current:
        assert owner is not None
        print(f"Reusing the generated network ({PEOPLE:,} people; --fresh rebuilds it).")
        return BenchContext(
            owner=owner,
            scratch_dir=DATA,
            database=connection.vendor,
            people=PEOPLE,
            interactions=round(PEOPLE * INTERACTIONS_PER_PERSON),
            generate_s=marker.get("generate_s"),
        )
    if owner is not None:
        print("Removing the old bench account…", flush=True)
        owner.delete()
    owner = User.objects.create_user(username=USERNAME, password=None, time_zone="Europe/London")
    print(
        f"Generating {PEOPLE:,} people and {round(PEOPLE * INTERACTIONS_PER_PERSON):,} journal "
        "entries (once; later runs reuse them)…",
        flush=True,
    )
    last = [0.0]

    def progress(done: int, total: int, stage: str) -> None:
        now = time.perf_counter()
        if now - last[0] > 2 or done == total:
            last[0] = now
            print(f"  {stage:<14} {100 * done / max(total, 1):5.1f}%", flush=True)

    started = time.perf_counter()
    report = demo_generate(
        owner=owner,
        people=PEOPLE,
        seed=SEED,
        interactions_per_person=INTERACTIONS_PER_PERSON,
        progress=progress,
    )
    seconds = round(time.perf_counter() - started, 2)
    if connection.vendor == "postgresql":
        # Autovacuum would vacuum and analyze these tables soon after a real import (inserts
        # trigger both since PostgreSQL 13): statistics for the planner, and the visibility map
        # that lets index-only scans skip the table. SQLite is left as the app leaves it (no
        # ANALYZE), so the numbers are what a user gets.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    marker_path.write_text(json.dumps({**wanted, "generate_s": seconds}, indent=2) + "\n")
    print(
        f"Generated in {seconds:.1f} s: {report.ties:,} ties, {report.organisations} organisations."
    )
    return BenchContext(
        owner=owner,
        scratch_dir=DATA,
        database=connection.vendor,
        people=report.people,
        interactions=report.interactions,
        generate_s=seconds,
        generated_now=True,
    )


def _machine() -> dict[str, Any]:
    from django.db import connection

    info: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "database": connection.vendor,
    }
    if connection.vendor == "postgresql":
        info["postgresql"] = connection.pg_version  # type: ignore[attr-defined]
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        info["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    try:
        with open("/proc/loadavg") as f:
            info["load_average"] = f.read().split()[0]  # other work on the machine skews timings
    except OSError:
        pass
    return info


def _modules(only: str | None) -> list[Path]:
    found = sorted(BENCH.glob("bench_*.py"))
    if only:
        name = only.removeprefix("bench_").removesuffix(".py")
        found = [p for p in found if p.stem == f"bench_{name}"]
        if not found:
            sys.exit(f"bench: no module bench/bench_{name}.py")
    return found


def _run_module(path: Path, base: BenchContext) -> tuple[dict[str, Any], str | None, float]:
    from django.db import connection, reset_queries

    scratch = DATA / "scratch" / path.stem
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    ctx = BenchContext(**{**base.__dict__, "scratch_dir": scratch})
    started = time.perf_counter()
    try:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        metrics = module.run(ctx)
        if not isinstance(metrics, dict):
            raise TypeError(f"run(ctx) returned {type(metrics).__name__}, not a dict")
        return metrics, None, time.perf_counter() - started
    except Exception:
        return {}, traceback.format_exc(), time.perf_counter() - started
    finally:
        reset_queries()
        if connection.in_atomic_block:  # a module that left a transaction open
            connection.rollback()


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def _print_table(metrics: dict[str, Any], errors: dict[str, str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Circleback benchmarks", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    table.add_column("")
    for name in sorted(metrics):
        value = metrics[name]
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        target = _targets().get(name)
        verdict = ""
        if target is not None:
            limit, op = target
            ok = value <= limit if op == "<=" else value >= limit
            verdict = "[green]ok[/]" if ok else "[bold red]MISSED[/]"
        table.add_row(name, _fmt(value), f"{target[1]} {target[0]:g}" if target else "", verdict)
    console = Console()
    console.print(table)
    for name, error in errors.items():
        console.print(f"[bold red]{name} failed:[/]\n{error}", highlight=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only bench/bench_NAME.py (e.g. core)")
    parser.add_argument("--fresh", action="store_true", help="regenerate the network first")
    args = parser.parse_args(argv)

    modules = _modules(args.only)
    _setup_django(args.fresh)
    base = _prepare_data(args.fresh)

    from django.db import connection

    results_path = BENCH / (
        "results.json" if connection.vendor == "sqlite" else f"results-{connection.vendor}.json"
    )
    results: dict[str, Any] = json.loads(results_path.read_text()) if results_path.exists() else {}
    metrics: dict[str, Any] = {}
    errors: dict[str, str] = {}
    seconds: dict[str, float] = {}
    for path in modules:
        print(f"Running {path.name}…", flush=True)
        found, error, took = _run_module(path, base)
        seconds[path.stem] = round(took, 1)
        metrics.update(found)
        if error:
            errors[path.stem] = error
            print(f"  {path.name} failed after {took:.1f} s (see below)", flush=True)
        else:
            print(f"  {len(found)} metrics in {took:.1f} s", flush=True)

    results.update(metrics)
    results["machine"] = _machine()
    results["data"] = {
        "people": base.people,
        "interactions": base.interactions,
        "seed": SEED,
        "version": DATA_VERSION,
    }
    results["targets"] = {k: f"{op} {limit:g}" for k, (limit, op) in _targets().items()}
    results["module_seconds"] = {**results.get("module_seconds", {}), **seconds}
    failed = {
        **results.get("failed", {}),
        **{k: v.strip().splitlines()[-1] for k, v in errors.items()},
    }
    for name in seconds:
        if name not in errors:
            failed.pop(name, None)
    results["failed"] = failed
    results_path.write_text(json.dumps(results, indent=2, sort_keys=True, default=str) + "\n")
    _print_table(results, errors)
    print(f"Wrote {results_path.relative_to(ROOT)}.")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
