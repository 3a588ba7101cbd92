from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from circleback.insights.models import CadenceSettings, Snooze
from circleback.insights.queries.keep_in_touch import keep_in_touch_for
from circleback.insights.services import (
    cadence_defaults_update,
    cadence_set,
    give_log,
    person_snooze,
    person_unsnooze,
    reconnect_log,
)
from circleback.insights.tests.conftest import at
from circleback.journal.models import Interaction, Participation

NOW = at(2026, 11, 20, 10)


@pytest.mark.parametrize(
    "until",
    [dt.date(2026, 11, 20), dt.date(2026, 11, 1), dt.date(2029, 1, 1), "2026-12-01"],
)
def test_a_snooze_must_be_a_date_after_today_and_within_two_years(alice, added, until):
    ben = added(alice, "Ben B", at(2025, 1, 1))
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError) as caught:
        person_snooze(owner=alice, person=ben, until=until)
    assert "until" in caught.value.message_dict
    assert Snooze.objects.count() == 0


def test_snoozing_someone_elses_contact_is_refused(alice, charlie, added):
    other = added(charlie, "Carl", at(2025, 1, 1))
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError):
        person_snooze(owner=alice, person=other, until=dt.date(2026, 12, 1))
    assert Snooze.objects.count() == 0


def test_a_reconnect_resets_the_cadence_and_lifts_the_snooze(alice, added):
    ben = added(alice, "Ben B", at(2025, 1, 1), contact_list="B", closeness=3)
    with time_machine.travel(NOW, tick=False):
        person_snooze(owner=alice, person=ben, until=dt.date(2026, 12, 1))
        assert keep_in_touch_for(ben).snoozed_until == dt.date(2026, 12, 1)
        interaction = reconnect_log(owner=alice, person=ben)
        status = keep_in_touch_for(ben)
    assert interaction.summary == "Reconnected with Ben B"
    assert interaction.direction == Interaction.Direction.OUTGOING
    assert (status.snoozed_until, status.days_overdue, status.due_on) == (
        None,
        -60,
        dt.date(2027, 1, 19),
    )


def test_unsnooze_makes_someone_due_again(alice, added):
    ben = added(alice, "Ben B", at(2025, 1, 1), contact_list="B", closeness=3)
    with time_machine.travel(NOW, tick=False):
        person_snooze(owner=alice, person=ben, until=dt.date(2026, 12, 1))
        assert not keep_in_touch_for(ben).is_due
        person_unsnooze(owner=alice, person=ben)
        assert keep_in_touch_for(ben).is_due


@pytest.mark.parametrize("days", [0, -5, 3651, "30", True])
def test_a_bad_cadence_is_refused_and_nothing_changes(alice, added, days):
    ben = added(alice, "Ben B", at(2025, 1, 1), cadence_days=14)
    with pytest.raises(ValidationError):
        cadence_set(owner=alice, person=ben, days=days)
    with pytest.raises(ValidationError):
        cadence_defaults_update(owner=alice, list_b_days=days)
    ben.refresh_from_db()
    assert ben.cadence_days == 14
    assert CadenceSettings.objects.count() == 0


def test_an_unknown_default_is_refused(alice):
    with pytest.raises(ValidationError):
        cadence_defaults_update(owner=alice, list_d_days=10)


def test_a_give_is_logged_with_everyone_it_was_for(alice, added):
    ada = added(alice, "Ada", at(2025, 1, 1))
    bart = added(alice, "Bart", at(2025, 1, 1))
    with time_machine.travel(NOW, tick=False):
        interaction = give_log(owner=alice, people=[ada, bart], summary="Introduced Ada and Bart")
    met = Participation.objects.filter(interaction=interaction).values_list("person_id", flat=True)
    assert set(met) == {ada.pk, bart.pk}
    with pytest.raises(ValidationError):
        give_log(owner=alice, people=[], summary="Nobody")
