"""Reads for openings and applications: lists, one opening's page, the network at its
organisation, the agenda's follow-ups and interviews, the calendar's, and what worked."""

from __future__ import annotations

import datetime as dt
import statistics
import uuid as uuid_module
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from circleback.accounts.models import User
from circleback.accounts.queries import user_zone
from circleback.insights.queries.agenda import ExtraSection
from circleback.insights.sources import SourceAction, SourceItem
from circleback.jobs.models import (
    ENDINGS,
    Application,
    FollowUp,
    Interview,
    Involvement,
    JobStage,
    Opening,
    Route,
    StageChange,
)
from circleback.loops.services.drafts import Draft
from circleback.paths.queries.paths import PathsResult, paths_to_organisation
from circleback.people.models import Organisation, Person

LIST_LIMIT = 500


def _uuid(value: str | uuid_module.UUID) -> uuid_module.UUID | None:
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError:
        return None


def openings(owner: User) -> QuerySet[Opening]:
    return (
        Opening.objects.filter(owner=owner)
        .select_related("organisation", "source_person", "application")
        .order_by("-found_on", "-pk")
    )


def get_opening_for(owner: User, opening_uuid: str | uuid_module.UUID) -> Opening:
    """The owner's opening with this UUID, or Http404 (also for someone else's)."""
    parsed = _uuid(opening_uuid)
    found = openings(owner).filter(uuid=parsed).first() if parsed else None
    if found is None:
        raise Http404("No such opening.")
    return found


def get_follow_up_for(owner: User, follow_up_uuid: str | uuid_module.UUID) -> FollowUp:
    parsed = _uuid(follow_up_uuid)
    found = (
        FollowUp.objects.filter(owner=owner, uuid=parsed)
        .select_related("application__opening__organisation", "person")
        .first()
        if parsed
        else None
    )
    if found is None:
        raise Http404("No such follow-up.")
    return found


def get_interview_for(owner: User, interview_uuid: str | uuid_module.UUID) -> Interview:
    parsed = _uuid(interview_uuid)
    found = (
        Interview.objects.filter(owner=owner, uuid=parsed)
        .select_related("application__opening__organisation")
        .first()
        if parsed
        else None
    )
    if found is None:
        raise Http404("No such interview.")
    return found


def get_involvement_for(
    owner: User, opening: Opening, involvement_uuid: str | uuid_module.UUID
) -> Involvement:
    """Someone's part in this opening's application, or Http404."""
    parsed = _uuid(involvement_uuid)
    found = (
        Involvement.objects.filter(owner=owner, application__opening=opening, uuid=parsed)
        .select_related("person", "interview", "application__opening")
        .first()
        if parsed
        else None
    )
    if found is None:
        raise Http404("No such person on this opening.")
    return found


def follow_ups_open(
    *, owner: User, due_by: dt.date | None = None, opening: Opening | None = None
) -> QuerySet[FollowUp]:
    """Follow-ups still to do, soonest due first: those due by `due_by` if given (today's
    agenda), of one opening if given."""
    found = FollowUp.objects.filter(owner=owner, done_on__isnull=True)
    if due_by is not None:
        found = found.filter(due_on__lte=due_by)
    if opening is not None:
        found = found.filter(application__opening=opening)
    return found.select_related(
        "application__opening__organisation", "person", "interview"
    ).order_by("due_on", "pk")


def interviews_list(
    *, owner: User, since: dt.datetime | None = None, opening: Opening | None = None
) -> QuerySet[Interview]:
    """Interviews, soonest first: from `since` on if given (the coming ones), of one opening
    if given; with their opening and interviewers."""
    found = Interview.objects.filter(owner=owner)
    if since is not None:
        found = found.filter(scheduled_for__gte=since)
    if opening is not None:
        found = found.filter(application__opening=opening)
    return (
        found.select_related("application__opening__organisation")
        .prefetch_related("people__person")
        .order_by("scheduled_for", "pk")
    )


