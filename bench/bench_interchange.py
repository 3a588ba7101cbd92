"""Import and export speed: `make bench` calls run(ctx) and records what it returns.

- export_s: the JSON backup of ctx.owner's whole account (the demo data: people, the
  journal, and every meeting, loop, favour and setting), written to a file as
  `circleback export -o` does.
- import_linkedin_30k_s / reimport_linkedin_30k_s: a generated 30,000-row Connections.csv
  through the import service into a fresh account, then the same file again (all merges).
- preview_linkedin_30k_s: the same file's preview (a dry run: a read that writes nothing and
  locks no one out), into a fresh account.
- import_floor_ratio: import time over a floor measured in the same run — the csv module
  reading the same file plus one executemany writing its rows into a table like the people
  table, in the same database.
- import_cli_floor_ratio / reimport_cli_floor_ratio: the command-line times below over that
  floor (the issue's target: each <= 8).
- import_linkedin_30k_cli_s / reimport_linkedin_30k_cli_s: the same file through
  `circleback import` in a new process, start-up included (the issue's end-to-end target:
  <= 2 s on SQLite, <= 3 s on PostgreSQL; re-import <= 3 s), into a new account of the same
  database; import_cli_peak_rss_mb is that process's peak memory.

The file is shaped like a real 30,000-connection export: about 8,000 employers with a long
tail, about 15% of rows with an email address (see `linkedin_csv`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from _accounts import drop_account

GIVEN = "Ada Bart Chloé Dmitri Eun-ji Farah Gustavo Hana Ines Jonas Kwame Lena Mateo Nadia"
FAMILY = "Quill Nguyen Okafor Schmidt Tanaka Varga Walsh Young Zhang Abara Berg Costa"
SUFFIXES = ["", "son", "berg", "ström", "ini", "ova", "er", "land", "ford", "ez", "ley", "eau"]
TITLES = ["VP Engineering", "Recruiter", "Product Manager", "Data Scientist", "CTO", "Designer"]
# Employers are named from these: 40 x 25 x 12 = 12,000 possible names, none of them a
# legal suffix that normalising would drop ("Inc.", "GmbH"), so each stays distinct.
_ORG_FIRST = [
    "Alder",
    "Birch",
    "Cedar",
    "Delta",
    "Ember",
    "Fjord",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Maple",
    "Nimbus",
    "Onyx",
    "Pioneer",
    "Quartz",
    "Raven",
    "Summit",
    "Tidal",
    "Umber",
    "Vector",
    "Willow",
    "Xenon",
    "Yarrow",
    "Zephyr",
    "Amber",
    "Beacon",
    "Cobalt",
    "Drift",
    "Echo",
    "Falcon",
    "Glacier",
    "Horizon",
    "Indigo",
    "Jasper",
    "Keystone",
    "Lagoon",
    "Meridian",
    "Nova",
]
_ORG_SECOND = [
    "Bridge",
    "Crest",
    "Field",
    "Forge",
    "Gate",
    "Grove",
    "Hill",
    "Lake",
    "Line",
    "Mark",
    "Mill",
    "Park",
    "Peak",
    "Point",
    "Ridge",
    "Rock",
    "Spring",
    "Stone",
    "Vale",
    "View",
    "Wave",
    "Wood",
    "Works",
    "Yard",
    "Bay",
]
_ORG_KIND = [
    "Analytics",
    "Bank",
    "Capital",
    "Consulting",
    "Foods",
    "Health",
    "Logistics",
    "Media",
    "Robotics",
    "Software",
    "Studios",
    "Energy",
]
ORGANISATIONS = 8_000
EMAIL_SHARE = 0.15


def organisation_names(count: int = ORGANISATIONS, seed: int = 8) -> list[str]:
    """`count` distinct employer names in a fixed random order (the first are the big ones)."""
    names = [f"{a} {b} {c}" for a in _ORG_FIRST for b in _ORG_SECOND for c in _ORG_KIND]
    random.Random(seed).shuffle(names)
    return names[:count]


def linkedin_csv(rows: int, seed: int = 4) -> bytes:
    """A Connections.csv as LinkedIn writes it today: the Notes preamble, then one row a
    connection, a few hidden profiles among them.

    Shaped like a real 30,000-connection network: about 8,000 employers with a long tail
    (every one named at least once, most of them once or twice, the biggest by hundreds,
    Zipf-like), about 5% of rows with no employer, and about 15% with an email address (the
    share of connections who let theirs be exported).
    """
    rng = random.Random(seed)
    orgs = organisation_names(min(ORGANISATIONS, rows))
    # Rank r is picked with weight 1/r: a few employers are everywhere, most appear once.
    weights = [1 / rank for rank in range(1, len(orgs) + 1)]
    picked = orgs + rng.choices(orgs, weights=weights, k=max(0, rows - len(orgs)))
    rng.shuffle(picked)
    out = io.StringIO()
    out.write(
        "Notes:\n"
        '"When exporting your connection data, you may notice that some of the email '
        'addresses are missing."\n\n'
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    start = dt.date(2012, 1, 1)
    for n in range(rows):
        # Varied names, as a real network has: few share a family name at one company.
        given = rng.choice(GIVEN.split()) + rng.choice(["", "a", "o", "ie", "el"])
        family = rng.choice(FAMILY.split()) + rng.choice(SUFFIXES) + rng.choice(SUFFIXES)
        day = start + dt.timedelta(days=rng.randrange(4500))
        email = ""
        if rng.random() < EMAIL_SHARE:
            email = f"{given.lower()}.{family.lower()}{n}@example.org"
            email = email.replace("é", "e").replace("ö", "o")
        company = picked[n] if rng.random() >= 0.05 else ""
        writer.writerow(
            [
                given,
                family,
                f"https://www.linkedin.com/in/{given.lower()}-{family.lower()}-{n:05d}",
                email,
                company,
                rng.choice(TITLES),
                day.strftime("%d %b %Y"),
            ]
        )
    return out.getvalue().encode("utf-8")


def _floor(data: bytes) -> float:
    """The least any import of this file could take: the csv module reading it, and one
    executemany writing its rows into a table like the people table (the columns the
    import fills, a primary key and an index on the owner), in the same database."""
    from django.db import connection, transaction

    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor_person")
        cursor.execute(
            "CREATE TABLE bench_floor_person (id INTEGER PRIMARY KEY, owner_id INTEGER, "
            "uuid CHAR(36), contact_list VARCHAR(1), full_name VARCHAR(200), "
            "given_name VARCHAR(100), family_name VARCHAR(100), title VARCHAR(200), "
            "organisation VARCHAR(200), url VARCHAR(500), email VARCHAR(320), "
            "met_on VARCHAR(20), created_at TIMESTAMP)"
        )
        cursor.execute("CREATE INDEX bench_floor_owner ON bench_floor_person (owner_id)")
    started = time.perf_counter()  # the table is there before any import starts, too
    rows = list(csv.reader(io.StringIO(data.decode("utf-8").split("\n", 3)[3])))[1:]
    values = [
        (1, str(uuid.uuid4()), "B", f"{r[0]} {r[1]}", r[0], r[1], r[5], r[4], r[2], r[3], r[6], now)
        for r in rows
        if len(r) >= 7
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_floor_person (id, owner_id, uuid, contact_list, full_name, "
            "given_name, family_name, title, organisation, url, email, met_on, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [(n, *row) for n, row in enumerate(values, start=1)],
        )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor_person")
    return seconds


_LAUNCHER = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - started
print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def _cli(scratch: Path, data: bytes) -> dict[str, float]:
    """Import `data` twice through the command line, as a user would, timing each process."""
    path = scratch / "Connections.csv"
    path.write_bytes(data)
    circleback = str(Path(sys.executable).with_name("circleback"))
    env = {**os.environ, "CIRCLEBACK_HOME": str(scratch / "cli-home")}
    username = f"bench-cli-{time.time_ns()}"
    subprocess.run(
        [circleback, "user", "create", username, "--password-file", "-"],
        input="a bench password 4 imports\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
    )
    timings = []
    peak_kb = 0
    for _ in range(2):
        # A small launcher runs the command and reports its time and peak memory: measured
        # from this (large) process, a child's peak would include the memory it forked with.
        launched = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, circleback, "--user", username, "import", str(path)],
            env=env,
            capture_output=True,
            text=True,
        )
        if launched.returncode:
            raise RuntimeError(f"circleback import failed: {launched.stderr.strip()[-300:]}")
        seconds, kilobytes = launched.stderr.strip().splitlines()[-1].split()
        timings.append(float(seconds))
        peak_kb = max(peak_kb, int(kilobytes))
    return {
        "import_linkedin_30k_cli_s": round(timings[0], 3),
        "reimport_linkedin_30k_cli_s": round(timings[1], 3),
        "import_cli_peak_rss_mb": round(peak_kb / 1024, 1),
    }


def run(ctx: Any) -> dict[str, float]:
    from circleback.accounts.models import User
    from circleback.interchange.exports import export_to
    from circleback.interchange.services import import_file

    scratch = Path(ctx.scratch_dir)
    started = time.perf_counter()
    with (scratch / "backup.json").open("wb") as backup:
        export_to(backup, owner=ctx.owner, format="json")
    export_s = time.perf_counter() - started

    data = linkedin_csv(30_000)
    user = User.objects.create(username=f"bench-import-{time.time_ns()}")
    try:
        started = time.perf_counter()
        preview = import_file(owner=user, data=data, format="auto", dry_run=True)
        preview_s = time.perf_counter() - started
        started = time.perf_counter()
        first = import_file(owner=user, data=data, format="auto")
        import_s = time.perf_counter() - started
        started = time.perf_counter()
        again = import_file(owner=user, data=data, format="auto")
        reimport_s = time.perf_counter() - started
    finally:
        # Each run imports 30,000 people: left behind, they would grow the shared database.
        drop_account(user)
    assert first.created > 29_000 and again.created == 0, (first.created, again.created)
    assert preview.created == first.created, (preview.created, first.created)
    floor_s = _floor(data)
    cli = _cli(scratch, data)
    return {
        **cli,
        "export_s": round(export_s, 3),
        "import_linkedin_30k_s": round(import_s, 3),
        "preview_linkedin_30k_s": round(preview_s, 3),
        "reimport_linkedin_30k_s": round(reimport_s, 3),
        "import_floor_s": round(floor_s, 3),
        "import_floor_ratio": round(import_s / floor_s, 1),
        "import_cli_floor_ratio": round(cli["import_linkedin_30k_cli_s"] / floor_s, 1),
        "reimport_cli_floor_ratio": round(cli["reimport_linkedin_30k_cli_s"] / floor_s, 1),
        "import_organisations": first.organisations_created,
    }
