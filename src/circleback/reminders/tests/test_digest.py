"""The digest: at the user's local hour (daylight saving included), once per period, to the
verified address only, through a real SMTP server, retried and shown when it fails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from circleback.accounts.models import User
from circleback.loops.services.favours import favour_log
from circleback.loops.services.meetings import meeting_schedule
from circleback.reminders import services
from circleback.reminders.models import Digest, DigestSettings
from circleback.reminders.queries import digest_status
from circleback.reminders.tests.conftest import SmtpServer, free_port, use_mail
from circleback.reminders.worker import run_pending

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def opted_in(owner: User, **choices: Any) -> DigestSettings:
    """`owner` turned the digest on and followed the verification link."""
    owner.email = f"{owner.username}@example.org"
    owner.save(update_fields=["email"])
    chosen = services.digest_configure(owner=owner, enabled=True, **choices)
    services.digest_verify(token=services._verify_token(owner, owner.email))
    chosen.refresh_from_db()
    return chosen


def something_due(owner: User, make_person: Any) -> None:
    ada = make_person(
        owner, "Ada Quill", emails=["ada.private@example.com"], notes="Private: divorce, moving"
    )
    favour_log(owner=owner, person=ada, direction="received", note="SECRET favour note")


def test_it_sends_at_the_local_hour_through_daylight_saving(
    alice: User, make_person: Any, mail: SmtpServer
) -> None:
    """GIVEN alice in London wants the digest at 07:00
    WHEN the days pass over the end of summer time (25 Oct 2026) and its start (28 Mar 2027)
    THEN each digest leaves at 07:00 London time: 06:00 UTC in summer, 07:00 UTC in winter."""
    with time_machine.travel(at("2026-10-23T12:00"), tick=False) as clock:
        opted_in(alice, hour=7)
        something_due(alice, make_person)
        sent_at = []
        days = ["2026-10-24", "2026-10-25", "2026-10-26", "2027-03-27", "2027-03-28", "2027-03-29"]
        for day in days:
            for hour in range(4, 10):  # a look every hour around 07:00 in London
                clock.move_to(at(f"{day}T{hour:02d}:00"))
                before = len(mail.mailbox.messages)
                run_pending()
                if len(mail.mailbox.messages) > before:
                    sent_at.append(dt.datetime.now(UTC).strftime("%Y-%m-%d %H:%M"))
    assert sent_at == [
        "2026-10-24 06:00",  # BST
        "2026-10-25 07:00",  # GMT from 01:00 UTC that day
        "2026-10-26 07:00",
        "2027-03-27 07:00",
        "2027-03-28 06:00",  # BST again
        "2027-03-29 06:00",
    ]
    periods = list(
        Digest.objects.filter(owner=alice, status="sent").values_list("period", flat=True)
    )
    assert sorted(periods) == [
        "2026-10-24",
        "2026-10-25",
        "2026-10-26",
        "2027-03-27",
        "2027-03-28",
        "2027-03-29",
    ]
    assert len({m["Message-ID"] for m in mail.mailbox.messages}) == 6


def test_a_digest_says_names_and_what_is_due_never_notes_or_contact_details(
    alice: User, make_person: Any, mail: SmtpServer
) -> None:
    with time_machine.travel(at("2026-11-20T06:59"), tick=False) as clock:
        opted_in(alice, hour=7)
        something_due(alice, make_person)
        bart = make_person(alice, "Bart Nguyen", phones=["+44 20 7946 0000"])
        meeting_schedule(
            owner=alice,
            person=bart,
            scheduled_for=at("2026-11-20T15:00"),
            location="12 Private Road",
            prep_notes="Ask about the reorg (confidential)",
        )
        clock.shift(dt.timedelta(minutes=1))
        run_pending()
    (message,) = mail.mailbox.messages
    assert message["To"] == "alice@example.org"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Thank Ada Quill" in body
        assert "Meeting with Bart Nguyen" in body
        assert "https://cb.example.org/meetings/" in body  # the prep brief, in the app
        for secret in ("SECRET", "divorce", "ada.private", "7946", "Private Road", "reorg"):
            assert secret not in body, secret
    assert '<meta name="viewport"' in html
    assert message["Subject"].startswith("Today, Fri 20 Nov:")
    # RFC 8058 one-click unsubscribe: a POST to the address in the header turns it off.
    unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe.removeprefix("https://cb.example.org")
    assert Client().get(path).status_code == 200  # a link checker's GET changes nothing
    assert DigestSettings.objects.get(owner=alice).enabled
    answer = Client().post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 200
    assert not DigestSettings.objects.get(owner=alice).enabled


def test_nothing_due_means_nothing_sent_unless_a_weekly_summary_is_asked_for(
    alice: User, mail: SmtpServer
) -> None:
    with time_machine.travel(at("2026-11-16T06:00"), tick=False) as clock:  # a Monday
        opted_in(alice, hour=8)
        clock.move_to(at("2026-11-16T08:00"))
        run_pending()
        assert mail.mailbox.messages == []
        assert Digest.objects.get(owner=alice).status == "empty"
        services.digest_configure(owner=alice, frequency="weekly", weekday=0, send_when_empty=True)
        clock.move_to(at("2026-11-23T08:00"))
        run_pending()
    (message,) = mail.mailbox.messages
    assert message["Subject"] == "Your networking week: nothing is due"
    assert Digest.objects.filter(owner=alice, period="2026-W48", status="sent").exists()


def test_only_a_verified_address_that_is_still_the_accounts_gets_it(
    alice: User, make_person: Any, mail: SmtpServer
) -> None:
    with time_machine.travel(at("2026-11-20T06:00"), tick=False) as clock:
        opted_in(alice, hour=7)
        something_due(alice, make_person)
        alice.email = "someone.else@example.org"  # changed since it was verified
        alice.save(update_fields=["email"])
        assert not digest_status(alice).verified
        clock.shift(dt.timedelta(hours=1))
        run_pending()
    assert mail.mailbox.messages == []


def test_a_refused_connection_is_retried_with_back_off_and_shown(
    alice: User, make_person: Any, settings: Any, smtp_server: SmtpServer
) -> None:
    use_mail(settings, "127.0.0.1", free_port())  # nothing listens there
    with time_machine.travel(at("2026-11-20T06:59"), tick=False) as clock:
        opted_in(alice, hour=7)
        something_due(alice, make_person)
        clock.shift(dt.timedelta(minutes=1))
        run_pending()
        digest = Digest.objects.get(owner=alice)
        assert digest.status == "failed" and digest.last_error == "connection refused"
        summary = digest_status(alice).summary
        assert summary == "Last digest failed: connection refused at 07:00; retrying at 07:15."
        client = Client()
        client.force_login(alice)
        assert summary.encode() in client.get("/settings/").content
        clock.shift(dt.timedelta(minutes=10))
        run_pending()  # too early to try again
        assert Digest.objects.get(owner=alice).attempts == 1
        use_mail(settings, smtp_server.host, smtp_server.port)  # the server is back
        clock.shift(dt.timedelta(minutes=5))
        run_pending()
    digest.refresh_from_db()
    assert digest.status == "sent" and digest.attempts == 2
    assert digest.server_reply == "250 2.0.0 Ok: queued as CB42"
    assert len(smtp_server.mailbox.messages) == 1


def test_a_server_that_answers_no_is_shown_with_its_answer(
    alice: User, make_person: Any, mail: SmtpServer
) -> None:
    mail.mailbox.refuse_with = "554 5.7.1 Relay access denied"
    with time_machine.travel(at("2026-11-20T07:00"), tick=False):
        opted_in(alice, hour=7)
        something_due(alice, make_person)
        Digest.objects.all().delete()
        DigestSettings.objects.filter(owner=alice).update(next_at=at("2026-11-20T07:00"))
        run_pending()
    digest = Digest.objects.get(owner=alice)
    assert digest.status == "failed"
    assert digest.last_error == "the server answered 554 5.7.1 Relay access denied"


def test_two_workers_claiming_one_digest_send_it_once(
    alice: User, make_person: Any, mail: SmtpServer
) -> None:
    with time_machine.travel(at("2026-11-20T07:00"), tick=False):
        opted_in(alice, hour=7)
        something_due(alice, make_person)
        digest = Digest.objects.create(
            owner=alice, period="2026-11-20", due_at=at("2026-11-20T07:00")
        )
        assert services.digest_send(digest_id=digest.pk, worker_id="one") == "sent"
        assert services.digest_send(digest_id=digest.pk, worker_id="two") == "skipped"
    assert len(mail.mailbox.messages) == 1


def test_a_digest_found_long_after_its_hour_is_reported_missed_not_sent(
    alice: User, make_person: Any, mail: SmtpServer
) -> None:
    with time_machine.travel(at("2026-11-20T05:00"), tick=False) as clock:
        opted_in(alice, hour=7)
        something_due(alice, make_person)
        clock.move_to(at("2026-11-20T19:30"))  # no worker ran all day
        services.digests_due()
    digest = Digest.objects.get(owner=alice, period="2026-11-20")
    assert digest.status == "missed" and mail.mailbox.messages == []
    assert "no worker was running" in digest_status(alice).summary


def test_a_new_time_zone_moves_the_next_digest_to_the_hour_there(
    alice: User, make_person: Any, mail: SmtpServer
) -> None:
    with time_machine.travel(at("2026-11-20T01:00"), tick=False) as clock:
        opted_in(alice, hour=7)  # London: 07:00 UTC
        something_due(alice, make_person)
        alice.time_zone = "America/New_York"
        alice.save(update_fields=["time_zone"])
        clock.move_to(at("2026-11-20T07:00"))
        run_pending()
        assert mail.mailbox.messages == []
        clock.move_to(at("2026-11-20T12:00"))  # 07:00 in New York
        run_pending()
    assert len(mail.mailbox.messages) == 1


@pytest.mark.parametrize("hour", [0, 23])
def test_hours_at_the_ends_of_the_day_are_kept(alice: User, hour: int) -> None:
    with time_machine.travel(at("2026-11-20T12:00"), tick=False):
        chosen = services.digest_configure(owner=alice, enabled=True, hour=hour)
    assert chosen.next_at is not None
    assert chosen.next_at.astimezone(dt.UTC).hour == hour  # London is on UTC in November


def test_a_claim_left_by_a_dead_worker_is_taken_up_even_without_its_task(
    alice: User, make_person: Any, mail: SmtpServer
) -> None:
    from circleback.reminders.models import WorkerHeartbeat

    with time_machine.travel(at("2026-11-20T07:00"), tick=False):
        opted_in(alice, hour=7)
        something_due(alice, make_person)
        now = dt.datetime.now(UTC)
        WorkerHeartbeat.objects.create(
            worker_id="gone",
            hostname="h",
            pid=1,
            started_at=now,
            seen_at=now,
            expires_at=now - dt.timedelta(seconds=1),
        )
        digest = Digest.objects.create(
            owner=alice,
            period="2026-11-20",
            due_at=now,
            status="sending",
            claimed_by="gone",
            attempts=1,
        )
        DigestSettings.objects.filter(owner=alice).update(next_at=at("2026-11-21T07:00"))
        run_pending()
    digest.refresh_from_db()
    assert digest.status == "sent" and digest.attempts == 2
    assert len(mail.mailbox.messages) == 1


def test_saving_a_new_time_zone_in_settings_moves_the_next_digest_at_once(
    alice: User, client: Client
) -> None:
    with time_machine.travel(at("2026-11-20T01:00"), tick=False):
        chosen = opted_in(alice, hour=7)
        assert chosen.next_at == at("2026-11-20T07:00")  # 07:00 in London
        client.force_login(alice)
        response = client.post(
            "/settings/",
            {
                "which": "profile",
                "first_name": "",
                "last_name": "",
                "email": alice.email,
                "time_zone": "America/New_York",
                "mode": "job_searching",
            },
        )
        assert response.status_code == 302
        chosen.refresh_from_db()
    assert chosen.next_at == at("2026-11-20T12:00")  # 07:00 in New York, decided on saving


def test_a_weekly_digest_lists_the_weeks_meetings_ahead(
    alice: User, make_person: Any, mail: SmtpServer
) -> None:
    ada = make_person(alice, "Ada Quill")
    with time_machine.travel(at("2026-11-16T06:00"), tick=False) as clock:  # a Monday
        opted_in(alice, hour=8, frequency="weekly", weekday=0)
        meeting_schedule(owner=alice, person=ada, scheduled_for=at("2026-11-19T10:00"))
        meeting_schedule(owner=alice, person=ada, scheduled_for=at("2026-11-30T10:00"))
        clock.move_to(at("2026-11-16T08:00"))
        run_pending()
    (message,) = mail.mailbox.messages
    text = message.get_body(("plain",)).get_content()
    assert "LATER THIS WEEK" in text
    assert "Thursday: 10:00 Meeting with Ada Quill" in text
    assert text.count("Meeting with Ada Quill") == 1  # the one after this week waits