def openings_list(*, owner: User, stage: str = "", open_only: bool = False) -> QuerySet[Opening]:
    """The owner's openings, newest found first; by stage, or only those still open."""
    found = openings(owner)
    if stage:
        found = found.filter(application__stage=stage)
    if open_only:
        found = found.exclude(application__stage__in=list(ENDINGS))
    return found


@dataclass
class OpeningDetail:
    opening: Opening
    application: Application
    changes: list[StageChange]
    people: list[Involvement]
    interviews: list[Interview]
    follow_ups: list[FollowUp]


def opening_detail(opening: Opening) -> OpeningDetail:
    application = opening.application
    return OpeningDetail(
        opening=opening,
        application=application,
        changes=list(application.changes.order_by("on", "pk")),
        people=list(
            application.people.select_related("person", "interview").order_by("role", "pk")
        ),
        interviews=list(
            application.interviews.prefetch_related("people__person").order_by("scheduled_for")
        ),
        follow_ups=list(
            application.follow_ups.select_related("person", "interview").order_by(
                "done_on", "due_on", "pk"
            )
        ),
    )


@dataclass
class Network:
    """Who you know at an opening's organisation, and the ranked ways in."""

    organisation: Organisation
    people_there: list[Person]
    ways_in: PathsResult


NETWORK_PEOPLE = 12


def network_at(*, owner: User, organisation: Organisation, limit: int = 5) -> Network:
    people = list(
        Person.objects.filter(owner=owner, organisation=organisation).order_by(
            "-is_decision_maker", "-closeness", "full_name", "pk"
        )[:NETWORK_PEOPLE]
    )
    return Network(
        organisation=organisation,
        people_there=people,
        ways_in=paths_to_organisation(owner=owner, organisation=organisation, limit=limit),
    )


# --- the agenda, the digest and the calendar ------------------------------------------------


