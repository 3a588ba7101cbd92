"""Merging people keeps every record that points at the person merged away — the loops,
introductions, snoozes and duplicate reviews too, not only what the merge screen shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from circleback.insights.models import PitchPractice, Snooze
from circleback.insights.services import person_snooze, pitch_add
from circleback.interchange.models import PossibleDuplicate
from circleback.loops.models import Favour, Introduction, LoopStep
from circleback.loops.services.introductions import (
    introduction_make,
    introduction_request,
    name_give,
)
from circleback.loops.services.meetings import meeting_schedule
from circleback.operations.merge import person_merge
from circleback.people.models import Person, Tie
from circleback.people.services.people import person_create
from circleback.people.services.ties import tie_set


@pytest.fixture
def pair(alice):
    return (
        person_create(owner=alice, full_name="Ada Quill"),
        person_create(owner=alice, full_name="Ada Q."),
    )


def test_it_keeps_the_loops_and_introductions_of_the_one_merged_away(alice, pair):
    ada, dupe = pair
    cleo = person_create(owner=alice, full_name="Cleo Ward")
    dan = person_create(owner=alice, full_name="Dan Ruiz")
    introduction = introduction_make(owner=alice, person_x=dupe, person_y=cleo, reason="Both")
    asked = introduction_request(owner=alice, via=cleo, target=dupe)
    meeting = meeting_schedule(
        owner=alice,
        person=dan,
        referred_by=dupe,
        scheduled_for=timezone.now() + dt.timedelta(days=1),
    )
    name_give(owner=alice, helped=cleo, name=dupe)
    pitch = pitch_add(owner=alice, text="I build payment systems that never lose a penny.")
    PitchPractice.objects.create(
        owner=alice, pitch=pitch, person=dupe, practised_on=dt.date(2026, 11, 1)
    )
    steps_before = LoopStep.objects.count()

    person_merge(keep=ada, other=dupe)

    introduction.refresh_from_db()
    assert (introduction.person_x, introduction.person_y) == (ada, cleo)
    assert LoopStep.objects.count() == steps_before
    assert LoopStep.objects.filter(introduction=introduction, person=ada).exists()
    asked.refresh_from_db()
    assert (asked.person, asked.about, asked.done_at) == (cleo, ada, None)
    meeting.refresh_from_db()
    assert meeting.referred_by == ada
    assert Favour.objects.get(person=cleo, direction="given").name_given == ada
    assert PitchPractice.objects.get().person == ada


def test_two_people_an_introduction_links_are_not_merged(alice, pair):
    ada, dupe = pair
    introduction_make(owner=alice, person_x=ada, person_y=dupe, reason="Both")
    with pytest.raises(ValidationError, match="two different people"):
        person_merge(keep=ada, other=dupe)
    assert Person.objects.filter(pk=dupe.pk).exists() and Introduction.objects.count() == 1


def test_both_snoozed_keeps_the_longer_snooze(alice, pair):
    ada, dupe = pair
    today = timezone.localdate()
    person_snooze(owner=alice, person=ada, until=today + dt.timedelta(days=10))
    person_snooze(owner=alice, person=dupe, until=today + dt.timedelta(days=40))
    person_merge(keep=ada, other=dupe)
    assert list(Snooze.objects.values_list("person_id", "until")) == [
        (ada.pk, today + dt.timedelta(days=40))
    ]


def test_duplicate_reviews_move_to_the_one_kept(alice, pair):
    ada, dupe = pair
    eve = person_create(owner=alice, full_name="Ada Quil")
    zoe = person_create(owner=alice, full_name="Ada Quille")
    for a, b, status in (
        (ada, dupe, "open"),
        (dupe, eve, "kept_apart"),
        (ada, zoe, "open"),
        (dupe, zoe, "kept_apart"),
    ):
        first, second = sorted((a, b), key=lambda p: p.pk)
        PossibleDuplicate.objects.create(
            owner=alice, person_a=first, person_b=second, reason="Similar names", status=status
        )
    person_merge(keep=ada, other=dupe)
    pairs = {(p.person_a_id, p.person_b_id, p.status) for p in PossibleDuplicate.objects.all()}
    assert pairs == {(ada.pk, eve.pk, "kept_apart"), (ada.pk, zoe.pk, "open")}


def test_a_follow_up_both_had_is_kept_once(alice, pair):
    ada, dupe = pair
    cleo = person_create(owner=alice, full_name="Cleo Ward")
    kept = introduction_request(owner=alice, via=ada, target=cleo)
    introduction_request(owner=alice, via=dupe, target=cleo)
    person_merge(keep=ada, other=dupe)
    assert list(LoopStep.objects.filter(kind="intro_request", done_at__isnull=True)) == [kept]


def test_a_tie_both_had_keeps_how_each_knew_them(alice, pair):
    ada, dupe = pair
    cleo = person_create(owner=alice, full_name="Cleo Ward")
    dan = person_create(owner=alice, full_name="Dan Ruiz")
    tie_set(owner=alice, person=ada, other=cleo, kind="other", strength=1)
    tie_set(owner=alice, person=dupe, other=cleo, kind="colleague", strength=4)
    tie_set(owner=alice, person=ada, other=dan, kind="friend", strength=3)
    tie_set(owner=alice, person=dupe, other=dan, kind="colleague", strength=2, notes="Ex-Hooli")
    person_merge(keep=ada, other=dupe)
    to_cleo = Tie.objects.get(person_b=cleo) if cleo.pk > ada.pk else Tie.objects.get(person_a=cleo)
    assert (to_cleo.kind, to_cleo.strength) == ("colleague", 4)
    to_dan = Tie.objects.get(person_b=dan) if dan.pk > ada.pk else Tie.objects.get(person_a=dan)
    assert (to_dan.kind, to_dan.strength) == ("friend", 3)
    assert "Ex-Hooli" in to_dan.notes and "Also: Colleague." in to_dan.notes
