"""A worker killed at an arbitrary moment among many digests, not at a failpoint: a real
`circleback worker` process sending ten digests through a slow real SMTP server
(aiosmtpd), killed (SIGKILL) while it is part way through them, on the suite's database
(a fresh PostgreSQL database on the PostgreSQL run). Once another worker starts, every
account has its digest and none has two different ones; the one in flight when the worker
died may reach the server twice, as the same message (one Message-ID), which is the
at-least-once delivery the README and docs/deploy.md describe."""

from __future__ import annotations

import asyncio
import signal
import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from circleback.cli.tests.processes import Program, wait_for
from circleback.reminders.tests.conftest import Mailbox, SmtpServer, free_port
from circleback.reminders.tests.test_process import stop, worker

pytestmark = pytest.mark.django_db(transaction=True)  # our own databases; none of pytest's

ACCOUNTS = 10
SMTP_DELAY = 0.15  # seconds the server takes to accept each message

SCENE = f"""
from circleback.accounts.models import User
from circleback.accounts.queries import user_now
from circleback.loops.services.favours import favour_log
from circleback.people.services.people import person_create
from circleback.reminders import services
from circleback.reminders.models import DigestSettings
for n in range({ACCOUNTS}):
    user = User.objects.create_user(
        f"member{{n}}", email=f"member{{n}}@example.org", time_zone="Europe/London"
    )
    # Something due, or the digest would rightly not be sent.
    quill = person_create(owner=user, full_name=f"Bart Quill {{n}}")
    favour_log(owner=user, person=quill, direction="received", note="private")
    hour = user_now(user).replace(minute=0, second=0, microsecond=0)
    services.digest_configure(owner=user, enabled=True, hour=hour.hour)
    services.digest_verify(token=services._verify_token(user, user.email))
    DigestSettings.objects.filter(owner=user).update(next_at=hour)
"""


class SlowMailbox(Mailbox):
    """A mail server that takes its time over each message, so a kill lands mid-batch."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(SMTP_DELAY)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp_server() -> Iterator[SmtpServer]:
    mailbox = SlowMailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, mailbox)
    finally:
        controller.stop()


def run_digests_now(program: Program) -> None:
    """Bring the next minute's run of the digests job forward, as the clock would."""
    program.query(
        "UPDATE reminders_scheduledjob SET next_run_at = CURRENT_TIMESTAMP WHERE name = 'digests'"
    )


def digests(program: Program) -> list[tuple[Any, ...]]:
    return program.query("SELECT status, attempts FROM reminders_digest ORDER BY id")


def test_a_worker_killed_part_way_through_many_digests_loses_none_and_doubles_none(
    program: Program,
    slow_smtp_server: SmtpServer,
) -> None:
    """GIVEN ten accounts' digests due and a worker sending them through a slow server
    WHEN the worker is killed half way through the message after the fourth was accepted
    THEN the next worker, at the digests' next run, sends the rest: each account has exactly
    one digest (by Message-ID)."""
    program.env["CIRCLEBACK_EMAIL_URL"] = slow_smtp_server.url
    program.python(SCENE)
    mailbox = slow_smtp_server.mailbox
    doomed = worker(program)
    try:
        wait_for(
            lambda: len(mailbox.messages) >= 4,
            "four digests accepted",
            90,
            0.02,
            output=doomed.output,
        )
        # Half way through the next SMTP conversation (or between two), not at a chosen line.
        time.sleep(SMTP_DELAY / 2)
    finally:
        killed = doomed.kill()
    assert killed.returncode == -signal.SIGKILL, killed.err
    sent_before = len(mailbox.messages)
    assert sent_before < ACCOUNTS, "the worker finished before it was killed: nothing tested"
    assert any(status != "sent" for status, _ in digests(program))

    # The dead worker had claimed this minute's run of the digests job; the survivor takes
    # the rest up at the next run, a minute on at most. The test doesn't wait the minute.
    run_digests_now(program)
    survivor = worker(program)
    try:
        wait_for(
            lambda: (
                len(digests(program)) == ACCOUNTS
                and all(status == "sent" for status, _ in digests(program))
            ),
            "every account's digest sent",
            120,
            output=survivor.output,
        )
    finally:
        stop(survivor)

    by_address: dict[str, set[str]] = defaultdict(set)
    for message in mailbox.messages:
        by_address[str(message["X-Envelope-To"])].add(str(message["Message-ID"]))
    # None lost: every account's digest arrived.
    assert sorted(by_address) == sorted(f"member{n}@example.org" for n in range(ACCOUNTS))
    # None doubled: one message per account; a resend is the same message.
    assert all(len(ids) == 1 for ids in by_address.values()), by_address
    assert len(mailbox.unique()) == ACCOUNTS
    # At most the one in flight was delivered twice, and only it was attempted twice.
    assert len(mailbox.messages) <= ACCOUNTS + 1
    assert sum(attempts for _, attempts in digests(program)) <= ACCOUNTS + 1
