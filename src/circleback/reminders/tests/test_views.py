"""The settings page's reminders, the links mailed out, and the calendar feed — each with an
outsider: another account's token or link never reaches this account's data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from circleback.accounts.models import User
from circleback.loops.services.favours import favour_log
from circleback.loops.services.meetings import meeting_schedule
from circleback.reminders import services
from circleback.reminders.models import CalendarFeed, DigestSettings
from circleback.reminders.tests.conftest import SmtpServer

UTC = dt.UTC


@pytest.fixture(autouse=True)
def base_url(settings: Any) -> None:
    settings.CIRCLEBACK_BASE_URL = "https://cb.example.org"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_settings_page_says_when_no_mail_server_is_set_up(alice: User, settings: Any) -> None:
    settings.CIRCLEBACK_EMAIL = None
    page = signed_in(alice).get("/settings/")
    assert b"No mail server is set up" in page.content
    assert b"CIRCLEBACK_EMAIL_URL" in page.content


def test_turning_the_digest_on_mails_a_link_that_verifies_the_address(
    alice: User, mail: SmtpServer
) -> None:
    alice.email = "alice@example.org"
    alice.save()
    client = signed_in(alice)
    answer = client.post(
        "/reminders/digest/", {"enabled": "on", "frequency": "daily", "hour": "7", "weekday": "0"}
    )
    assert answer.status_code == 302
    (message,) = mail.mailbox.messages
    assert message["To"] == "alice@example.org"
    link = next(line for line in message.get_content().splitlines() if "/reminders/verify/" in line)
    assert (
        "waiting for alice@example.org to be verified" in client.get("/settings/").content.decode()
    )
    page = Client().get(link.strip().removeprefix("https://cb.example.org"))  # on a phone
    assert page.status_code == 200 and b"Address verified" in page.content
    chosen = DigestSettings.objects.get(owner=alice)
    assert chosen.enabled and chosen.verified_email == "alice@example.org"
    assert b"Next one" in client.get("/settings/").content


def test_a_forged_or_outdated_verification_link_is_refused(alice: User, bob: User) -> None:
    alice.email = "alice@example.org"
    alice.save()
    token = services._verify_token(alice, "alice@example.org")
    assert Client().get(f"/reminders/verify/{token[:-2]}xx/").status_code == 400
    alice.email = "new@example.org"
    alice.save()
    page = Client().get(f"/reminders/verify/{token}/")
    assert page.status_code == 400 and b"has changed" in page.content
    assert not DigestSettings.objects.filter(verified_email__gt="").exists()


def test_an_unsubscribe_link_that_is_not_ours_is_not_found(alice: User) -> None:
    token = services.unsubscribe_token(alice)
    assert Client().post(f"/reminders/unsubscribe/{token}x/").status_code == 404


def test_the_digest_settings_change_only_the_signed_in_account(alice: User, bob: User) -> None:
    services.digest_configure(owner=alice, enabled=True, hour=6)
    signed_in(bob).post("/reminders/digest/", {"frequency": "weekly", "hour": "9"})
    assert DigestSettings.objects.get(owner=alice).hour == 6
    assert DigestSettings.objects.get(owner=bob).hour == 9
    assert b"Next one" not in signed_in(bob).get("/settings/").content
    assert Client().post("/reminders/digest/", {"hour": "1"}).status_code == 302  # to sign-in
    assert DigestSettings.objects.get(owner=alice).hour == 6


def _feed(alice: User, make_person: Any, when: dt.datetime | None = None) -> str:
    ada = make_person(alice, "Ada Quill", notes="private notes", emails=["ada@home.example"])
    meeting_schedule(
        owner=alice,
        person=ada,
        scheduled_for=when or timezone.now() + dt.timedelta(days=5),
        prep_notes="confidential prep",
    )
    favour_log(owner=alice, person=ada, direction="received", note="secret favour")
    page = signed_in(alice).post("/reminders/calendar/", {"action": "reset"})
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    url = page.context["url"]
    assert url.startswith("https://cb.example.org/calendar/") and url.endswith(".ics")
    return str(url).removeprefix("https://cb.example.org")


def test_the_feed_carries_meetings_and_steps_with_stable_uids(
    alice: User, make_person: Any, settings: Any
) -> None:
    settings.CIRCLEBACK_BASE_URL = "https://cb.example.org"
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=UTC), tick=False) as clock:
        path = _feed(alice, make_person, dt.datetime(2026, 11, 25, 10, tzinfo=UTC))
        first = Client().get(path)
        clock.shift(dt.timedelta(days=2))
        second = Client().get(path)
    assert first.status_code == 200 and first["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(first.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    meeting = events["Meeting with Ada Quill"]
    assert meeting.decoded("DTSTART") == dt.datetime(2026, 11, 25, 10, tzinfo=UTC)
    assert str(meeting["URL"]).startswith("https://cb.example.org/meetings/")
    assert "Due: Thank Ada Quill" in events
    body = first.content.decode()
    for secret in ("private notes", "ada@home", "confidential", "secret favour"):
        assert secret not in body
    # Two days later the thank-you is overdue: the same event, moved to today.
    later = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(second.content).walk("VEVENT")}
    assert set(later) == {str(e["UID"]) for e in events.values()}
    thank = later[str(events["Due: Thank Ada Quill"]["UID"])]
    assert str(thank["SUMMARY"]) == "Overdue: Thank Ada Quill"
    assert thank.decoded("DTSTART") == dt.date(2026, 11, 22)


def test_a_new_address_makes_the_old_one_not_found_at_once(alice: User, make_person: Any) -> None:
    path = _feed(alice, make_person)
    assert Client().get(path).status_code == 200
    signed_in(alice).post("/reminders/calendar/", {"action": "reset"})
    assert Client().get(path).status_code == 404
    signed_in(alice).post("/reminders/calendar/", {"action": "revoke"})
    assert not CalendarFeed.objects.filter(owner=alice).exists()


def test_the_token_is_kept_only_as_a_fingerprint(alice: User, make_person: Any) -> None:
    path = _feed(alice, make_person)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    assert len(token) >= 40
    stored = CalendarFeed.objects.get(owner=alice).token_hash
    assert token not in stored and len(stored) == 64


def test_another_accounts_token_shows_only_that_account(
    alice: User, charlie: User, make_person: Any
) -> None:
    _feed(alice, make_person)
    charlies = services.calendar_token_reset(owner=charlie)
    page = Client().get(f"/calendar/{charlies}.ics")
    assert page.status_code == 200 and b"Ada Quill" not in page.content
    assert Client().get("/calendar/not-a-token.ics").status_code == 404
