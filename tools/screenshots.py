"""Regenerate the README screenshots (docs/screenshots/*.png) from a fresh demo network.

    .venv/bin/python tools/screenshots.py            # every screenshot
    .venv/bin/python tools/screenshots.py home today # just these

It makes a throwaway data directory (SQLite), an account and a 300-person demo network with a
fixed seed, adds a little of this week's story through the real services (a meeting held
yesterday with its referral and thank-you, one on the calendar today), serves the app with
`circleback serve` on a free loopback port, signs in with headless Chromium and captures each
page at 1280 px (the phone ones at 375 px), device scale 1. Nothing outside the temporary
directory and docs/screenshots/ is touched; your own data is never read.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CIRCLEBACK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
USERNAME = "demo"
PASSWORD = "a demo passphrase 1"
PEOPLE = 300
SEED = 1
LAPTOP = (1280, 800)
PHONE = (375, 812)  # the narrowest phone every page is built for


@dataclass(frozen=True)
class Shot:
    name: str
    path: str  # may name {person}, {organisation}, {target}, {opening}, {offer}
    width: int
    height: int
    full_page: bool = True  # else just the first screenful
    max_height: int = 1800  # long pages are cut here: the top says what the page is
    fill: dict[str, str] | None = None  # CSS selector -> text typed in before the capture


# Event capture is shown half filled in, as it looks just back from a meetup.
EVENT = {
    "#id_event": "Fintech Forum, London",
    "#id_row-0-full_name": "Priya Natarajan",
    "#id_row-0-organisation": "Ledgerline",
    "#id_row-0-title": "Head of Partnerships",
    "#id_row-0-email": "priya@ledgerline.example",
    "#id_row-0-note": "Hiring a product analyst in spring",
    "#id_row-1-full_name": "Tomás Ferreira",
    "#id_row-1-organisation": "Quayside Payments",
    "#id_row-1-title": "Engineering Manager",
    "#id_row-1-note": "Ran the open banking panel",
    "#id_row-2-full_name": "Hannah Okafor",
    "#id_row-2-title": "Career coach",
    "#id_notes": "Good turnout; the payments track was the busiest.",
}


SHOTS = [
    Shot("home", "/", *LAPTOP),
    Shot("today", "/today/", *LAPTOP),
    Shot("people", "/people/", *LAPTOP, full_page=False),
    Shot("person", "/people/{person}/", *LAPTOP),
    Shot("journal", "/journal/", *LAPTOP, full_page=False),
    Shot("event-capture", "/journal/event/", *LAPTOP, fill=EVENT),
    Shot("organisation", "/organisations/{organisation}/", *LAPTOP, max_height=1300),
    Shot("ways-in", "/paths/org/{target}/", *LAPTOP),
    Shot("health", "/health/", *LAPTOP),
    Shot("thank-you", "/loops/{thank_you}/thank-you/", *LAPTOP),
    Shot("jobs", "/jobs/", *LAPTOP, max_height=1000),
    Shot("opening", "/jobs/{opening}/", *LAPTOP),
    Shot("what-worked", "/jobs/what-worked/", *LAPTOP),
    Shot("phone-home", "/", *PHONE, max_height=1600),
    Shot("phone-today", "/today/", *PHONE, max_height=1600),
    Shot("phone-people", "/people/", *PHONE, full_page=False),
    Shot("phone-person", "/people/{person}/", *PHONE, full_page=False),
    Shot("phone-opening", "/jobs/{offer}/", *PHONE, max_height=1600),
    Shot("phone-jobs", "/jobs/", *PHONE, max_height=1600),
    Shot("phone-what-worked", "/jobs/what-worked/", *PHONE, max_height=1600),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="only these screenshots (default: all)")
    args = parser.parse_args(argv)
    wanted = [s for s in SHOTS if not args.names or s.name in args.names]
    unknown = set(args.names) - {s.name for s in SHOTS}
    if unknown:
        parser.error(f"no screenshot named {', '.join(sorted(unknown))}")
    if not Path(CHROMIUM).exists():
        parser.error(f"Chromium is not at {CHROMIUM}; run `bash tools/system-deps.sh`.")

    with tempfile.TemporaryDirectory(prefix="circleback-shots-") as home:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(CIRCLEBACK_HOME=home, CIRCLEBACK_USER=USERNAME)
        os.environ.clear()
        os.environ.update(env)
        places = prepare()
        port = free_port()
        with serving(port, env):
            capture(f"http://127.0.0.1:{port}", wanted, places)
    for shot in wanted:
        size = (OUT / f"{shot.name}.png").stat().st_size
        print(f"docs/screenshots/{shot.name}.png  {size // 1024} KB")
    return 0


def prepare() -> dict[str, str]:
    """The account, the demo network and this week's story; returns the pages to show."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "circleback.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q

    from circleback.accounts.services import user_create
    from circleback.demo.services import demo_generate
    from circleback.people.models import Organisation, Person, Tie

    call_command("migrate", verbosity=0)
    owner = user_create(
        username=USERNAME, password=PASSWORD, time_zone="Europe/London", full_name="Sam Okafor"
    )
    report = demo_generate(owner=owner, people=PEOPLE, seed=SEED)
    print(f"demo: {report.people} people, {report.interactions} journal entries")

    # Someone with history: a career contact at an organisation, with many entries and ties.
    people = Person.objects.filter(owner=owner, contact_list="B", organisation__isnull=False)
    busiest = people.annotate(entries=Count("interactions")).order_by("-entries", "full_name")
    person = next(
        (p for p in busiest[:40] if Tie.objects.filter(Q(person_a=p) | Q(person_b=p)).count() >= 3),
        busiest.first(),
    )
    assert person is not None, "the demo network has no career contacts"
    target = Organisation.objects.get(owner=owner, name=report.example_target)
    organisation = (
        Organisation.objects.filter(owner=owner, is_target=True)
        .annotate(n=Count("people", filter=Q(people__owner=owner)))
        .order_by("-n", "name")
        .first()
    ) or target
    story(owner, person)
    from circleback.loops.models import LoopStep

    thank_you = LoopStep.objects.get(
        owner=owner, kind=LoopStep.Kind.THANK_YOU, person=person, done_at__isnull=True
    )
    from circleback.jobs.models import Opening

    openings = Opening.objects.filter(owner=owner).order_by("-found_on", "pk")
    # An opening not yet applied for shows the network first; the offer shows a whole story.
    early = openings.filter(application__stage__in=["found", "applied"]).first()
    offer = openings.filter(application__stage="offer").first() or early
    connection.close()
    return {
        "thank_you": str(thank_you.uuid),
        "person": str(person.uuid),
        "organisation": str(organisation.uuid),
        "target": str(target.uuid),
        "opening": str(early.uuid) if early else "",
        "offer": str(offer.uuid) if offer else "",
    }


