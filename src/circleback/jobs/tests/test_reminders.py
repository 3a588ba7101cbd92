"""Job follow-ups and interviews reach the user where the rest does: the agenda, the email
digest and the calendar feed (read by a real iCalendar parser)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.test import Client

from circleback.insights.queries.agenda import agenda_for
from circleback.jobs.services import application_advance, interview_schedule, opening_add
from circleback.reminders.queries import digest_content
from circleback.reminders.services import calendar_token_reset

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def applied(alice: Any, dana: Any, frozen: Any) -> Any:
    """Applied 9 days ago, no answer (the chase is due), and an interview tomorrow."""
    cold = opening_add(
        owner=alice, title="Analyst", organisation="Hooli", found_on=dt.date(2026, 11, 1)
    ).application
    application_advance(application=cold, to="applied", on=dt.date(2026, 11, 11))
    other = opening_add(owner=alice, title="Engineer", organisation="Initrode").application
    application_advance(application=other, to="applied")
    interview_schedule(
        application=other,
        scheduled_for=NOW + dt.timedelta(days=1),
        interviewers=[dana],
        location="Video call",
    )
    return cold


def test_the_agenda_shows_the_chase_and_tomorrows_interview_with_its_prep(
    alice: Any, applied: Any
) -> None:
    agenda = agenda_for(alice, now=NOW)
    sections = {s.key: s for s in agenda.extra}
    [chase] = sections["job_follow_ups"].items
    assert chase.title == "Follow up on your application for Analyst at Hooli"
    assert chase.actions[0].label == "Followed up"
    [interview] = sections["job_interviews"].items
    assert interview.title.startswith("Tomorrow 10:00: video call for Engineer at Initrode")
    assert interview.url.endswith("/prep/")
    assert not agenda.is_empty


def test_the_digest_carries_the_job_sections(alice: Any, applied: Any) -> None:
    content = digest_content(alice, now=NOW)
    titles = {s.title: [line.text for line in s.lines] for s in content.sections}
    assert titles["Job search follow-ups"] == ["Follow up on your application for Analyst at Hooli"]
    assert "Interviews" in titles


def test_the_calendar_feed_has_the_interview_and_the_follow_ups(alice: Any, applied: Any) -> None:
    token = calendar_token_reset(owner=alice)
    page = Client().get(f"/calendar/{token}.ics")
    assert page.status_code == 200
    events = {
        str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(page.content).walk("VEVENT")
    }
    interview = events["Interview: Engineer at Initrode"]
    assert interview.decoded("DTSTART") == NOW + dt.timedelta(days=1)
    assert "Overdue: Follow up on your application for Analyst at Hooli" not in events
    assert "Due: Follow up on your application for Analyst at Hooli" in events
    assert "Due: Send Dana Hale a thank-you note for the interview (Engineer at Initrode)" in events