def _reverse(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def follow_up_title(follow_up: FollowUp) -> str:
    opening = follow_up.application.opening
    label = f"{opening.title} at {opening.organisation.name}"
    if follow_up.kind == FollowUp.Kind.THANK_YOU:
        who = follow_up.person.full_name if follow_up.person else "your interviewers"
        return f"Send {who} a thank-you note for the interview ({label})"
    return f"Follow up on your application for {label}"


AGENDA_LIMIT = 10


def agenda_sections(owner: User, today: dt.date, now: dt.datetime) -> list[ExtraSection]:
    """The agenda's job sections — interviews today and tomorrow with their prep brief, and
    follow-ups due (chase a silent application, thank an interviewer) — in one query.

    Every interview owes at least one thank-you, due the day after it, so its follow-ups
    bring it along: the follow-ups due and those of the coming interviews are read
    together."""
    zone = user_zone(owner)
    start = dt.datetime.combine(today, dt.time(), tzinfo=zone)
    rows = list(
        FollowUp.objects.filter(owner=owner)
        .filter(
            Q(done_on__isnull=True, due_on__lte=today)
            | Q(
                interview__status=Interview.Status.SCHEDULED,
                interview__scheduled_for__gte=start,
                interview__scheduled_for__lt=start + dt.timedelta(days=2),
            )
        )
        .select_related("application__opening__organisation", "person", "interview")
        .order_by("due_on", "pk")[: AGENDA_LIMIT * 4]
    )
    interviews: dict[int, Interview] = {}
    due: list[FollowUp] = []
    for row in rows:
        interview = row.interview
        if (
            interview is not None
            and interview.status == Interview.Status.SCHEDULED
            and start <= interview.scheduled_for < start + dt.timedelta(days=2)
        ):
            interview.application = row.application
            interviews.setdefault(interview.pk, interview)
        if row.done_on is None and row.due_on <= today:
            due.append(row)
    coming = sorted(interviews.values(), key=lambda i: (i.scheduled_for, i.pk))
    return [
        ExtraSection(
            "job_interviews",
            "Interviews",
            [_interview_item(i, today, zone) for i in coming[:AGENDA_LIMIT]],
        ),
        ExtraSection(
            "job_follow_ups",
            "Job search follow-ups",
            [_follow_up_item(f, zone) for f in due[:AGENDA_LIMIT]],
        ),
    ]


def _follow_up_item(follow_up: FollowUp, zone: Any) -> SourceItem:
    opening = follow_up.application.opening
    page = _reverse("jobs:opening_detail", opening.uuid)
    done = _reverse("jobs:follow_up_done", follow_up.uuid)
    chase = follow_up.kind == FollowUp.Kind.CHASE
    applied = follow_up.application.applied_on
    return SourceItem(
        title=follow_up_title(follow_up),
        detail=(
            f"Applied {applied:%d %b} and no answer yet: a short, friendly note to ask "
            "where it stands."
            if chase and applied
            else "Thank them within a day: it is remembered."
        ),
        due=dt.datetime.combine(follow_up.due_on, dt.time(), tzinfo=zone),
        person_name=follow_up.person.full_name if follow_up.person else "",
        person_uuid=str(follow_up.person.uuid) if follow_up.person else "",
        url=page,
        actions=(
            [SourceAction(url=done, label="Followed up" if chase else "Thank-you sent")]
            if done
            else []
        )
        + (
            [SourceAction(url=draft, label="Draft the thank-you", method="get")]
            if not chase and (draft := _reverse("jobs:follow_up_thank_you", follow_up.uuid))
            else []
        ),
    )


def _interview_item(interview: Interview, today: dt.date, zone: Any) -> SourceItem:
    opening = interview.application.opening
    when = interview.scheduled_for.astimezone(zone)
    day = "Today" if when.date() == today else "Tomorrow"
    prep = _reverse("jobs:interview_prep", interview.uuid)
    return SourceItem(
        title=f"{day} {when:%H:%M}: {interview.get_kind_display().lower()} for "
        f"{opening.title} at {opening.organisation.name}",
        detail=interview.location,
        due=interview.scheduled_for,
        url=prep,
        actions=[SourceAction(url=prep, label="Read the prep brief", method="get")] if prep else [],
    )


@dataclass
class CalendarItem:
    uid: str
    summary: str
    path: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    changed: dt.datetime


def calendar_items(
    owner: User, *, now: dt.datetime, past: dt.timedelta, ahead: dt.timedelta, limit: int
) -> list[CalendarItem]:
    """Interviews as timed events, open follow-ups as all-day ones (an overdue one on
    today, so it stays in sight): for the calendar feed."""
    zone = user_zone(owner)
    today = now.astimezone(zone).date()
    items: list[CalendarItem] = []
    for interview in (
        Interview.objects.filter(
            owner=owner,
            status=Interview.Status.SCHEDULED,
            scheduled_for__gte=now - past,
            scheduled_for__lt=now + ahead,
        )
        .select_related("application__opening__organisation")
        .order_by("scheduled_for", "pk")[:limit]
    ):
        opening = interview.application.opening
        start = interview.scheduled_for.astimezone(zone)
        items.append(
            CalendarItem(
                uid=f"interview-{interview.uuid}",
                summary=f"Interview: {opening.title} at {opening.organisation.name}",
                path=f"/jobs/interviews/{interview.uuid}/prep/",
                start=start,
                end=start + dt.timedelta(minutes=interview.duration_minutes),
                changed=interview.created_at,
            )
        )
    for follow_up in (
        FollowUp.objects.filter(
            owner=owner, done_on__isnull=True, due_on__lt=(now + ahead).astimezone(zone).date()
        )
        .select_related("application__opening__organisation", "person")
        .order_by("due_on", "pk")[:limit]
    ):
        day = max(follow_up.due_on, today)
        items.append(
            CalendarItem(
                uid=f"followup-{follow_up.uuid}",
                summary=("Overdue: " if follow_up.due_on < today else "Due: ")
                + follow_up_title(follow_up),
                path=f"/jobs/{follow_up.application.opening.uuid}/",
                start=day,
                end=day + dt.timedelta(days=1),
                changed=follow_up.created_at,
            )
        )
    return items


# --- what worked ---------------------------------------------------------------------------

# Below this many applications on a route, its rates say little; the page and --json say so.
ENOUGH = 5
ROUTE_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("referred", "Referred", (Route.REFERRAL,)),
    ("contact", "Through a contact", (Route.CONTACT,)),
    ("recruiter", "Through a recruiter", (Route.RECRUITER,)),
    ("cold", "Cold (job board or company site)", (Route.BOARD, Route.SITE)),
)
# How far an application got, for ranking referrers: the furthest stage it reached.
REACH = {
    JobStage.FOUND: 0,
    JobStage.WITHDRAWN: 0,
    JobStage.APPLIED: 1,
    JobStage.REJECTED: 1,
    JobStage.INTERVIEWING: 2,
    JobStage.OFFER: 3,
    JobStage.DECLINED: 3,
    JobStage.ACCEPTED: 4,
}
REACH_WORDS = ("found", "applied", "interview", "offer", "accepted")


