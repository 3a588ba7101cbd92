"""schemathesis, a tool none of us wrote, fuzzes the live API: a real `circleback serve`
process, every operation of /api/v1/openapi.json, examples, boundary (coverage) cases both
valid and invalid, random fuzzing, and stateful sequences it links from the responses.

Every check runs except `positive_data_acceptance`: the schema says what JSON is well-formed,
while the services refuse more than a schema can say (an email address that is not one, a
second organisation of the same name), answering 422 with the field at fault — correctly.
Revoking a token is left out: the fuzzer would revoke its own and test nothing after it
(test_tokens and the outsider tests cover revoking).

What it costs, and how it is kept down without testing less:
- It runs once per `make test`, in the PostgreSQL pass: PostgreSQL is the stricter judge
  (a text longer than its column, a number past its type, are errors there that SQLite
  would store), so a bound missing anywhere shows up as a 500. Where no PostgreSQL server
  is installed, the SQLite pass runs it instead.
- The coverage phase (boundary and wrong-type cases, nine tenths of the requests) sends
  each path two methods it doesn't take, not seven: every undeclared method of every path
  is checked in-process by test_every_endpoint, where a request costs a millisecond.
- Operations without a body or filters (a record by id, a delete) get one fuzzed example;
  the rest get three.
- It must still reach every operation: the run's own count of tested operations is held
  to the document's.

The stateful phase chains requests along the document's links (root.py `_add_links`: from a
creation to reading and acting on what it created, from a person added or the people list to
the requests that name people). Two things kept it from following any: it inherited the three
examples above, so it ran three scenarios; and a scenario's first request, sent without a
link, named random ids (a favour for a person who doesn't exist), was refused, and led
nowhere. Now it has its own budget of scenarios and runs on an account of its own, freshly
seeded (after the phases above, the first account's seeded people are merged or deleted and
every list starts with their odd records); it sends valid requests only, and the fields that
name a person are given the seeded people's ids most of the time. The count of links it
covered is held to a floor.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from circleback.api.root import api
from circleback.api.tests.live import live_server

# Bounded so the whole run takes a minute or two on the 2-core machine.
MAX_EXAMPLES = 3
EXCLUDED = "^/api/v1/tokens/"  # revoking a token: see the module's docstring
UNEXPECTED_METHODS = ["PUT", "TRACE"]
PAGING = {"limit", "cursor"}
# The stateful phase: scenarios of up to this many steps, each following the document's links
# from one answer to the next request. It inherited the three examples above until it had
# its own, and ran three scenarios that reached no link.
STATEFUL_SCENARIOS = 150
STATEFUL_STEPS = 12
# Fields that name one of your people: given a seeded person's id most of the time, so that a
# creation sent without a link (a scenario's first step) is one that can succeed and lead on.
# Not `other` (a merge would fold a seeded person away) nor the bulk action's `people` (its
# delete would erase them).
PERSON_FIELDS = ["person", "referrer", "helped", "via", "target", "person_x", "person_y"]
PEOPLE_LISTS = ["POST /api/v1/shares", "POST /api/v1/journal", "POST /api/v1/ways-in/draft"]


def _on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def _postgresql_installed() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def _simple(operation: dict[str, Any]) -> bool:
    """No body and nothing to filter by: a record by its id, a delete, a fixed read."""
    params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    return "requestBody" not in operation and params <= PAGING


def _config() -> tuple[str, int]:
    """schemathesis.toml for the stateless phases, and how many operations they must test."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    lines = [
        f"generation.max-examples = {MAX_EXAMPLES}",
        "",
        "[phases.coverage]",
        f"unexpected-methods = {UNEXPECTED_METHODS!r}".replace("'", '"'),
    ]
    tested = 0
    for path, operations in schema["paths"].items():
        if re.match(EXCLUDED, path):
            continue
        for method, operation in operations.items():
            tested += 1
            if _simple(operation):
                lines += [
                    "",
                    "[[operations]]",
                    f'include-name = "{method.upper()} {path}"',
                    "generation.max-examples = 1",
                ]
    return "\n".join(lines) + "\n", tested


