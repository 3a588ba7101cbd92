"""Several `circleback serve` processes on one database tell one truth.

Two real app processes share one database (the run's PostgreSQL, or one SQLite file on the
SQLite run), as behind a load balancer: what one process was told, the other knows at once —
sessions, sign-in failure counts, and the ways in that the paths cache serves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from circleback.cli.tests.processes import PASSWORD, Browser, Program, Server, on_suite_database


@pytest.fixture(scope="module")
def pair(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Server, Server, Program]]:
    home = tmp_path_factory.mktemp("shared-home")
    with on_suite_database(home, CIRCLEBACK_LOGIN_FAILURE_LIMIT="6") as program:
        program.account("ada")
        for args in (
            ("org", "add", "Globex", "--target"),
            ("person", "add", "Maya Rosen", "--list", "B", "--closeness", "5"),
            ("person", "add", "Sam Okafor", "--org", "Globex", "--list", "C"),
        ):
            program.ok(*args)
        # Both start at once; each is answering when the block begins.
        a, b = program.serve().launch(), program.serve().launch()
        try:
            with a, b:
                yield a, b, program
        finally:
            a.stop()
            b.stop()


def _uuid(program: Program, *args: str) -> str:
    return str(json.loads(program.ok(*args, "--json"))["uuid"])


def test_a_session_begun_on_one_process_is_known_to_the_other(
    pair: tuple[Server, Server, Program],
) -> None:
    a, b, _ = pair
    visitor = Browser(a.url)
    assert visitor.sign_in("ada") == 302
    visitor.base = b.url
    status, _, body = visitor.get("/")
    assert status == 200 and "Sign out" in body
    # Signing out on B ends the session on A too.
    token = visitor.csrf_token("/settings/")
    assert visitor.post("/logout/", {"csrfmiddlewaretoken": token})[0] == 302
    visitor.base = a.url
    assert visitor.get("/")[0] == 302


def test_a_tie_added_through_one_process_shows_in_paths_the_other_serves(
    pair: tuple[Server, Server, Program],
) -> None:
    a, b, program = pair
    globex = _uuid(program, "org", "show", "Globex")
    maya = _uuid(program, "person", "show", "Maya Rosen")
    on_a, on_b = Browser(a.url), Browser(b.url)
    assert on_a.sign_in("ada") == 302 and on_b.sign_in("ada") == 302
    # B loads and caches the graph: no way in yet.
    status, _, before = on_b.get(f"/paths/org/{globex}/")
    assert status == 200 and "No path to Globex yet" in before
    token = on_a.csrf_token(f"/people/{maya}/")
    status, _, _ = on_a.post(
        f"/people/{maya}/ties/",
        {"csrfmiddlewaretoken": token, "tie-other": "Sam Okafor", "tie-kind": "colleague",
         "tie-strength": "4"},
    )  # fmt: skip
    assert status == 302
    status, _, after = on_b.get(f"/paths/org/{globex}/")
    assert status == 200
    assert re.search(r"You → Maya Rosen \([^)]*\) → Sam Okafor", after), after[:3000]


def test_sign_in_failures_on_both_processes_add_up(
    pair: tuple[Server, Server, Program],
) -> None:
    """The limit is six here: three wrong passwords on each process pause the account."""
    a, b, _ = pair
    for n in range(5):
        server = (a, b)[n % 2]
        assert Browser(server.url).sign_in("ada", "wrong password") == 200
    status, _, body = Browser(b.url).post_form(
        "/login/", {"username": "ada", "password": "wrong again"}
    )
    assert status == 429 and "Too many sign-in attempts failed" in body
    # Now the right password is refused on either process.
    for server in (a, b):
        assert Browser(server.url).sign_in("ada", PASSWORD) == 429
