"""What a coach may read of the members who granted it, and the log members see of it.

A coach sees only the parts each member chose (`CoachGrant.parts`), and every look is written
to the member's log (`CoachView`). The dashboard reads every client at once — one aggregate
query per measure, never one per member. Agenda and health are shown as counts, never the
member's contacts' details; journal entries by title only, never their notes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, Max, Q

from circleback.accounts.models import User
from circleback.groups.models import BoardPost, CoachView, Part
from circleback.groups.queries import display_name, get_grant_for_coach, grants_received
from circleback.groups.services import coach_view_record
from circleback.journal.models import Interaction
from circleback.loops.models import Favour, LoopStep
from circleback.ops import clock

ACTIVE_DAYS = 30
QUIET_DAYS = 30
ONLY_ASKS = 3  # this many favours or asks received with none given back


@dataclass
class Client:
    """One consenting member on the coach's dashboard: only the parts they granted."""

    grant: str
    username: str
    name: str
    group: str
    parts: list[str]
    entries_30d: int | None = None
    last_entry: dt.datetime | None = None
    overdue_loops: int | None = None
    open_loops: int | None = None
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The dashboard row as the API and `coach clients --json` give it (None: not granted)."""
        return {
            "grant": self.grant,
            "username": self.username,
            "name": self.name,
            "group": self.group,
            "parts": self.parts,
            "journal_entries_30_days": self.entries_30d,
            "open_loops": self.open_loops,
            "overdue_loops": self.overdue_loops,
            "flags": self.flags,
        }


def coach_dashboard(*, coach: User, now: dt.datetime | None = None) -> list[Client]:
    now = now or clock.now()
    grants = list(grants_received(coach=coach).order_by("owner__username"))
    if not grants:
        return []
    by_id = {g.owner_id: g for g in grants}
    journal_ids = [g.owner_id for g in grants if Part.JOURNAL in g.parts]
    loops_ids = [g.owner_id for g in grants if Part.LOOPS in g.parts]
    since = now - dt.timedelta(days=ACTIVE_DAYS)
    activity = {
        row["owner"]: row
        for row in Interaction.objects.filter(owner_id__in=journal_ids)
        .values("owner")
        .annotate(recent=Count("pk", filter=Q(occurred_at__gte=since)), last=Max("occurred_at"))
    }
    loops = {
        row["owner"]: row
        for row in LoopStep.objects.filter(owner_id__in=loops_ids, done_at__isnull=True)
        .values("owner")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    }
    favours = {
        row["owner"]: row
        for row in Favour.objects.filter(owner_id__in=loops_ids)
        .values("owner")
        .annotate(
            given=Count("pk", filter=Q(direction=Favour.Direction.GIVEN)),
            received=Count("pk", filter=Q(direction=Favour.Direction.RECEIVED)),
        )
    }
    posts = {
        row["owner"]: row
        for row in BoardPost.objects.filter(owner_id__in=loops_ids)
        .values("owner")
        .annotate(
            asks=Count("pk", filter=Q(kind=BoardPost.Kind.ASK)),
            offers=Count("pk", filter=Q(kind=BoardPost.Kind.OFFER)),
        )
    }
    helped = {
        row["helper"]: row["n"]
        for row in BoardPost.objects.filter(helper_id__in=loops_ids)
        .values("helper")
        .annotate(n=Count("pk"))
    }
    clients = []
    for owner_id, grant in by_id.items():
        client = Client(
            grant=str(grant.uuid),
            username=grant.owner.get_username(),
            name=display_name(grant.owner),
            group=grant.group.name,
            parts=list(grant.parts),
        )
        if owner_id in journal_ids:
            row = activity.get(owner_id, {})
            client.entries_30d = row.get("recent", 0)
            client.last_entry = row.get("last")
            quiet = client.last_entry is None or client.last_entry < now - dt.timedelta(
                days=QUIET_DAYS
            )
            if quiet and grant.owner.mode == User.Mode.EMPLOYED:
                client.flags.append("went quiet after landing a job")
            elif quiet:
                client.flags.append(f"nothing in the journal for {QUIET_DAYS} days")
        if owner_id in loops_ids:
            row = loops.get(owner_id, {})
            client.open_loops = row.get("open", 0)
            client.overdue_loops = row.get("overdue", 0)
            f = favours.get(owner_id, {})
            p = posts.get(owner_id, {})
            got = f.get("received", 0) + p.get("asks", 0)
            gave = f.get("given", 0) + p.get("offers", 0) + helped.get(owner_id, 0)
            if got >= ONLY_ASKS and gave == 0:
                client.flags.append("only asks: nothing given back yet")
        clients.append(client)
    return clients


@dataclass
class MemberView:
    """The parts of one member a coach opened, as the coach may see them."""

    name: str
    parts: list[str]
    agenda: dict[str, int] | None = None
    goals: list[tuple[str, int, int, int]] | None = None  # label, this month, target, streak
    health: dict[str, int] | None = None
    loops: dict[str, int] | None = None
    journal: list[tuple[dt.datetime, str, str]] | None = None  # when, kind, title

    def as_dict(self) -> dict[str, Any]:
        """What the coach may see, as the API and `coach show --json` give it (None: not
        granted)."""
        return asdict(self)


def coach_member_view(*, coach: User, username: str) -> MemberView:
    """What the coach may see of one member (404 without a grant), each part logged."""
    from circleback.insights.queries.agenda import agenda_for
    from circleback.insights.queries.goals import goals_for
    from circleback.insights.queries.health import health_for

    grant = get_grant_for_coach(coach, username)
    member = grant.owner
    view = MemberView(name=display_name(member), parts=list(grant.parts))
    if Part.AGENDA in grant.parts:
        agenda = agenda_for(member)
        view.agenda = {
            "loops overdue": len(agenda.loops_overdue),
            "thank-yous due": len(agenda.thank_yous),
            "meetings today": len(agenda.meetings),
            "people to reconnect with": len(agenda.reconnects),
        }
    if Part.GOALS in grant.parts:
        goals = goals_for(member)
        view.goals = [(g.label, g.this_month, g.target, g.streak) for g in goals.progress]
    if Part.HEALTH in grant.parts:
        health = health_for(member)
        view.health = {
            "people who would help (of 10)": health.name_ten,
            "people in the network": health.total,
            "never contacted": health.untouched,
            "weak ties activated": health.weak_activated,
        }
    if Part.LOOPS in grant.parts:
        open_steps = LoopStep.objects.filter(owner=member, done_at__isnull=True)
        view.loops = {
            "open": open_steps.count(),
            "overdue": open_steps.filter(due_at__lt=clock.now()).count(),
        }
    if Part.JOURNAL in grant.parts:
        view.journal = [
            (row["occurred_at"], row["kind"], row["summary"])
            for row in Interaction.objects.filter(owner=member)
            .order_by("-occurred_at")
            .values("occurred_at", "kind", "summary")[:30]
        ]
    for part in grant.parts:
        coach_view_record(grant=grant, part=part)
    return view


def view_log(*, owner: User, limit: int = 100) -> list[CoachView]:
    return list(CoachView.objects.filter(owner=owner).order_by("-viewed_at", "-pk")[:limit])


def view_as_dict(view: CoachView) -> dict[str, Any]:
    """One look a coach took, as the member's log shows it."""
    return {"viewed_at": view.viewed_at, "coach": view.coach_name, "part": view.part}
