"""Reads from a real streaming replica, and read-your-writes while it lags.

The harness starts its own PostgreSQL primary and a hot standby made by `pg_basebackup -R`
from the same server binaries, and one `circleback serve` reading from the standby. Pausing
the standby's replay (pg_wal_replay_pause) is replica lag as long as we like.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tools.pgcluster import Cluster

from circleback.cli.tests.processes import Browser, Program, Server, run_program
from circleback.ops.replica import COOKIE

# The replica tests start a PostgreSQL primary and replica of their own, whatever database
# the suite runs on: once is enough.
pytestmark = pytest.mark.only_on("sqlite", reason="starts its own PostgreSQL cluster")


@dataclass
class Replicated:
    cluster: Cluster
    primary: str
    replica: str
    server: Server
    program: Program

    def pause(self) -> None:
        self.cluster.wait_for_replay(self.primary, self.replica)
        self.cluster.psql(self.replica, "SELECT pg_wal_replay_pause()")

    def resume(self) -> None:
        self.cluster.psql(self.replica, "SELECT pg_wal_replay_resume()")
        self.cluster.wait_for_replay(self.primary, self.replica)


@pytest.fixture(scope="module")
def replicated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicated]:
    cluster = Cluster()
    try:
        primary = cluster.start_primary()
        replica = cluster.start_replica()
        home = tmp_path_factory.mktemp("home")
        program = Program(home, {"DATABASE_URL": primary, "DATABASE_REPLICA_URL": replica})
        program.account("ada")
        with program.serve() as server:
            yield Replicated(cluster, primary, replica, server, program)
    finally:
        cluster.remove()


def _add_person(browser: Browser, name: str) -> tuple[int, dict[str, str]]:
    status, headers, _ = browser.post_form(
        "/people/new/", {"full_name": name, "contact_list": "B", "closeness": "3"}
    )
    return status, headers


def _marked(browser: Browser) -> bool:
    """Does the browser carry the "reads from the primary" marker?"""
    return any(cookie.name == COOKIE and cookie.value for cookie in browser.cookies)


def _people(browser: Browser) -> str:
    status, _, body = browser.get("/people/")
    assert status == 200
    return body


def test_a_writer_reads_its_own_writes_while_others_read_the_lagging_replica(
    replicated: Replicated,
) -> None:
    writer, reader = Browser(replicated.server.url), Browser(replicated.server.url)
    assert writer.sign_in("ada") == 302 and reader.sign_in("ada") == 302
    assert "Grace Hopper" not in _people(reader)
    replicated.pause()
    try:
        status, headers = _add_person(writer, "Grace Hopper")
        assert status == 302, headers
        assert _marked(writer)
        # The writer's next pages come from the primary: the new person is there.
        assert "Grace Hopper" in _people(writer)
        # Everyone else reads the replica, which has not replayed the write yet: it really
        # is the replica that answers them.
        assert "Grace Hopper" not in _people(reader)
        # Even a change made outside the web app (a command, on the primary) is not there.
        replicated.program.ok("person", "add", "Alan Turing")
        assert "Alan Turing" not in _people(reader)
    finally:
        replicated.resume()
    assert "Grace Hopper" in _people(reader) and "Alan Turing" in _people(reader)
    # Caught up: the writer goes back to the replica, and its marker is dropped.
    assert "Grace Hopper" in _people(writer)
    assert not _marked(writer)


def test_signing_in_works_while_the_replica_lags(replicated: Replicated) -> None:
    """Sessions are read from the primary: the session just made is there."""
    replicated.pause()
    try:
        visitor = Browser(replicated.server.url)
        assert visitor.sign_in("ada") == 302
        status, _, body = visitor.get("/")
        assert status == 200 and "Sign out" in body
    finally:
        replicated.resume()


def test_when_the_replica_stops_reads_go_to_the_primary(replicated: Replicated) -> None:
    # Someone of its own, not one an earlier test added: this test may be the module's first
    # (a worker that runs it alone starts the cluster for it).
    replicated.program.ok("person", "add", "Katherine Johnson")
    replicated.resume()  # the replica has it too: what follows shows where reads go
    visitor = Browser(replicated.server.url)
    assert visitor.sign_in("ada") == 302
    replicated.cluster.stop(replicated.cluster.servers[1])
    assert "Katherine Johnson" in _people(visitor)
    try:
        with urllib.request.urlopen(replicated.server.url + "/healthz", timeout=10) as response:
            body = json.loads(response.read())
    except urllib.error.HTTPError as failing:  # no task worker runs beside this server
        body = json.loads(failing.read())
        assert body["checks"]["worker"] == "never seen"
    # A replica that went away is reported, but it fails nothing: reads go to the primary.
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["replica"] == "unreachable"


def test_the_tests_database_has_no_replica_of_its_own() -> None:
    """Configured or not, the suite's own database reads through the primary."""
    from django.conf import settings as live

    replica = live.DATABASES.get("replica")
    assert replica is None or replica["TEST"] == {"MIRROR": "default"}


def test_a_replica_without_a_postgresql_primary_is_refused(tmp_path: Path) -> None:
    done = run_program(
        tmp_path, "user", "list", DATABASE_REPLICA_URL="postgres://db-replica/circleback"
    )
    assert done.returncode == 1
    assert "DATABASE_REPLICA_URL needs DATABASE_URL" in done.stderr
