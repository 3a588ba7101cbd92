from __future__ import annotations

import datetime as dt

import pytest
from conftest import PASSWORD
from django.urls import reverse

from circleback.loops.models import Favour, Lead, LoopStep, Meeting, NamePermission
from circleback.loops.services.favours import favour_log
from circleback.loops.services.leads import lead_create
from circleback.loops.services.meetings import meeting_schedule
from circleback.loops.tests.conftest import NOW
from circleback.people.models import Person

TOMORROW = NOW + dt.timedelta(days=1)


@pytest.fixture
def alice_client(client, alice):
    client.login(username="alice", password=PASSWORD)
    return client


@pytest.fixture
def charlie_client(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    return client


@pytest.fixture
def meeting(alice, ada, bart, frozen):
    return meeting_schedule(
        owner=alice, person=ada, scheduled_for=TOMORROW, purposes=["advice"], referred_by=bart
    )


def test_every_page_needs_a_login(client, db):
    for name in ("meeting_list", "meeting_new", "loop_list", "favour_list", "draft"):
        response = client.get(reverse(f"loops:{name}"))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_pages_render_with_teaching_empty_states(alice_client, frozen):
    assert "never more" in alice_client.get(reverse("loops:meeting_list")).content.decode()
    assert "Loops open themselves" in alice_client.get(reverse("loops:loop_list")).content.decode()
    for name in ("favour_list", "introduction_list", "share_list", "permission_list", "draft"):
        assert alice_client.get(reverse(f"loops:{name}")).status_code == 200


def test_it_schedules_a_meeting_and_warns_about_long_ones(alice_client, alice, ada, frozen):
    response = alice_client.post(
        reverse("loops:meeting_new"),
        {
            "person": "Ada Quill",
            "scheduled_for": "2026-11-21T14:30",
            "duration_minutes": "60",
            "purposes": ["advice", "referrals"],
        },
        follow=True,
    )
    meeting = Meeting.objects.get()
    assert meeting.scheduled_for == dt.datetime(2026, 11, 21, 14, 30, tzinfo=dt.UTC)
    page = response.content.decode()
    assert "never requesting more than 30 minutes" in page
    assert "Prep brief: Ada Quill" in page


def test_a_meeting_in_the_past_is_refused_next_to_the_field(alice_client, ada, frozen):
    response = alice_client.post(
        reverse("loops:meeting_new"),
        {"person": "Ada Quill", "scheduled_for": "2026-11-01T09:00", "duration_minutes": "30"},
    )
    assert response.status_code == 200
    assert "already passed" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_an_unknown_person_is_a_form_error(alice_client, frozen):
    response = alice_client.post(
        reverse("loops:meeting_new"),
        {"person": "Nobody Known", "scheduled_for": "2026-11-21T09:00", "duration_minutes": "30"},
    )
    assert "No one in your network matches" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_the_prep_brief_shows_the_referrer_and_questions(alice_client, meeting, frozen):
    page = alice_client.get(reverse("loops:meeting_prep", args=[meeting.uuid])).content.decode()
    assert "Bart Nguyen referred you" in page
    assert "No pitch yet" in page
    assert "Seek advice and counsel" in page


def test_logging_an_outcome_with_two_referrals(alice_client, alice, meeting, frozen):
    response = alice_client.post(
        reverse("loops:meeting_log", args=[meeting.uuid]),
        {
            "learned": "Lots",
            "outcome": "Good",
            "next_steps": "Call Dana",
            "offered_kind": "information",
            "offered_note": "A report",
            "referral-TOTAL_FORMS": "2",
            "referral-INITIAL_FORMS": "0",
            "referral-MIN_NUM_FORMS": "0",
            "referral-MAX_NUM_FORMS": "20",
            "referral-0-full_name": "Dana Lee",
            "referral-0-organisation": "Hooli",
            "referral-0-contact_list": "C",
            "referral-0-may_use_name": "on",
            "referral-1-full_name": "Eli Moss",
            "referral-1-contact_list": "B",
        },
    )
    assert response.status_code == 302
    assert Lead.objects.count() == 2
    assert NamePermission.objects.count() == 1
    assert LoopStep.objects.filter(kind="thank_you", done_at__isnull=True).count() == 1
    assert Favour.objects.filter(direction="given").count() == 1
    # What they did for you, in words: the names, not "referred you to 2".
    received = Favour.objects.get(direction="received")
    assert received.note == "Met for 30 minutes and referred you to Dana Lee and Eli Moss."
    # The message says where the thank-you is, truthfully.
    page = alice_client.get(reverse("loops:loop_list")).content.decode()
    assert "Thank Ada Quill within a day: the thank-you is in your loops below" in page
    assert "Thank Ada Quill" in page.split("the thank-you is in your loops below")[1]


def test_a_bad_referral_keeps_what_was_typed_and_writes_nothing(alice_client, meeting, frozen):
    before = (Person.objects.count(), Lead.objects.count(), LoopStep.objects.count())
    response = alice_client.post(
        reverse("loops:meeting_log", args=[meeting.uuid]),
        {
            "learned": "Kept text",
            "referral-TOTAL_FORMS": "1",
            "referral-INITIAL_FORMS": "0",
            "referral-0-full_name": "Dana Lee",
            "referral-0-contact_list": "A",
        },
    )
    assert response.status_code == 200
    assert "Kept text" in response.content.decode()
    assert (Person.objects.count(), Lead.objects.count(), LoopStep.objects.count()) == before


def test_one_click_closes_a_step_and_out_of_order_is_explained(
    alice_client, alice, ada, make_person, frozen
):
    lead = lead_create(owner=alice, referrer=ada, referred=make_person(alice, "Dana Lee"))
    step = lead.steps.get()
    response = alice_client.post(
        reverse("loops:step_advance", args=[step.uuid]), {"to": "met"}, follow=True
    )
    assert "out of order" in response.content.decode()
    alice_client.post(reverse("loops:step_advance", args=[step.uuid]), {"to": "contacted"})
    lead.refresh_from_db()
    assert lead.state == "contacted"


def test_the_loops_page_highlights_overdue_steps(alice_client, alice, ada, frozen):
    favour_log(owner=alice, person=ada, direction="received")
    frozen.move_to(NOW + dt.timedelta(days=2))
    page = alice_client.get(reverse("loops:loop_list")).content.decode()
    assert "loop-step overdue" in page and "1 overdue" in page


def test_snoozing_from_the_web(alice_client, alice, ada, make_person, frozen):
    lead = lead_create(owner=alice, referrer=ada, referred=make_person(alice, "Dana Lee"))
    step = lead.steps.get()
    url = reverse("loops:step_snooze", args=[step.uuid])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(url, {"until": "2026-11-01"})
    assert "after today" in response.content.decode()
    alice_client.post(url, {"until": "2027-01-10"})
    step.refresh_from_db()
    assert step.snoozed_until == dt.date(2027, 1, 10)


def test_thank_you_sent_from_the_web_logs_the_journal(alice_client, alice, ada, frozen):
    favour_log(owner=alice, person=ada, direction="received")
    step = LoopStep.objects.get()
    alice_client.post(reverse("loops:step_advance", args=[step.uuid]), {"how": "card"})
    step.refresh_from_db()
    assert step.done_at == NOW


def test_favours_and_names_from_the_web(alice_client, alice, ada, bart, frozen):
    response = alice_client.post(
        reverse("loops:favour_list"),
        {
            "form": "favour",
            "favour-person": "",
            "favour-direction": "given",
            "favour-kind": "advice",
        },
    )
    assert response.status_code == 200 and Favour.objects.count() == 0
    alice_client.post(
        reverse("loops:favour_list"),
        {
            "form": "favour",
            "favour-person": "Ada Quill",
            "favour-direction": "received",
            "favour-kind": "advice",
        },
    )
    alice_client.post(
        reverse("loops:favour_list"),
        {"form": "name", "name-helped": "Bart Nguyen", "name-name": "Ada Quill"},
    )
    assert Favour.objects.count() == 2
    page = alice_client.get(reverse("loops:favour_list")).content.decode()
    assert "you owe 1" in page


def test_introductions_shares_permissions_and_drafts(alice_client, ada, bart, frozen):
    response = alice_client.post(
        reverse("loops:introduction_list"),
        {"person_x": "Ada Quill", "person_y": "Ada Quill", "reason": "x"},
    )
    assert "be introduced to themselves" in response.content.decode()
    alice_client.post(
        reverse("loops:introduction_list"),
        {"person_x": "Ada Quill", "person_y": "Bart Nguyen", "reason": "Payments"},
    )
    alice_client.post(
        reverse("loops:share_list"),
        {"title": "Fintech", "url": "https://example.org/f", "people": "Ada Quill\nBart Nguyen"},
    )
    page = alice_client.get(
        reverse("loops:draft"),
        {"person": "Ada Quill", "referrer": "Bart Nguyen", "kind": "invitation"},
    ).content.decode()
    assert "Dear Ada," in page and "hasn&#x27;t cleared the use of their name" in page
    alice_client.post(reverse("loops:permission_list"), {"person": "Bart Nguyen"})
    page = alice_client.get(
        reverse("loops:draft"),
        {"person": "Ada Quill", "referrer": "Bart Nguyen", "kind": "invitation"},
    ).content.decode()
    assert "cleared the use" not in page
    assert Favour.objects.filter(share__isnull=False).count() == 2


def test_outsiders_get_404(charlie_client, meeting, alice, ada, frozen):
    favour_log(owner=alice, person=ada, direction="received")
    step = LoopStep.objects.filter(kind="thank_you").get()
    permission = NamePermission.objects.create(owner=alice, person=ada, granted_on=NOW.date())
    for url in (
        reverse("loops:meeting_prep", args=[meeting.uuid]),
        reverse("loops:meeting_log", args=[meeting.uuid]),
        reverse("loops:step_snooze", args=[step.uuid]),
        reverse("loops:meeting_new") + f"?person={ada.uuid}",
    ):
        assert charlie_client.get(url).status_code == 404
    for url in (
        reverse("loops:step_advance", args=[step.uuid]),
        reverse("loops:meeting_cancel", args=[meeting.uuid]),
        reverse("loops:permission_revoke", args=[permission.uuid]),
    ):
        assert charlie_client.post(url).status_code == 404
    step.refresh_from_db()
    assert step.done_at is None
    # Charlie's own loops page shows nothing of Alice's.
    assert "Ada Quill" not in charlie_client.get(reverse("loops:loop_list")).content.decode()


def test_the_loops_page_makes_a_bounded_number_of_queries(
    alice_client, alice, make_person, django_assert_max_num_queries, frozen
):
    for i in range(15):
        favour_log(owner=alice, person=make_person(alice, f"Person {i}"), direction="received")
    with django_assert_max_num_queries(12):
        alice_client.get(reverse("loops:loop_list"))
    with django_assert_max_num_queries(14):
        alice_client.get(reverse("loops:favour_list"))


def test_the_prep_brief_names_the_referrer_once_and_no_stage_for_a_non_target(
    alice_client, alice, meeting, frozen
):
    from circleback.people.services.organisations import organisation_create

    meeting.person.organisation = organisation_create(
        owner=alice, name="Vandelay", industry="Software"
    )
    meeting.person.save()
    page = alice_client.get(reverse("loops:meeting_prep", args=[meeting.uuid])).content.decode()
    assert page.count("referred you") == 1
    assert "Vandelay: Software." in page
    assert "stage" not in page.lower().replace("stage-", "")
