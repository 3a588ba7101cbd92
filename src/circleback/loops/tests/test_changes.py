"""Editing and deleting meetings, favours and shares; standalone leads; loop settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from circleback.journal.models import Interaction
from circleback.journal.queries import search
from circleback.journal.services import interaction_delete
from circleback.loops.models import Favour, Lead, LoopStep, Meeting, NamePermission, Share
from circleback.loops.services.favours import favour_delete, favour_log, favour_update
from circleback.loops.services.introductions import (
    introduction_advance,
    introduction_make,
    name_give,
)
from circleback.loops.services.leads import lead_create, lead_record
from circleback.loops.services.loops import lead_advance, loop_advance
from circleback.loops.services.meetings import (
    OfferInput,
    ReferralInput,
    meeting_cancel,
    meeting_delete,
    meeting_log_outcome,
    meeting_schedule,
    meeting_update,
)
from circleback.loops.services.settings import loop_settings_for, loop_settings_update
from circleback.loops.services.shares import share_delete, share_log
from circleback.loops.tests.conftest import NOW
from circleback.loops.tests.test_services import _counts, _open
from circleback.people.models import Person

K = LoopStep.Kind
TOMORROW = NOW + dt.timedelta(days=1)


@pytest.fixture
def meeting(alice, ada, frozen):
    return meeting_schedule(owner=alice, person=ada, scheduled_for=TOMORROW, purposes=["advice"])


@pytest.fixture
def held(alice, ada, meeting, frozen):
    frozen.move_to(TOMORROW + dt.timedelta(hours=1))
    meeting_log_outcome(
        meeting=meeting,
        learned="Plenty",
        referrals=[ReferralInput(full_name="Dana Lee", organisation="Hooli")],
        offered=OfferInput(kind="information", note="A report"),
    )
    meeting.refresh_from_db()
    return meeting


# --- meetings -------------------------------------------------------------------------------


def test_rescheduling_moves_the_step_to_record_the_outcome(alice, meeting, frozen):
    later = TOMORROW + dt.timedelta(days=6)
    meeting_update(owner=alice, meeting=meeting, scheduled_for=later, duration_minutes=20)
    [step] = _open(alice, K.MEETING_LOG)
    assert step.due_at == later + dt.timedelta(minutes=20)
    meeting.refresh_from_db()
    assert (meeting.scheduled_for, meeting.duration_minutes) == (later, 20)


def test_an_upcoming_meeting_cannot_be_moved_into_the_past(alice, meeting, frozen):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        meeting_update(owner=alice, meeting=meeting, scheduled_for=NOW - dt.timedelta(hours=1))
    assert "already passed" in str(exc.value.message_dict["scheduled_for"])
    meeting.refresh_from_db()
    assert meeting.scheduled_for == TOMORROW and _counts() == before


def test_a_held_meeting_cannot_go_back_to_the_future(alice, held, frozen):
    with pytest.raises(ValidationError) as exc:
        meeting_update(owner=alice, meeting=held, scheduled_for=TOMORROW + dt.timedelta(days=3))
    assert "can't move into the future" in str(exc.value.message_dict["scheduled_for"])
    held.refresh_from_db()
    assert held.scheduled_for == TOMORROW


def test_moving_a_held_meeting_moves_its_journal_entry(alice, held, frozen):
    earlier = TOMORROW - dt.timedelta(hours=2)
    meeting_update(owner=alice, meeting=held, scheduled_for=earlier, outcome="A new role idea")
    held.refresh_from_db()
    assert held.interaction is not None and held.interaction.occurred_at == earlier
    assert held.outcome == "A new role idea"


def test_an_upcoming_meeting_has_no_outcome_to_edit(alice, meeting, frozen):
    with pytest.raises(ValidationError) as exc:
        meeting_update(owner=alice, meeting=meeting, learned="Too soon")
    assert "learned" in exc.value.message_dict


def test_editing_checks_purposes_and_the_referrer(alice, ada, bart, meeting, frozen):
    with pytest.raises(ValidationError):
        meeting_update(owner=alice, meeting=meeting, purposes=["a job"])
    with pytest.raises(ValidationError):
        meeting_update(owner=alice, meeting=meeting, referred_by=ada)
    meeting_update(owner=alice, meeting=meeting, referred_by=bart, location="  Café   Nero ")
    meeting.refresh_from_db()
    assert (meeting.referred_by, meeting.location, meeting.purposes) == (
        bart,
        "Café Nero",
        ["advice"],
    )
    meeting_update(owner=alice, meeting=meeting, referred_by=None)
    meeting.refresh_from_db()
    assert meeting.referred_by is None


def test_a_cancelled_meeting_cannot_be_edited(alice, meeting, frozen):
    meeting_cancel(meeting=meeting)
    with pytest.raises(ValidationError, match="cancelled"):
        meeting_update(owner=alice, meeting=meeting, location="Elsewhere")


def test_an_outsider_cannot_edit_or_delete_a_meeting(charlie, meeting, frozen):
    with pytest.raises(ValidationError):
        meeting_update(owner=charlie, meeting=meeting, location="Mine now")
    with pytest.raises(ValidationError):
        meeting_delete(owner=charlie, meeting=meeting)
    assert Meeting.objects.filter(pk=meeting.pk, location="").exists()


def test_deleting_an_upcoming_meeting_removes_its_open_steps(alice, meeting, frozen):
    meeting_delete(owner=alice, meeting=meeting)
    assert Meeting.objects.count() == 0 and LoopStep.objects.count() == 0


def test_deleting_a_held_meeting_keeps_the_leads_but_not_its_record(alice, held, frozen):
    meeting_delete(owner=alice, meeting=held)
    assert Meeting.objects.count() == 0
    assert Interaction.objects.filter(summary__startswith="Information meeting").count() == 0
    assert Favour.objects.count() == 0
    assert not LoopStep.objects.filter(kind=K.THANK_YOU).exists()
    lead = Lead.objects.get()
    assert lead.referred.full_name == "Dana Lee" and lead.meeting is None
    assert lead.steps.filter(kind=K.LEAD_CONTACT, done_at__isnull=True).exists()


def test_editing_a_held_meetings_outcome_rewrites_its_journal_entry(alice, held, frozen):
    entry = held.interaction
    assert entry is not None and "Learned: Plenty" in entry.notes
    meeting_update(
        owner=alice,
        meeting=held,
        learned="Payments teams are hiring",
        outcome="A new role idea",
        next_steps="Send her the report",
        purposes=["advice", "referrals"],
    )
    entry.refresh_from_db()
    assert [h.interaction for h in search(owner=alice, text="payments hiring")] == [entry]
    assert entry.notes == (
        "Purposes: Seek advice and counsel; Obtain referrals\n\n"
        "Learned: Payments teams are hiring\n\n"
        "Outcome: A new role idea\n\n"
        "Next steps: Send her the report\n\n"
        "Referrals: Dana Lee (Hooli)"
    )
    assert Interaction.objects.filter(summary__startswith="Information meeting").count() == 1
    meeting_update(owner=alice, meeting=held, learned="", outcome="", next_steps="")
    entry.refresh_from_db()
    assert "Learned" not in entry.notes and "Referrals: Dana Lee (Hooli)" in entry.notes
    assert search(owner=alice, text="payments hiring") == []


def test_a_journal_entry_you_deleted_stays_deleted(alice, held, frozen):
    assert held.interaction is not None
    interaction_delete(interaction=held.interaction)
    held.refresh_from_db()
    meeting_update(owner=alice, meeting=held, outcome="A new role idea")
    held.refresh_from_db()
    assert held.interaction is None and held.outcome == "A new role idea"
    assert not Interaction.objects.filter(summary__startswith="Information meeting").exists()


def test_a_refused_outcome_edit_leaves_the_journal_entry_alone(alice, held, frozen):
    entry = held.interaction
    assert entry is not None
    notes = entry.notes
    with pytest.raises(ValidationError):
        meeting_update(owner=alice, meeting=held, outcome="Good", purposes=["a job"])
    entry.refresh_from_db()
    assert entry.notes == notes


def test_deleting_a_meeting_with_a_lead_reopens_the_lead_as_it_was(alice, ada, make_person, frozen):
    dana = make_person(alice, "Dana Lee")
    lead = lead_create(owner=alice, referrer=ada, referred=dana)
    [contact] = _open(alice, K.LEAD_CONTACT)
    meeting = meeting_schedule(owner=alice, person=dana, scheduled_for=TOMORROW)
    frozen.move_to(TOMORROW + dt.timedelta(hours=1))
    meeting_log_outcome(meeting=meeting)
    lead.refresh_from_db()
    assert (lead.state, lead.contacted_on, lead.met_on) == ("met", NOW.date(), TOMORROW.date())
    entries_before = Interaction.objects.count()
    assert entries_before == 2  # "Contacted Dana" when arranging it, and the meeting

    meeting_delete(owner=alice, meeting=meeting)

    lead.refresh_from_db()
    assert (lead.state, lead.contacted_on, lead.met_on) == ("received", None, None)
    assert [(s.pk, s.kind) for s in _open(alice)] == [(contact.pk, K.LEAD_CONTACT)]
    assert list(lead.steps.values_list("kind", flat=True)) == [K.LEAD_CONTACT]
    contact.refresh_from_db()
    assert (contact.resolution, contact.closed_by_meeting, contact.interaction) == ("", None, None)
    assert Interaction.objects.count() == 0
    dana.refresh_from_db()
    assert dana.last_contact_at is None
    # The loop runs again from the start.
    lead_advance(lead=lead, to="contacted")
    lead.refresh_from_db()
    assert lead.state == "contacted"


def test_deleting_an_arranged_meeting_reopens_the_contact_step(alice, ada, make_person, frozen):
    dana = make_person(alice, "Dana Lee")
    lead = lead_create(owner=alice, referrer=ada, referred=dana)
    step = lead_advance(lead=lead, to="contacted")  # contacted by hand, before any meeting
    assert step is not None and step.kind == K.LEAD_MEET
    meeting = meeting_schedule(owner=alice, person=dana, scheduled_for=TOMORROW)
    frozen.move_to(TOMORROW + dt.timedelta(hours=1))
    meeting_log_outcome(meeting=meeting)
    meeting_delete(owner=alice, meeting=meeting)
    lead.refresh_from_db()
    # Contacting them was yours, not the meeting's: only "meet them" opens again.
    assert (lead.state, lead.contacted_on, lead.met_on) == ("contacted", NOW.date(), None)
    assert [(s.pk, s.kind) for s in _open(alice)] == [(step.pk, K.LEAD_MEET)]
    assert Interaction.objects.filter(summary__startswith="Contacted Dana").count() == 1


def test_deleting_a_meeting_keeps_a_lead_you_moved_on_since(alice, ada, make_person, frozen):
    dana = make_person(alice, "Dana Lee")
    lead = lead_create(owner=alice, referrer=ada, referred=dana)
    meeting = meeting_schedule(owner=alice, person=dana, scheduled_for=TOMORROW)
    frozen.move_to(TOMORROW + dt.timedelta(hours=1))
    meeting_log_outcome(meeting=meeting)
    lead_advance(lead=lead, to="referrer_told")  # you told Ada how it went
    meeting_delete(owner=alice, meeting=meeting)
    lead.refresh_from_db()
    assert lead.state == "referrer_told"
    assert [s.kind for s in _open(alice)] == [K.LEAD_THANK]


# --- favours and shares ---------------------------------------------------------------------


def test_turning_a_favour_into_one_received_asks_for_a_thank_you(alice, ada, frozen):
    favour = favour_log(owner=alice, person=ada, direction="given", kind="advice")
    favour_update(owner=alice, favour=favour, direction="received", note="  Her advice ")
    [step] = _open(alice, K.THANK_YOU)
    assert step.favour == favour and step.due_at == NOW + dt.timedelta(hours=24)
    favour_update(owner=alice, favour=favour, direction="given")
    assert _open(alice) == []
    favour.refresh_from_db()
    assert (favour.direction, favour.note) == ("given", "Her advice")


def test_a_favour_cannot_move_into_the_future_or_change_kind_to_nonsense(alice, ada, frozen):
    favour = favour_log(owner=alice, person=ada, direction="received", kind="advice")
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        favour_update(owner=alice, favour=favour, occurred_on=dt.date(2026, 11, 21))
    assert "future" in str(exc.value.message_dict["occurred_on"])
    with pytest.raises(ValidationError):
        favour_update(owner=alice, favour=favour, kind="bribe")
    favour.refresh_from_db()
    assert (favour.kind, favour.occurred_on) == ("advice", NOW.date()) and _counts() == before


def test_a_favour_from_a_share_keeps_its_direction(alice, ada, frozen):
    share_log(owner=alice, people=[ada], title="Fintech report")
    favour = Favour.objects.get()
    with pytest.raises(ValidationError) as exc:
        favour_update(owner=alice, favour=favour, direction="received")
    assert "a share" in str(exc.value.message_dict["direction"])


def test_deleting_a_favour_removes_the_steps_it_opened(alice, ada, bart, frozen):
    favour = name_give(owner=alice, helped=bart, name=ada)
    assert len(_open(alice)) == 2
    favour_delete(owner=alice, favour=favour)
    assert Favour.objects.count() == 0 and LoopStep.objects.count() == 0


def test_deleting_a_shares_last_favour_deletes_the_share(alice, ada, bart, frozen):
    share_log(owner=alice, people=[ada, bart], title="Fintech report")
    first, second = Favour.objects.order_by("pk")
    favour_delete(owner=alice, favour=first)
    assert Share.objects.count() == 1
    favour_delete(owner=alice, favour=second)
    assert Share.objects.count() == 0


def test_deleting_a_share_removes_its_favours_but_keeps_the_journal(alice, ada, bart, frozen):
    share = share_log(owner=alice, people=[ada, bart], title="Fintech report")
    share_delete(owner=alice, share=share)
    assert Share.objects.count() == 0 and Favour.objects.count() == 0
    assert Interaction.objects.count() == 2


def test_an_outsider_cannot_change_favours_or_shares(alice, charlie, ada, frozen):
    favour = favour_log(owner=alice, person=ada, direction="received")
    share = share_log(owner=alice, people=[ada], title="Report")
    before = _counts()
    for attempt in (
        lambda: favour_update(owner=charlie, favour=favour, note="x"),
        lambda: favour_delete(owner=charlie, favour=favour),
        lambda: share_delete(owner=charlie, share=share),
    ):
        with pytest.raises(ValidationError):
            attempt()
    assert _counts() == before


# --- standalone leads -------------------------------------------------------------------------


def test_a_name_someone_gave_you_becomes_a_person_and_a_lead(alice, ada, frozen):
    lead = lead_record(
        owner=alice,
        referrer=ada,
        full_name="  Dana   Lee ",
        organisation="Initech",
        about="the data team",
        may_use_name=True,
    )
    dana = lead.referred
    assert (dana.full_name, dana.contact_list, dana.introduced_by) == ("Dana Lee", "C", ada)
    assert dana.organisation is not None and dana.organisation.name == "Initech"
    assert (lead.about, lead.organisation) == ("the data team", dana.organisation)
    permission = NamePermission.objects.get()
    assert (permission.person, permission.organisation) == (ada, dana.organisation)
    [step] = _open(alice)
    assert (step.kind, step.due_at) == (K.LEAD_CONTACT, NOW + dt.timedelta(days=3))


def test_a_lead_to_someone_you_know_adds_no_one(alice, ada, bart, frozen):
    people = Person.objects.count()
    lead = lead_record(owner=alice, referrer=ada, person=bart)
    assert lead.referred == bart and Person.objects.count() == people
    assert NamePermission.objects.count() == 0


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"full_name": "   "}, "person"),
        ({"full_name": "Ada Quill"}, "person"),
        ({"full_name": "Dana Lee", "contact_list": "A"}, "contact_list"),
        ({"full_name": "x" * 500}, "person"),
    ],
)
def test_a_bad_lead_writes_nothing(alice, ada, frozen, kwargs, field):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        lead_record(owner=alice, referrer=ada, **kwargs)
    assert field in exc.value.message_dict
    assert _counts() == before


def test_a_lead_needs_a_referrer_of_your_own(alice, charlie, make_person, frozen):
    stranger = make_person(charlie, "Stranger")
    before = _counts()
    with pytest.raises(ValidationError):
        lead_record(owner=alice, referrer=stranger, full_name="Dana Lee")
    with pytest.raises(ValidationError):
        lead_record(owner=alice, referrer=None, full_name="Dana Lee")
    assert _counts() == before


# --- settings -------------------------------------------------------------------------------


def test_lead_and_check_back_offsets_come_from_the_settings(alice, ada, bart, make_person, frozen):
    loop_settings_update(
        owner=alice,
        thank_you_hours=6,
        lead_contact_days=1,
        lead_meet_days=7,
        lead_tell_days=5,
        check_back_days=30,
    )
    lead_create(owner=alice, referrer=ada, referred=make_person(alice, "Dana Lee"))
    [step] = _open(alice)
    assert step.due_at == NOW + dt.timedelta(days=1)
    step = loop_advance(owner=alice, step=step)
    assert step is not None and step.due_at == NOW + dt.timedelta(days=7)
    step = loop_advance(owner=alice, step=step, to="met")
    assert step is not None and step.due_at == NOW + dt.timedelta(days=5)
    step = loop_advance(owner=alice, step=step)
    assert step is not None and step.due_at == NOW + dt.timedelta(hours=6)
    introduction = introduction_make(owner=alice, person_x=ada, person_y=bart, reason="Payments")
    introduction_advance(introduction=introduction, to="asked_x")
    introduction_advance(introduction=introduction, to="asked_y")
    step = introduction_advance(introduction=introduction)
    assert step is not None and step.due_at == NOW + dt.timedelta(days=30)


def test_the_defaults_follow_the_articles_advice(alice, db):
    settings = loop_settings_for(alice)
    assert (
        settings.thank_you_hours,
        settings.lead_contact_days,
        settings.lead_meet_days,
        settings.lead_tell_days,
        settings.check_back_days,
    ) == (24, 3, 14, 2, 14)


@pytest.mark.parametrize(
    "field, value",
    [
        ("thank_you_hours", 0),
        ("thank_you_hours", 169),
        ("lead_contact_days", 0),
        ("lead_meet_days", 91),
        ("lead_tell_days", -1),
        ("check_back_days", 91),
    ],
)
def test_settings_out_of_range_are_refused(alice, db, field, value):
    with pytest.raises(ValidationError) as exc:
        loop_settings_update(owner=alice, **{field: value})
    assert field in exc.value.message_dict
    assert not type(loop_settings_for(alice)).objects.filter(user=alice).exists()


def test_the_ledger_puts_whom_you_owe_most_first_in_the_database(alice, make_person, frozen):
    from circleback.loops.queries import favour_ledger, favour_ledger_rows

    owe_two, owe_one, even, ahead = (make_person(alice, n) for n in ("W", "X", "Y", "Z"))
    for person, given, received in ((owe_two, 0, 2), (owe_one, 1, 2), (even, 1, 1), (ahead, 2, 0)):
        for _ in range(given):
            favour_log(owner=alice, person=person, direction="given")
        for _ in range(received):
            favour_log(owner=alice, person=person, direction="received")
    assert [r["person_id"] for r in favour_ledger_rows(alice)[:4]] == [
        owe_two.pk,
        owe_one.pk,
        even.pk,
        ahead.pk,
    ]
    rows = favour_ledger(owner=alice, limit=2)
    assert [(r.person, r.balance.net) for r in rows] == [(owe_two, -2), (owe_one, -1)]


def test_a_past_meeting_awaiting_its_outcome_can_still_be_corrected(alice, meeting, frozen):
    frozen.move_to(TOMORROW + dt.timedelta(hours=3))
    meeting_update(owner=alice, meeting=meeting, location="Their office")
    meeting.refresh_from_db()
    assert (meeting.location, meeting.scheduled_for) == ("Their office", TOMORROW)
