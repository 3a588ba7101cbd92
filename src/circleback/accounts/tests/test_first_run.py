"""The first-run page: one account whatever the race, and never for a visitor a proxy forwards."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from django.test import Client

from circleback.accounts.models import User
from circleback.cli.tests.processes import Browser, on_suite_database

FORM = {
    "password1": "a long passphrase 42",
    "password2": "a long passphrase 42",
    "time_zone": "UTC",
}


def test_twelve_simultaneous_first_runs_make_exactly_one_account(tmp_path: Path) -> None:
    """GIVEN a fresh install served by a real process, WHEN twelve browsers submit the
    first-run form at the same instant, THEN exactly one account exists and the others are
    sent to sign in."""
    with on_suite_database(tmp_path, migrated=False) as program:
        server = program.serve("--threads", "12").start()
        try:
            browsers = [Browser(server.url) for _ in range(12)]
            tokens = [b.csrf_token("/welcome/") for b in browsers]
            start = threading.Barrier(len(browsers))
            results: list[tuple[int, str]] = [(0, "")] * len(browsers)

            def submit(i: int) -> None:
                start.wait()
                status, headers, _ = browsers[i].post(
                    "/welcome/", {"csrfmiddlewaretoken": tokens[i], "username": f"owner{i}", **FORM}
                )
                results[i] = (status, headers.get("Location", ""))

            threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(browsers))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        finally:
            err = server.stop().err
        accounts = json.loads(program.ok("user", "list", "--json"))
    assert len(accounts) == 1, accounts
    assert sorted(location for _, location in results) == ["/"] + ["/login/"] * 11, results
    assert "Traceback" not in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"HTTP_X_FORWARDED_FOR": "127.0.0.1, 198.51.100.4"},
        {"HTTP_FORWARDED": 'for="[2001:db8:cafe::17]:4711";proto=https'},
        {"HTTP_FORWARDED": "for=_hidden"},
        {"HTTP_X_REAL_IP": "192.0.2.60"},
    ],
)
def test_it_refuses_the_first_run_to_a_visitor_a_proxy_forwards(
    client: Client, headers: dict[str, str]
) -> None:
    """A proxy on this machine makes every visitor's address 127.0.0.1; its headers don't."""
    assert client.get("/login/", **headers).status_code == 200  # no redirect to /welcome/
    page = client.get("/welcome/", **headers)
    assert page.status_code == 403
    assert "circleback user create" in page.content.decode()
    posted = client.post("/welcome/", {"username": "mallory", **FORM}, **headers)
    assert posted.status_code == 403
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_proxy_forwarding_for_this_machine_still_offers_the_first_run(client: Client) -> None:
    headers = {"HTTP_X_FORWARDED_FOR": "127.0.0.1", "HTTP_FORWARDED": "for=127.0.0.1"}
    assert client.get("/welcome/", **headers).status_code == 200
    client.post("/welcome/", {"username": "dana", **FORM}, **headers)
    assert User.objects.get().username == "dana"


@pytest.mark.django_db
def test_a_first_run_after_the_account_exists_is_sent_to_sign_in(client: Client) -> None:
    """The race's loser: the page was shown while no account existed; by the time the form
    comes back one does."""
    from circleback.accounts.services import FirstRunClosed, first_account_create

    first_account_create(username="dana", password="a long passphrase 42")
    with pytest.raises(FirstRunClosed):
        first_account_create(username="erin", password="a long passphrase 42")
    assert list(User.objects.values_list("username", flat=True)) == ["dana"]
