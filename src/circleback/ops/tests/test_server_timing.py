"""The Server-Timing header that measuring turns on (CIRCLEBACK_SERVER_TIMING=1)."""

from __future__ import annotations

import gc
import re
import sys
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from circleback.accounts.models import User
from circleback.cli.tests.processes import Program

pytestmark = pytest.mark.django_db

HEADER = re.compile(
    r'^app;dur=([0-9.]+), cpu;dur=([0-9.]+), db;dur=([0-9.]+);desc="(\d+)", '
    r'gc;dur=([0-9.]+);desc="(\d+)/(\d+)"$'
)


def test_it_is_off_by_default(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    response = client.get("/people/")
    assert response.status_code == 200
    assert "Server-Timing" not in response


@override_settings(CIRCLEBACK_SERVER_TIMING=True)
def test_it_says_where_a_requests_time_went_and_counts_its_statements(alice: User) -> None:
    client = Client()  # a new client loads the middleware chain under the setting
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/people/")
    assert response.status_code == 200
    found = HEADER.match(response["Server-Timing"])
    assert found, response["Server-Timing"]
    app, cpu, db, statements, _gc, collections, full = found.groups()
    assert int(statements) == len(queries) > 0
    assert float(db) <= float(app) and float(cpu) <= float(app) + 1
    assert int(full) <= int(collections)


@override_settings(CIRCLEBACK_SERVER_TIMING=True)
def test_it_times_answers_that_never_reach_a_view() -> None:
    response = Client().get("/people/")  # not signed in: the redirect to sign in
    assert response.status_code == 302
    assert HEADER.match(response["Server-Timing"])


def test_a_served_answer_carries_it_through_waitress(tmp_path: Path) -> None:
    """The real `circleback serve` process with the setting on: the header reaches the client
    (the load test's --trace reads it so)."""
    server = Program.migrated(tmp_path, CIRCLEBACK_SERVER_TIMING="1").serve().start()
    try:
        with urllib.request.urlopen(server.url + "/login/") as answer:
            assert answer.status == 200
            assert HEADER.match(answer.headers["Server-Timing"])
    finally:
        finished = server.stop()
    assert "Traceback" not in finished.err


def test_serve_moves_what_start_up_made_out_of_the_collectors_sight() -> None:
    from circleback.cli.serve import _freeze_startup_objects

    assert gc.get_freeze_count() == 0
    try:
        _freeze_startup_objects()
        # Every view module is loaded before the freeze, so requests find them frozen too.
        assert "circleback.people.views.people" in sys.modules
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


@override_settings(CIRCLEBACK_SERVER_TIMING=True)
def test_the_load_tests_trace_reads_the_header_and_sums_it_up(alice: User) -> None:
    from tools.loadtest import Trace, trace_summary

    client = Client()
    client.force_login(alice)
    response = client.get("/people/")
    trace = Trace.parse("people", "GET", "/people/", 200, 0.5, response["Server-Timing"], 3.0)
    assert trace is not None
    found = HEADER.match(response["Server-Timing"])
    assert found and trace.queries == int(found.group(4)) and trace.client == 500.0
    summary = trace_summary([trace])
    assert summary["by_kind"]["people"]["n"] == 1
    assert summary["by_kind"]["people"]["queued_p50_ms"] == round(500.0 - trace.app, 1)
    assert summary["slowest"][0].startswith("  3.0 s: 500 ms GET /people/ (people, 200)")
    assert Trace.parse("people", "GET", "/", 200, 0.1, "", 1.0) is None  # setting off


def test_the_load_tests_users_of_one_account_click_differently() -> None:
    from tools.loadtest import Balancer, Stats
    from tools.loadtest import User as SimulatedUser

    one, two = (SimulatedUser("member0", n, ["p"], Balancer([1]), Stats()) for n in (0, 4))
    assert [one.random.random() for _ in range(5)] != [two.random.random() for _ in range(5)]


def test_the_load_tests_balancer_sends_to_the_process_with_fewest_in_flight() -> None:
    from tools.loadtest import Balancer

    least = Balancer([1, 2])
    first = least.next()
    # While the first request is in flight, the next ones go to the other process.
    assert least.next() != first
    least.done(first)
    busy = 3 - first
    assert least.next() == first  # the other still has one in flight
    least.down(first)
    assert least.next() == busy  # the only one left, however busy
    least.up(first)
    assert least.next() == first  # back in rotation after its health check

    turns = Balancer([1, 2], round_robin=True)
    sent = [turns.next() for _ in range(4)]  # none answered: in turn all the same
    assert sorted(sent) == [1, 1, 2, 2] and sent[0] != sent[1]


def test_the_load_tests_phases_split_the_run_at_the_kill_and_the_return() -> None:
    from tools.loadtest import _phases

    answered = [(1.0, 0.1), (2.0, 0.2), (10.0, 0.9), (10.5, 0.8), (12.0, 0.05)]
    phases = _phases(answered, {"process killed": 5.0, "back in rotation": 11.0})
    assert [(p["from_s"], p["n"], p["p99_ms"]) for p in phases.values()] == [
        (0.0, 2, 200.0),
        (5.0, 2, 900.0),
        (11.0, 1, 50.0),
    ]
    assert list(_phases(answered, {})) == ["all processes"]  # no kill: one phase
    stayed_down = _phases(answered, {"process killed": 5.0})
    assert stayed_down["one killed, the rest serving"]["n"] == 3
