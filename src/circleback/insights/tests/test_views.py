from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from circleback.insights.models import CadenceSettings, MonthlyGoals, Pitch, PitchPractice, Snooze
from circleback.insights.services import person_snooze, pitch_add
from circleback.insights.tests.conftest import at, contact
from circleback.journal.models import Interaction
from circleback.loops.models import Favour
from circleback.loops.services import (
    favours,
    meetings,
)

NOW = at(2026, 11, 20, 10)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ben(alice, added):
    person = added(alice, "Ben Career", at(2025, 1, 1), contact_list="B", closeness=3)
    contact(alice, person, NOW - dt.timedelta(days=90))
    return person


@pytest.fixture
def signed(client, alice):
    client.force_login(alice)
    return client


PAGES = ["insights:today", "insights:goals", "insights:health", "insights:pitch"]


@pytest.mark.parametrize("name", [*PAGES, "insights:keep_in_touch"])
def test_pages_need_a_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("name", [*PAGES, "insights:keep_in_touch"])
def test_empty_pages_give_the_articles_advice(signed, frozen, name):
    response = signed.get(reverse(name))
    assert response.status_code == 200
    assert "<main" in response.content.decode()


def test_today_shows_reconnects_with_one_click_actions(signed, ben, frozen):
    response = signed.get(reverse("insights:today"))
    html = response.content.decode()
    assert "Ben Career" in html
    assert "90 days since you were last in touch (every 60 days)" in html
    assert reverse("insights:reconnect", args=[ben.uuid]) in html
    assert reverse("insights:snooze", args=[ben.uuid]) in html
    assert 'value="2026-12-04"' in html  # the snooze date offered: two weeks on


def test_today_shows_loops_thank_yous_and_meetings(signed, alice, ben, added, frozen):
    ada = added(alice, "Ada Quill", at(2025, 1, 1))
    favours.favour_log(owner=alice, person=ada, direction=Favour.Direction.RECEIVED)
    meetings.meeting_schedule(owner=alice, person=ada, scheduled_for=at(2026, 11, 20, 15))
    html = signed.get(reverse("insights:today")).content.decode()
    assert "Thank-yous owed" in html and "Thank-you sent" in html
    assert "15:00 Meeting with Ada Quill" in html and "Read the prep brief" in html


def test_todays_query_count_is_bounded(signed, alice, added, frozen, django_assert_max_num_queries):
    for index in range(15):
        person = added(alice, f"Person {index}", at(2025, 1, 1), closeness=1 + index % 5)
        contact(alice, person, NOW - dt.timedelta(days=200 + index))
    with django_assert_max_num_queries(25):
        signed.get(reverse("insights:today"))