def story(owner: Any, person: Any) -> None:
    """This week, told through the services: a meeting held yesterday that gave a referral
    (so a thank-you and a lead are open) and another on the calendar this afternoon."""
    from django.utils import timezone

    from circleback.loops.services.meetings import (
        ReferralInput,
        meeting_log_outcome,
        meeting_schedule,
    )
    from circleback.people.models import Person

    now = timezone.localtime(timezone.now(), timezone.get_fixed_timezone(0))
    yesterday = (now - dt.timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    held = meeting_schedule(
        owner=owner,
        person=person,
        scheduled_for=yesterday,
        location="Their office",
        purposes=["industry", "referrals"],
        held=True,
    )
    meeting_log_outcome(
        meeting=held,
        learned="The payments team is growing; they hire through referrals first.",
        outcome="Offered to introduce me to their head of platform.",
        next_steps="Send the article on open banking we talked about.",
        referrals=[
            ReferralInput(
                full_name="Imogen Castellanos",
                organisation=person.organisation.name,
                title="Head of Platform",
                about="Building the new payments platform",
                may_use_name=True,
            )
        ],
    )
    later = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=3)
    if later.date() != now.date():  # late at night: tomorrow morning instead
        later = now.replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    other = (
        Person.objects.filter(owner=owner, contact_list="C", organisation__isnull=False)
        .exclude(pk=person.pk)
        .order_by("full_name")
        .first()
    )
    if other is not None:
        meeting_schedule(
            owner=owner,
            person=other,
            scheduled_for=later,
            location="Video call",
            purposes=["validate", "advice"],
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(port: int, env: dict[str, str]) -> Iterator[None]:
    command = [str(Path(sys.executable).with_name("circleback")), "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("circleback serve did not start")
            time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


def capture(base: str, shots: list[Shot], places: dict[str, str]) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        sizes = sorted({(s.width, s.height) for s in shots})
        for width, height in sizes:
            context = browser.new_context(
                viewport={"width": width, "height": height},
                device_scale_factor=1,
                base_url=base,
                reduced_motion="reduce",
                locale="en-GB",
                timezone_id="Europe/London",
            )
            page = context.new_page()
            page.goto("/login/")
            page.get_by_label("Username").fill(USERNAME)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/")
            for shot in (s for s in shots if (s.width, s.height) == (width, height)):
                page.goto(shot.path.format(**places))
                page.wait_for_load_state("networkidle")
                for selector, text in (shot.fill or {}).items():
                    page.fill(selector, text)
                page.evaluate("document.activeElement && document.activeElement.blur()")
                full = page.evaluate("document.documentElement.scrollHeight")
                tall = min(full, shot.max_height) if shot.full_page else shot.height
                page.screenshot(
                    path=str(OUT / f"{shot.name}.png"),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": shot.width, "height": tall},
                    animations="disabled",
                    caret="hide",
                )
            context.close()
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
