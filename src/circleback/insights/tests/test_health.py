from __future__ import annotations

import datetime as dt

import time_machine

from circleback.insights.queries.health import drive_through, health_for
from circleback.insights.tests.conftest import at, contact
from circleback.journal.models import Interaction
from circleback.loops.models import Favour
from circleback.loops.services import (
    favours,
)
from circleback.people.services.organisations import organisation_create
from circleback.people.services.ties import tie_set

NOW = at(2026, 11, 20, 10)
LONG_AGO = at(2024, 1, 1)


def _small_network(alice, added):
    """Two targets (Hooli, fintech; Globex, nobody known) and six people."""
    hooli = organisation_create(owner=alice, name="Hooli", industry="Fintech", is_target=True)
    organisation_create(owner=alice, name="Globex", is_target=True)
    people = {
        "ada": added(
            alice, "Ada Quill", LONG_AGO, contact_list="B", closeness=3, organisation=hooli
        ),
        "ben": added(
            alice, "Ben Tagged", LONG_AGO, contact_list="A", closeness=4, tags=["fintech"]
        ),
        "cat": added(alice, "Cat C", LONG_AGO, contact_list="C", closeness=1),
        "dan": added(alice, "Dan Weak", LONG_AGO, contact_list="B", closeness=2),
        "eve": added(alice, "Eve Tied", LONG_AGO, contact_list="B", closeness=3),
        "fay": added(alice, "Fay Far", LONG_AGO, contact_list="B", closeness=3),
    }
    contact(alice, people["ada"], NOW - dt.timedelta(days=30))
    contact(alice, people["ben"], NOW - dt.timedelta(days=400))
    contact(alice, people["dan"], at(2026, 10, 15))  # this quarter (October to December)
    contact(alice, people["eve"], NOW - dt.timedelta(days=20))
    contact(alice, people["fay"], NOW - dt.timedelta(days=20))  # in touch, but not relevant
    tie_set(owner=alice, person=people["eve"], other=people["ada"], kind="friend")
    return people


def test_the_health_numbers_on_a_small_network(alice, added):
    people = _small_network(alice, added)
    with time_machine.travel(at(2026, 1, 10), tick=False):
        favours.favour_log(owner=alice, person=people["ada"], direction=Favour.Direction.GIVEN)
        favours.favour_log(owner=alice, person=people["ada"], direction=Favour.Direction.RECEIVED)
        favours.favour_log(owner=alice, person=people["eve"], direction=Favour.Direction.RECEIVED)
    with time_machine.travel(NOW, tick=False):
        health = health_for(alice)

    assert health.targets_defined
    # Ada works at Hooli; Eve knows Ada. Ben is tagged fintech but out of touch for 400 days.
    # Closest first, then the most recently in touch.
    assert [p.full_name for p in health.name_ten_people] == ["Eve Tied", "Ada Quill"]
    assert health.name_ten == 2
    assert [p.full_name for p in health.to_reconnect] == ["Ben Tagged"]
    assert health.lists == {"A": 1, "B": 4, "C": 1}
    assert health.total == 6
    assert health.favours == (1, 2)
    assert health.untouched == 2  # Ben (400 days) and Cat (added in 2024, never contacted)
    assert health.untouched_percent == 33
    assert (health.weak_total, health.weak_activated) == (2, 1)
    assert [o.name for o in health.no_way_in] == ["Globex"]


def test_without_targets_everyone_close_and_in_touch_counts(alice, added):
    fay = added(alice, "Fay Far", LONG_AGO, contact_list="B", closeness=3)
    contact(alice, fay, NOW - dt.timedelta(days=20))
    with time_machine.travel(NOW, tick=False):
        health = health_for(alice)
    assert not health.targets_defined
    assert health.name_ten == 1
    assert health.no_way_in == []


def test_health_sees_only_the_owners_network(alice, charlie, added):
    _small_network(charlie, added)
    with time_machine.travel(NOW, tick=False):
        health = health_for(alice)
    assert (health.total, health.name_ten, health.untouched) == (0, 0, 0)
    assert health.favours == (0, 0)


