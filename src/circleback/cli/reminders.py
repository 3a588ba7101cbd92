"""`circleback worker`, `circleback digest …` and `circleback calendar …`: reminders that
reach you, and the background worker that sends them."""

from __future__ import annotations

import logging
import sys

import typer

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    django_ready,
    emit_json,
    fail,
    refusal_as_usage_error,
)

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@app.command(rich_help_panel="Getting started")
def worker(
    interval: float = typer.Option(
        1.0, min=0.05, max=60, help="Seconds to wait between looks at an empty queue."
    ),
    once: bool = typer.Option(
        False, "--once", help="Run what is queued and due now, then stop (for cron or tests)."
    ),
    heartbeat: float = typer.Option(
        5.0, min=0.05, max=300, hidden=True, help="Seconds between heartbeats."
    ),
    parent: int | None = typer.Option(
        None, hidden=True, help="Stop when the process with this id (the server) is gone."
    ),
) -> None:
    """Run background work: big imports, the email digests and the clean-ups.

    Run one (or several, on other machines) in a deployment beside the web app; on the
    embedded SQLite database `circleback serve` already runs one. Work is kept in the
    database: a worker that is stopped or dies leaves nothing half-done, and another
    worker takes its work up again. Ctrl-C or SIGTERM lets the task in hand finish first;
    a second one stops at once: the task it interrupts keeps nothing of what it did and
    goes back on the queue, to run again when a worker next looks.

    Example: [bold]circleback worker[/]
    """
    django_ready()
    from circleback.reminders.worker import Worker

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    for name in ("circleback.worker", "circleback.reminders", "django_tasks"):
        log = logging.getLogger(name)
        log.setLevel(logging.INFO)
        log.addHandler(handler)
        log.propagate = False
    runner = Worker(interval=interval, heartbeat=heartbeat, batch=once, parent_pid=parent)
    if not once:
        runner.configure_signals()
        console.print(f"Worker {runner.worker_id} is running — press Ctrl-C to stop.")
    runner.run()
    if once:
        console.print(f"Ran {runner._run_tasks} task{'s' if runner._run_tasks != 1 else ''}.")


# --- digest --------------------------------------------------------------------------------

digest_app = typer.Typer(
    help=(
        "The daily (or weekly) email digest: today's agenda in your inbox at your hour.\n\n"
        "It lists overdue loop steps, thank-yous due, today's meetings, people to reconnect "
        "with and a give — names and what is due, never notes or contact details — and goes "
        "only to your account's own address, once you have followed the link sent to it. "
        "Needs CIRCLEBACK_EMAIL_URL and a running worker.\n\n"
        "Example: circleback digest on --hour 7"
    ),
    no_args_is_help=True,
)
app.add_typer(digest_app, name="digest", rich_help_panel="Everyday work")


def _mail_or_fail() -> None:
    from circleback.reminders.mail import mail_configured

    if not mail_configured():
        fail(
            "no mail server is configured, so no digest can be sent. Set CIRCLEBACK_EMAIL_URL, "
            "e.g. smtp://user:password@mail.example.org:587?tls, and start again."
        )


@digest_app.command("on")
def digest_on(
    ctx: typer.Context,
    weekly: bool = typer.Option(False, "--weekly", help="Once a week instead of every day."),
    hour: int = typer.Option(7, min=0, max=23, help="The local hour to send it, 0-23."),
    day: str = typer.Option(
        "monday", help="For --weekly: the day of the week it comes.", show_default=True
    ),
    even_when_empty: bool = typer.Option(
        False, "--even-when-empty", help="For --weekly: send a summary even when nothing is due."
    ),
    email: str | None = typer.Option(
        None,
        help="Use this address for your account (a link is sent to verify it).",
        show_default=False,
    ),
) -> None:
    """Turn the digest on, at an hour of your time zone (daylight saving included).

    The first time, and whenever your address changes, a link is mailed to it: the digest
    starts once you follow it.

    Example: [bold]circleback digest on --weekly --day friday --hour 16[/]
    """
    owner = current_user(ctx)
    _mail_or_fail()
    from django.core.exceptions import ValidationError

    from circleback.reminders import services
    from circleback.reminders.mail import MailError
    from circleback.reminders.queries import digest_status

    if day.lower() not in WEEKDAYS:
        fail(f"--day {day!r} is not a day of the week; use e.g. monday.", 2)
    with refusal_as_usage_error({"email": "--email"}):
        if email is not None:
            owner.email = email.strip()
            owner.full_clean(validate_unique=False, exclude=["password"])
            owner.save(update_fields=["email"])
        services.digest_configure(
            owner=owner,
            enabled=True,
            frequency="weekly" if weekly else "daily",
            hour=hour,
            weekday=WEEKDAYS.index(day.lower()),
            send_when_empty=even_when_empty,
        )
    status = digest_status(owner)
    if not status.verified:
        try:
            services.digest_verification_send(owner=owner)
        except ValidationError as exc:
            fail(" ".join(exc.messages) + " Set one with --email ADDRESS.", 2)
        except MailError as exc:
            fail(f"the digest is on, but the verification link could not be sent: {exc}.")
        console.print(
            f"A link to verify {owner.email} is on its way: the digest starts once you follow it."
        )
    console.print(digest_status(owner).summary, highlight=False)