def _stateful_config(people: list[str]) -> str:
    """schemathesis.toml for the stateful phase: valid requests only (the phases before sent
    the invalid ones) and no NUL in strings (refused everywhere): a refused step leads
    nowhere. Fields that name a person get a seeded person's id most of the time."""
    binding = '{ dictionary = "people", probability = 0.9 }'
    lines = [
        "[dictionaries.people]",
        f"values = {people!r}".replace("'", '"'),
        "",
        "[parameters]",
        *(f'"body.{name}" = {binding}' for name in PERSON_FIELDS),
        "",
        "[phases.stateful]",
        f"max-steps = {STATEFUL_STEPS}",
        f"generation.max-examples = {STATEFUL_SCENARIOS}",
        'generation.mode = "positive"',
        "generation.allow-x00 = false",
    ]
    for name in PEOPLE_LISTS:
        lines += [
            "",
            "[[operations]]",
            f'include-name = "{name}"',
            f'parameters = {{ "body.people[*]" = {binding} }}',
        ]
    return "\n".join(lines) + "\n"


def _seed(server: Any, token: str) -> list[str]:
    """A little network, so that operations on existing records have records to find; the
    ids of its people."""
    status, _, ada = server.request(
        "POST",
        "/api/v1/people",
        token,
        {"full_name": "Grace Okafor", "organization": "Hooli", "emails": ["grace@example.org"]},
    )
    assert status == 201, ada
    status, _, bart = server.request(
        "POST", "/api/v1/people", token, {"full_name": "Bart Nguyen", "list": "A"}
    )
    assert status == 201, bart
    status, _, tie = server.request(
        "POST", "/api/v1/ties", token, {"person": ada["uuid"], "other": bart["uuid"]}
    )
    assert status == 200, tie
    return [ada["uuid"], bart["uuid"]]


def _run(server: Any, token: str, home: Path, config: str, phases: str) -> str:
    """One schemathesis run against the live server; its report, after checking it found no
    server error and no answer off the schema (the server's tracebacks beside any failure)."""
    home.mkdir()
    (home / "schemathesis.toml").write_text(config)
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "run",
            server.base + "/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
            "--phases",
            phases,
            "--seed",
            "20261203",
            "--workers",
            "2",
            "--exclude-path-regex",
            EXCLUDED,
            "--request-timeout",
            "120",
            "--no-color",
            "--suppress-health-check",
            "all",
            *(
                ["--report", "ndjson", "--report-dir", str(home)]
                if os.environ.get("CB_FUZZ_NDJSON")
                else []
            ),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**server.env, "SCHEMATHESIS_HOOKS": ""},
        cwd=home,
    )
    (home / "report.txt").write_text(result.stdout)  # kept for a person to read (--basetemp)
    assert server.log is not None
    log = server.log.read_text()
    # The server's own account of any 500: its tracebacks, after what schemathesis saw.
    tracebacks = "\n".join("Traceback" + part[:4000] for part in log.split("Traceback")[1:][-3:])
    assert result.returncode == 0, (
        result.stdout[-20000:] + result.stderr[-3000:] + "\n--- server log ---\n" + tracebacks
    )
    assert "No issues found" in result.stdout or "passed" in result.stdout, result.stdout
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(
    tmp_path: Path,
) -> None:
    if not _on_postgresql() and _postgresql_installed():
        pytest.skip("fuzzed once, in the PostgreSQL pass (the stricter judge of values)")
    config, operations = _config()
    with live_server(tmp_path, CIRCLEBACK_API_RATE_PER_MINUTE="1000000") as server:
        token = server.token("alice", "fuzz")
        _seed(server, token)
        out = _run(server, token, tmp_path / "stateless", config, "examples,coverage,fuzzing")
        tested = re.search(r"Tested: (\d+)", out)
        assert tested is not None and int(tested.group(1)) == operations, out[-3000:]
        # The stateful phase on an account of its own: after the phases above its seeded
        # people are merged or deleted and thousands of odd records come first in every list,
        # and its chains start from nothing.
        token = server.token("charlie", "fuzz")
        people = _seed(server, token)
        out = _run(server, token, tmp_path / "stateful", _stateful_config(people), "stateful")
    # It follows links: 19 of the document's links (67 operations, 80 scenarios) on
    # PostgreSQL on a loaded machine, 32 in 109 scenarios on SQLite; none would mean it
    # chains nothing, as before it had a budget and an account of its own.
    links = re.search(r"API Links: +(\d+) covered", out)
    assert links is not None and int(links.group(1)) >= 10, out[-3000:]