def test_drive_through_contact_that_comes_only_with_job_searches(alice, added):
    gus = added(alice, "Gus Search", LONG_AGO, contact_list="B", closeness=3)
    steady = added(alice, "Steady Sue", LONG_AGO, contact_list="B", closeness=3)
    # March 2026 was a job search: six meetings (the usual month has none).
    for day in (2, 5, 9):
        contact(
            alice,
            gus,
            at(2026, 3, day),
            kind=Interaction.Kind.MEETING,
            direction=Interaction.Direction.OUTGOING,
        )
    for day in (3, 6, 10):
        contact(alice, steady, at(2026, 3, day), kind=Interaction.Kind.MEETING)
    for month in (5, 7, 9, 11):
        contact(alice, steady, at(2026, month, 1), kind=Interaction.Kind.CALL)
    with time_machine.travel(NOW, tick=False):
        found = drive_through(alice, [gus.pk, steady.pk])
    assert list(found) == [gus.pk]
    assert found[gus.pk].reasons == [
        "3 of your 3 conversations came while you were job searching and you started every one"
    ]
    assert "when you need nothing" in found[gus.pk].advice


def test_drive_through_favours_received_far_exceed_given(alice, added, charlie):
    hal = added(alice, "Hal Helper", LONG_AGO, contact_list="B", closeness=3)
    even = added(alice, "Even Steven", LONG_AGO, contact_list="B", closeness=3)
    with time_machine.travel(NOW - dt.timedelta(days=10), tick=False):
        for _ in range(3):
            favours.favour_log(owner=alice, person=hal, direction=Favour.Direction.RECEIVED)
        favours.favour_log(owner=alice, person=hal, direction=Favour.Direction.GIVEN)
        for direction in (Favour.Direction.RECEIVED, Favour.Direction.GIVEN) * 2:
            favours.favour_log(owner=alice, person=even, direction=direction)
    with time_machine.travel(NOW, tick=False):
        found = drive_through(alice, [hal.pk, even.pk])
        assert drive_through(charlie, [hal.pk]) == {}
        health = health_for(alice)
    assert found[hal.pk].reasons == ["they've done you 3 favours and you've done them 1"]
    assert even.pk not in found
    assert [(p.full_name, d.person_id) for p, d in health.drive_through] == [("Hal Helper", hal.pk)]


def test_relevance_is_read_in_growing_batches_in_order(alice, added):
    from circleback.insights.queries.health import _relevance
    from circleback.people.models import Person

    people = _small_network(alice, added)
    relevance = _relevance(alice)
    ordered = Person.objects.filter(owner=alice).order_by("full_name")
    expected = [people[k].pk for k in ("ada", "ben", "eve")]  # Hooli, fintech tag, tie to Ada
    assert relevance.first(ordered, 10, batch=1) == expected
    assert relevance.first(ordered, 2, batch=2) == expected[:2]
    assert relevance.among([people["fay"].pk, people["cat"].pk]) == set()


def test_the_counts_and_relevance_read_only_the_owners_people(alice, charlie, added):
    """GIVEN alice and charlie with the same network, and one more person of charlie's
    WHEN alice's health is checked (these numbers come from hand-written SQL)
    THEN only her people are counted, and neither's targets make the other's people relevant."""
    from circleback.insights.queries.health import _relevance
    from circleback.people.models import Person

    hers = _small_network(alice, added)
    his = _small_network(charlie, added)
    added(charlie, "Carl Extra", LONG_AGO, contact_list="A", closeness=1)
    with time_machine.travel(NOW, tick=False):
        health = health_for(alice)
    assert health.lists == {"A": 1, "B": 4, "C": 1}
    assert (health.untouched, health.weak_total, health.weak_activated) == (2, 2, 1)
    assert _relevance(alice).among([p.pk for p in his.values()]) == set()
    assert _relevance(charlie).among([p.pk for p in hers.values()]) == set()
    # Even a row of his that points at her target (never made by the app) stays his.
    Person.objects.filter(pk=his["fay"].pk).update(organisation=hers["ada"].organisation)
    assert _relevance(alice).among([his["fay"].pk]) == set()
    assert _relevance(alice).among([p.pk for p in hers.values()]) == {
        hers[k].pk for k in ("ada", "ben", "eve")
    }