@dataclass
class RouteStats:
    key: str
    label: str
    applied: int = 0
    answered: int = 0
    interviews: int = 0
    offers: int = 0

    @property
    def enough(self) -> bool:
        return self.applied >= ENOUGH

    def rate(self, count: int) -> float | None:
        return round(count / self.applied, 3) if self.applied else None

    @property
    def words(self) -> str:
        if not self.applied:
            return "No applications this way yet."
        line = (
            f"{self.answered} of {self.applied} answered, {self.interviews} led to an "
            f"interview, {self.offers} to an offer."
        )
        if not self.enough:
            line += f" Too few to compare yet (fewer than {ENOUGH})."
        return line

    def as_dict(self) -> dict[str, Any]:
        return {
            "route": self.key,
            "label": self.label,
            "applied": self.applied,
            "answered": self.answered,
            "interviews": self.interviews,
            "offers": self.offers,
            "answer_rate": self.rate(self.answered),
            "interview_rate": self.rate(self.interviews),
            "offer_rate": self.rate(self.offers),
            "enough_to_compare": self.enough,
        }


@dataclass
class ReferrerStats:
    person: Person
    applications: int
    furthest: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": str(self.person.uuid),
            "name": self.person.full_name,
            "applications": self.applications,
            "furthest": self.furthest,
        }


@dataclass
class JobStats:
    openings: int
    routes: list[RouteStats]
    days_to_first_interview: list[int] = field(default_factory=list)
    referrers: list[ReferrerStats] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return sum(r.applied for r in self.routes)

    @property
    def median_days_to_interview(self) -> float | None:
        days = self.days_to_first_interview
        return statistics.median(days) if days else None

    @property
    def summary(self) -> str:
        """One honest sentence about what the numbers can say."""
        if not self.applied:
            return (
                "No applications yet, so nothing to compare. Once you've applied a few "
                "times, this shows which routes get answers."
            )
        enough = [r for r in self.routes if r.enough]
        if len(enough) < 2:
            return (
                f"{self.applied} application{'s' if self.applied != 1 else ''} so far: too few "
                f"to say which route works better. A route needs {ENOUGH} applications before "
                "its rates mean much."
            )
        best = max(enough, key=lambda r: (r.rate(r.interviews) or 0, r.applied))
        rate = round(100 * (best.rate(best.interviews) or 0))
        return (
            f"{best.label} applications led to an interview most often ({rate}% of "
            f"{best.applied}). Small numbers still: read it as a hint, not a rule."
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "openings": self.openings,
            "applied": self.applied,
            "summary": self.summary,
            "routes": [r.as_dict() for r in self.routes],
            "days_to_first_interview": {
                "count": len(self.days_to_first_interview),
                "median": self.median_days_to_interview,
            },
            "referrers": [r.as_dict() for r in self.referrers],
        }


