"""After an interview, a thank-you to write: a draft to the interviewer, in the user's own
name, linked from Today's follow-up; another owner's is not found."""

from __future__ import annotations

import datetime as dt
from html import unescape
from typing import Any

from django.test import Client

from circleback.accounts.models import User
from circleback.jobs.models import FollowUp
from circleback.jobs.services import interview_schedule, opening_add


def _interviewed(owner: User, person: Any, notes: str = "") -> FollowUp:
    week_ago = dt.date.today() - dt.timedelta(days=7)
    opening = opening_add(
        owner=owner, title="Data Analyst", organisation="Hooli", found_on=week_ago
    )
    interview_schedule(
        application=opening.application,
        scheduled_for=dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
        interviewers=[person],
        notes=notes,
    )
    return FollowUp.objects.get(owner=owner, kind="thank_you")


def test_an_interview_offers_a_thank_you_to_the_interviewer(
    alice: User, dana: Any, alice_client: Client
) -> None:
    alice.first_name, alice.last_name = "Alice", "Marchetti"
    alice.save()
    thank = _interviewed(alice, dana, notes="Asked about SQL window functions")
    html = unescape(alice_client.get(f"/jobs/follow-ups/{thank.uuid}/thank-you/").content.decode())
    body = html.split('id="draft-body"')[1].split("</textarea>")[0]
    assert "Dear Dana," in body
    assert "speak with me yesterday about the Data Analyst role at Hooli" in body
    assert body.rstrip().endswith("With thanks,\nAlice Marchetti")
    assert "Your notes on the interview: Asked about SQL window functions" in html
    assert f'action="/jobs/follow-ups/{thank.uuid}/done/"' in html
    # Today's follow-up links to it, the day it falls due.
    today = alice_client.get("/today/").content.decode()
    assert f"/jobs/follow-ups/{thank.uuid}/thank-you/" in today


def test_only_ones_own_thank_you_has_a_draft(
    alice: User, charlie: User, make_person: Any, alice_client: Client
) -> None:
    theirs = _interviewed(charlie, make_person(charlie, "Sam Ortiz"))
    assert alice_client.get(f"/jobs/follow-ups/{theirs.uuid}/thank-you/").status_code == 404
    assert alice_client.get("/jobs/follow-ups/nope/thank-you/").status_code == 404
