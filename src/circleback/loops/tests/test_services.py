from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from circleback.journal.models import Interaction
from circleback.loops.models import (
    Favour,
    Introduction,
    Lead,
    LoopSettings,
    LoopStep,
    Meeting,
    NamePermission,
    Share,
    StandingOffer,
)
from circleback.loops.services.drafts import outreach_draft
from circleback.loops.services.favours import favour_log
from circleback.loops.services.introductions import (
    introduction_advance,
    introduction_make,
    name_give,
)
from circleback.loops.services.leads import lead_create
from circleback.loops.services.loops import (
    lead_advance,
    loop_advance,
    loop_snooze,
    thank_you_mark_sent,
)
from circleback.loops.services.meetings import (
    OfferInput,
    ReferralInput,
    meeting_cancel,
    meeting_log_outcome,
    meeting_schedule,
    meeting_warnings,
)
from circleback.loops.services.permissions import permission_grant, permission_revoke
from circleback.loops.services.settings import loop_settings_update
from circleback.loops.services.shares import share_log
from circleback.loops.tests.conftest import NOW
from circleback.operations.prep import meeting_prep
from circleback.people.models import Person

K = LoopStep.Kind
TOMORROW = NOW + dt.timedelta(days=1)


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (
            Meeting,
            Lead,
            Favour,
            LoopStep,
            Introduction,
            Share,
            NamePermission,
            StandingOffer,
            Interaction,
            Person,
        )
    )


def _open(owner, kind=None):
    steps = LoopStep.objects.filter(owner=owner, done_at__isnull=True)
    if kind:
        steps = steps.filter(kind=kind)
    return list(steps.order_by("pk"))


# --- meetings -----------------------------------------------------------------------------


def test_it_schedules_a_meeting_with_a_step_to_record_its_outcome(alice, ada, bart, frozen):
    meeting = meeting_schedule(
        owner=alice,
        person=ada,
        scheduled_for=TOMORROW,
        purposes=["referrals", "advice", "advice"],
        referred_by=bart,
        location="Café Nero",
    )
    assert meeting.duration_minutes == 30
    assert meeting.purposes == ["advice", "referrals"]
    [step] = _open(alice)
    assert step.kind == K.MEETING_LOG
    assert step.due_at == TOMORROW + dt.timedelta(minutes=30)
    # The referrer is a reminder in the prep brief, once; not a warning beside it.
    assert meeting_warnings(meeting) == []
    assert meeting_prep(meeting=meeting).reminders[0].startswith("Bart Nguyen referred you")


def test_it_warns_but_allows_a_meeting_longer_than_thirty_minutes(alice, ada, frozen):
    meeting = meeting_schedule(owner=alice, person=ada, scheduled_for=TOMORROW, duration_minutes=60)
    assert meeting.duration_minutes == 60
    assert "never requesting more than 30 minutes" in meeting_warnings(meeting)[0]


def test_it_refuses_an_upcoming_meeting_in_the_past(alice, ada, frozen):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        meeting_schedule(owner=alice, person=ada, scheduled_for=NOW - dt.timedelta(hours=1))
    assert "already passed" in exc.value.message_dict["scheduled_for"][0]
    assert _counts() == before


def test_it_records_a_meeting_already_held(alice, ada, frozen):
    meeting = meeting_schedule(
        owner=alice, person=ada, scheduled_for=NOW - dt.timedelta(hours=1), held=True
    )
    assert meeting.status == Meeting.Status.SCHEDULED  # until its outcome is recorded
    assert _open(alice)[0].due_at < NOW


def test_it_refuses_a_job_hunt_as_a_purpose(alice, ada, frozen):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        meeting_schedule(owner=alice, person=ada, scheduled_for=TOMORROW, purposes=["job"])
    assert "Asking for a job is never one" in exc.value.message_dict["purposes"][0]
    assert _counts() == before


def test_it_refuses_someone_elses_person(alice, charlie, make_person, frozen):
    theirs = make_person(charlie, "Zed Outsider")
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        meeting_schedule(owner=alice, person=theirs, scheduled_for=TOMORROW)
    assert exc.value.message_dict["person"] == ["That person is not in your network."]
    with pytest.raises(ValidationError):
        favour_log(owner=alice, person=theirs, direction="given")
    assert _counts() == before


