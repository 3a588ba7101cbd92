"""/healthz: what a load balancer asks each app process."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from circleback.accounts.models import User
from circleback.ops import health
from circleback.reminders.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

_last_seen: dt.datetime | None = None


def worker_seen_at() -> dt.datetime | None:
    return _last_seen


def _worker_alive(seconds_ago: int = 3) -> None:
    """A heartbeat as a running `circleback worker` writes it."""
    seen = timezone.now() - dt.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(
        worker_id="w1",
        hostname="here",
        pid=1,
        started_at=seen,
        seen_at=seen,
        expires_at=seen + dt.timedelta(seconds=30),
    )


def test_it_answers_ok_without_sign_in_and_says_nothing_private(alice: User) -> None:
    _worker_alive()
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = json.loads(response.content)
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "worker": "ok"},
    }
    assert "alice" not in response.content.decode()


def test_it_fails_when_the_task_worker_has_never_run() -> None:
    """The real hook: the reminders worker's heartbeat in the database."""
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["worker"] == "never seen"


def test_it_answers_a_probe_by_address_over_plain_http() -> None:
    """Load balancers probe each process by its address: no host check, no HTTPS redirect."""
    _worker_alive()
    with override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["circleback.example.org"]):
        response = Client().get("/healthz", HTTP_HOST="10.0.0.12:8000")
        assert response.status_code == 200
        assert Client().get("/login/", HTTP_HOST="10.0.0.12:8000").status_code == 400


def test_it_fails_while_a_migration_is_pending(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "_migrated", health.threading.Event())
    with connection.cursor() as cursor:
        # As if this code were newer than the database: one of its migrations not applied.
        cursor.execute("DELETE FROM django_migrations WHERE app = 'accounts'")
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "fail"
    assert body["checks"]["migrations"].endswith("pending")


@override_settings(CIRCLEBACK_HEALTHZ_WORKER="circleback.ops.tests.test_healthz.worker_seen_at")
def test_it_fails_when_no_worker_reported_in_recently() -> None:
    global _last_seen
    _last_seen = None
    assert json.loads(Client().get("/healthz").content)["checks"]["worker"] == "never seen"
    _last_seen = timezone.now() - dt.timedelta(minutes=10)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["worker"] == "last seen 600 s ago"
    _last_seen = timezone.now() - dt.timedelta(seconds=20)
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content)["checks"]["worker"] == "ok"


def test_other_methods_are_refused() -> None:
    response = Client().post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
