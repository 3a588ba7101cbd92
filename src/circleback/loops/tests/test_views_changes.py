"""Web: editing and deleting meetings, favours and shares; standalone leads; standing offers;
loop settings; the people picker's JSON; pages of long lists."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PASSWORD
from django.urls import reverse
from django.utils import timezone

from circleback.loops.models import (
    Favour,
    Lead,
    LoopSettings,
    LoopStep,
    Meeting,
    NamePermission,
    Share,
    StandingOffer,
)
from circleback.loops.services.favours import favour_log, standing_offer_make
from circleback.loops.services.leads import lead_create
from circleback.loops.services.meetings import meeting_log_outcome, meeting_schedule
from circleback.loops.services.shares import share_log
from circleback.loops.tests.conftest import NOW
from circleback.loops.tests.test_services import _counts
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
def meeting(alice, ada, frozen):
    return meeting_schedule(owner=alice, person=ada, scheduled_for=TOMORROW, purposes=["advice"])


def _meeting_data(**changes):
    data = {
        "scheduled_for": "2026-11-24T15:00",
        "duration_minutes": "30",
        "location": "Café Nero",
        "purposes": ["advice", "referrals"],
        "referred_by": "",
        "prep_notes": "",
    }
    data.update(changes)
    return data


# --- meetings -------------------------------------------------------------------------------


def test_the_edit_form_shows_the_meeting_in_the_owners_time(alice_client, meeting, frozen):
    page = alice_client.get(reverse("loops:meeting_edit", args=[meeting.uuid])).content.decode()
    assert "Edit the meeting with Ada Quill" in page
    assert 'value="2026-11-21T10:00"' in page  # Europe/London in winter is UTC


def test_rescheduling_on_the_web_moves_the_step(alice_client, meeting, frozen):
    response = alice_client.post(
        reverse("loops:meeting_edit", args=[meeting.uuid]), _meeting_data(), follow=True
    )
    assert "Meeting with Ada Quill saved." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.scheduled_for == dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
    assert meeting.location == "Café Nero"
    step = LoopStep.objects.get(meeting=meeting)
    assert step.due_at == dt.datetime(2026, 11, 24, 15, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"scheduled_for": "2026-11-01T09:00"}, "already passed"),
        ({"scheduled_for": "not a date"}, "Enter a valid date/time"),
        ({"duration_minutes": "9999"}, "less than or equal to 240"),
        ({"purposes": ["a-job"]}, "Select a valid choice"),
        ({"referred_by": "Ada Quill"}, "refer you to themselves"),
        ({"referred_by": "<script>alert(1)</script>"}, "No one in your network matches"),
    ],
)
def test_a_bad_edit_keeps_the_input_and_changes_nothing(
    alice_client, meeting, frozen, changes, message
):
    before = Meeting.objects.values().get(pk=meeting.pk)
    response = alice_client.post(
        reverse("loops:meeting_edit", args=[meeting.uuid]),
        _meeting_data(location="Typed and kept", **changes),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page.replace("&#x27;", "'")
    assert "Typed and kept" in page and "<script>alert" not in page
    assert Meeting.objects.values().get(pk=meeting.pk) == before


def test_a_held_meeting_can_be_corrected_but_not_moved_ahead(alice_client, alice, ada, frozen):
    held = meeting_schedule(
        owner=alice, person=ada, scheduled_for=NOW - dt.timedelta(days=1), held=True
    )
    meeting_log_outcome(meeting=held, learned="Plenty")
    url = reverse("loops:meeting_edit", args=[held.uuid])
    response = alice_client.post(url, _meeting_data(scheduled_for="2026-11-25T10:00"))
    assert "can&#x27;t move into the future" in response.content.decode()
    alice_client.post(
        url, _meeting_data(scheduled_for="2026-11-18T10:00", learned="They mentor juniors")
    )
    held.refresh_from_db()
    assert held.scheduled_for.date() == dt.date(2026, 11, 18)
    assert held.learned == "They mentor juniors"
    # Its journal entry follows: the new time and what you learned.
    entry = held.interaction
    assert entry is not None and entry.occurred_at == held.scheduled_for
    assert "Learned: They mentor juniors" in entry.notes and "Plenty" not in entry.notes
    journal = alice_client.get(reverse("journal")).content.decode()
    assert "They mentor juniors" in journal


def test_deleting_a_meeting_with_a_lead_says_the_lead_goes_back(
    alice_client, alice, ada, make_person, frozen
):
    dana = make_person(alice, "Dana Lee")
    lead = lead_create(owner=alice, referrer=ada, referred=dana)
    meeting = meeting_schedule(owner=alice, person=dana, scheduled_for=NOW + dt.timedelta(days=1))
    url = reverse("loops:meeting_delete", args=[meeting.uuid])
    page = alice_client.get(url).content.decode()
    assert "Your lead with Dana Lee goes back to where it was before this meeting" in page
    alice_client.post(url)
    lead.refresh_from_db()
    assert lead.state == "received"
    assert LoopStep.objects.get(done_at__isnull=True).kind == LoopStep.Kind.LEAD_CONTACT


def test_deleting_a_meeting_asks_first(alice_client, meeting, frozen):
    url = reverse("loops:meeting_delete", args=[meeting.uuid])
    page = alice_client.get(url).content.decode()
    assert "Delete the meeting with Ada Quill on 21 Nov 2026, 10:00?" in page
    assert Meeting.objects.count() == 1
    response = alice_client.post(url)
    assert response.status_code == 302
    assert Meeting.objects.count() == 0 and LoopStep.objects.count() == 0


# --- favours, offers, shares --------------------------------------------------------------------


def test_editing_a_favour_on_the_web(alice_client, alice, ada, frozen):
    favour = favour_log(owner=alice, person=ada, direction="given", kind="advice")
    url = reverse("loops:favour_edit", args=[favour.uuid])
    assert "Edit a favour with Ada Quill" in alice_client.get(url).content.decode()
    alice_client.post(
        url,
        {
            "direction": "received",
            "kind": "endorsement",
            "note": "LinkedIn",
            "occurred_on": "2026-11-19",
        },
    )
    favour.refresh_from_db()
    assert (favour.direction, favour.kind, favour.occurred_on) == (
        "received",
        "endorsement",
        dt.date(2026, 11, 19),
    )
    assert LoopStep.objects.filter(favour=favour, kind="thank_you").exists()


def test_a_favour_in_the_future_is_refused_beside_the_field(alice_client, alice, ada, frozen):
    favour = favour_log(owner=alice, person=ada, direction="given", kind="advice")
    before = _counts()
    response = alice_client.post(
        reverse("loops:favour_edit", args=[favour.uuid]),
        {"direction": "given", "kind": "advice", "note": "Kept note", "occurred_on": "2027-01-01"},
    )
    page = response.content.decode()
    assert "can&#x27;t be in the future" in page and "Kept note" in page
    favour.refresh_from_db()
    assert favour.occurred_on == NOW.date() and favour.note == "" and _counts() == before


def test_deleting_a_favour_asks_first(alice_client, alice, ada, frozen):
    favour = favour_log(owner=alice, person=ada, direction="received", kind="advice")
    url = reverse("loops:favour_delete", args=[favour.uuid])
    assert "Delete the advice you received from Ada Quill" in alice_client.get(url).content.decode()
    assert Favour.objects.count() == 1
    alice_client.post(url)
    assert Favour.objects.count() == 0 and LoopStep.objects.count() == 0


def test_deleting_a_share_asks_first(alice_client, alice, ada, frozen):
    share = share_log(owner=alice, people=[ada], title="Fintech report")
    url = reverse("loops:share_delete", args=[share.uuid])
    assert "The journal entries stay" in alice_client.get(url).content.decode()
    alice_client.post(url)
    assert Share.objects.count() == 0 and Favour.objects.count() == 0


def test_a_standing_offer_is_marked_taken_up(alice_client, alice, ada, frozen):
    offer = standing_offer_make(owner=alice, person=ada, offer="Review her deck")
    assert "Taken up" in alice_client.get(reverse("loops:favour_list")).content.decode()
    alice_client.post(reverse("loops:offer_taken_up", args=[offer.uuid]))
    offer.refresh_from_db()
    assert offer.taken_up_on == NOW.date()
    page = alice_client.get(reverse("loops:favour_list")).content.decode()
    assert reverse("loops:offer_taken_up", args=[offer.uuid]) not in page


# --- leads ------------------------------------------------------------------------------------


def test_a_name_someone_gave_you_from_the_web(alice_client, alice, ada, frozen):
    url = reverse("loops:lead_new") + f"?referrer={ada.uuid}"
    assert 'value="Ada Quill"' in alice_client.get(url).content.decode()
    response = alice_client.post(
        url,
        {
            "referrer": "Ada Quill",
            "person": "Dana Lee",
            "organisation": "Initech",
            "about": "the data team",
            "contact_list": "C",
            "may_use_name": "on",
        },
        follow=True,
    )
    assert "Lead recorded: contact Dana Lee by Mon 23 Nov" in response.content.decode()
    lead = Lead.objects.get()
    assert lead.referred.introduced_by == ada and lead.about == "the data team"
    assert NamePermission.objects.filter(person=ada).count() == 1


def test_a_lead_to_someone_you_know_asks_then_uses_them(alice_client, alice, ada, bart, frozen):
    people = Person.objects.count()
    data = {"referrer": "Ada Quill", "person": "bart nguyen", "contact_list": "C"}
    asked = alice_client.post(reverse("loops:lead_new"), data).content.decode()
    assert "Is bart nguyen someone already in your network?" in asked
    assert f'value="{bart.uuid}"' in asked and not Lead.objects.exists()
    alice_client.post(reverse("loops:lead_new"), {**data, "choice": str(bart.uuid)})
    assert Lead.objects.get().referred == bart and Person.objects.count() == people


def test_a_lead_for_someone_on_their_page_needs_no_name(alice_client, alice, ada, bart, frozen):
    url = reverse("loops:lead_new") + f"?person={bart.uuid}"
    alice_client.post(url, {"referrer": "Ada Quill", "contact_list": "C"})
    assert Lead.objects.get().referred == bart


@pytest.mark.parametrize(
    "data, message",
    [
        ({"referrer": "", "person": "Dana Lee"}, "This field is required"),
        ({"referrer": "Nobody Here", "person": "Dana Lee"}, "No one in your network matches"),
        ({"referrer": "Ada Quill", "person": "Ada Quill"}, "refer you to themselves"),
        ({"referrer": "Ada Quill", "person": "Dana", "contact_list": "A"}, "valid choice"),
        ({"referrer": "Ada Quill", "person": "x" * 201}, "at most 200 characters"),
    ],
)
def test_a_bad_lead_keeps_the_input_and_writes_nothing(alice_client, ada, frozen, data, message):
    before = _counts()
    response = alice_client.post(
        reverse("loops:lead_new"),
        {"contact_list": "C", "about": "Kept text", **data},
    )
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200 and message in page and "Kept text" in page
    assert _counts() == before


def test_two_people_with_the_same_name_are_not_guessed(
    alice_client, alice, ada, make_person, frozen
):
    make_person(alice, "Sam Roe", organisation="Hooli")
    make_person(alice, "Sam Roe", organisation="Initech")
    before = _counts()
    response = alice_client.post(
        reverse("loops:lead_new"),
        {"referrer": "Ada Quill", "person": "Sam Roe", "contact_list": "C"},
    )
    page = response.content.decode()
    assert page.count("the same name") == 2 and "Hooli" in page and "Initech" in page
    assert _counts() == before


# --- settings ---------------------------------------------------------------------------------


def test_the_settings_page_is_linked_and_saves(alice_client, alice, frozen):
    assert (
        reverse("loops:loop_settings")
        in alice_client.get(reverse("loops:loop_list")).content.decode()
    )
    page = alice_client.get(reverse("loops:loop_settings")).content.decode()
    assert "close the loop" in page and 'value="24"' in page
    alice_client.post(
        reverse("loops:loop_settings"),
        {
            "thank_you_hours": "12",
            "lead_contact_days": "2",
            "lead_meet_days": "10",
            "lead_tell_days": "1",
            "check_back_days": "30",
        },
    )
    settings = LoopSettings.objects.get(user=alice)
    assert (settings.thank_you_hours, settings.check_back_days) == (12, 30)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("thank_you_hours", "169", "less than or equal to 168"),
        ("thank_you_hours", "0", "greater than or equal to 1"),
        ("lead_meet_days", "91", "less than or equal to 90"),
        ("check_back_days", "soon", "Enter a whole number"),
    ],
)
def test_settings_out_of_range_are_refused(alice_client, alice, frozen, field, value, message):
    data = {
        "thank_you_hours": "24",
        "lead_contact_days": "3",
        "lead_meet_days": "14",
        "lead_tell_days": "2",
        "check_back_days": "14",
        field: value,
    }
    response = alice_client.post(reverse("loops:loop_settings"), data)
    assert message in response.content.decode()
    assert not LoopSettings.objects.filter(user=alice).exists()


# --- people picker ----------------------------------------------------------------------------


def test_loop_forms_name_people_through_the_person_picker(alice_client, frozen):
    page = alice_client.get(reverse("loops:meeting_new")).content.decode()
    assert 'name="person" ' in page and "data-person-picker" in page
    assert 'name="person_picked"' in page and 'name="referred_by_picked"' in page
    assert reverse("people_suggest") in page


def test_a_person_chosen_in_the_picker_is_them_though_a_namesake_exists(
    alice_client, alice, make_person, frozen
):
    first = make_person(alice, "Sam Lee", organisation="Hooli")
    make_person(alice, "Sam Lee", organisation="Initech")
    response = alice_client.post(
        reverse("loops:favour_list"),
        {
            "form": "favour",
            "favour-person": "Sam Lee",
            "favour-person_picked": str(first.uuid),
            "favour-direction": "received",
            "favour-kind": "advice",
        },
    )
    assert response.status_code == 302
    assert Favour.objects.get(owner=alice).person == first


def test_a_namesake_typed_without_the_picker_is_asked_about(alice_client, alice, make_person):
    make_person(alice, "Sam Lee", organisation="Hooli")
    make_person(alice, "Sam Lee", organisation="Initech")
    response = alice_client.post(
        reverse("loops:favour_list"),
        {
            "form": "favour",
            "favour-person": "Sam Lee",
            "favour-direction": "received",
            "favour-kind": "advice",
        },
    )
    body = response.content.decode()
    assert "could be several people" in body and "Hooli" in body and "Initech" in body
    assert 'value="Sam Lee"' in body  # what was typed stays
    assert not Favour.objects.filter(owner=alice).exists()


# --- outsiders --------------------------------------------------------------------------------


def test_outsiders_get_404_for_every_change(charlie_client, alice, ada, meeting, frozen):
    favour = favour_log(owner=alice, person=ada, direction="received")
    share = share_log(owner=alice, people=[ada], title="Report")
    offer = standing_offer_make(owner=alice, person=ada, offer="Intros")
    before = _counts()
    for name, uuid in (
        ("meeting_edit", meeting.uuid),
        ("meeting_delete", meeting.uuid),
        ("favour_edit", favour.uuid),
        ("favour_delete", favour.uuid),
        ("share_delete", share.uuid),
    ):
        url = reverse(f"loops:{name}", args=[uuid])
        assert charlie_client.get(url).status_code == 404
        assert charlie_client.post(url, _meeting_data()).status_code == 404
    url = reverse("loops:offer_taken_up", args=[offer.uuid])
    assert charlie_client.post(url).status_code == 404
    assert charlie_client.get(reverse("loops:lead_new") + f"?person={ada.uuid}").status_code == 404
    assert (
        charlie_client.get(reverse("loops:lead_new") + f"?referrer={ada.uuid}").status_code == 404
    )
    assert _counts() == before
    assert StandingOffer.objects.get().taken_up_on is None


# --- pages of long lists ------------------------------------------------------------------------


def test_long_lists_come_in_pages_with_bounded_queries(
    alice_client, alice, make_person, django_assert_max_num_queries, frozen
):
    people = [make_person(alice, f"Person {i:03}") for i in range(60)]
    for person in people:
        favour_log(owner=alice, person=person, direction="received")
    share_log(owner=alice, people=people[:3], title="Report")
    for url in (
        reverse("loops:loop_list"),
        reverse("loops:favour_list"),
        reverse("loops:favour_list") + "?page=2&ledger=2",
        reverse("loops:meeting_list"),
        reverse("loops:share_list"),
        reverse("loops:introduction_list"),
        reverse("loops:permission_list"),
    ):
        with django_assert_max_num_queries(10):
            response = alice_client.get(url)
        assert response.status_code == 200
    page = alice_client.get(reverse("loops:loop_list")).content.decode()
    assert "60 open steps" in page and "Page 1 of 2" in page
    assert page.count('class="loop-step"') == 50
    second = alice_client.get(reverse("loops:loop_list") + "?page=2").content.decode()
    assert second.count('class="loop-step"') == 10
    ledger = alice_client.get(reverse("loops:favour_list") + "?ledger=2&page=1").content.decode()
    assert "ledger=2" in ledger and "page=2" in ledger  # the other pager keeps its place
    assert alice_client.get(reverse("loops:loop_list") + "?page=oops").status_code == 200


def test_editing_reads_and_writes_times_in_the_owners_zone(alice_client, alice, meeting, frozen):
    alice.time_zone = "America/New_York"
    alice.save(update_fields=["time_zone"])
    url = reverse("loops:meeting_edit", args=[meeting.uuid])
    assert 'value="2026-11-21T05:00"' in alice_client.get(url).content.decode()
    alice_client.post(url, _meeting_data(scheduled_for="2026-11-24T09:00"))
    timezone.deactivate()  # the request activated New York in this thread
    meeting.refresh_from_db()
    assert meeting.scheduled_for == dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)


def test_the_person_fragment_offers_taken_up_only_to_the_owner(rf, alice, charlie, ada, frozen):
    from django.middleware.csrf import get_token
    from django.template import RequestContext, Template

    standing_offer_make(owner=alice, person=ada, offer="Review her deck")
    template = Template("{% load loops_tags %}{% person_give_and_take person %}")
    for user, shown in ((alice, True), (charlie, False)):
        request = rf.get("/people/")
        request.user = user
        get_token(request)
        html = template.render(RequestContext(request, {"person": ada}))
        assert ("Review her deck" in html) is shown
        assert ("csrfmiddlewaretoken" in html) is shown
