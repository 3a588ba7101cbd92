"""`circleback intro request`: the follow-up loop for an introduction you asked for."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from circleback.cli import app
from circleback.cli.tests.support import Runner
from circleback.loops.models import Lead, LoopStep
from circleback.loops.tests.conftest import NOW
from circleback.people.services.organisations import organisation_create

K = LoopStep.Kind


@pytest.fixture
def cli(db, monkeypatch):
    monkeypatch.delenv("CIRCLEBACK_USER", raising=False)
    runner = Runner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    yield run
    timezone.deactivate()


def _error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("circleback: ")
    return lines[0]


def test_it_opens_the_loop_and_agreeing_opens_the_lead(cli, alice, ada, bart, frozen):
    result = cli("intro", "request", "Ada Quill", "Bart Nguyen", "--note", "the data team")
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "Loop opened: follow up with Ada Quill about an introduction to Bart Nguyen" in said
    step = LoopStep.objects.get(kind=K.INTRO_REQUEST)
    assert step.due_at == NOW + dt.timedelta(days=3)
    assert f"circleback loop advance {str(step.uuid)[:8]} --to agreed" in said
    result = cli("loop", "advance", str(step.uuid)[:8], "--to", "agreed")
    assert result.exit_code == 0, result.output
    lead = Lead.objects.get()
    assert (lead.referrer, lead.referred, lead.about) == (ada, bart, "the data team")
    assert lead.steps.get(done_at__isnull=True).kind == K.LEAD_CONTACT


def test_it_prints_json_with_the_actions(cli, alice, ada, bart, frozen):
    organisation_create(owner=alice, name="Globex")
    result = cli("intro", "request", "Ada Quill", "Bart Nguyen", "--org", "Globex", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "intro_request"
    assert data["person"]["full_name"] == "Ada Quill"
    assert [a["to"] for a in data["actions"]] == ["agreed", "declined"]
    assert LoopStep.objects.get().organisation.name == "Globex"


def test_it_refuses_bad_requests_with_one_line_and_writes_nothing(cli, alice, ada, bart, frozen):
    result = cli("intro", "request", "Ada Quill", "Ada Quill")
    assert result.exit_code == 2 and "themselves" in _error(result)
    result = cli("intro", "request", "Ada Quill", "Nobody Known")
    assert result.exit_code == 1 and "no one in your network matches" in _error(result)
    result = cli("intro", "request", "Ada Quill", "Bart Nguyen", "--org", "Nowhere Inc")
    assert result.exit_code == 1 and "no organisation matches" in _error(result)
    assert not LoopStep.objects.exists()
    assert cli("intro", "request", "Ada Quill", "Bart Nguyen").exit_code == 0
    result = cli("intro", "request", "Ada Quill", "Bart Nguyen")
    assert result.exit_code == 2 and "You already asked Ada Quill" in _error(result)
    assert LoopStep.objects.count() == 1


def test_its_help_teaches_with_an_example(cli):
    result = cli("intro", "request", "--help")
    assert result.exit_code == 0
    said = " ".join(result.stdout.split())
    assert "not to pass your CV to HR" in said
    assert 'circleback intro request "Maya Rosen" "Sam Okafor"' in said
