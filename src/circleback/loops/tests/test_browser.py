"""The loop end to end in a real browser: schedule → prep → outcome → thanks → a lead closed."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from circleback.journal.models import Interaction
from circleback.loops.models import Lead, LoopStep

pytestmark = pytest.mark.browser


def test_a_meeting_from_scheduling_to_a_closed_referral_loop(signed_in, alice, make_person):
    page = signed_in
    make_person(alice, "Ada Quill", organisation="Hooli", title="VP Eng")
    make_person(alice, "Bart Nguyen")
    when = (timezone.localtime() + dt.timedelta(days=1)).replace(hour=10, minute=0)

    page.goto("/meetings/")
    page.get_by_role("link", name="Schedule a meeting").first.click()
    page.get_by_label("Whom you're meeting").fill("Ada Quill")
    page.get_by_label("When").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Obtain referrals").check()
    page.get_by_label("Who referred you").fill("Bart Nguyen")
    page.get_by_role("button", name="Schedule").click()

    page.wait_for_url("**/meetings/*/")
    expect(page.get_by_role("heading", name="Prep brief: Ada Quill")).to_be_visible()
    expect(page.get_by_text("Bart Nguyen referred you").first).to_be_visible()
    expect(page.get_by_text("No pitch yet")).to_be_visible()
    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("What you learned").fill("Hooli is building a data team")
    page.get_by_label("Name", exact=True).nth(0).fill("Dana Lee")
    page.get_by_label("Organisation", exact=True).nth(0).fill("Hooli")
    may_use = page.get_by_label("“May I use your name?” — they said yes").nth(0)
    may_use.check()
    box = may_use.bounding_box()  # a long label once squeezed the box to 8 px
    assert box is not None and box["width"] >= 16 and box["height"] >= 16
    page.get_by_label("Name", exact=True).nth(1).fill("Eli Moss")
    page.get_by_role("button", name="Add another referral").click()
    assert page.locator("fieldset.referral").count() == 3
    page.get_by_label("What did you offer in return?").select_option("information")
    page.get_by_role("button", name="Save the outcome").click()

    page.wait_for_url("**/loops/")
    expect(page.get_by_text("Thank Ada Quill", exact=True)).to_be_visible()
    expect(page.get_by_text("Contact Dana Lee")).to_be_visible()
    expect(page.get_by_text("Contact Eli Moss")).to_be_visible()
    thank_you = page.locator(".loop-step", has_text="Thank Ada Quill")
    thank_you.get_by_label("How you thanked Ada Quill").select_option("card")
    thank_you.get_by_role("button", name="Thank-you sent").click()
    page.wait_for_load_state()
    assert page.get_by_text("Thank Ada Quill", exact=True).count() == 0

    def close(title: str, label: str) -> None:
        step = page.locator(".loop-step", has_text=title)
        step.get_by_role("button", name=label).first.click()
        page.wait_for_load_state()

    close("Contact Dana Lee", "Contacted")
    # Each step captures what happened, beside its button, for the journal.
    meet = page.locator(".loop-step", has_text="Meet Dana Lee")
    meet.get_by_label("What you learned").fill("Hooli hires in spring; ask Dana's manager")
    close("Meet Dana Lee", "We met")
    expect(page.get_by_text("Thank Dana Lee within a day")).to_be_visible()
    tell = page.locator(".loop-step", has_text="Tell Ada Quill what came of Dana Lee")
    tell.get_by_label("What you told them").fill("That Dana was generous with her time")
    close("Tell Ada Quill what came of Dana Lee", "Told the referrer")
    for title in ("Thank Ada Quill for the referral to Dana Lee", "Thank Dana Lee"):
        thank = page.locator(".loop-step", has_text=title)
        thank.get_by_role("button", name="Thank-you sent").click()
        page.wait_for_load_state()
    assert page.locator(".loop-step", has_text="Dana Lee").count() == 0

    lead = Lead.objects.get(referred__full_name="Dana Lee")
    assert lead.state == "referrer_thanked"
    assert not LoopStep.objects.filter(lead=lead, done_at__isnull=True).exists()
    notes = dict(Interaction.objects.values_list("summary", "notes"))
    assert notes["Met Dana Lee (referred by Ada Quill)"] == (
        "Hooli hires in spring; ask Dana's manager"
    )
    assert notes["Told Ada Quill what came of Dana Lee"] == "That Dana was generous with her time"


def test_the_draft_copy_button_and_phone_width(phone_page, alice, make_person):
    from conftest import sign_in

    make_person(alice, "Ada Quill", organisation="Hooli")
    sign_in(phone_page, "alice")
    phone_page.goto("/drafts/outreach/")
    phone_page.get_by_label("To", exact=True).fill("Ada Quill")
    phone_page.get_by_role("button", name="Draft it").click()
    body = phone_page.get_by_label("Message")
    assert "Dear Ada," in body.input_value()
    expect(phone_page.get_by_role("button", name="Copy the message")).to_be_visible()
    for path in (
        "/drafts/outreach/",
        "/loops/",
        "/meetings/",
        "/favours/",
        "/loops/settings/",
        "/leads/new/",
    ):
        phone_page.goto(path)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways ({width}px)"


def test_editing_a_meeting_with_a_suggested_referrer(signed_in, alice, make_person):
    from circleback.loops.services.meetings import meeting_schedule
    from circleback.people.services.index import search_index_people

    page = signed_in
    ada = make_person(alice, "Ada Quill", organisation="Hooli")
    bart = make_person(alice, "Bart Nguyen", organisation="Initech")
    search_index_people(person_ids=[ada.pk, bart.pk])
    when = timezone.now() + dt.timedelta(days=2)
    meeting = meeting_schedule(owner=alice, person=ada, scheduled_for=when)
    zone = zoneinfo.ZoneInfo(alice.time_zone)
    later = (timezone.now().astimezone(zone) + dt.timedelta(days=5)).replace(
        hour=9, minute=15, second=0, microsecond=0
    )

    page.goto(f"/meetings/{meeting.uuid}/")
    page.get_by_role("link", name="Edit this meeting").click()
    page.wait_for_url("**/edit/")
    page.get_by_label("When").fill(later.strftime("%Y-%m-%dT%H:%M"))
    referrer = page.get_by_label("Who referred you")
    referrer.press_sequentially("Bar")
    # The suggestions come from the owner's network as they type.
    expect(page.get_by_role("option", name="Bart Nguyen")).to_be_visible()
    referrer.press("ArrowDown")
    referrer.press("Enter")
    expect(referrer).to_have_value("Bart Nguyen")
    page.get_by_role("button", name="Save").click()

    page.wait_for_url(f"**/meetings/{meeting.uuid}/")
    expect(page.get_by_text("Meeting with Ada Quill saved.")).to_be_visible()
    expect(page.get_by_text("Bart Nguyen referred you").first).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.scheduled_for == later
    step = LoopStep.objects.get(meeting=meeting)
    assert step.due_at == meeting.scheduled_for + dt.timedelta(minutes=30)

    # A time in the past is refused beside the field, with what was typed kept.
    page.get_by_role("link", name="Edit this meeting").click()
    page.get_by_label("Where or how").fill("Kept café")
    page.get_by_label("When").fill("2020-01-01T09:00")
    page.get_by_role("button", name="Save").click()
    # The form comes back at the same address: wait for the refusal, not for a new URL.
    expect(page.locator(".field.has-error", has_text="already passed")).to_be_visible()
    expect(page.get_by_label("Where or how")).to_have_value("Kept café")


def test_asking_for_an_introduction_along_a_path_opens_its_loop(signed_in, alice):
    from circleback.paths.graph import cache_clear
    from circleback.paths.tests.factories import network

    cache_clear()
    net = network(alice)
    page = signed_in

    page.goto("/paths/")
    page.get_by_role("link", name="Globex").click()
    page.wait_for_url("**/paths/org/*/")
    expect(page.get_by_role("heading", name="Ways in to Globex")).to_be_visible()
    page.get_by_role("link", name="Draft the introduction request to Maya Rosen").first.click()

    page.wait_for_url("**/paths/draft/?path=*")
    expect(page.get_by_role("heading", name="Ask Maya Rosen for an introduction")).to_be_visible()
    assert "Sam Okafor" in page.get_by_label("Message").input_value()
    # No permission to use Maya's name yet.
    expect(page.get_by_role("alert").first).to_be_visible()
    page.get_by_role("button", name="I've asked Maya Rosen — remind me to follow up").click()

    page.wait_for_url("**/loops/")
    expect(page.get_by_text("Loop opened: follow up with Maya Rosen")).to_be_visible()
    step = LoopStep.objects.get(owner=alice, kind=LoopStep.Kind.INTRO_REQUEST)
    assert (step.person, step.about, step.done_at) == (net.maya, net.sam, None)

    # The draft now says it was asked, rather than offering to open a second loop.
    page.go_back()
    page.reload()
    expect(page.get_by_role("heading", name="Already asked")).to_be_visible()
    assert (
        page.get_by_role("button", name="I've asked Maya Rosen — remind me to follow up").count()
        == 0
    )
    page.get_by_role("link", name="Follow it up on the loops page").click()

    page.wait_for_url("**/loops/")
    card = page.locator(".loop-step", has_text="Maya Rosen")
    card.get_by_role("button", name="They'll introduce you").click()
    page.wait_for_load_state()
    expect(page.locator(".loop-step", has_text="Contact Sam Okafor")).to_be_visible()
    lead = Lead.objects.get(owner=alice)
    assert (lead.referrer, lead.referred, lead.state) == (net.maya, net.sam, "received")