def job_stats(*, owner: User) -> JobStats:
    """What worked, on the owner's own record: answers, interviews and offers per route,
    days from applying to the first interview, and whose referrals went furthest."""
    rows = list(
        Application.objects.filter(owner=owner).values_list(
            "pk",
            "stage",
            "applied_on",
            "answered_on",
            "first_interview_on",
            "opening__source",
            "opening__source_person_id",
        )
    )
    offered = set(
        StageChange.objects.filter(owner=owner, stage=JobStage.OFFER).values_list(
            "application_id", flat=True
        )
    )
    routes = {key: RouteStats(key, label) for key, label, _ in ROUTE_GROUPS}
    group_of = {source: key for key, _, sources in ROUTE_GROUPS for source in sources}
    days: list[int] = []
    reach: dict[int, tuple[int, int]] = {}
    for pk, stage, applied_on, answered_on, interview_on, source, person_id in rows:
        if applied_on is None:
            continue
        r = routes[group_of[source]]
        r.applied += 1
        r.answered += answered_on is not None
        r.interviews += interview_on is not None
        r.offers += pk in offered or stage in (JobStage.OFFER, JobStage.ACCEPTED, JobStage.DECLINED)
        if interview_on is not None and interview_on >= applied_on:
            days.append((interview_on - applied_on).days)
        if source == Route.REFERRAL and person_id is not None:
            count, best = reach.get(person_id, (0, 0))
            furthest = 3 if pk in offered else REACH[JobStage(stage)]
            if interview_on is not None:
                furthest = max(furthest, 2)
            reach[person_id] = (count + 1, max(best, furthest))
    people = Person.objects.filter(owner=owner).in_bulk(list(reach))
    referrers = sorted(
        (
            ReferrerStats(people[pk], count, REACH_WORDS[best])
            for pk, (count, best) in reach.items()
            if pk in people
        ),
        key=lambda r: (-REACH_WORDS.index(r.furthest), -r.applications, r.person.full_name),
    )
    return JobStats(
        openings=len(rows),
        routes=list(routes.values()),
        days_to_first_interview=sorted(days),
        referrers=referrers[:10],
    )


def stage_counts(owner: User) -> dict[str, int]:
    counts = dict(
        Application.objects.filter(owner=owner)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return {s.value: counts.get(s.value, 0) for s in JobStage}


def involved_in(owner: User, person: Person) -> QuerySet[Involvement]:
    return Involvement.objects.filter(owner=owner, person=person).select_related(
        "application__opening__organisation"
    )


# --- a thank-you after an interview ---------------------------------------------------------


def interview_thank_you_draft(*, owner: User, follow_up: FollowUp) -> Draft:
    """A thank-you note to an interviewer, to copy into email: the role, when you spoke, an
    offer to send anything more, signed with your own name. Nothing is written or sent."""
    if follow_up.owner_id != owner.pk or follow_up.kind != FollowUp.Kind.THANK_YOU:
        raise Http404("No such thank-you.")
    opening = follow_up.application.opening
    person = follow_up.person
    first = (person.given_name or person.full_name.split(" ")[0]) if person else "[their name]"
    interview = follow_up.interview
    when = ""
    if interview is not None:
        zone = user_zone(owner)
        day = interview.scheduled_for.astimezone(zone).date()
        today = dt.datetime.now(zone).date()
        when = (
            " today"
            if day == today
            else " yesterday"
            if day == today - dt.timedelta(days=1)
            else f" on {day:%A}"
            if 0 < (today - day).days < 7
            else f" on {day.day} {day:%B}"
        )
    role = f"the {opening.title} role at {opening.organisation.name}"
    paragraphs = [
        f"Dear {first},",
        f"Thank you for taking the time to speak with me{when} about {role}. I enjoyed our "
        "conversation, and I came away even more interested in the role and the team.",
        "If there's anything more I can send you, I'd be glad to.",
        f"With thanks,\n{owner.sign_off()}",
    ]
    warnings: list[str] = []
    if person is None:
        warnings.append(
            "Circleback doesn't know who interviewed you: add them on the opening's page and "
            "the note is addressed to them."
        )
    if not owner.get_full_name():
        warnings.append("Add your name in Settings and your drafts are signed with it.")
    notes = (
        (f"Your notes on the interview: {interview.notes}",)
        if interview and interview.notes
        else ()
    )
    return Draft(
        subject=f"Thank you — {opening.title}",
        body="\n\n".join(paragraphs),
        warnings=tuple(warnings),
        notes=notes,
    )
