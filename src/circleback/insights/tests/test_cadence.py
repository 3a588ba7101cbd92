from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from circleback.insights.cadence import cadence_defaults, due_people, with_keep_in_touch
from circleback.insights.queries.keep_in_touch import keep_in_touch_for
from circleback.insights.services import cadence_defaults_update, cadence_set, person_snooze
from circleback.insights.tests.conftest import at, contact
from circleback.people.models import Person


def _cadence(person: Person) -> int:
    return (
        with_keep_in_touch(Person.objects.filter(pk=person.pk), person.owner)
        .values_list("cadence", flat=True)
        .get()
    )


def test_cadence_defaults_by_list_and_closeness(alice, added):
    when = at(2026, 1, 1)
    a = added(alice, "Ann A", when, contact_list="A", closeness=3)
    b = added(alice, "Ben B", when, contact_list="B", closeness=3)
    c = added(alice, "Cat C", when, contact_list="C", closeness=1)
    inner = added(alice, "Ida Inner", when, contact_list="B", closeness=5)
    assert [_cadence(p) for p in (inner, a, b, c)] == [30, 90, 60, 120]


def test_employed_mode_relaxes_the_defaults(alice, added):
    alice.mode = "employed"
    alice.save()
    b = added(alice, "Ben B", at(2026, 1, 1), contact_list="B")
    inner = added(alice, "Ida Inner", at(2026, 1, 1), closeness=5)
    assert (_cadence(inner), _cadence(b)) == (45, 90)


def test_a_persons_own_cadence_wins_and_defaults_are_editable(alice, added):
    b = added(alice, "Ben B", at(2026, 1, 1), contact_list="B")
    own = added(alice, "Olga Own", at(2026, 1, 1), contact_list="B", cadence_days=14)
    cadence_defaults_update(owner=alice, list_b_days=45)
    assert (_cadence(b), _cadence(own)) == (45, 14)
    assert cadence_defaults(alice)["A"] == 90
    cadence_set(owner=alice, person=own, days=None)
    own.refresh_from_db()
    assert _cadence(own) == 45


def test_never_contacted_is_due_from_when_added(alice, added):
    ben = added(alice, "Ben B", at(2026, 1, 1), contact_list="B")
    with time_machine.travel(at(2026, 3, 1), tick=False):  # 59 days later
        assert list(due_people(alice)) == []
    with time_machine.travel(at(2026, 3, 2), tick=False):  # 60 days later
        assert list(due_people(alice)) == [ben]
        status = keep_in_touch_for(ben)
        assert status.due_on == dt.date(2026, 3, 2)
        assert status.is_due


def test_any_logged_interaction_resets_the_cadence(alice, added):
    ben = added(alice, "Ben B", at(2025, 1, 1), contact_list="B")
    with time_machine.travel(at(2026, 3, 1), tick=False):
        assert list(due_people(alice)) == [ben]
        contact(alice, ben, at(2026, 2, 28), kind="note")  # even a note counts
        assert list(due_people(alice)) == []
        assert keep_in_touch_for(ben).due_on == dt.date(2026, 4, 29)


def test_due_dates_follow_the_users_calendar(alice, added):
    alice.time_zone = "Pacific/Auckland"  # UTC+13 in January
    alice.save()
    ben = added(alice, "Ben B", at(2025, 1, 1), contact_list="B")
    # 20:00 UTC on 1 Jan is already 2 Jan in Auckland: the contact day is the 2nd.
    contact(alice, ben, dt.datetime(2026, 1, 1, 20, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 3, 2, 20, tzinfo=dt.UTC), tick=False):
        # 3 March in Auckland = 60 days after 2 January: due today.
        assert keep_in_touch_for(ben).due_on == dt.date(2026, 3, 3)
        assert list(due_people(alice)) == [ben]


def test_a_contact_at_local_midnight_counts_from_that_day(alice, added):
    """A contact at exactly 00:00 in the user's zone is on that day on both databases (SQLite
    counted it as the day before in zones like UTC+2, through floating-point julian days)."""
    alice.time_zone = "Europe/Athens"  # UTC+2 in winter
    alice.save()
    ben = added(alice, "Ben B", at(2025, 1, 1), contact_list="B")
    contact(alice, ben, dt.datetime(2026, 1, 1, 22, tzinfo=dt.UTC))  # 2 January, 00:00
    with time_machine.travel(at(2026, 3, 1), tick=False):
        assert keep_in_touch_for(ben).due_on == dt.date(2026, 3, 3)  # 60 days after 2 January
        assert list(due_people(alice)) == []


def test_snooze_hides_a_due_person_until_the_date(alice, added):
    ben = added(alice, "Ben B", at(2025, 1, 1), contact_list="B")
    with time_machine.travel(at(2026, 3, 1), tick=False):
        person_snooze(owner=alice, person=ben, until=dt.date(2026, 3, 10))
        assert list(due_people(alice)) == []
        assert keep_in_touch_for(ben).snoozed_until == dt.date(2026, 3, 10)
    with time_machine.travel(at(2026, 3, 10), tick=False):
        assert list(due_people(alice)) == [ben]


@pytest.mark.parametrize("days", [0, -5, 3651])
def test_a_cadence_out_of_range_is_refused(alice, added, days):
    ben = added(alice, "Ben B", at(2025, 1, 1))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        cadence_set(owner=alice, person=ben, days=days)
    assert "between 1 and 3650" in str(raised.value)
    ben.refresh_from_db()
    assert ben.cadence_days is None


def test_it_hides_other_owners_people(alice, bob, added):
    added(bob, "Bob's Friend", at(2025, 1, 1))
    with time_machine.travel(at(2026, 3, 1), tick=False):
        assert list(due_people(alice)) == []
