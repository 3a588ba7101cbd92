from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from circleback.journal.models import Interaction
from circleback.journal.services import interaction_delete, interaction_log, interaction_update
from circleback.people.services.people import person_create

UTC = dt.UTC


def test_logging_moves_last_contact_forward_only(alice):
    ada = person_create(owner=alice, full_name="Ada Quill")
    recent = dt.datetime(2026, 11, 20, 9, tzinfo=UTC)
    interaction_log(owner=alice, summary="Coffee", people=[ada], kind="meeting", occurred_at=recent)
    interaction_log(
        owner=alice,
        summary="Old note",
        people=[ada],
        occurred_at=dt.datetime(2024, 1, 1, tzinfo=UTC),
    )
    ada.refresh_from_db()
    assert ada.last_contact_at == recent


def test_deleting_or_moving_an_entry_recomputes_last_contact(alice):
    ada = person_create(owner=alice, full_name="Ada Quill")
    old = interaction_log(
        owner=alice, summary="Old", people=[ada], occurred_at=dt.datetime(2024, 1, 1, tzinfo=UTC)
    )
    new = interaction_log(
        owner=alice, summary="New", people=[ada], occurred_at=dt.datetime(2026, 1, 1, tzinfo=UTC)
    )
    interaction_delete(interaction=new)
    ada.refresh_from_db()
    assert ada.last_contact_at == old.occurred_at
    interaction_update(interaction=old, people=[])
    ada.refresh_from_db()
    assert ada.last_contact_at is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"summary": "  "}, "what happened"),
        ({"summary": "x", "kind": "carrier-pigeon"}, "kind"),
        ({"summary": "x", "occurred_at": dt.datetime(2026, 1, 1)}, "time zone"),
    ],
)
def test_it_refuses_bad_entries_and_writes_nothing(alice, fields, message):
    ada = person_create(owner=alice, full_name="Ada Quill")
    with pytest.raises(ValidationError, match=message):
        interaction_log(owner=alice, people=[ada], **fields)
    assert Interaction.objects.count() == 0
    ada.refresh_from_db()
    assert ada.last_contact_at is None


def test_it_refuses_someone_elses_person(alice, charlie):
    zed = person_create(owner=charlie, full_name="Zed")
    with pytest.raises(ValidationError, match="in your network"):
        interaction_log(owner=alice, summary="Lunch", people=[zed])
    assert Interaction.objects.count() == 0
