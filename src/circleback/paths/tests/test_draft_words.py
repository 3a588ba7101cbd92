"""The introduction request reads like a person wrote it: no "1 minute since we last spoke",
no record shorthand pasted into a sentence, signed with a real name."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from circleback.paths.graph import cache_clear
from circleback.paths.queries.drafts import introduction_draft
from circleback.paths.tests.factories import network
from circleback.people.models import Person


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache_clear()


def _last_contact(person: Person, when: dt.datetime) -> None:
    Person.objects.filter(pk=person.pk).update(last_contact_at=when)
    person.refresh_from_db()


def test_a_contact_just_logged_is_not_a_minute_ago(alice):
    net = network(alice)
    _last_contact(net.maya, timezone.now() - dt.timedelta(minutes=1))
    body = introduction_draft(owner=alice, people=[net.maya, net.sam]).body
    assert "since we last spoke" not in body and "1 minute" not in body
    assert "I hope things are going well." in body


@time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), tick=False)
def test_a_long_silence_names_the_month(alice):
    net = network(alice)
    _last_contact(net.maya, dt.datetime(2024, 3, 14, 12, 0, tzinfo=dt.UTC))
    body = introduction_draft(owner=alice, people=[net.maya, net.sam]).body
    assert "It's been a while since we last spoke (March 2024)" in body


def test_how_you_met_is_a_prompt_not_a_sentence(alice):
    net = network(alice)
    net.maya.how_we_met = "My manager at Initech 2019-2023"
    body = introduction_draft(owner=alice, people=[net.maya, net.sam]).body
    assert "I still think of" not in body
    assert "[Remind them how you know each other: My manager at Initech 2019-2023]" in body


def test_it_signs_with_the_real_name_never_the_sign_in_name(alice):
    net = network(alice)
    body = introduction_draft(owner=alice, people=[net.maya, net.sam]).body
    assert body.endswith("Thank you,\n[your name]") and "alice" not in body
    alice.first_name, alice.last_name = "Alice", "Marr"
    body = introduction_draft(owner=alice, people=[net.maya, net.sam]).body
    assert body.endswith("Thank you,\nAlice Marr")
