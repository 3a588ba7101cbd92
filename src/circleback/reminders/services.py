"""Writes: digest settings and verification, sending a digest exactly once, the calendar
feed's token, and the clean-up of stale import previews.

Sending follows healthchecks' `sendalerts`: claim, do, record. A digest row is claimed by
one conditional update (exactly one row changed, or another worker has it); the message
carries a Message-ID made from (account, period), so if a worker dies after the server took
the message and before the row says so, the retry is the same message, which mail stores
(and the test's mailbox) keep once; a failure is recorded with the time of the next try.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import zoneinfo
from collections.abc import Callable

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac

from circleback.accounts.models import User
from circleback.accounts.queries import user_zone
from circleback.reminders import failpoints, mail
from circleback.reminders.models import (
    CalendarFeed,
    Digest,
    DigestSettings,
    WorkerHeartbeat,
)
from circleback.reminders.queries import (
    absolute,
    digest_content,
    digest_settings_for,
    token_hash,
)

logger = logging.getLogger("circleback.reminders")

# Retries after a failed send: 15 minutes, then 30, 60, 120; then it is given up and shown.
RETRY_DELAYS = [dt.timedelta(minutes=15 * 2**n) for n in range(4)]
# A digest found due this late (no worker ran) is not sent: it would be yesterday's news.
LATE_LIMIT = dt.timedelta(hours=6)
VERIFY_MAX_AGE = dt.timedelta(days=3)
_VERIFY_SALT = "circleback.reminders.verify"
_UNSUBSCRIBE_SALT = "circleback.reminders.unsubscribe"


# --- when --------------------------------------------------------------------------------


def next_digest_at(
    chosen: DigestSettings, zone: zoneinfo.ZoneInfo, after: dt.datetime
) -> dt.datetime:
    """The first moment after `after` when a digest falls due: the chosen hour, local time.

    A local hour that a daylight-saving change skips (01:00 in London on the last Sunday of
    March) comes at the moment after the gap; one that happens twice comes the first time."""
    local = after.astimezone(zone)
    for offset in range(0, 15):
        day = local.date() + dt.timedelta(days=offset)
        if chosen.frequency == DigestSettings.Frequency.WEEKLY and day.weekday() != chosen.weekday:
            continue
        wall = dt.datetime(day.year, day.month, day.day, chosen.hour, tzinfo=zone)
        moment = wall.astimezone(dt.UTC)
        if moment > after:
            return moment
    raise AssertionError("a day within two weeks always matches")  # pragma: no cover


def period_of(chosen: DigestSettings, due_at: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    day = due_at.astimezone(zone).date()
    if chosen.frequency == DigestSettings.Frequency.WEEKLY:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


# --- settings ----------------------------------------------------------------------------


def digest_configure(
    *,
    owner: User,
    enabled: bool | None = None,
    frequency: str | None = None,
    hour: int | None = None,
    weekday: int | None = None,
    send_when_empty: bool | None = None,
    now: dt.datetime | None = None,
) -> DigestSettings:
    """Change the account's digest settings; the next due time follows them."""
    now = now or timezone.now()
    with transaction.atomic():
        chosen = digest_settings_for(owner)
        if enabled is not None:
            chosen.enabled = enabled
        if frequency is not None:
            chosen.frequency = frequency
        if hour is not None:
            chosen.hour = hour
        if weekday is not None:
            chosen.weekday = weekday
        if send_when_empty is not None:
            chosen.send_when_empty = send_when_empty
        errors: dict[str, str] = {}
        if chosen.frequency not in DigestSettings.Frequency.values:
            errors["frequency"] = "Choose daily or weekly."
        if not 0 <= chosen.hour <= 23:
            errors["hour"] = "Choose an hour from 0 to 23."
        if not 0 <= chosen.weekday <= 6:
            errors["weekday"] = "Choose a day of the week."
        if errors:
            raise ValidationError(errors)
        chosen.next_at = next_digest_at(chosen, user_zone(owner), now) if chosen.enabled else None
        chosen.save()
    return chosen


