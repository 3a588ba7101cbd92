"""One opening in a real browser, from found to offer: the network shown first, an
introduction asked for and agreed, the referral recorded, the follow-up falling due on the
agenda, the referral loop on the loops page, and referral against cold on what worked."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from circleback.accounts.queries import user_today
from circleback.jobs.models import Opening
from circleback.jobs.services import application_advance, opening_add
from circleback.people.services.ties import tie_set

pytestmark = pytest.mark.browser


def test_an_opening_from_found_to_offer_through_a_referral(
    signed_in: Any, alice: Any, make_person: Any
) -> None:
    page = signed_in
    ada = make_person(alice, "Ada Quill", organisation="Initech", closeness=4)
    dana = make_person(
        alice, "Dana Hale", organisation="Hooli", title="Head of Data", is_decision_maker=True
    )
    tie_set(owner=alice, person=ada, other=dana, kind="former_colleague", strength=4)
    today = user_today(alice)
    cold = opening_add(
        owner=alice,
        title="Analyst",
        organisation="Initrode",
        found_on=today - dt.timedelta(days=20),
    ).application
    application_advance(application=cold, to="applied", on=today - dt.timedelta(days=19))
    application_advance(application=cold, to="rejected", on=today - dt.timedelta(days=5))

    page.goto("/jobs/")
    page.get_by_role("link", name="Add an opening").first.click()
    page.get_by_label("Role").fill("Data Analyst")
    page.get_by_label("Organisation").fill("Hooli")
    page.get_by_label("Link to the posting").fill("https://jobs.example.org/hooli-41")
    page.get_by_label("Found on").fill(str(today - dt.timedelta(days=12)))
    page.get_by_role("button", name="Add it").click()

    # The network first: who you know there, and the way in through Ada.
    page.wait_for_url("**/jobs/*/")
    expect(
        page.get_by_role("heading", name="The network first: who you know at Hooli")
    ).to_be_visible()
    expect(page.get_by_text("You → Ada Quill")).to_be_visible()
    page.get_by_role("button", name="I've asked Ada Quill to introduce me to Dana Hale").click()
    expect(page.get_by_text("Noted: you asked Ada Quill")).to_be_visible()
    opening_url = page.url

    # Ada agrees (on the loops page), and referred you: record her as the referrer.
    page.goto("/loops/")
    step = page.locator(".loop-step", has_text="introduce you to Dana Hale")
    step.get_by_role("button", name="They'll introduce you").click()
    page.wait_for_load_state()
    page.goto(opening_url)
    page.get_by_text("Add someone").click()
    page.get_by_label("Who", exact=True).fill("Ada Quill")
    page.get_by_label("Their part").select_option("referrer")
    page.get_by_role("button", name="Add them").click()
    expect(page.get_by_text("Referral — Ada Quill")).to_be_visible()

    # Applied eight days ago with no answer: the follow-up falls due on today's agenda.
    page.get_by_label("Move to").select_option("applied")
    page.get_by_label("On", exact=True).fill(str(today - dt.timedelta(days=8)))
    page.get_by_role("button", name="Move it").click()
    expect(page.get_by_text("Moved to applied.")).to_be_visible()
    page.goto("/today/")
    chase = page.locator(
        ".agenda-item", has_text="Follow up on your application for Data Analyst at Hooli"
    )
    expect(chase).to_be_visible()

    # Then an interview, then an offer; the referral loop falls due on Ada.
    page.goto(opening_url)
    page.get_by_label("Move to").select_option("interviewing")
    page.get_by_role("button", name="Move it").click()
    page.get_by_label("Move to").select_option("offer")
    page.get_by_label("Note", exact=True).fill("Offer by phone")
    page.get_by_role("button", name="Move it").click()
    expect(page.get_by_text("Moved to offer.")).to_be_visible()
    timeline = page.get_by_role("region", name="Timeline")
    for stage in ("Found", "Applied", "Interviewing", "Offer: Offer by phone"):
        expect(timeline.get_by_text(stage, exact=False).first).to_be_visible()
    page.goto("/loops/")
    expect(page.get_by_text("Tell Ada Quill what came of the application at Hooli")).to_be_visible()

    # Referral against cold, on the user's own record.
    page.goto("/jobs/what-worked/")
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name="Referred")).to_contain_text("1")
    referred = table.get_by_role("row", name="Referred").get_by_role("cell")
    expect(referred.nth(3)).to_have_text("1")  # offer
    cold_row = table.get_by_role("row", name="Cold (job board or company site)").get_by_role("cell")
    expect(cold_row.nth(0)).to_have_text("1")  # applied
    expect(cold_row.nth(2)).to_have_text("0")  # no interview
    expect(page.get_by_text("too few", exact=False).first).to_be_visible()
    assert Opening.objects.get(title="Data Analyst").application.stage == "offer"


def test_the_jobs_pages_fit_a_phone(phone_page: Any, alice: Any, make_person: Any) -> None:
    from conftest import sign_in

    sign_in(phone_page, "alice")
    opening = opening_add(
        owner=alice, title="A rather long role title for a phone", organisation="Hooli"
    )
    pages = (
        "/jobs/",
        f"/jobs/{opening.uuid}/",
        f"/jobs/{opening.uuid}/edit/",
        "/jobs/new/",
        "/jobs/what-worked/",
        "/import/applications/",
    )
    for url in pages:
        phone_page.goto(url)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (url, width)


def test_the_what_worked_chart_is_read_at_its_size_on_a_phone(phone_page: Any, alice: Any) -> None:
    """The chart was drawn 640 wide and shrunk into a phone: its words came out at about 6 px.
    Drawn at a phone's width and never grown, every word is at least 11 px at 375 px and
    none runs outside the picture."""
    from conftest import sign_in

    for n, source in enumerate(("board", "board", "recruiter", "site")):
        opening = opening_add(owner=alice, title=f"Role {n}", organisation="Hooli", source=source)
        application_advance(application=opening.application, to="applied")
    sign_in(phone_page, "alice")
    phone_page.goto("/jobs/what-worked/")
    sizes = phone_page.evaluate(
        """() => {
          const svg = document.querySelector('.routes-chart svg');
          const box = svg.getBoundingClientRect();
          const scale = box.width / svg.viewBox.baseVal.width;
          return [...svg.querySelectorAll('text')].map(t => ({
            px: parseFloat(t.getAttribute('font-size')) * scale,
            right: t.getBoundingClientRect().right - box.right,
          }));
        }"""
    )
    assert sizes and min(s["px"] for s in sizes) >= 11, sizes
    assert max(s["right"] for s in sizes) <= 1, sizes
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375


TRACKERS = (
    Path(__file__).resolve().parents[2] / "interchange" / "tests" / "fixtures" / "job-trackers"
)


def test_applications_are_brought_in_from_a_trackers_csv(signed_in: Any, alice: Any) -> None:
    """From the jobs page: upload, read the preview (what would be added, each value that
    can't be used with its row), confirm, and find the openings on the list."""
    page = signed_in
    page.goto("/jobs/")
    page.get_by_role("link", name="Bring in applications").first.click()
    page.get_by_label("File").set_input_files(str(TRACKERS / "jobapplier-full.csv"))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name="Preview: jobapplier-full.csv")).to_be_visible()
    expect(page.get_by_text("Nothing has been written yet")).to_be_visible()
    problems = page.get_by_role("region", name=re.compile("Values not imported as they were"))
    expect(problems.get_by_role("listitem").filter(has_text="row 6, URL")).to_contain_text(
        "not a link"
    )
    assert not Opening.objects.exists()
    page.get_by_role("button", name="Import 5 applications").click()
    expect(page.get_by_text("Imported jobapplier-full.csv: 5 new applications.")).to_be_visible()
    page.get_by_role("link", name="See your openings").click()
    row = page.get_by_role("row").filter(has_text="BI Developer")
    expect(row).to_contain_text("Oakhollow Bank")
    expect(row).to_contain_text("Offer")
    assert Opening.objects.filter(owner=alice).count() == 5


def test_an_opening_is_edited_and_a_person_taken_off_on_a_phone(
    phone_page: Any, alice: Any, make_person: Any
) -> None:
    from conftest import sign_in

    from circleback.jobs.services import application_person_add

    sign_in(phone_page, "alice")
    page = phone_page
    dana = make_person(alice, "Dana Hale", organisation="Hooli")
    opening = opening_add(owner=alice, title="Analyst", organisation="Hooli")
    application_person_add(application=opening.application, person=dana, role="hiring_manager")
    page.goto(f"/jobs/{opening.uuid}/")
    page.get_by_role("link", name="Edit the opening").click()
    page.get_by_label("Role").fill("Senior Analyst")
    page.get_by_label("Deadline").fill("2001-01-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("be before the day you found the opening")).to_be_visible()
    page.get_by_label("Deadline").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=re.compile("^Senior Analyst"))).to_be_visible()
    page.get_by_role("button", name="Remove Dana Hale as hiring manager").click()
    expect(page.get_by_text("Took Dana Hale off as hiring manager.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    opening.refresh_from_db()
    assert opening.title == "Senior Analyst" and not opening.application.people.exists()
