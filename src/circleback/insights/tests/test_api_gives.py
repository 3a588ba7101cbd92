"""POST /api/v1/agenda/gives: the Today page's "Done" on a suggested give, through the API —
the suggestion read from GET /agenda, logged by the same service, gone from nobody else's
journal; bad people are a 422 naming the one at fault, with nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from circleback.accounts.models import User
from circleback.api.services import token_create
from circleback.api.tests.conftest import ApiClient
from circleback.journal.models import Interaction
from circleback.loops.services import shares
from circleback.people.models import Person

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def _api(user: User) -> ApiClient:
    return ApiClient(token_create(owner=user, name=f"{user.username}-gives").secret)


def test_a_suggested_give_is_read_from_the_agenda_and_logged_as_done(
    alice: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill", tags=["fintech"], closeness=3)
    bart = make_person(alice, "Bart Nguyen", tags=["fintech"], closeness=3)
    api = _api(alice)
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        shares.share_log(owner=alice, people=[ada], title="State of fintech", topics="fintech")
    with time_machine.travel(NOW, tick=False):
        agenda = api.call("GET", "agenda").json()
        (give,) = [g for g in agenda["gives"] if g["kind"] == "share"]
        assert [p["uuid"] for p in give["people"]] == [str(bart.uuid)]
        answer = api.call(
            "POST",
            "agenda/gives",
            {"people": [p["uuid"] for p in give["people"]], "summary": give["title"]},
        )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["summary"] == "Pass “State of fintech” on to Bart Nguyen"
    assert answer["Location"] == f"/api/v1/journal/{body['journal_entry']}"
    entry = Interaction.objects.get(owner=alice, uuid=body["journal_entry"])
    assert list(entry.people.all()) == [bart]
    assert (entry.kind, entry.direction) == ("email", "outgoing")
    # The same entry the journal shows, and it counts as contact with Bart.
    shown = api.call("GET", answer["Location"])
    assert shown.status_code == 200 and shown.json()["summary"] == body["summary"]
    assert Person.objects.get(pk=bart.pk).last_contact_at is not None


def test_an_empty_summary_is_a_give_and_a_retry_with_the_same_key_logs_one(
    alice: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    api = _api(alice)
    body = {"people": [str(ada.uuid)], "summary": "  "}
    first = api.call("POST", "agenda/gives", body, headers={"Idempotency-Key": "give-1"})
    again = api.call("POST", "agenda/gives", body, headers={"Idempotency-Key": "give-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert first.json()["summary"] == "A give"
    assert Interaction.objects.filter(owner=alice).count() == 1


def test_someone_not_yours_is_a_422_naming_them_and_nothing_is_logged(
    alice: User, charlie: User, make_person: Any
) -> None:
    ada = make_person(alice, "Ada Quill")
    carl = make_person(charlie, "Carl Other")
    api = _api(alice)
    answer = api.call(
        "POST", "agenda/gives", {"people": [str(ada.uuid), str(carl.uuid)], "summary": "Intro"}
    )
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in answer.json()["errors"]] == ["people.1"]
    empty = api.call("POST", "agenda/gives", {"people": [], "summary": "Nobody"})
    assert empty.status_code == 422
    assert [e["field"] for e in empty.json()["errors"]] == ["people"]
    assert not Interaction.objects.filter(owner__in=[alice, charlie]).exists()
