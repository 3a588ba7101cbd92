"""Reads: what the digest says, what the calendar feed holds, and whether a worker runs.

The digest reuses the daily agenda (insights' `agenda_for`) as it is; this only turns it
into lines with links. Both the digest and the feed say names and what is due — never notes
or contact details, which are third parties' personal data and would leave the machine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from circleback.accounts.models import User
from circleback.accounts.queries import user_zone
from circleback.insights import sources
from circleback.insights.queries.agenda import agenda_for
from circleback.jobs.queries import calendar_items
from circleback.reminders.models import CalendarFeed, Digest, DigestSettings, WorkerHeartbeat


def base_url() -> str:
    return getattr(settings, "CIRCLEBACK_BASE_URL", "") or "http://127.0.0.1:8000"


def absolute(path: str) -> str:
    """A link into the app, from a path (an address elsewhere is left as it is)."""
    if not path or "://" in path:
        return path
    return base_url() + path


# --- the worker ----------------------------------------------------------------------------


def worker_last_seen() -> dt.datetime | None:
    """When any worker last said it was alive (None if none ever has). /healthz uses it."""
    seen: dt.datetime | None = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
    return seen


def worker_running(now: dt.datetime | None = None) -> bool:
    """Whether some worker's heartbeat is current."""
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(stopped_at__isnull=True, expires_at__gte=now).exists()


# --- the digest ----------------------------------------------------------------------------


@dataclass
class Line:
    text: str
    url: str = ""
    action: str = ""  # the one action that closes it, when there is one


@dataclass
class Section:
    title: str
    lines: list[Line]


@dataclass
class DigestContent:
    today: dt.date
    sections: list[Section] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(s.lines for s in self.sections)

    @property
    def count(self) -> int:
        return sum(len(s.lines) for s in self.sections)


def digest_content(
    owner: User, *, now: dt.datetime | None = None, weekly: bool = False
) -> DigestContent:
    """Today's agenda as the digest shows it: titles, names, actions and links only. A weekly
    digest also lists the meetings of the six days after it, so the week can be planned."""
    agenda = agenda_for(owner, now=now)
    content = DigestContent(today=agenda.today)
    content.sections.append(
        Section(
            "Loops overdue",
            [
                Line(
                    item.title,
                    absolute(item.url),
                    item.actions[0].label if item.actions else "",
                )
                for item in agenda.loops_overdue
            ],
        )
    )
    content.sections.append(
        Section(
            "Thank-yous due",
            [
                Line(item.title, absolute(item.url), "Send your thanks")
                for item in agenda.thank_yous
            ],
        )
    )
    content.sections.append(
        Section(
            "Today's meetings",
            [
                Line(item.title, absolute(item.url), "Read the prep brief" if item.url else "")
                for item in agenda.meetings
            ],
        )
    )
    for extra in agenda.extra:
        content.sections.append(
            Section(
                extra.title,
                [
                    Line(
                        item.title,
                        absolute(item.url),
                        item.actions[0].label if item.actions else "",
                    )
                    for item in extra.items
                ],
            )
        )
    if weekly:
        content.sections.append(
            Section(
                "Later this week",
                [
                    Line(
                        f"{day:%A}: {item.title}",
                        absolute(item.url),
                        "Read the prep brief" if item.url else "",
                    )
                    for day in (agenda.today + dt.timedelta(days=n) for n in range(1, 7))
                    for item in sources.meetings_on(owner, day)
                ],
            )
        )
    content.sections.append(
        Section(
            "Reconnect",
            [
                Line(
                    f"{r.person.full_name}{' (a weak tie — they get their turn)' if r.weak else ''}"
                    f": {r.reason[0].lower()}{r.reason[1:]}",
                    absolute(f"/people/{r.person.uuid}/"),
                    "Say hello",
                )
                for r in agenda.reconnects
            ],
        )
    )
    content.sections.append(
        Section(
            "A give for today",
            [Line(g.title, absolute("/today/"), "") for g in agenda.gives],
        )
    )
    content.sections = [s for s in content.sections if s.lines]
    return content


@dataclass
class DigestStatus:
    settings: DigestSettings
    email: str  # the account's address now
    verified: bool  # the address the digest goes to is the account's, and was verified
    last: Digest | None
    last_sent: Digest | None

    @property
    def summary(self) -> str:
        """One line, as `circleback digest status` and the settings page say it."""
        zone = user_zone(self.settings.owner)
        if not self.settings.enabled:
            return "The digest is off."
        if not self.verified:
            if not self.email:
                return "The digest is on, but your account has no email address yet."
            return f"The digest is on, waiting for {self.email} to be verified (see your inbox)."
        last = self.last
        if last is not None and last.status == Digest.Status.FAILED:
            when = timezone.localtime(last.last_error_at or last.due_at, zone)
            text = f"Last digest failed: {last.last_error} at {when:%H:%M}"
            if last.next_attempt_at:
                retry = timezone.localtime(last.next_attempt_at, zone)
                return f"{text}; retrying at {retry:%H:%M}."
            return f"{text}; given up after {last.attempts} attempts."
        if last is not None and last.status == Digest.Status.MISSED:
            when = timezone.localtime(last.due_at, zone)
            return (
                f"No digest went out on {when:%d %b} at {when:%H:%M}: no worker was running. "
                "Start one with `circleback worker`."
            )
        parts = []
        if self.last_sent is not None and self.last_sent.sent_at is not None:
            sent = timezone.localtime(self.last_sent.sent_at, zone)
            parts.append(f"Last sent {sent:%d %b at %H:%M} to {self.last_sent.sent_to}.")
        if self.settings.next_at:
            nxt = timezone.localtime(self.settings.next_at, zone)
            parts.append(f"Next one {nxt:%a %d %b at %H:%M}.")
        return " ".join(parts) or "The digest is on."


