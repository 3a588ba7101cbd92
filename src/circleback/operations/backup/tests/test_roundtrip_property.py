"""Property: whatever account a user builds through the services, its backup restores into an
empty account without losing anything — the restored account's backup is the same file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from circleback.accounts.models import User
from circleback.insights import services as insights
from circleback.journal.services import interaction_log
from circleback.loops.models import Favour, Introduction, Lead, LoopStep
from circleback.loops.services import (
    favours,
    introductions,
    leads,
    meetings,
    permissions,
    shares,
)
from circleback.loops.services import loops as loops_services
from circleback.loops.services import settings as settings_services
from circleback.operations.backup.services import backup_export, backup_restore
from circleback.operations.backup.tests.conftest import comparable, wipe
from circleback.people.models import Person
from circleback.people.services.people import person_create
from circleback.people.services.ties import tie_set

pytestmark = pytest.mark.django_db

NAMES = ["Ada Quill", "Bart Nguyen", "Chloé Martin", "Priya Patel", "Dana Obi", "Eve Adams"]
ORGS = ["", "Globex", "Hooli", "Initech"]
LEAD_PATHS = [
    [],
    ["contacted"],
    ["contacted", "met"],
    ["contacted", "declined"],
    ["contacted", "met", "referrer_told"],
    ["contacted", "met", "referrer_told", "referrer_thanked"],
]
INTRO_PATHS = [
    [],
    ["asked_x"],
    ["asked_x", "asked_y"],
    ["asked_x", "asked_y", "introduced"],
    ["asked_x", "asked_y", "introduced", "checked_back"],
    ["declined"],
]

person_op = st.tuples(
    st.just("person"),
    st.sampled_from(NAMES),
    st.sampled_from(ORGS),
    st.booleans(),  # an email
    st.sampled_from(["A", "B", "C"]),
    st.one_of(st.none(), st.tuples(st.integers(1, 12), st.integers(1, 28))),
)
pick = st.integers(0, 1000)
kinds = [
    st.tuples(st.just("tie"), pick, pick, st.integers(1, 5)),
    st.tuples(st.just("log"), pick, pick, st.integers(1, 400)),
    st.tuples(st.just("meeting_held"), pick, st.integers(0, 2), st.booleans(), st.booleans()),
    st.tuples(st.just("meeting_planned"), pick, st.booleans()),
    st.tuples(st.just("lead"), pick, st.sampled_from(NAMES), st.integers(0, 5)),
    st.tuples(st.just("favour"), pick, st.sampled_from(["given", "received"]), st.integers(0, 90)),
    st.tuples(st.just("name_give"), pick, pick),
    st.tuples(st.just("offer"), pick, st.booleans()),
    st.tuples(st.just("introduction"), pick, pick, st.integers(0, 5)),
    st.tuples(st.just("intro_request"), pick, pick),
    st.tuples(st.just("share"), pick, pick),
    st.tuples(st.just("permission"), pick, st.booleans(), st.booleans()),
    st.tuples(st.just("settings"), st.integers(1, 90), st.integers(0, 500), st.integers(1, 3650)),
    st.tuples(st.just("pitch"), st.integers(1, 60), pick),
    st.tuples(st.just("cadence"), pick, st.integers(1, 3650)),
    st.tuples(st.just("snooze"), pick, st.integers(1, 700)),
    st.tuples(st.just("step_snooze"), pick, st.integers(1, 700)),
]
operation = st.one_of(person_op, *kinds)
# Some people, one of every kind of record, then anything in any order.
account = st.tuples(
    st.lists(person_op, min_size=3, max_size=8), st.tuples(*kinds), st.lists(operation, max_size=20)
).map(lambda parts: [*parts[0], *parts[1], *parts[2]])


def _apply(owner: User, op: tuple[Any, ...]) -> None:
    people = list(Person.objects.filter(owner=owner).order_by("pk"))
    now = timezone.now()
    today = timezone.localdate()

    def who(n: int) -> Person:
        # Read afresh: some services save the whole row.
        return Person.objects.get(pk=people[n % len(people)].pk)

    def two(a: int, b: int) -> tuple[Person, Person]:
        """Two different people (when there are two)."""
        first = a % len(people)
        second = (first + 1 + b % max(1, len(people) - 1)) % len(people)
        return who(first), who(second)

    kind = op[0]
    if kind == "person":
        _kind, name, org, email, letter, birthday = op
        fields: dict[str, Any] = {"contact_list": letter}
        if birthday:
            fields["birthday_month"], fields["birthday_day"] = birthday
        person_create(
            owner=owner,
            full_name=name,
            organisation=org or None,
            emails=[f"{name.split()[0].lower()}.{len(people)}@mail.example"] if email else [],
            **fields,
        )
        return
    if not people:
        return
    if kind == "tie":
        x, y = two(op[1], op[2])
        tie_set(owner=owner, person=x, other=y, strength=op[3])
    elif kind == "log":
        interaction_log(
            owner=owner,
            summary="Caught up",
            people=[who(op[1]), who(op[2])],
            occurred_at=now - dt.timedelta(days=op[3]),
        )
    elif kind == "meeting_held":
        _kind, n, referrals, offer, standing = op
        meeting = meetings.meeting_schedule(
            owner=owner,
            person=who(n),
            scheduled_for=now - dt.timedelta(days=2),
            purposes=["advice", "referrals"],
            held=True,
        )
        meetings.meeting_log_outcome(
            meeting=meeting,
            learned="A lot",
            referrals=[
                meetings.ReferralInput(full_name=f"Referral {i} of {n}", organisation="Globex")
                for i in range(referrals)
            ],
            offered=meetings.OfferInput(note="An article", standing=standing) if offer else None,
        )
    elif kind == "meeting_planned":
        meeting = meetings.meeting_schedule(
            owner=owner, person=who(op[1]), scheduled_for=now + dt.timedelta(days=3)
        )
        if op[2]:
            meetings.meeting_cancel(meeting=meeting, note="Moved")
    elif kind == "lead":
        lead = leads.lead_record(owner=owner, referrer=who(op[1]), full_name=op[2] + " Jr")
        for to in LEAD_PATHS[op[3]]:
            loops_services.lead_advance(lead=lead, to=to)
    elif kind == "favour":
        favours.favour_log(
            owner=owner,
            person=who(op[1]),
            direction=op[2],
            kind=Favour.Kind.ADVICE,
            occurred_on=today - dt.timedelta(days=op[3]),
        )
    elif kind == "name_give":
        x, y = two(op[1], op[2])
        introductions.name_give(owner=owner, helped=x, name=y)
    elif kind == "offer":
        offer = favours.standing_offer_make(owner=owner, person=who(op[1]), offer="Any time")
        if op[2]:
            favours.standing_offer_taken_up(owner=owner, offer=offer)
    elif kind == "introduction":
        x, y = two(op[1], op[2])
        intro = introductions.introduction_make(
            owner=owner, person_x=x, person_y=y, reason="Same field"
        )
        for to in INTRO_PATHS[op[3]]:
            introductions.introduction_advance(introduction=intro, to=to)
    elif kind == "intro_request":
        x, y = two(op[1], op[2])
        introductions.introduction_request(owner=owner, via=x, target=y)
    elif kind == "share":
        shares.share_log(
            owner=owner, people=[who(op[1]), who(op[2])], title="An article", topics="jobs"
        )
    elif kind == "permission":
        target = who(op[1])
        permission = permissions.permission_grant(
            owner=owner, person=target, organisation=target.organisation if op[2] else None
        )
        if op[3]:
            permissions.permission_revoke(owner=owner, permission=permission)
    elif kind == "settings":
        settings_services.loop_settings_update(owner=owner, lead_meet_days=op[1])
        insights.goals_update(owner=owner, meetings=op[2])
        insights.cadence_defaults_update(owner=owner, list_c_days=op[3])
    elif kind == "pitch":
        pitch = insights.pitch_add(owner=owner, text=" ".join(["word"] * op[1]))
        insights.pitch_practice_log(owner=owner, pitch=pitch, person=who(op[2]))
    elif kind == "cadence":
        insights.cadence_set(owner=owner, person=who(op[1]), days=op[2])
    elif kind == "snooze":
        insights.person_snooze(owner=owner, person=who(op[1]), until=today + dt.timedelta(op[2]))
    elif kind == "step_snooze":
        steps = list(LoopStep.objects.filter(owner=owner, done_at__isnull=True).order_by("pk"))
        if steps:
            step = steps[op[1] % len(steps)]
            loops_services.loop_snooze(owner=owner, step=step, until=today + dt.timedelta(op[2]))


# Each example builds, exports, restores and exports an account (about a second).
@settings(max_examples=15)
@given(ops=account)
def test_any_account_built_through_the_services_survives_the_round_trip(
    ops: list[tuple[Any, ...]],
) -> None:
    with transaction.atomic():
        owner = get_user_model().objects.create(username="builder")
        for op in ops:
            try:
                with transaction.atomic():
                    _apply(owner, op)
            except ValidationError:
                pass  # the services refused it (the same person twice, say): as a user sees
        data = backup_export(owner=owner)
        built = {
            model.__name__: model.objects.filter(owner=owner).count()
            for model in (Person, Lead, Favour, Introduction, LoopStep)
        }
        wipe(owner)
        restored = get_user_model().objects.create(username="restored")
        report = backup_restore(owner=restored, data=data)
        assert not report.skipped, report.skipped
        assert comparable(backup_export(owner=restored)) == comparable(data)
        assert {
            model.__name__: model.objects.filter(owner=restored).count()
            for model in (Person, Lead, Favour, Introduction, LoopStep)
        } == built
        transaction.set_rollback(True)