@digest_app.command("off")
def digest_off(ctx: typer.Context) -> None:
    """Turn the digest off. Nothing more is sent until you turn it on again.

    Example: [bold]circleback digest off[/]
    """
    owner = current_user(ctx)
    from circleback.reminders import services

    services.digest_configure(owner=owner, enabled=False)
    console.print("The digest is off.")


@digest_app.command("status")
def digest_status_command(
    ctx: typer.Context,
    json_out: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Whether the digest is on, when the next one goes, and how the last one went —
    with the reason and the next try when it failed.

    Example: [bold]circleback digest status[/]
    """
    owner = current_user(ctx)
    from circleback.reminders.mail import mail_configured, mail_server_shown
    from circleback.reminders.queries import (
        digest_status,
        digests_recent,
        worker_last_seen,
        worker_running,
    )

    status = digest_status(owner)
    chosen = status.settings
    running = worker_running()
    if json_out:
        emit_json(
            {
                "enabled": chosen.enabled,
                "frequency": chosen.frequency,
                "hour": chosen.hour,
                "weekday": WEEKDAYS[chosen.weekday],
                "even_when_empty": chosen.send_when_empty,
                "email": status.email,
                "verified": status.verified,
                "next_at": chosen.next_at,
                "summary": status.summary,
                "mail_server": mail_server_shown() or None,
                "worker_running": running,
                "worker_last_seen": worker_last_seen(),
                "recent": [
                    {
                        "period": d.period,
                        "status": d.status,
                        "due_at": d.due_at,
                        "attempts": d.attempts,
                        "sent_at": d.sent_at,
                        "message_id": d.message_id,
                        "server_reply": d.server_reply,
                        "error": d.last_error,
                        "next_attempt_at": d.next_attempt_at,
                    }
                    for d in digests_recent(owner)
                ],
            }
        )
        return
    console.print(status.summary, highlight=False)
    if not mail_configured():
        console.print("No mail server is configured: set CIRCLEBACK_EMAIL_URL to send digests.")
    if chosen.enabled and not running:
        console.print(
            "No worker is running, so nothing will be sent: start one with `circleback worker` "
            "(or `circleback serve` on this machine)."
        )


@digest_app.command("test")
def digest_test(
    ctx: typer.Context,
    to: str | None = typer.Option(
        None, help="Send it here instead of your account's address.", show_default=False
    ),
    json_out: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Send today's digest now, even if nothing is due, and print the server's answer.

    It checks the mail settings end to end; it does not count as the day's digest.

    Example: [bold]circleback digest test --to me@example.org[/]
    """
    owner = current_user(ctx)
    _mail_or_fail()
    from circleback.reminders import services
    from circleback.reminders.mail import MailError, mail_server_shown

    with refusal_as_usage_error({"to": "--to"}):
        try:
            reply = services.digest_send_test(owner=owner, to=to or "")
        except MailError as exc:
            fail(f"the test digest was not sent: {exc} ({mail_server_shown()}).")
    address = to or owner.email
    if json_out:
        emit_json({"sent_to": address, "server": mail_server_shown(), "reply": reply})
        return
    console.print(
        f"Sent to {address} through {mail_server_shown()}. The server said: {reply}",
        highlight=False,
    )


# --- calendar ------------------------------------------------------------------------------

calendar_app = typer.Typer(
    help=(
        "Your private calendar feed: meetings, loop steps falling due and thank-yous, in any "
        "calendar app that subscribes to a URL.\n\n"
        "Example: circleback calendar url"
    ),
    no_args_is_help=True,
)
app.add_typer(calendar_app, name="calendar", rich_help_panel="Everyday work")


@calendar_app.command("url")
def calendar_url(
    ctx: typer.Context,
    reset: bool = typer.Option(
        False, "--reset", help="Make a new address; the old one stops working at once."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Print your calendar feed's address, making it the first time.

    The address is a secret: whoever has it sees names and what is due (never notes or
    contact details). It is shown once and only a fingerprint of it is kept, so later this
    says it exists; --reset replaces it (and is how to see one again).

    Example: [bold]circleback calendar url --reset[/]
    """
    owner = current_user(ctx)
    from circleback.reminders import services
    from circleback.reminders.queries import calendar_feed_exists

    if calendar_feed_exists(owner) and not reset:
        if json_out:
            emit_json({"url": None, "exists": True})
            return
        fail(
            "you already have a calendar feed; its address was shown when it was made and "
            "is not kept. Make a new one with `circleback calendar url --reset` (the old one "
            "stops working)."
        )
    token = services.calendar_token_reset(owner=owner)
    url = services.calendar_feed_url(token)
    if json_out:
        emit_json({"url": url, "exists": True})
        return
    console.print(
        "Subscribe to this address in your calendar app (keep it to yourself):", highlight=False
    )
    typer.echo(url)


@calendar_app.command("revoke")
def calendar_revoke(ctx: typer.Context) -> None:
    """Stop your calendar feed: its address answers 'not found' from now on.

    Example: [bold]circleback calendar revoke[/]
    """
    owner = current_user(ctx)
    from circleback.reminders import services

    if services.calendar_token_revoke(owner=owner):
        console.print("The calendar feed is stopped; its address no longer works.")
    else:
        console.print("You had no calendar feed.")