def test_logging_a_reconnect_resets_the_cadence(signed, alice, ben, frozen):
    response = signed.post(
        reverse("insights:reconnect", args=[ben.uuid]), {"next": reverse("insights:today")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("insights:today")
    ben.refresh_from_db()
    assert ben.last_contact_at == NOW
    html = signed.get(reverse("insights:today")).content.decode()
    assert "Logged: you reconnected with Ben Career." in html
    assert reverse("insights:reconnect", args=[ben.uuid]) not in html


def test_snooze_from_today_and_lift_it(signed, alice, ben, frozen):
    url = reverse("insights:snooze", args=[ben.uuid])
    signed.post(url, {"until": "2026-12-04"})
    assert Snooze.objects.get(person=ben).until == dt.date(2026, 12, 4)
    signed.post(url, {"off": "1"})
    assert not Snooze.objects.exists()


@pytest.mark.parametrize("until", ["", "tomorrow-ish", "2026-11-19", "2030-01-01"])
def test_a_bad_snooze_says_why_and_changes_nothing(signed, ben, frozen, until):
    response = signed.post(
        reverse("insights:snooze", args=[ben.uuid]), {"until": until}, follow=True
    )
    assert "Not snoozed" in response.content.decode()
    assert not Snooze.objects.exists()


def test_the_next_url_must_be_on_this_site(signed, ben, frozen):
    response = signed.post(
        reverse("insights:reconnect", args=[ben.uuid]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("insights:today")


def test_gets_are_refused_for_actions(signed, ben):
    assert signed.get(reverse("insights:reconnect", args=[ben.uuid])).status_code == 405
    assert signed.get(reverse("insights:snooze", args=[ben.uuid])).status_code == 405


def test_outsiders_get_404_and_change_nothing(client, charlie, ben, alice, frozen):
    pitch = pitch_add(owner=alice, text="Alice's pitch.")
    client.force_login(charlie)
    for name in ("insights:reconnect", "insights:snooze", "insights:cadence"):
        response = client.post(reverse(name, args=[ben.uuid]), {"until": "2026-12-01", "days": 3})
        assert response.status_code == 404
    response = client.post(reverse("insights:give"), {"person": [str(ben.uuid)], "summary": "x"})
    assert response.status_code == 404
    assert client.post(reverse("insights:pitch_practice", args=[pitch.uuid])).status_code == 404
    assert "Ben Career" not in client.get(reverse("insights:today")).content.decode()
    assert "Alice's pitch" not in client.get(reverse("insights:pitch")).content.decode()
    ben.refresh_from_db()
    assert ben.cadence_days is None and ben.last_contact_at == NOW - dt.timedelta(days=90)
    assert not Snooze.objects.exists() and not PitchPractice.objects.exists()


def test_set_a_persons_cadence_and_refuse_a_negative_one(signed, ben, frozen):
    url = reverse("insights:cadence", args=[ben.uuid])
    signed.post(url, {"days": "21"})
    ben.refresh_from_db()
    assert ben.cadence_days == 21
    response = signed.post(url, {"days": "-3"}, follow=True)
    assert "Cadence not changed" in response.content.decode()
    ben.refresh_from_db()
    assert ben.cadence_days == 21
    signed.post(url, {"days": ""})
    ben.refresh_from_db()
    assert ben.cadence_days is None


def test_a_give_is_logged_as_done(signed, alice, ben, added, frozen):
    ada = added(alice, "Ada Quill", at(2025, 1, 1))
    signed.post(
        reverse("insights:give"),
        {"person": [str(ben.uuid), str(ada.uuid)], "summary": "Introduce Ada Quill and Ben"},
    )
    logged = Interaction.objects.get(summary="Introduce Ada Quill and Ben")
    assert logged.direction == Interaction.Direction.OUTGOING


def test_goals_page_shows_progress_streaks_and_an_accessible_chart(signed, alice, added, frozen):
    added(alice, "New Nina", at(2026, 11, 2))
    html = signed.get(reverse("insights:goals")).content.decode()
    assert "1 of 4" in html
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    assert "New contacts per month against a target of 4" in html
    assert html.count('<tr><th scope="row">') == 12


def test_goals_are_saved_and_bad_ones_refused(signed, alice, frozen):
    signed.post(
        reverse("insights:goals"), {"new_contacts": "3", "meetings": "", "favours_given": ""}
    )
    row = MonthlyGoals.objects.get(owner=alice)
    assert (row.new_contacts, row.meetings) == (3, None)
    response = signed.post(reverse("insights:goals"), {"new_contacts": "-1"})
    assert response.status_code == 200 and "nothing was saved" in response.content.decode()
    row.refresh_from_db()
    assert row.new_contacts == 3


def test_health_page_shows_the_numbers(signed, alice, ben, frozen):
    html = signed.get(reverse("insights:health")).content.decode()
    assert "The “name 10 people” test" in html
    assert "<strong>1</strong> <span>of 10</span>" in html
    assert "List B — career: 1 (100%)" in html


def test_health_query_count_is_bounded(signed, alice, added, frozen, django_assert_max_num_queries):
    for index in range(15):
        person = added(alice, f"Person {index}", at(2025, 1, 1), closeness=1 + index % 5)
        contact(alice, person, NOW - dt.timedelta(days=20 + index))
    with django_assert_max_num_queries(30):
        signed.get(reverse("insights:health"))


def test_add_a_pitch_see_its_time_and_log_a_practice(signed, alice, make_person, frozen):
    sister = make_person(alice, "Amy Sister", contact_list="A", closeness=5)
    response = signed.post(
        reverse("insights:pitch"), {"text": " ".join(["word"] * 320), "label": "long"}, follow=True
    )
    html = response.content.decode()
    assert "Saved: 320 words, about 2:08 to say. That&#x27;s over two minutes" in html
    assert "Over two minutes." in html
    assert "List A first, where mistakes are cheap: Amy Sister, say." in html
    assert 'name="person"' in html and "data-person-picker" in html
    pitch = Pitch.objects.get()
    signed.post(
        reverse("insights:pitch_practice", args=[pitch.uuid]),
        {"person": "Amy Sister", "person_picked": str(sister.uuid), "notes": "shorter"},
    )
    assert PitchPractice.objects.get().person == sister


def test_a_practice_partner_is_typed_by_name_and_a_stranger_is_asked_at_the_field(
    signed, alice, make_person, frozen
):
    sister = make_person(alice, "Amy Sister", contact_list="A", closeness=5)
    pitch = pitch_add(owner=alice, text="I build payment systems.")
    url = reverse("insights:pitch_practice", args=[pitch.uuid])
    response = signed.post(url, {"person": "Nobody Known", "notes": "went well"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nobody in your network matches “Nobody Known”" in html
    assert 'aria-invalid="true"' in html and "autofocus" in html
    assert 'value="Nobody Known"' in html and "went well" in html
    assert not PitchPractice.objects.exists()
    signed.post(url, {"person": "amy sister", "notes": "went well"})  # no JavaScript: typed
    assert PitchPractice.objects.get().person == sister


def test_a_practice_partner_must_be_the_owners(signed, alice, charlie, make_person, frozen):
    stranger = make_person(charlie, "Carl Outsider", contact_list="A")
    pitch = pitch_add(owner=alice, text="I build payment systems.")
    url = reverse("insights:pitch_practice", args=[pitch.uuid])
    response = signed.post(url, {"person": "Carl", "person_picked": str(stranger.uuid)})
    assert response.status_code == 400
    assert not PitchPractice.objects.exists()


def test_an_empty_pitch_is_refused(signed, alice):
    response = signed.post(reverse("insights:pitch"), {"text": "  "})
    assert response.status_code == 200
    assert Pitch.objects.count() == 0


def test_keep_in_touch_settings_save_defaults_and_list_snoozes(signed, alice, ben, frozen):
    person_snooze(owner=alice, person=ben, until=dt.date(2026, 12, 24))
    html = signed.get(reverse("insights:keep_in_touch")).content.decode()
    assert "Ben Career" in html and "24 Dec 2026" in html
    signed.post(reverse("insights:keep_in_touch"), {"list_b_days": "45"})
    assert CadenceSettings.objects.get(owner=alice).list_b_days == 45
    response = signed.post(reverse("insights:keep_in_touch"), {"list_b_days": "0"})
    assert response.status_code == 200
    assert CadenceSettings.objects.get(owner=alice).list_b_days == 45


def _render(source, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load insights_tags %}" + source).render(
        Context({"request": request, **context})
    )


def test_the_agenda_summary_fragment(alice, ben, frozen):
    html = _render("{% agenda_summary %}", alice)
    assert "Ben Career" in html and reverse("insights:today") in html


def test_the_person_keep_in_touch_fragment(alice, charlie, ben, frozen):
    html = _render("{% person_keep_in_touch person %}", alice, person=ben)
    assert "Every <strong>60 days</strong>" in html
    assert "overdue by 30 days" in html
    assert reverse("insights:snooze", args=[ben.uuid]) in html
    assert _render("{% person_keep_in_touch person %}", charlie, person=ben).strip() == ""


def test_the_person_fragment_notes_drive_through_gently(alice, ben, frozen):
    for _ in range(3):
        favours.favour_log(owner=alice, person=ben, direction=Favour.Direction.RECEIVED)
    html = _render("{% person_keep_in_touch person %}", alice, person=ben)
    assert "Worth a call when you need nothing" in html
    assert "They&#x27;ve done you 3 favours" in html


def test_due_badges_for_a_list_of_people_in_two_queries(
    alice, charlie, ben, added, frozen, django_assert_num_queries
):
    fresh = added(alice, "Fay Fresh", at(2025, 1, 1), contact_list="B")
    contact(alice, fresh, NOW - dt.timedelta(days=3))
    sleepy = added(alice, "Sam Snoozed", at(2025, 1, 1), contact_list="B")
    person_snooze(owner=alice, person=sleepy, until=dt.date(2026, 12, 1))
    due = added(alice, "Dee Due", at(2025, 1, 1), contact_list="B")
    contact(alice, due, NOW - dt.timedelta(days=60))  # list B: every 60 days
    people = [ben, fresh, sleepy, due]
    for person in people:  # as a page loads them: the statuses are worked out from the rows
        person.refresh_from_db()
    source = (
        "{% keep_in_touch_statuses people as statuses %}"
        "{% for p in people %}[{{ p.full_name }}: {% due_badge statuses p %}]{% endfor %}"
    )
    with django_assert_num_queries(2):  # defaults, snoozes
        html = _render(source, alice, people=people)
    assert "[Ben Career: <span" in html and "overdue 30&nbsp;d" in html
    assert "[Fay Fresh: ]" in html.replace("\n", "")
    assert '<span class="badge" title="Snoozed until 1 Dec 2026">snoozed</span>' in html
    assert '[Dee Due: <span class="badge">due today</span>]' in html
    assert "overdue" not in _render(source, charlie, people=people)
