"""The Server-Timing header that measuring turns on (CIRCLEBACK_SERVER_TIMING=1)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from circleback.accounts.models import User

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
