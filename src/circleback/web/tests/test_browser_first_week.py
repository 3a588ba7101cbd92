"""A new job seeker's first week, in a real Chromium, asserting on what they see at each step
(issue 19): create the account on first run, import LinkedIn connections, find Today useful,
record a lead someone gave them, meet that person, close the loop and thank everyone.

The file imported is interchange's own fixture, `linkedin_connections_2024.csv`: the shape of
a 2024 LinkedIn export (its notes preamble, a blank row, an accented name, a percent-encoded
profile URL, a company with a comma), with invented people.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from circleback.accounts.models import User
from circleback.loops.models import Lead, LoopStep

pytestmark = pytest.mark.browser

CONNECTIONS = (
    Path(__file__).parents[2]
    / "interchange"
    / "tests"
    / "fixtures"
    / "linkedin_connections_2024.csv"
)


def _choose(page: Any, label: str, typed: str, option: str) -> None:
    """Name someone in a person field as a keyboard user would: type, Down to the option
    wanted, Enter."""
    box = page.get_by_role("combobox", name=label)
    box.focus()
    page.keyboard.type(typed)
    options = page.get_by_role("listbox", name="Suggested people").get_by_role("option")
    expect(options.first).to_be_visible()
    names = options.all_inner_texts()
    index = next(i for i, text in enumerate(names) if text.startswith(option))
    for _ in range(index + 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(box).to_have_value(option)


def test_a_first_week_from_sign_up_to_a_closed_loop(page: Any, settings: Any) -> None:
    settings.CIRCLEBACK_WELCOME_ENABLED = True
    page.set_default_timeout(30_000)  # a long walk on a shared machine

    # Day 1, first run: the app asks for a real name (drafts are signed with it).
    page.goto("/")
    page.wait_for_url("**/welcome/")
    page.get_by_label("Your name").fill("Sam Okafor")
    page.get_by_label("A name for signing in").fill("sam")
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("Password again").fill("a long enough passphrase")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/")
    expect(page.get_by_text("Welcome, Sam. Your network starts here.")).to_be_visible()
    steps = page.get_by_role("region", name="Your first steps (3 to go)")
    expect(steps).to_be_visible()
    assert User.objects.get().first_name == "Sam"

    # Bring in your people: LinkedIn's Connections.csv, previewed before anything is written.
    steps.get_by_role("link", name="Import contacts").click()
    page.get_by_label("File", exact=True).set_input_files(str(CONNECTIONS))
    page.get_by_role("button", name="Preview the import").click()
    expect(
        page.get_by_role("heading", name="Preview: linkedin_connections_2024.csv")
    ).to_be_visible()
    page.get_by_role("button", name="Import 4 people").click()
    expect(
        page.get_by_role("heading", name="Imported: linkedin_connections_2024.csv")
    ).to_be_visible()

    # Home: the first step is done; Hooli, where two of them work (one file says "Hooli, Inc.",
    # the other "Hooli": one organisation), is offered as a target.
    page.get_by_role("link", name="Home", exact=True).click()
    steps = page.get_by_role("region", name="Your first steps (2 to go)")
    expect(steps.get_by_text("Done")).to_have_count(1)
    expect(steps.get_by_text("Hooli, Inc. (2 people)")).to_be_visible()
    steps.get_by_role("button", name="Make Hooli, Inc. a target").click()
    expect(page.get_by_role("region", name="Your first steps (1 to go)")).to_be_visible()

    # Today is useful the day after an import: the connections' clocks started when LinkedIn
    # says they connected, years ago, so there are people to reconnect with.
    page.goto("/today/")
    expect(page.get_by_role("heading", name="Reconnect")).to_be_visible()
    reconnect = page.get_by_role("region", name="Reconnect")
    expect(reconnect.get_by_role("link", name="Bart Nguyen")).to_be_visible()
    expect(reconnect.get_by_text("0 minutes ago")).to_have_count(0)
    # Weak ties get their turn, and years read as a month, not thousands of days.
    expect(reconnect.get_by_text("Last in touch in March 2024 (every 60 days).")).to_be_visible()
    expect(reconnect.get_by_text("weak tie — often the one that leads to the job")).to_have_count(4)
    # And something to give, though nobody has tags yet: from what the file says they do.
    gives = page.get_by_role("region", name="Give something")
    expect(gives.locator(".agenda-title")).to_have_text(re.compile(r"^Pass on .+ to "))
    page.goto("/health/")
    expect(page.get_by_text("untouched for a year")).to_be_visible()

    # Ways in: the new target, with the two people Sam already knows there.
    page.goto("/paths/")
    hooli = page.get_by_role("row").filter(has_text="Hooli, Inc.")
    expect(hooli).to_contain_text("2 ways in")

    # Ada Quill (imported) gives Sam a name: Bart Nguyen (imported too).
    page.goto("/leads/new/")
    _choose(page, "Who gave you the name", "ada", "Ada Quill")
    _choose(page, "Whose name", "bart", "Bart Nguyen")
    page.get_by_label("For what").fill("their platform team")
    page.get_by_role("button", name="Record the lead").click()
    expect(page.get_by_text("Lead recorded: contact Bart Nguyen by")).to_be_visible()
    expect(page.get_by_text("then tell Ada Quill what came of it")).to_be_visible()

    # Sam schedules an information meeting with Bart, picked from the import by keyboard.
    page.goto("/meetings/new/")
    _choose(page, "Whom you're meeting", "bart", "Bart Nguyen")
    _choose(page, "Who referred you", "ada", "Ada Quill")
    tomorrow = (dt.datetime.now() + dt.timedelta(days=1)).replace(hour=10, minute=0)
    page.get_by_label("When").fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Ada Quill referred you")).to_be_visible()

    # … meets him, and records what came of it.
    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("What you learned").fill("The platform team hires in spring.")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_text("Thank Bart Nguyen within a day")).to_be_visible()

    # The loop: what is left is to tell Ada what came of it, and to thank Bart and Ada.
    page.goto("/loops/")
    expect(page.get_by_text("2 open steps.")).to_be_visible()
    tell = page.locator("li.loop-step", has_text="Tell Ada Quill what came of Bart Nguyen")
    tell.get_by_label("What you told them").fill("Bart and I met; he'll pass my CV to the lead.")
    tell.get_by_role("button", name="Told the referrer").click()
    expect(page.get_by_text("Done: Tell Ada Quill what came of Bart Nguyen.")).to_be_visible()

    # A thank-you to write: a draft in Sam's own name, sent from the draft's page.
    thank_bart = page.locator("li.loop-step", has_text="Thank Bart Nguyen")
    thank_bart.get_by_role("link", name="Draft the thank-you").click()
    expect(page.get_by_role("heading", name="A thank-you to Bart Nguyen")).to_be_visible()
    message = page.get_by_label("Message")
    expect(message).to_have_value(re.compile(r"^Dear Bart,\n\nThank you for making the time"))
    expect(message).to_have_value(re.compile(r"With thanks,\nSam Okafor$"))
    expect(page.get_by_text("What you learned: The platform team hires in spring.")).to_be_visible()
    page.get_by_label("Sent? How you thanked Bart Nguyen").select_option("card")
    page.get_by_role("button", name="Thank-you sent").click()
    page.wait_for_url("**/loops/")
    expect(page.get_by_text("Done: Thank Bart Nguyen.")).to_be_visible()

    thank_ada = page.locator("li.loop-step", has_text="Thank Ada Quill")
    expect(thank_ada).to_be_visible()
    thank_ada.get_by_role("button", name="Thank-you sent").click()
    expect(page.get_by_role("heading", name="No open loops")).to_be_visible()

    # The lead's loop is closed, and every step of the week is in the journal.
    lead = Lead.objects.get()
    assert lead.state == "referrer_thanked"
    assert not LoopStep.objects.filter(done_at__isnull=True).exists()
    page.goto("/journal/")
    journal = page.locator("main")
    for words in (
        "Information meeting with Bart Nguyen",
        "Told Ada Quill",
        "Thanked Bart Nguyen",
        "Thanked Ada Quill",
    ):
        expect(journal.get_by_text(words).first).to_be_visible()
