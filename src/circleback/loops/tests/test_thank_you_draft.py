"""A thank-you to write when one is due: after a meeting recorded, a lead met, a favour
received, and for the referrer at a lead's end — signed with the account's real name."""

from __future__ import annotations

import datetime as dt
from html import unescape
from typing import Any

import pytest
from django.test import Client

from circleback.loops.models import LoopStep
from circleback.loops.services.favours import favour_log
from circleback.loops.services.leads import lead_create
from circleback.loops.services.loops import loop_advance
from circleback.loops.services.meetings import (
    ReferralInput,
    meeting_log_outcome,
    meeting_schedule,
)

pytestmark = pytest.mark.django_db
K = LoopStep.Kind


@pytest.fixture
def named(alice: Any) -> Any:
    alice.first_name, alice.last_name = "Alice", "Marchetti"
    alice.save()
    return alice


def _open(kind: str, person: Any) -> LoopStep:
    return LoopStep.objects.get(kind=kind, person=person, done_at=None)


def _page(client: Client, step: LoopStep) -> str:
    response = client.get(f"/loops/{step.uuid}/thank-you/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_a_recorded_meeting_offers_a_thank_you_in_the_users_own_name(
    frozen: Any, named: Any, ada: Any, alice_client: Client
) -> None:
    meeting = meeting_schedule(
        owner=named,
        person=ada,
        scheduled_for=dt.datetime(2026, 11, 17, 9, 0, tzinfo=dt.UTC),
        held=True,
    )
    meeting_log_outcome(
        meeting=meeting,
        learned="Hooli's data team hires in spring",
        next_steps="Read their engineering blog",
        referrals=[ReferralInput(full_name="Chloé Durand", organisation="Pied Piper")],
    )
    step = _open(K.THANK_YOU, ada)
    html = _page(alice_client, step)
    assert "Dear Ada," in html
    assert "Thank you for making the time to meet me on Tuesday." in html
    assert "Thank you too for suggesting I speak with Chloé Durand." in html
    assert html.count("Alice Marchetti") == 1 and "alice\n" not in html  # signed, not "alice"
    # What you noted is beside the draft for you to use, never pasted into it.
    assert "What you learned: Hooli's data team hires in spring" in html
    body = html.split('id="draft-body"')[1].split("</textarea>")[0]
    assert "spring" not in body and "[your name]" not in body
    # The loops page and Today both link to it.
    assert f"/loops/{step.uuid}/thank-you/" in alice_client.get("/loops/").content.decode()
    assert f"/loops/{step.uuid}/thank-you/" in alice_client.get("/today/").content.decode()


def test_a_lead_met_and_its_referrer_each_get_a_thank_you(
    frozen: Any, named: Any, ada: Any, bart: Any, alice_client: Client
) -> None:
    lead_create(owner=named, referrer=ada, referred=bart)
    loop_advance(owner=named, step=_open(K.LEAD_CONTACT, bart))
    loop_advance(owner=named, step=_open(K.LEAD_MEET, bart), to="met", note="Initech is hiring")
    html = _page(alice_client, _open(K.THANK_YOU, bart))
    assert "Dear Bart," in html and "meet me today" in html
    assert "I'm very glad Ada suggested we talk" in html
    assert "What you learned: Initech is hiring" in html

    loop_advance(owner=named, step=_open(K.LEAD_TELL, ada), note="We met; Initech is hiring")
    html = _page(alice_client, _open(K.LEAD_THANK, ada))
    assert "Dear Ada," in html and "Thank you for introducing me to Bart" in html
    assert "putting me in touch with Bart Nguyen" in html and "We met today" in html
    assert "What you told Ada: We met; Initech is hiring" in html
    assert "Alice Marchetti" in html


def test_a_favour_received_is_thanked_for_what_it_was(
    frozen: Any, named: Any, ada: Any, alice_client: Client
) -> None:
    favour_log(owner=named, person=ada, direction="received", kind="advice", note="CV review")
    html = _page(alice_client, _open(K.THANK_YOU, ada))
    assert "Thank you so much for your advice." in html
    assert "Your note about it: CV review" in html


def test_without_a_real_name_the_draft_asks_for_one(
    frozen: Any, alice: Any, ada: Any, alice_client: Client
) -> None:
    favour_log(owner=alice, person=ada, direction="received", kind="event")
    html = _page(alice_client, _open(K.THANK_YOU, ada))
    assert "[your name]" in html and "Add your name in Settings" in html
    assert "\nalice" not in html


def test_only_a_thank_you_of_ones_own_has_a_draft(
    frozen: Any, named: Any, ada: Any, bart: Any, alice_client: Client, charlie_client: Client
) -> None:
    favour_log(owner=named, person=ada, direction="received", kind="advice")
    step = _open(K.THANK_YOU, ada)
    assert charlie_client.get(f"/loops/{step.uuid}/thank-you/").status_code == 404
    lead_create(owner=named, referrer=ada, referred=bart)
    contact = _open(K.LEAD_CONTACT, bart)
    assert alice_client.get(f"/loops/{contact.uuid}/thank-you/").status_code == 404
    assert alice_client.get("/loops/not-a-uuid/thank-you/").status_code == 404


def test_a_we_met_thank_you_says_whose_lead_it_was_like_the_others(
    frozen: Any, named: Any, ada: Any, bart: Any, alice_client: Client
) -> None:
    """The meeting's and the favour's thank-yous carry a line saying what they're for; the
    one "We met" opens said nothing above its draft."""
    lead_create(owner=named, referrer=ada, referred=bart)
    loop_advance(owner=named, step=_open(K.LEAD_CONTACT, bart))
    loop_advance(owner=named, step=_open(K.LEAD_MEET, bart), to="met")
    step = _open(K.THANK_YOU, bart)
    html = _page(alice_client, step)
    detail = "For meeting you, at Ada Quill's suggestion — their time, information and advice."
    assert detail in html
    assert detail in unescape(alice_client.get("/loops/").content.decode())


def test_an_introductions_reason_reads_as_its_own_sentence(
    frozen: Any, named: Any, ada: Any, bart: Any, alice_client: Client
) -> None:
    from circleback.loops.services.introductions import introduction_make

    introduction_make(owner=named, person_x=ada, person_y=bart, reason="Both work on search")
    loop_advance(owner=named, step=_open(K.INTRO_ASK_X, ada), to="asked_x")
    page = unescape(alice_client.get("/loops/").content.decode())
    assert "Ada Quill said yes. Both work on search." in page
    assert "— Both" not in page
    loop_advance(owner=named, step=_open(K.INTRO_ASK_Y, bart), to="asked_y")
    page = unescape(alice_client.get("/loops/").content.decode())
    assert "Both said yes. Both work on search." in page
