"""Import and export speed: `make bench` calls run(ctx) and records what it returns.

- export_s: the JSON backup of ctx.owner's whole account (the demo data: people, the
  journal, and every meeting, loop, favour and setting), written to a file as
  `circleback export -o` does.
- import_linkedin_30k_s / reimport_linkedin_30k_s: a generated 30,000-row Connections.csv
  through the import service into a fresh account, then the same file again (all merges).
- import_floor_ratio: import time over a floor measured in the same run — the csv module
  reading the same file plus a plain executemany inserting the same rows into a bare table.
- import_linkedin_30k_cli_s / reimport_linkedin_30k_cli_s: the same file through
  `circleback import` in a new process, start-up included (the issue's end-to-end target:
  <= 2 s on SQLite, <= 3 s on PostgreSQL; re-import <= 3 s), into a new account of the same
  database; import_cli_peak_rss_mb is that process's peak memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _accounts import drop_account

GIVEN = "Ada Bart Chloé Dmitri Eun-ji Farah Gustavo Hana Ines Jonas Kwame Lena Mateo Nadia"
FAMILY = "Quill Nguyen Okafor Schmidt Tanaka Varga Walsh Young Zhang Abara Berg Costa"
SUFFIXES = ["", "son", "berg", "ström", "ini", "ova", "er", "land", "ford", "ez", "ley", "eau"]
COMPANIES = [
    f"{word} {suffix}".strip()
    for word in ("Hooli", "Pied", "Initech", "Globex", "Umbrella", "Acme", "Vandelay", "Stark")
    for suffix in ("Inc.", "Labs", "GmbH", "Ltd", "", "Group")
]
TITLES = ["VP Engineering", "Recruiter", "Product Manager", "Data Scientist", "CTO", "Designer"]


def linkedin_csv(rows: int, seed: int = 4) -> bytes:
    """A Connections.csv as LinkedIn writes it today: the Notes preamble, then one row a
    connection, a few hidden profiles among them."""
    rng = random.Random(seed)
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
        email = f"{given.lower()}.{family.lower()}{n}@example.org" if n % 7 == 0 else ""
        email = email.replace("é", "e").replace("ö", "o")
        writer.writerow(
            [
                given,
                family,
                f"https://www.linkedin.com/in/{given.lower()}-{family.lower()}-{n:05d}",
                email,
                rng.choice([*COMPANIES, ""]),
                rng.choice(TITLES),
                day.strftime("%d %b %Y"),
            ]
        )
    return out.getvalue().encode("utf-8")


def _floor(data: bytes, scratch: Path) -> float:
    """csv-module parse + executemany of the same rows into a plain SQLite table."""
    path = scratch / "floor.sqlite3"
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    text = data.decode("utf-8")
    lines = text.split("\n", 3)[3]
    rows = list(csv.reader(io.StringIO(lines)))[1:]
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE person (id INTEGER PRIMARY KEY, given TEXT, family TEXT, url TEXT, "
        "email TEXT, company TEXT, title TEXT, connected TEXT)"
    )
    with db:
        db.executemany(
            "INSERT INTO person (given, family, url, email, company, title, connected) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [r[:7] for r in rows if len(r) >= 7],
        )
    db.close()
    return time.perf_counter() - started


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
        first = import_file(owner=user, data=data, format="auto")
        import_s = time.perf_counter() - started
        started = time.perf_counter()
        again = import_file(owner=user, data=data, format="auto")
        reimport_s = time.perf_counter() - started
    finally:
        # Each run imports 30,000 people: left behind, they would grow the shared database.
        drop_account(user)
    assert first.created > 29_000 and again.created == 0, (first.created, again.created)
    floor_s = _floor(data, scratch)
    cli = _cli(scratch, data)
    return {
        **cli,
        "export_s": round(export_s, 3),
        "import_linkedin_30k_s": round(import_s, 3),
        "reimport_linkedin_30k_s": round(reimport_s, 3),
        "import_floor_s": round(floor_s, 3),
        "import_floor_ratio": round(import_s / floor_s, 1),
    }
