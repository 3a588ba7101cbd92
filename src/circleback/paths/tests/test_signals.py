"""The seam to loops & favours: permission to use a name and favours owed shape the score."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps

from circleback.paths import scoring
from circleback.paths.graph import cache_clear
from circleback.paths.queries.paths import paths_to_organisation
from circleback.paths.signals import NEUTRAL, Signals, first_hop_signals, loops_available
from circleback.paths.tests.factories import network
from circleback.people.services.ties import tie_set

needs_loops = pytest.mark.skipif(not loops_available(), reason="the loops app is not installed")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache_clear()


def test_neutral_signals_scale_every_path_alike() -> None:
    assert scoring.first_hop(NEUTRAL) == scoring.PERMISSION_UNKNOWN
    assert scoring.first_hop(Signals(permission="granted")) == 1.0
    assert scoring.first_hop(Signals(favours_received=4)) == pytest.approx(0.9 / 2)
    assert Signals(favours_given=3, favours_received=1).owed == 0


def test_people_without_records_are_neutral(alice) -> None:
    net = network(alice)
    assert first_hop_signals(alice, [net.maya.pk, net.wes.pk]) == {
        net.maya.pk: NEUTRAL,
        net.wes.pk: NEUTRAL,
    }
    assert first_hop_signals(alice, []) == {}


@needs_loops
def test_permission_and_favours_show_in_the_explanation_and_the_ranking(alice, charlie) -> None:
    net = network(alice)
    favour = apps.get_model("loops", "Favour")
    permission = apps.get_model("loops", "NamePermission")
    today = dt.date.today()
    tie_set(owner=alice, person=net.wes, other=net.dana, kind="colleague", strength=5)
    before = {
        p.key: p.score for p in paths_to_organisation(owner=alice, organisation=net.globex).paths
    }
    for _ in range(2):
        favour.objects.create(
            owner=alice, person=net.wes, direction="given", kind="advice", occurred_on=today
        )
    permission.objects.create(owner=alice, person=net.wes, granted_on=today)
    for _ in range(8):
        favour.objects.create(
            owner=alice, person=net.maya, direction="received", kind="advice", occurred_on=today
        )
    # Charlie's records about alice's people never count.
    permission.objects.create(owner=charlie, person=net.maya, granted_on=today)

    signals = first_hop_signals(alice, [net.wes.pk, net.maya.pk], net.globex.pk)
    assert signals[net.wes.pk] == Signals(permission="granted", favours_given=2)
    assert signals[net.maya.pk] == Signals(favours_received=8)

    paths = paths_to_organisation(owner=alice, organisation=net.globex).paths
    wes = next(p for p in paths if p.first == net.wes)
    assert "you've helped Wes twice; has cleared you to use their name" in wes.sentence
    maya = next(p for p in paths if p.first == net.maya)
    assert "Maya has helped you 8 times" in maya.sentence
    # Permission lifts the neutral 0.9 to 1; owing 8 favours divides by 1 + 0.25 * 8.
    assert wes.score == pytest.approx(before[wes.key] / 0.9, rel=1e-4)
    assert maya.score == pytest.approx(before[maya.key] / 3, rel=1e-4)


@needs_loops
def test_a_revoked_or_other_organisation_permission_does_not_count(alice) -> None:
    net = network(alice)
    permission = apps.get_model("loops", "NamePermission")
    today = dt.date.today()
    permission.objects.create(
        owner=alice, person=net.maya, granted_on=today, revoked_on=today - dt.timedelta(days=1)
    )
    permission.objects.create(
        owner=alice, person=net.wes, organisation=net.initech, granted_on=today
    )
    signals = first_hop_signals(alice, [net.maya.pk, net.wes.pk], net.globex.pk)
    assert signals[net.maya.pk].permission == "unknown"
    assert signals[net.wes.pk].permission == "unknown"
    assert first_hop_signals(alice, [net.wes.pk], net.initech.pk)[net.wes.pk].permission == (
        "granted"
    )
