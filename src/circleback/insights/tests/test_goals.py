from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from circleback.insights.models import MonthlyGoals
from circleback.insights.queries.goals import goals_for
from circleback.insights.services import goals_update
from circleback.insights.tests.conftest import at, contact
from circleback.journal.models import Interaction
from circleback.loops.models import Favour
from circleback.loops.services import (
    favours,
)

NOW = at(2026, 11, 20, 10)


def _progress(goals, metric):
    return next(p for p in goals.progress if p.metric == metric)


def test_mode_defaults_and_edited_targets(alice):
    with time_machine.travel(NOW, tick=False):
        assert goals_for(alice).targets == {"new_contacts": 4, "meetings": 4, "favours_given": 2}
        alice.mode = "employed"
        alice.save()
        assert goals_for(alice).targets["meetings"] == 1
        goals_update(owner=alice, meetings=6)
        assert goals_for(alice).targets["meetings"] == 6
        goals_update(owner=alice, meetings=None)
        assert goals_for(alice).targets["meetings"] == 1


@pytest.mark.parametrize("bad", [-1, 501, "3", True])
def test_a_bad_target_is_refused_and_nothing_changes(alice, bad):
    goals_update(owner=alice, meetings=2)
    with pytest.raises(ValidationError):
        goals_update(owner=alice, meetings=bad)
    assert MonthlyGoals.objects.get(owner=alice).meetings == 2


def test_it_counts_new_contacts_meetings_and_favours_this_month(alice, added):
    goals_update(owner=alice, new_contacts=2, meetings=1, favours_given=1)
    ada = added(alice, "Ada Quill", at(2026, 11, 3))
    added(alice, "Bart N", at(2026, 11, 19))
    added(alice, "Old Friend", at(2026, 10, 19))
    added(alice, "Imported Ivy", at(2026, 11, 5), source="linkedin")  # met? no: imported
    contact(alice, ada, at(2026, 11, 4), kind=Interaction.Kind.MEETING)
    contact(alice, ada, at(2026, 11, 5), kind=Interaction.Kind.CALL)
    with time_machine.travel(at(2026, 11, 6), tick=False):
        favours.favour_log(owner=alice, person=ada, direction=Favour.Direction.GIVEN)
        favours.favour_log(owner=alice, person=ada, direction=Favour.Direction.RECEIVED)
    with time_machine.travel(NOW, tick=False):
        goals = goals_for(alice)
    counts = {p.metric: p.this_month for p in goals.progress}
    assert counts == {"new_contacts": 2, "meetings": 1, "favours_given": 1}
    assert all(p.met and p.percent == 100 for p in goals.progress)
    assert len(goals.history) == 12
    assert goals.history[-1].start == dt.date(2026, 11, 1)
    assert goals.history[0].start == dt.date(2025, 12, 1)
    assert goals.history[-2].counts["new_contacts"] == 1


def test_streaks_run_across_months_and_wait_for_the_month_under_way(alice, added):
    goals_update(owner=alice, new_contacts=1, meetings=0, favours_given=0)
    added(alice, "June", at(2026, 6, 15))  # July is missed: the streak starts in August
    for month in (8, 9, 10):
        added(alice, f"Met in {month}", at(2026, month, 15))
    with time_machine.travel(NOW, tick=False):
        assert _progress(goals_for(alice), "new_contacts").streak == 3
        assert _progress(goals_for(alice), "new_contacts").percent == 0
    added(alice, "Met in November", at(2026, 11, 2))
    with time_machine.travel(NOW, tick=False):
        goals = goals_for(alice)
    assert _progress(goals, "new_contacts").streak == 4
    assert goals.all_met_streak == 4
    # A new month starts: November's success still counts while December is under way.
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        assert _progress(goals_for(alice), "new_contacts").streak == 4


def test_months_follow_the_users_time_zone(alice, added):
    # 23:30 UTC on 31 October is already 1 November in Auckland (UTC+13), not in London.
    added(alice, "Late Larry", dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC))
    with time_machine.travel(NOW, tick=False):
        assert _progress(goals_for(alice), "new_contacts").this_month == 0
        alice.time_zone = "Pacific/Auckland"
        alice.save()
        assert _progress(goals_for(alice), "new_contacts").this_month == 1