def digest_settings_for(owner: User) -> DigestSettings:
    """The account's digest settings (off, daily at 07:00, until chosen otherwise)."""
    found = DigestSettings.objects.filter(owner=owner).first()
    return found if found is not None else DigestSettings(owner=owner)


def digest_status(owner: User) -> DigestStatus:
    chosen = digest_settings_for(owner)
    email = owner.email or ""
    verified = bool(
        email and chosen.verified_email and chosen.verified_email.lower() == email.lower()
    )
    recent = Digest.objects.filter(owner=owner).order_by("-due_at", "-pk")
    last = recent.exclude(status=Digest.Status.EMPTY).first()
    last_sent = recent.filter(status=Digest.Status.SENT).first()
    return DigestStatus(chosen, email, verified, last, last_sent)


def digests_recent(owner: User, limit: int = 10) -> list[Digest]:
    return list(Digest.objects.filter(owner=owner).order_by("-due_at", "-pk")[:limit])


# --- the calendar feed ---------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_owner(token: str) -> User | None:
    """The account a feed token belongs to, or None (revoked, replaced, never issued)."""
    if not token or len(token) > 200:
        return None
    feed = CalendarFeed.objects.filter(token_hash=token_hash(token)).select_related("owner").first()
    return feed.owner if feed is not None else None


def calendar_feed_exists(owner: User) -> bool:
    return CalendarFeed.objects.filter(owner=owner).exists()


FEED_PAST = dt.timedelta(days=30)
FEED_AHEAD = dt.timedelta(days=180)
FEED_STEPS = 500


@dataclass
class FeedEvent:
    uid: str
    summary: str
    url: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    changed: dt.datetime


def calendar_events(owner: User, *, now: dt.datetime | None = None) -> list[FeedEvent]:
    """Scheduled meetings (with their prep brief), interviews, and open loop steps and job
    follow-ups (thank-yous included) as events. An overdue step sits on today, marked
    overdue, so it stays in sight; the same UID as before, so calendar apps move it rather
    than add another."""
    from circleback.loops.models import LoopStep, Meeting
    from circleback.loops.queries import loop_item

    now = now or timezone.now()
    zone = user_zone(owner)
    today = now.astimezone(zone).date()
    host = base_url().split("://", 1)[-1].split("/")[0] or "circleback"
    events: list[FeedEvent] = []
    meetings = (
        Meeting.objects.filter(
            owner=owner,
            status=Meeting.Status.SCHEDULED,
            scheduled_for__gte=now - FEED_PAST,
            scheduled_for__lt=now + FEED_AHEAD,
        )
        .select_related("person")
        .order_by("scheduled_for", "pk")[:FEED_STEPS]
    )
    for meeting in meetings:
        start = meeting.scheduled_for.astimezone(zone)
        events.append(
            FeedEvent(
                uid=f"meeting-{meeting.uuid}@{host}",
                summary=f"Meeting with {meeting.person.full_name}",
                url=absolute(f"/meetings/{meeting.uuid}/"),
                start=start,
                end=start + dt.timedelta(minutes=meeting.duration_minutes),
                changed=meeting.created_at,
            )
        )
    steps = (
        LoopStep.objects.filter(owner=owner, done_at__isnull=True, due_at__lt=now + FEED_AHEAD)
        .select_related(
            "person", "about", "lead__organisation", "introduction", "meeting", "favour"
        )
        .order_by("due_at", "pk")[:FEED_STEPS]
    )
    for step in steps:
        item = loop_item(step, now)
        due_day = step.due_at.astimezone(zone).date()
        # A snoozed step comes back on the day its snooze ends.
        day = max(due_day, today, step.snoozed_until or due_day)
        summary = ("Overdue: " if due_day < today else "Due: ") + item.title
        events.append(
            FeedEvent(
                uid=f"step-{step.uuid}@{host}",
                summary=summary,
                url=absolute(
                    f"/meetings/{step.meeting.uuid}/log/"
                    if item.url_name and step.meeting is not None
                    else "/loops/"
                ),
                start=day,
                end=day + dt.timedelta(days=1),
                changed=step.due_at,
            )
        )
    for job in calendar_items(owner, now=now, past=FEED_PAST, ahead=FEED_AHEAD, limit=FEED_STEPS):
        events.append(
            FeedEvent(
                uid=f"{job.uid}@{host}",
                summary=job.summary,
                url=absolute(job.path),
                start=job.start,
                end=job.end,
                changed=job.changed,
            )
        )
    return events