def test_it_logs_an_outcome_with_referrals_leads_permission_favours_and_a_thank_you(
    alice, ada, frozen
):
    meeting = meeting_schedule(owner=alice, person=ada, scheduled_for=TOMORROW)
    frozen.move_to(TOMORROW + dt.timedelta(hours=1))
    result = meeting_log_outcome(
        meeting=meeting,
        learned="Hooli is reorganising data",
        outcome="Worth pursuing",
        next_steps="Call Dana",
        referrals=[
            ReferralInput(
                full_name="Dana Lee", organisation="Hooli", about="data team", may_use_name=True
            ),
            ReferralInput(full_name="Eli Moss", contact_list="B"),
        ],
        offered=OfferInput(kind="information", note="Send the fintech report", standing=True),
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    interaction = meeting.interaction
    assert interaction.kind == Interaction.Kind.MEETING
    assert interaction.occurred_at == TOMORROW
    assert list(interaction.people.values_list("full_name", flat=True)) == ["Ada Quill"]
    assert "Dana Lee (Hooli)" in interaction.notes
    dana, eli = result.referrals
    assert dana.introduced_by == ada and dana.contact_list == "C" and dana.source == "referral"
    assert eli.contact_list == "B"
    assert [lead.referred for lead in result.leads] == [dana, eli]
    permission = NamePermission.objects.get()
    assert (permission.person, permission.organisation) == (ada, dana.organisation)
    assert Favour.objects.filter(person=ada, direction="received", kind="referral").count() == 1
    assert Favour.objects.filter(person=ada, direction="given", kind="information").count() == 1
    assert StandingOffer.objects.get().offer == "Send the fintech report"
    thank_you = result.thank_you
    assert thank_you.kind == K.THANK_YOU
    assert thank_you.due_at == TOMORROW + dt.timedelta(hours=25)
    assert {s.kind for s in _open(alice)} == {K.THANK_YOU, K.LEAD_CONTACT}
    assert LoopStep.objects.get(kind=K.MEETING_LOG).resolution == "held"


def test_the_thank_you_window_is_configurable(alice, ada, frozen):
    loop_settings_update(owner=alice, thank_you_hours=4)
    favour_log(owner=alice, person=ada, direction="received", kind="advice")
    assert _open(alice)[0].due_at == NOW + dt.timedelta(hours=4)
    with pytest.raises(ValidationError):
        loop_settings_update(owner=alice, thank_you_hours=0)
    assert LoopSettings.objects.get(user=alice).thank_you_hours == 4


def test_a_bad_referral_leaves_everything_as_it_was(alice, ada, frozen):
    meeting = meeting_schedule(owner=alice, person=ada, scheduled_for=TOMORROW)
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        meeting_log_outcome(
            meeting=meeting,
            referrals=[
                ReferralInput(full_name="Dana Lee"),
                ReferralInput(full_name="Eli Moss", email="not-an-email"),
            ],
        )
    assert "Referral 2 (Eli Moss)" in exc.value.message_dict["referrals"][0]
    assert _counts() == before
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_it_refuses_to_log_a_cancelled_or_already_logged_meeting(alice, ada, frozen):
    meeting = meeting_schedule(owner=alice, person=ada, scheduled_for=TOMORROW)
    meeting_cancel(meeting=meeting)
    assert _open(alice) == []
    with pytest.raises(ValidationError, match="cancelled"):
        meeting_log_outcome(meeting=meeting)


def test_the_prep_brief_gathers_what_to_read_beforehand(alice, ada, bart, frozen):
    meeting = meeting_schedule(
        owner=alice,
        person=ada,
        scheduled_for=TOMORROW,
        purposes=["industry", "referrals"],
        referred_by=bart,
    )
    favour_log(owner=alice, person=ada, direction="received", kind="advice")
    brief = meeting_prep(meeting=meeting)
    assert brief.referred_by == bart
    assert brief.reminders[0].startswith("Bart Nguyen referred you")
    assert brief.organisation.name == "Hooli"
    assert not brief.has_pitch and brief.pitch.startswith("No pitch yet")
    labels = [label for label, _ in brief.questions]
    assert labels == ["Gather industry information", "Obtain referrals", "Give back"]
    all_questions = " ".join(q for _, qs in brief.questions for q in qs).lower()
    assert "job" not in all_questions
    assert brief.interests == ["fintech"]
    assert brief.balance.received == 1
    assert any("return one" in r for r in brief.reminders)


# --- loops --------------------------------------------------------------------------------


def test_the_prep_brief_shows_the_newest_version_of_the_pitch(alice, ada, frozen):
    from circleback.insights.services import pitch_add

    pitch_add(owner=alice, text="I build payment systems that don't fall over.", label="v2")
    pitch_add(
        owner=alice,
        text="An older draft, entered later.",
        created_at=NOW - dt.timedelta(days=30),
    )
    meeting = meeting_schedule(owner=alice, person=ada, scheduled_for=TOMORROW)
    brief = meeting_prep(meeting=meeting)
    assert brief.has_pitch
    assert brief.pitch == "I build payment systems that don't fall over."


def test_a_lead_runs_its_loop_to_the_end_with_due_dates(alice, ada, make_person, frozen):
    dana = make_person(alice, "Dana Lee")
    lead = lead_create(owner=alice, referrer=ada, referred=dana, about="data team")
    [step] = _open(alice)
    assert (step.kind, step.person, step.due_at) == (K.LEAD_CONTACT, dana, NOW + dt.timedelta(3))
    step = loop_advance(owner=alice, step=step)
    assert (step.kind, step.due_at) == (K.LEAD_MEET, NOW + dt.timedelta(days=14))
    step = loop_advance(owner=alice, step=step, to="declined")
    assert (step.kind, step.person, step.about) == (K.LEAD_TELL, ada, dana)
    assert step.due_at == NOW + dt.timedelta(days=2)
    step = loop_advance(owner=alice, step=step)
    assert (step.kind, step.due_at) == (K.LEAD_THANK, NOW + dt.timedelta(days=1))
    assert loop_advance(owner=alice, step=step) is None
    lead.refresh_from_db()
    assert lead.state == "referrer_thanked"
    assert lead.declined_on == lead.referrer_told_on == dt.date(2026, 11, 20)
    assert _open(alice) == []
    summaries = set(Interaction.objects.values_list("summary", flat=True))
    assert "Told Ada Quill what came of Dana Lee" in summaries


def test_a_step_out_of_order_names_the_expected_step(alice, ada, make_person, frozen):
    lead = lead_create(owner=alice, referrer=ada, referred=make_person(alice, "Dana Lee"))
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        lead_advance(lead=lead, to="referrer_told")
    message = exc.value.message_dict["to"][0]
    assert "out of order" in message and "contact the lead with Dana Lee" in message
    assert "contacted" in message
    with pytest.raises(ValidationError, match="not a way"):
        lead_advance(lead=lead, to="banana")
    assert _counts() == before


def test_a_branching_step_asks_how_it_went(alice, ada, make_person, frozen):
    lead = lead_create(owner=alice, referrer=ada, referred=make_person(alice, "Dana Lee"))
    lead_advance(lead=lead, to="contacted")
    with pytest.raises(ValidationError, match="met or declined"):
        loop_advance(owner=alice, step=_open(alice)[0])


def test_we_met_records_the_meeting_and_opens_a_thank_you(alice, ada, make_person, frozen):
    dana = make_person(alice, "Dana Lee")
    lead = lead_create(owner=alice, referrer=ada, referred=dana)
    lead_advance(lead=lead, to="contacted")
    loop_advance(owner=alice, step=_open(alice)[0], to="met", note="They hire in spring")
    entry = Interaction.objects.get(summary="Met Dana Lee (referred by Ada Quill)")
    assert (entry.kind, entry.notes) == ("meeting", "They hire in spring")
    assert list(entry.people.all()) == [dana]
    assert {(s.kind, s.person.full_name) for s in _open(alice)} == {
        (K.LEAD_TELL, "Ada Quill"),
        (K.THANK_YOU, "Dana Lee"),
    }
    # Thanking Dana leaves the lead where it was: the thank-you is a loop of its own.
    thank_you_mark_sent(owner=alice, step=_open(alice, K.THANK_YOU)[0], how="email")
    lead.refresh_from_db()
    assert lead.state == "met"


def test_telling_the_referrer_keeps_what_you_told_them(alice, ada, make_person, frozen):
    lead = lead_create(owner=alice, referrer=ada, referred=make_person(alice, "Dana Lee"))
    for to in ("contacted", "declined"):
        lead_advance(lead=lead, to=to)
    loop_advance(owner=alice, step=_open(alice)[0], note="Dana is away until March")
    entry = Interaction.objects.get(summary="Told Ada Quill what came of Dana Lee")
    assert entry.notes == "Dana is away until March"
    assert Interaction.objects.filter(summary="Dana Lee declined to meet (referred by Ada Quill)")


def test_scheduling_and_holding_a_meeting_with_a_lead_closes_its_steps(
    alice, ada, make_person, frozen
):
    dana = make_person(alice, "Dana Lee")
    lead = lead_create(owner=alice, referrer=ada, referred=dana)
    meeting = meeting_schedule(owner=alice, person=dana, scheduled_for=TOMORROW)
    lead.refresh_from_db()
    assert lead.state == "contacted"
    frozen.move_to(TOMORROW + dt.timedelta(hours=1))
    meeting_log_outcome(meeting=meeting)
    lead.refresh_from_db()
    assert lead.state == "met"
    assert {(s.kind, s.person.full_name) for s in _open(alice)} == {
        (K.LEAD_TELL, "Ada Quill"),
        (K.THANK_YOU, "Dana Lee"),
    }


def test_snoozing_waits_until_the_day_in_the_users_time_zone(alice, ada, make_person, frozen):
    lead = lead_create(owner=alice, referrer=ada, referred=make_person(alice, "Dana Lee"))
    step = lead_advance(lead=lead, to="contacted")
    loop_snooze(owner=alice, step=step, until=dt.date(2027, 1, 15), note="Busy until January")
    step.refresh_from_db()
    assert step.snoozed_until == dt.date(2027, 1, 15)
    assert step.due_at == dt.datetime(2027, 1, 15, tzinfo=dt.UTC)  # London is on GMT then
    with pytest.raises(ValidationError, match="after today"):
        loop_snooze(owner=alice, step=step, until=dt.date(2026, 11, 20))


def test_marking_a_thank_you_sent_logs_it_in_the_journal(alice, ada, frozen):
    favour_log(owner=alice, person=ada, direction="received", kind="endorsement")
    [step] = _open(alice)
    thank_you_mark_sent(owner=alice, step=step, how="card")
    entry = Interaction.objects.get()
    assert (entry.kind, entry.summary) == ("card", "Thanked Ada Quill")
    ada.refresh_from_db()
    assert ada.last_contact_at == NOW
    assert _open(alice) == []
    with pytest.raises(ValidationError, match="already done"):
        thank_you_mark_sent(owner=alice, step=step)


def test_an_outsider_cannot_advance_someone_elses_step(alice, charlie, ada, frozen):
    favour_log(owner=alice, person=ada, direction="received")
    [step] = _open(alice)
    with pytest.raises(ValidationError):
        loop_advance(owner=charlie, step=step)
    with pytest.raises(ValidationError):
        loop_snooze(owner=charlie, step=step, until=dt.date(2027, 1, 1))
    assert step.done_at is None


# --- favours, names, introductions, shares, permissions -------------------------------------


def test_a_favour_needs_a_person(alice, frozen):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        favour_log(owner=alice, person=None, direction="given", kind="advice")
    assert "say who" in exc.value.message_dict["person"][0]
    with pytest.raises(ValidationError):
        favour_log(owner=alice, person=None, direction="given", kind="bribe")
    assert _counts() == before


def test_a_favour_given_opens_no_thank_you(alice, ada, frozen):
    favour_log(owner=alice, person=ada, direction="given", kind="information")
    assert _open(alice) == []


def test_giving_a_name_opens_two_tasks(alice, ada, bart, frozen):
    name_give(owner=alice, helped=bart, name=ada)
    steps = {s.kind: s for s in _open(alice)}
    assert steps[K.NAME_EXPECT_CALL].person == ada
    assert steps[K.NAME_EXPECT_CALL].due_at == NOW + dt.timedelta(days=1)
    assert steps[K.NAME_CHECK_BACK].person == bart
    assert steps[K.NAME_CHECK_BACK].due_at == NOW + dt.timedelta(days=14)
    assert Favour.objects.get().name_given == ada


def test_an_introduction_asks_both_then_checks_back(alice, ada, bart, frozen):
    introduction = introduction_make(
        owner=alice, person_x=ada, person_y=bart, reason="Both building payment teams"
    )
    assert _open(alice)[0].due_at == NOW + dt.timedelta(days=2)
    introduction_advance(introduction=introduction, to="asked_x")
    step = _open(alice)[0]
    assert (step.kind, step.person) == (K.INTRO_ASK_Y, bart)
    introduction_advance(introduction=introduction, to="asked_y")
    step = introduction_advance(introduction=introduction)
    assert (step.kind, step.due_at) == (K.INTRO_CHECK_BACK, NOW + dt.timedelta(days=14))
    introduction.refresh_from_db()
    assert introduction.state == "introduced"
    assert Favour.objects.filter(kind="introduction", direction="given").count() == 2
    entry = Interaction.objects.get(summary="Introduced Ada Quill and Bart Nguyen")
    assert set(entry.people.values_list("full_name", flat=True)) == {"Ada Quill", "Bart Nguyen"}
    introduction_advance(introduction=introduction, note="They're meeting next week")
    introduction.refresh_from_db()
    assert introduction.outcome == "They're meeting next week"


def test_a_person_cannot_be_introduced_to_themselves(alice, ada, frozen):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        introduction_make(owner=alice, person_x=ada, person_y=ada, reason="x")
    assert "can't be introduced to themselves" in exc.value.message_dict["person_y"][0]
    assert _counts() == before


def test_a_share_logs_a_favour_and_a_journal_entry_with_each(alice, ada, bart, frozen):
    share = share_log(
        owner=alice,
        people=[ada, bart, ada],
        title="The state of fintech",
        url="https://example.org/fintech",
        topics="fintech, payments, fintech",
    )
    assert share.topic_list() == ["fintech", "payments"]
    assert Favour.objects.filter(share=share, direction="given").count() == 2
    assert Interaction.objects.filter(summary__startswith="Shared the article").count() == 2
    before = _counts()
    with pytest.raises(ValidationError):
        share_log(owner=alice, people=[], title="Nothing")
    assert _counts() == before


def test_permissions_are_granted_once_and_revoked(alice, ada, frozen):
    first = permission_grant(owner=alice, person=ada, organisation="Hooli")
    assert permission_grant(owner=alice, person=ada, organisation="hooli inc") == first
    permission_revoke(owner=alice, permission=first)
    first.refresh_from_db()
    assert first.revoked_on == dt.date(2026, 11, 20)


# --- outreach drafts -------------------------------------------------------------------------


def test_an_invitation_is_personal_and_never_asks_for_a_job(alice, ada, bart, frozen):
    draft = outreach_draft(owner=alice, person=ada, referrer=bart, purposes=["advice"])
    assert draft.body.startswith("Dear Ada,")
    assert "Bart Nguyen suggested I get in touch" in draft.body
    assert "30 minutes" in draft.body
    assert "job" not in draft.body.lower()
    assert "at Hooli" in draft.body
    [warning] = draft.warnings
    assert "hasn't cleared the use of their name with Hooli" in warning


def test_a_draft_with_permission_has_no_warning(alice, ada, bart, frozen):
    permission_grant(owner=alice, person=bart, organisation=None)
    assert outreach_draft(owner=alice, person=ada, referrer=bart).warnings == ()


def test_an_introduction_request_names_whom_and_why(alice, ada, frozen):
    draft = outreach_draft(owner=alice, person=ada, kind="introduction", about="Initech")
    assert "introduce me to someone at Initech" in draft.body
    assert "not asking you to pass on my CV" in draft.body
    with pytest.raises(ValidationError):
        outreach_draft(owner=alice, person=ada, kind="introduction")


def test_time_zone_of_due_dates_follows_the_clock(alice, ada):
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        favour_log(owner=alice, person=ada, direction="received")
    assert _open(alice)[0].due_at == dt.datetime(2026, 6, 2, 12, tzinfo=dt.UTC)