def digest_reschedule(*, owner: User, now: dt.datetime | None = None) -> None:
    """After the account's time zone changes: the next digest at the chosen hour there."""
    chosen = DigestSettings.objects.filter(owner=owner, enabled=True).first()
    if chosen is not None:
        chosen.next_at = next_digest_at(chosen, user_zone(owner), now or timezone.now())
        chosen.save(update_fields=["next_at"])


def _verify_token(owner: User, email: str) -> str:
    return signing.dumps({"u": owner.pk, "e": email.lower()}, salt=_VERIFY_SALT)


def unsubscribe_token(owner: User) -> str:
    return signing.dumps({"u": owner.pk}, salt=_UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(owner: User) -> str:
    return absolute(f"/reminders/unsubscribe/{unsubscribe_token(owner)}/")


def digest_verification_send(*, owner: User) -> str:
    """Mail a verification link to the account's address; returns the server's answer.

    Raises ValidationError when the account has no address, MailError when it can't go."""
    email = (owner.email or "").strip()
    if not email:
        raise ValidationError(
            {"email": "Your account has no email address; add one on the settings page first."}
        )
    validate_email(email)
    link = absolute(f"/reminders/verify/{_verify_token(owner, email)}/")
    context = {"owner": owner, "link": link, "settings_url": absolute("/settings/")}
    message = EmailMultiAlternatives(
        subject="Confirm your address for the Circleback digest",
        body=render_to_string("reminders/mail/verify.txt", context),
        from_email=mail.from_address(),
        to=[email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    delivered = mail.send(message)
    DigestSettings.objects.update_or_create(owner=owner, defaults={"pending_email": email})
    return delivered.reply


def digest_verify(*, token: str, now: dt.datetime | None = None) -> User:
    """Follow a verification link: the address it was sent to becomes the digest's, if it is
    still the account's. Raises ValidationError for a bad, old or outdated link."""
    try:
        data = signing.loads(token, salt=_VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError("This link is more than three days old; ask for a new one.") from None
    except signing.BadSignature:
        raise ValidationError("This link is not one Circleback sent.") from None
    owner = User.objects.filter(pk=data.get("u")).first()
    if owner is None:
        raise ValidationError("This link is not one Circleback sent.")
    if (owner.email or "").lower() != data.get("e"):
        raise ValidationError(
            "Your account's address has changed since this link was sent; ask for a new one."
        )
    DigestSettings.objects.update_or_create(
        owner=owner,
        defaults={"verified_email": owner.email, "verified_at": now or timezone.now()},
    )
    return owner


def unsubscribe_owner(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("u")).first()


def digest_unsubscribe(*, token: str) -> User | None:
    """Turn the digest off from its one-click link; the account, or None for a bad link."""
    owner = unsubscribe_owner(token)
    if owner is not None:
        DigestSettings.objects.filter(owner=owner).update(enabled=False, next_at=None)
    return owner


# --- finding what is due -----------------------------------------------------------------


def digests_due(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Create the digests that have fallen due and queue them; the ids queued.

    Each account's next time moves forward by a conditional update before its digest row is
    made, so two schedulers running at once make one row (and the unique constraint on
    (account, period) would refuse a second anyway)."""
    from circleback.reminders.tasks import send_digest

    now = now or timezone.now()
    queued: list[int] = []
    due = (
        DigestSettings.objects.filter(enabled=True, next_at__lte=now)
        .select_related("owner")
        .order_by("next_at")[:limit]
    )
    for chosen in due:
        zone = user_zone(chosen.owner)
        due_at = chosen.next_at
        assert due_at is not None
        day = due_at.astimezone(zone).date()
        expected = dt.datetime(day.year, day.month, day.day, chosen.hour, tzinfo=zone)
        if expected.astimezone(dt.UTC) != due_at:
            # The time zone (or the hour) changed since this was worked out: due again at
            # the chosen hour where the user now is.
            DigestSettings.objects.filter(pk=chosen.pk, next_at=due_at).update(
                next_at=next_digest_at(chosen, zone, now - dt.timedelta(hours=1))
            )
            continue
        with transaction.atomic():
            moved = DigestSettings.objects.filter(pk=chosen.pk, next_at=due_at).update(
                next_at=next_digest_at(chosen, zone, max(now, due_at))
            )
            if moved != 1:
                continue
            late = now - due_at > LATE_LIMIT
            digest, created = Digest.objects.get_or_create(
                owner=chosen.owner,
                period=period_of(chosen, due_at, zone),
                defaults={
                    "due_at": due_at,
                    "status": Digest.Status.MISSED if late else Digest.Status.DUE,
                },
            )
            if created and not late:
                send_digest.enqueue(digest.pk)
                queued.append(digest.pk)
    # Claims left by a worker that died, should its task have gone too: due again (a worker
    # that recovered the task first claims it; this one then finds nothing to do).
    for digest_id, claimer in list(
        Digest.objects.filter(_dead_workers(now)).values_list("pk", "claimed_by")[:limit]
    ):
        with transaction.atomic():
            if (
                Digest.objects.filter(
                    pk=digest_id, status=Digest.Status.SENDING, claimed_by=claimer
                ).update(status=Digest.Status.DUE)
                == 1
            ):
                send_digest.enqueue(digest_id)
                queued.append(digest_id)
    # Failed sends whose next try has come.
    retry = Digest.objects.filter(status=Digest.Status.FAILED, next_attempt_at__lte=now)
    for digest_id, attempt_at in list(retry.values_list("pk", "next_attempt_at")[:limit]):
        with transaction.atomic():
            if (
                Digest.objects.filter(
                    pk=digest_id, status=Digest.Status.FAILED, next_attempt_at=attempt_at
                ).update(status=Digest.Status.DUE, next_attempt_at=None)
                == 1
            ):
                send_digest.enqueue(digest_id)
                queued.append(digest_id)
    return queued


# --- sending -----------------------------------------------------------------------------


def message_id(owner: User, period: str) -> str:
    """The same for every attempt at one account's digest for one period, and unguessable."""
    digest = salted_hmac("circleback.digest", f"{owner.pk}:{period}").hexdigest()[:32]
    domain = mail.from_address().rpartition("@")[2] or "circleback.invalid"
    return f"<digest.{period}.{digest}@{domain}>"


def digest_message(
    *, owner: User, period: str, to: str, now: dt.datetime | None = None, weekly: bool = False
) -> tuple[EmailMultiAlternatives, bool]:
    """The digest as a message (plain text and HTML), and whether anything is in it."""
    content = digest_content(owner, now=now, weekly=weekly)
    day = content.today
    context = {
        "owner": owner,
        "content": content,
        "weekly": weekly,
        "day": day,
        "today_url": absolute("/today/"),
        "settings_url": absolute("/settings/#reminders"),
        "unsubscribe_url": unsubscribe_url(owner),
    }
    subject = (
        f"Your networking week: {content.count} thing{'s' if content.count != 1 else ''} to do"
        if weekly
        else f"Today, {day:%a %d %b}: {content.count} thing{'s' if content.count != 1 else ''} "
        "to do"
    )
    if content.is_empty:
        subject = "Your networking week: nothing is due" if weekly else "Nothing is due today"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("reminders/mail/digest.txt", context),
        from_email=mail.from_address(),
        to=[to],
        headers={
            "Message-ID": message_id(owner, period),
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(render_to_string("reminders/mail/digest.html", context), "text/html")
    return message, not content.is_empty


def _dead_workers(now: dt.datetime) -> Q:
    dead = WorkerHeartbeat.objects.filter(
        Q(stopped_at__isnull=False) | Q(expires_at__lt=now)
    ).values("worker_id")
    return Q(status=Digest.Status.SENDING, claimed_by__in=dead)


def digest_send(*, digest_id: int, worker_id: str, now: dt.datetime | None = None) -> str:
    """Claim, send and record one digest; what happened, in a word (sent, empty, failed,
    skipped). Safe to run twice: a second run finds the digest claimed or done and stops."""
    now = now or timezone.now()
    claimable = Q(status=Digest.Status.DUE) | _dead_workers(now)
    claimed = (
        Digest.objects.filter(pk=digest_id)
        .filter(claimable)
        .update(
            status=Digest.Status.SENDING,
            claimed_by=worker_id,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    )
    if claimed != 1:
        return "skipped"
    failpoints.reach("digest-after-claim")
    digest = Digest.objects.select_related("owner").get(pk=digest_id)
    owner = digest.owner
    chosen = digest_settings_for(owner)
    address = chosen.verified_email
    if not chosen.enabled or not address or address.lower() != (owner.email or "").lower():
        # Turned off, or the address changed since it was verified: nothing goes out.
        Digest.objects.filter(pk=digest_id).update(status=Digest.Status.EMPTY)
        return "empty"
    weekly = chosen.frequency == DigestSettings.Frequency.WEEKLY
    message, has_items = digest_message(
        owner=owner, period=digest.period, to=address, now=now, weekly=weekly
    )
    if not has_items and not (weekly and chosen.send_when_empty):
        Digest.objects.filter(pk=digest_id).update(status=Digest.Status.EMPTY)
        return "empty"
    try:
        delivered = mail.send(message)
    except mail.MailError as exc:
        retry = (
            now + RETRY_DELAYS[digest.attempts - 1]
            if digest.attempts <= len(RETRY_DELAYS)
            else None
        )
        Digest.objects.filter(pk=digest_id, claimed_by=worker_id).update(
            status=Digest.Status.FAILED,
            last_error=str(exc)[:500],
            last_error_at=now,
            next_attempt_at=retry,
        )
        logger.warning("digest %s for account %s failed: %s", digest.period, owner.pk, exc)
        return "failed"
    failpoints.reach("digest-after-send")
    Digest.objects.filter(pk=digest_id, claimed_by=worker_id).update(
        status=Digest.Status.SENT,
        sent_at=timezone.now(),
        sent_to=address,
        message_id=message.extra_headers["Message-ID"],
        server_reply=delivered.reply[:500],
        last_error="",
        next_attempt_at=None,
    )
    return "sent"


def digest_send_test(*, owner: User, to: str = "", now: dt.datetime | None = None) -> str:
    """Send today's digest now (even if nothing is due), to the account's address or `to`;
    the server's answer. Records nothing: a test never stands in for the day's digest."""
    address = (to or owner.email or "").strip()
    if not address:
        raise ValidationError(
            {"to": "Your account has no email address; add one, or say where to send it."}
        )
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"to": f"{address!r} is not an email address."}) from None
    now = now or timezone.now()
    period = "test-" + now.strftime("%Y%m%d%H%M%S")
    message, _ = digest_message(owner=owner, period=period, to=address, now=now)
    message.subject = "[Test] " + message.subject
    return mail.send(message).reply


# --- the calendar feed -------------------------------------------------------------------


def calendar_token_reset(*, owner: User) -> str:
    """A new private feed token (the old one stops working at once); shown once, kept hashed."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        owner=owner,
        defaults={"token_hash": token_hash(token), "created_at": timezone.now()},
    )
    return token


def calendar_token_revoke(*, owner: User) -> bool:
    deleted, _ = CalendarFeed.objects.filter(owner=owner).delete()
    return deleted > 0


def calendar_feed_url(token: str) -> str:
    return absolute(f"/calendar/{token}.ics")


def calendar_fetched(*, owner: User, now: dt.datetime | None = None) -> None:
    CalendarFeed.objects.filter(owner=owner).update(last_fetched_at=now or timezone.now())


# --- clean-up ----------------------------------------------------------------------------

TASK_RESULTS_KEPT = dt.timedelta(days=7)


# Other areas' clean-ups the hourly job runs too, by name: each area above registers its own
# when its app is ready (interchange: unconfirmed import previews), so this one imports none.
CLEAN_UPS: dict[str, Callable[[dt.datetime], int]] = {}


def clean_up_register(name: str, clean: Callable[[dt.datetime], int]) -> None:
    CLEAN_UPS[name] = clean


def clean_up(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete import previews nobody confirmed within a day (their uploaded bytes with them),
    finished task records older than a week, and workers long stopped."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    done = {name: clean(now) for name, clean in CLEAN_UPS.items()}
    tasks, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=now - TASK_RESULTS_KEPT,
    ).delete()
    workers, _ = WorkerHeartbeat.objects.filter(stopped_at__lt=now - TASK_RESULTS_KEPT).delete()
    return {**done, "tasks": tasks, "workers": workers}
