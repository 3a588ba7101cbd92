from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404

from circleback.insights.models import Pitch, PitchPractice, count_words
from circleback.insights.queries.pitch import (
    get_pitch_for,
    pitch_current,
    pitch_list,
    practice_partners,
)
from circleback.insights.services import pitch_add, pitch_practice_log, practice_advice
from circleback.insights.tests.conftest import at

NOW = at(2026, 11, 20, 10)


def test_word_count_handles_apostrophes_hyphens_and_punctuation():
    assert count_words("I'm a data-driven product manager — and I\u2019m curious!") == 8
    assert count_words("Ship - learn -- repeat 'again'") == 4
    assert count_words("   ") == 0


def test_speaking_time_is_at_150_words_a_minute_with_a_warning_over_two_minutes(alice):
    short = pitch_add(owner=alice, text=" ".join(["word"] * 150))
    assert (short.word_count, short.speaking_time, short.too_long) == (150, "1:00", False)
    limit = pitch_add(owner=alice, text=" ".join(["word"] * 300))
    assert (limit.speaking_time, limit.too_long) == ("2:00", False)
    long = pitch_add(owner=alice, text=" ".join(["word"] * 303))
    assert (long.speaking_time, long.too_long) == ("2:01", True)


def test_the_newest_version_is_current_and_versions_keep_their_dates(alice, charlie):
    with time_machine.travel(at(2026, 10, 1), tick=False):
        first = pitch_add(owner=alice, text="First try.", label="  career   change ")
    with time_machine.travel(NOW, tick=False):
        second = pitch_add(owner=alice, text="Second, better try.")
    pitch_add(owner=charlie, text="Not Alice's.", created_at=at(2026, 12, 1))
    assert first.label == "career change"
    assert pitch_current(alice) == second
    assert list(pitch_list(alice)) == [second, first]
    assert get_pitch_for(alice, first.uuid) == first
    with pytest.raises(Http404):
        get_pitch_for(charlie, first.uuid)
    with pytest.raises(Http404):
        get_pitch_for(alice, "not-a-uuid")


@pytest.mark.parametrize("text", ["", "   ", "— … !", " ".join(["w"] * 2001)])
def test_an_empty_or_huge_pitch_is_refused(alice, text):
    with pytest.raises(ValidationError) as caught:
        pitch_add(owner=alice, text=text)
    assert "text" in caught.value.message_dict
    assert Pitch.objects.count() == 0


def test_practice_partners_put_list_a_first(alice, make_person):
    make_person(alice, "Bea Boss", contact_list="B", closeness=5)
    make_person(alice, "Abe Friend", contact_list="A", closeness=2)
    make_person(alice, "Amy Sister", contact_list="A", closeness=5)
    make_person(alice, "Cy Target", contact_list="C", closeness=1)
    assert [p.full_name for p in practice_partners(alice)] == [
        "Amy Sister",
        "Abe Friend",
        "Bea Boss",
    ]


def test_practising_on_list_b_before_list_a_gets_gentle_advice(alice, charlie, make_person):
    pitch = pitch_add(owner=alice, text="Hello, I help teams ship.")
    boss = make_person(alice, "Bea Boss", contact_list="B")
    sister = make_person(alice, "Amy Sister", contact_list="A")
    assert "list A first" in practice_advice(owner=alice, pitch=pitch, person=boss)
    with time_machine.travel(NOW, tick=False):
        practice = pitch_practice_log(owner=alice, pitch=pitch, person=sister, notes=" slower ")
    assert (practice.practised_on, practice.notes) == (dt.date(2026, 11, 20), "slower")
    assert practice_advice(owner=alice, pitch=pitch, person=boss) == ""
    assert pitch_list(alice).get().practice_count == 1  # type: ignore[attr-defined]


def test_a_practice_in_the_future_or_with_someone_elses_contact_is_refused(
    alice, charlie, make_person
):
    pitch = pitch_add(owner=alice, text="Hello, I help teams ship.")
    stranger = make_person(charlie, "Someone Else")
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError):
            pitch_practice_log(owner=alice, pitch=pitch, practised_on=dt.date(2026, 11, 21))
        with pytest.raises(ValidationError):
            pitch_practice_log(owner=alice, pitch=pitch, person=stranger)
        with pytest.raises(ValidationError):
            pitch_practice_log(owner=charlie, pitch=pitch)
    assert PitchPractice.objects.count() == 0


def test_the_current_pitch_appears_in_the_meeting_prep_brief(alice, make_person):
    from circleback.loops.services.meetings import meeting_schedule
    from circleback.operations.prep import meeting_prep

    ada = make_person(alice, "Ada Quill")
    with time_machine.travel(NOW, tick=False):
        pitch_add(owner=alice, text="An older version.", created_at=at(2026, 10, 1))
        pitch_add(owner=alice, text="I help small teams ship software they trust.")
        meeting = meeting_schedule(owner=alice, person=ada, scheduled_for=at(2026, 11, 21, 15))
        brief = meeting_prep(meeting=meeting)
    assert brief.pitch == "I help small teams ship software they trust."
    assert brief.has_pitch
