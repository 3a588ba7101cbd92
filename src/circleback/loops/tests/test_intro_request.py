"""Introductions you ask for: the follow-up loop, and where it leads when they agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from circleback.journal.models import Interaction
from circleback.loops.models import Lead, LoopSettings, LoopStep
from circleback.loops.queries import loop_item, open_loops
from circleback.loops.services.introductions import introduction_request
from circleback.loops.services.loops import loop_advance, loop_snooze
from circleback.loops.tests.conftest import NOW

K = LoopStep.Kind
pytestmark = pytest.mark.usefixtures("frozen")


def _counts() -> tuple[int, int, int]:
    return LoopStep.objects.count(), Lead.objects.count(), Interaction.objects.count()


def test_it_opens_a_follow_up_due_after_the_lead_contact_days(alice, ada, bart):
    LoopSettings.objects.create(user=alice, lead_contact_days=5)
    step = introduction_request(owner=alice, via=ada, target=bart, note=" for  the data team ")
    assert step.kind == K.INTRO_REQUEST
    assert (step.person, step.about) == (ada, bart)
    assert step.organisation == bart.organisation
    assert step.due_at == NOW + dt.timedelta(days=5)
    assert step.note == "for the data team"
    assert Interaction.objects.count() == 0  # nothing logged until you act


def test_its_detail_says_to_ask_for_an_introduction_not_to_pass_on_a_cv(alice, ada, bart):
    step = introduction_request(owner=alice, via=ada, target=bart)
    item = loop_item(step)
    assert item.title == "Follow up: you asked Ada Quill to introduce you to Bart Nguyen"
    assert "not to pass your CV to HR" in item.context
    assert "Bart Nguyen is at Initech" in item.context
    assert [a.label for a in item.actions] == ["They'll introduce you", "They declined"]


def test_an_organisation_ending_in_a_full_stop_gets_no_second_one(alice, ada, bart):
    step = introduction_request(owner=alice, via=ada, target=bart, organisation="Cobalt Inc.")
    context = loop_item(step).context
    assert "Bart Nguyen is at Cobalt Inc. Ask for" in context and ".." not in context


def test_it_shows_on_both_peoples_open_loops(alice, ada, bart):
    step = introduction_request(owner=alice, via=ada, target=bart)
    assert [i.step for i in open_loops(owner=alice, person=ada)] == [step]
    assert [i.step for i in open_loops(owner=alice, person=bart)] == [step]


def test_it_refuses_asking_someone_to_introduce_you_to_themselves(alice, ada):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        introduction_request(owner=alice, via=ada, target=ada)
    assert "can't introduce you to themselves" in exc.value.message_dict["target"][0]
    assert _counts() == before


def test_it_refuses_another_owners_people(alice, bob, ada, make_person):
    stranger = make_person(bob, "Sam Stranger")
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        introduction_request(owner=alice, via=ada, target=stranger)
    assert exc.value.message_dict["target"] == ["That person is not in your network."]
    with pytest.raises(ValidationError) as exc:
        introduction_request(owner=alice, via=stranger, target=ada)
    assert exc.value.message_dict["via"] == ["That person is not in your network."]
    assert _counts() == before


def test_it_refuses_a_second_open_request_for_the_same_pair(alice, ada, bart):
    introduction_request(owner=alice, via=ada, target=bart)
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        introduction_request(owner=alice, via=ada, target=bart)
    assert "You already asked Ada Quill to introduce you to Bart Nguyen" in str(exc.value)
    assert _counts() == before


def test_a_closed_request_can_be_asked_again(alice, ada, bart):
    first = introduction_request(owner=alice, via=ada, target=bart)
    loop_advance(owner=alice, step=first, to="declined")
    again = introduction_request(owner=alice, via=ada, target=bart)
    assert again.pk != first.pk and again.done_at is None


def test_when_they_agree_a_lead_opens_and_its_loop_runs_on(alice, ada, bart, frozen):
    step = introduction_request(owner=alice, via=ada, target=bart, note="for the data team")
    frozen.shift(dt.timedelta(days=1))
    contact = loop_advance(owner=alice, step=step, to="agreed")
    lead = Lead.objects.get(owner=alice)
    assert (lead.referrer, lead.referred) == (ada, bart)
    assert lead.organisation == bart.organisation and lead.about == "for the data team"
    assert contact is not None and contact.kind == K.LEAD_CONTACT and contact.done_at is None
    assert (contact.person, contact.lead) == (bart, lead)
    assert contact.loop_started_at == step.loop_started_at  # the loop keeps its place
    step.refresh_from_db()
    assert step.resolution == "agreed" and step.lead == lead
    entry = Interaction.objects.get(owner=alice)
    assert entry.summary == "Ada Quill agreed to introduce you to Bart Nguyen"
    assert entry.direction == Interaction.Direction.INCOMING
    # The lead's own loop: contact → meet → tell the referrer → thank them.
    meet = loop_advance(owner=alice, step=contact)
    assert meet is not None and meet.kind == K.LEAD_MEET
    tell = loop_advance(owner=alice, step=meet, to="met")
    assert tell is not None and (tell.kind, tell.person) == (K.LEAD_TELL, ada)


def test_when_they_decline_the_loop_closes_with_a_journal_entry(alice, ada, bart):
    step = introduction_request(owner=alice, via=ada, target=bart)
    assert loop_advance(owner=alice, step=step, to="declined", note="Too busy") is None
    step.refresh_from_db()
    assert step.done_at is not None and step.resolution == "declined"
    assert not Lead.objects.exists()
    assert not LoopStep.objects.filter(done_at__isnull=True).exists()
    entry = Interaction.objects.get(owner=alice)
    assert entry.summary == "Ada Quill declined to introduce you to Bart Nguyen"


def test_not_now_snoozes_the_follow_up(alice, ada, bart):
    step = introduction_request(owner=alice, via=ada, target=bart)
    loop_snooze(owner=alice, step=step, until=dt.date(2026, 12, 10))
    step.refresh_from_db()
    assert step.snoozed_until == dt.date(2026, 12, 10) and step.done_at is None


def test_an_out_of_order_close_names_the_expected_actions(alice, ada, bart):
    step = introduction_request(owner=alice, via=ada, target=bart)
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        loop_advance(owner=alice, step=step, to="met")
    assert "agreed (they'll introduce you) or declined" in str(exc.value)
    with pytest.raises(ValidationError):
        loop_advance(owner=alice, step=step)  # there is a choice: say which
    assert _counts() == before


def test_the_database_itself_keeps_one_open_request_per_pair(alice, ada, bart):
    step = introduction_request(owner=alice, via=ada, target=bart)
    twin = LoopStep(
        owner=alice,
        kind=K.INTRO_REQUEST,
        person=ada,
        about=bart,
        due_at=step.due_at,
        loop_started_at=step.loop_started_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert LoopStep.objects.count() == 1
