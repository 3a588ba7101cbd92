"""Writes for openings and applications: adding, moving through the stages, the people
involved, interviews and follow-ups — each stage change dated and in the journal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from circleback.accounts.models import User
from circleback.accounts.queries import user_today, user_zone
from circleback.jobs.models import (
    ENDINGS,
    FOLLOW_UP_DAYS,
    FORWARD,
    ROUTES_WITH_PERSON,
    Application,
    FollowUp,
    Interview,
    Involvement,
    JobStage,
    Opening,
    Role,
    Route,
    StageChange,
)
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_log
from circleback.loops.models import LoopStep
from circleback.loops.services.introductions import introduction_request
from circleback.loops.services.settings import loop_settings_for
from circleback.loops.services.steps import referral_loop_due, referral_loop_open
from circleback.ops import clock
from circleback.people.models import Organisation, Person, Stage
from circleback.people.services.organisations import (
    organisation_get_or_create,
    organisation_update,
)

# How long a referral loop stays quiet while an application waits for an answer; an answer
# brings it forward to the owner's "tell the referrer" days.
REFERRAL_QUIET_DAYS = 30
# An application made longer ago than this (entered late, or imported) gets no chase: a
# follow-up months on would only crowd the agenda.
STALE_DAYS = 28
# Chasing a silent application: at most this many follow-ups, a week apart.
MAX_CHASES = 2
ROLE_FOR_ROUTE = {
    Route.REFERRAL: Role.REFERRER,
    Route.RECRUITER: Role.RECRUITER,
    Route.CONTACT: Role.CONTACT,
}
# Where a target organisation stands for the furthest live application there.
ORGANISATION_STAGE = {
    JobStage.APPLIED: Stage.APPLIED,
    JobStage.INTERVIEWING: Stage.INTERVIEWING,
    JobStage.OFFER: Stage.OFFER,
}


def _mine(owner: User, field: str, person: Person | None) -> None:
    if person is not None and person.owner_id != owner.pk:
        raise ValidationError({field: "That person is not in your network."})


def _organisation(owner: User, organisation: Organisation | str | None) -> Organisation:
    if isinstance(organisation, Organisation):
        if organisation.owner_id != owner.pk:
            raise ValidationError({"organisation": "That organisation is not yours."})
        return organisation
    if not organisation or not str(organisation).strip():
        raise ValidationError({"organisation": "Say which organisation the opening is at."})
    try:
        return organisation_get_or_create(owner=owner, name=str(organisation))
    except ValidationError as exc:
        raise ValidationError({"organisation": " ".join(exc.messages)}) from None


def _label(opening: Opening) -> str:
    return f"{opening.title} at {opening.organisation.name}"


def _journal(
    owner: User, opening: Opening, summary: str, on: dt.date, note: str = ""
) -> Interaction:
    """A journal entry for the application, at the organisation. No one takes part: a stage
    change is not contact with anyone, so nobody's keep-in-touch clock moves."""
    return interaction_log(
        owner=owner,
        summary=summary,
        kind=Interaction.Kind.NOTE,
        occurred_at=journal_time(on, user_today(owner), user_zone(owner)),
        notes=note,
        organisation=opening.organisation,
        source="jobs",
    )


def journal_time(on: dt.date, today: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """When a stage change goes in the journal: now if it is today's, else noon that day."""
    now = clock.now()
    return now if on == today else dt.datetime.combine(on, dt.time(12), tzinfo=zone)


def found_summary(opening: Opening) -> tuple[str, str]:
    """The journal's words for finding an opening: (summary, notes)."""
    person = opening.source_person
    came = f" (through {person.full_name})" if person else ""
    return (
        f"Found an opening: {_label(opening)}{came}",
        f"Where it came from: {opening.get_source_display()}.",
    )


def opening_check(opening: Opening) -> None:
    """An opening's values, as adding or importing it checks them (ValidationError)."""
    _mine(opening.owner, "source_person", opening.source_person)
    source, person = opening.source, opening.source_person
    if source not in Route.values:
        raise ValidationError(
            {"source": f"{source!r} is not a route; use one of {', '.join(Route.values)}."}
        )
    if person is not None and source not in ROUTES_WITH_PERSON:
        raise ValidationError(
            {"source_person": "Only a referral, a recruiter or a contact comes with a person."}
        )
    if source == Route.REFERRAL and person is None:
        raise ValidationError({"source_person": "Say who referred you."})
    if not opening.title:
        raise ValidationError({"title": "Give the opening a title (the role)."})


def stage_moved(application: Application, to: str, day: dt.date) -> None:
    """An application's stage and dates after it moves to `to` on `day`: applied the first
    time it moves anywhere but withdrawn, answered the first time it moves on from applied,
    first interview the first time it is interviewing."""
    current = application.stage
    application.stage, application.stage_on = to, day
    if to != JobStage.WITHDRAWN and application.applied_on is None:
        application.applied_on = day
    if current != JobStage.FOUND and to != JobStage.WITHDRAWN and application.answered_on is None:
        application.answered_on = day
    if to == JobStage.INTERVIEWING and application.first_interview_on is None:
        application.first_interview_on = day


def chase_due(to: str, day: dt.date, today: dt.date) -> dt.date | None:
    """The day a chase falls due after moving to `to` on `day`: a week after applying, unless
    the application was made too long ago to chase now."""
    if to == JobStage.APPLIED and day >= today - dt.timedelta(days=STALE_DAYS):
        return max(day + dt.timedelta(days=FOLLOW_UP_DAYS), today)
    return None


def chase_closed_as(to: str) -> str | None:
    """What moving to `to` makes of an open chase: any answer closes it (None: applying)."""
    if to == JobStage.APPLIED:
        return None
    return "withdrawn" if to == JobStage.WITHDRAWN else "answered"


def _check_day(owner: User, on: dt.date | None, field: str = "on") -> dt.date:
    today = user_today(owner)
    if on is None:
        return today
    if on > today:
        raise ValidationError(
            {field: f"{on:%d %b %Y} is still to come; give today or a day before."}
        )
    if on.year < 1990:
        raise ValidationError({field: "Give a day from 1990 on."})
    return on


@transaction.atomic
def opening_add(
    *,
    owner: User,
    title: str,
    organisation: Organisation | str | None,
    url: str = "",
    source: str = Route.BOARD,
    source_person: Person | None = None,
    found_on: dt.date | None = None,
    deadline: dt.date | None = None,
    notes: str = "",
) -> Opening:
    """An opening you found (a posting, or a role someone told you about), with its
    application at "found". The organisation becomes a target, and the person it came
    through (referrer, recruiter, contact) is linked to the application in that role."""
    _mine(owner, "source_person", source_person)
    opening_check(Opening(owner=owner, title="-", source=source, source_person=source_person))
    org = _organisation(owner, organisation)
    found = _check_day(owner, found_on, "found_on")
    opening = Opening(
        owner=owner,
        title=" ".join(title.split()),
        organisation=org,
        url=url.strip(),
        source=source,
        source_person=source_person,
        found_on=found,
        deadline=deadline,
        notes=notes.strip(),
    )
    if not opening.title:
        raise ValidationError({"title": "Give the opening a title (the role)."})
    opening.full_clean(exclude=["owner", "organisation", "source_person"])
    opening.save()
    application = Application(owner=owner, opening=opening, stage_on=found)
    application.save()
    if source_person is not None:
        Involvement.objects.create(
            owner=owner,
            application=application,
            person=source_person,
            role=ROLE_FOR_ROUTE[Route(source)],
        )
    summary, notes = found_summary(opening)
    StageChange.objects.create(
        owner=owner,
        application=application,
        stage=JobStage.FOUND,
        on=found,
        interaction=_journal(owner, opening, summary, found, notes),
    )
    if not org.is_target:
        organisation_update(organisation=org, is_target=True)
    _organisation_stage_follow(org)
    return opening


OPENING_FIELDS = ("title", "url", "source", "source_person", "deadline", "notes")


@transaction.atomic
def opening_update(*, opening: Opening, **changes: object) -> Opening:
    """Change an opening's details: its title, link, deadline, notes, and where it came from
    (the route and the person it came through). Its stage moves with `application_advance`;
    its organisation stays (an opening elsewhere is another opening).

    A new person it came through takes the old one's part in the application; a referral
    made so keeps a loop open on the referrer once you have applied, as adding it would."""
    unknown = set(changes) - set(OPENING_FIELDS)
    if unknown:
        raise ValidationError(
            f"Unknown opening fields: {', '.join(sorted(unknown))}; "
            f"change {', '.join(OPENING_FIELDS)}."
        )
    owner = opening.owner
    before = (opening.source, opening.source_person)
    for name, value in changes.items():
        if isinstance(value, str):
            value = " ".join(value.split()) if name == "title" else value.strip()
        setattr(opening, name, value)
    if not opening.title:
        raise ValidationError({"title": "Give the opening a title (the role)."})
    source, person = opening.source, opening.source_person
    if person is not None and not isinstance(person, Person):
        raise ValidationError({"source_person": "Give a person of your network."})
    _mine(owner, "source_person", person)
    if source not in Route.values:
        raise ValidationError(
            {"source": f"{source!r} is not a route; use one of {', '.join(Route.values)}."}
        )
    if person is not None and source not in ROUTES_WITH_PERSON:
        if "source_person" in changes:
            raise ValidationError(
                {"source_person": "Only a referral, a recruiter or a contact comes with a person."}
            )
        opening.source_person = person = None  # a new route without one drops the old person
    if source == Route.REFERRAL and person is None:
        raise ValidationError({"source_person": "Say who referred you."})
    if opening.deadline and opening.deadline < opening.found_on:
        raise ValidationError(
            {"deadline": "The deadline can't be before the day you found the opening."}
        )
    opening.full_clean(exclude=["owner", "organisation", "source_person"])
    opening.save()
    if (source, person) != before:
        _came_through_follow(opening, *before)
    return opening


def _came_through_follow(opening: Opening, old_source: str, old_person: Person | None) -> None:
    """The person an opening came through has that part in its application: when either
    changes, the old part goes and the new one comes (unless they have it already)."""
    application = opening.application
    if old_person is not None and old_source in ROLE_FOR_ROUTE:
        application.people.filter(
            person=old_person, role=ROLE_FOR_ROUTE[Route(old_source)], interview__isnull=True
        ).delete()
    person = opening.source_person
    if person is not None:
        role = ROLE_FOR_ROUTE[Route(opening.source)]
        if not application.people.filter(person=person, role=role, interview__isnull=True):
            Involvement.objects.create(
                owner=opening.owner, application=application, person=person, role=role
            )
        referred = opening.source == Route.REFERRAL
        if referred and application.stage != JobStage.FOUND and application.is_open:
            _referral_loop_open(application)


@transaction.atomic
def opening_delete(*, opening: Opening) -> None:
    """Delete an opening with its application, interviews and follow-ups. The journal keeps
    its entries; an open referral loop stays on the loops page to close by hand."""
    organisation = opening.organisation
    opening.delete()
    _organisation_stage_follow(organisation)


def stage_allowed(current: str, to: str) -> bool:
    """Forward along found → applied → interviewing → offer (skipping is fine: a recruiter
    may call before you apply); accepted or declined from an offer; rejected once you've
    applied; withdrawn any time before the end."""
    if current in ENDINGS or current == to:
        return False
    if to in FORWARD:
        return FORWARD.index(JobStage(to)) > FORWARD.index(JobStage(current))
    if to in (JobStage.ACCEPTED, JobStage.DECLINED):
        return current == JobStage.OFFER
    if to == JobStage.REJECTED:
        return current != JobStage.FOUND
    return to == JobStage.WITHDRAWN


def next_stages(current: str) -> list[str]:
    return [s.value for s in JobStage if stage_allowed(current, s.value)]


SUMMARIES = {
    JobStage.APPLIED: "Applied for {label}",
    JobStage.INTERVIEWING: "Interviewing for {label}",
    JobStage.OFFER: "Offer for {label}",
    JobStage.ACCEPTED: "Accepted the offer for {label}",
    JobStage.DECLINED: "Declined the offer for {label}",
    JobStage.REJECTED: "Not taken forward for {label}",
    JobStage.WITHDRAWN: "Withdrew from {label}",
}


@transaction.atomic
def application_advance(
    *, application: Application, to: str, on: dt.date | None = None, note: str = ""
) -> Application:
    """Move an application to stage `to` on day `on` (today by default): dated, in the
    journal, with its follow-ups — a chase a week after applying, closed by any answer —
    and its referral loop, which falls due once there is an outcome to tell."""
    owner = application.owner
    current = application.stage
    if to not in JobStage.values:
        raise ValidationError(
            {"to": f"{to!r} is not a stage; use one of {', '.join(JobStage.values)}."}
        )
    if not stage_allowed(current, to):
        choices = next_stages(current)
        then = f"from {current} it can go to {', '.join(choices)}" if choices else "it has ended"
        raise ValidationError({"to": f"The application can't move to {to}: {then}."})
    day = _check_day(owner, on)
    if day < application.stage_on:
        raise ValidationError(
            {
                "on": f"It has been {current} since {application.stage_on:%d %b %Y}; "
                "give that day or later."
            }
        )
    note = note.strip()
    change = StageChange(owner=owner, application=application, stage=to, on=day, note=note)
    change.full_clean(exclude=["owner", "application", "interaction"])
    opening = application.opening
    change.interaction = _journal(
        owner, opening, SUMMARIES[JobStage(to)].format(label=_label(opening)), day, note
    )
    change.save()
    stage_moved(application, to, day)
    application.save()
    today = user_today(owner)
    due = chase_due(to, day, today)
    if due is not None:
        FollowUp.objects.create(
            owner=owner, application=application, kind=FollowUp.Kind.CHASE, due_on=due
        )
    if to == JobStage.APPLIED:
        _referral_loop_open(application)
    if (closed := chase_closed_as(to)) is not None:
        application.follow_ups.filter(kind=FollowUp.Kind.CHASE, done_on__isnull=True).update(
            done_on=today, resolution=closed
        )
    if to in (JobStage.OFFER, *ENDINGS) and application.referral_step is not None:
        days = loop_settings_for(owner).lead_tell_days
        referral_loop_due(
            step=application.referral_step, due_at=clock.now() + dt.timedelta(days=days)
        )
    _organisation_stage_follow(opening.organisation)
    return application


def _referral_loop_open(application: Application) -> None:
    opening = application.opening
    if opening.source != Route.REFERRAL or opening.source_person is None:
        return
    if application.referral_step_id is not None:
        return
    application.referral_step = referral_loop_open(
        owner=application.owner,
        referrer=opening.source_person,
        organisation=opening.organisation,
        note=f"You applied for {opening.title} through their referral",
        due_at=clock.now() + dt.timedelta(days=REFERRAL_QUIET_DAYS),
    )
    application.save(update_fields=["referral_step"])


def _organisation_stage_follow(organisation: Organisation) -> None:
    """A target organisation's stage follows its applications: the furthest live one
    decides; an accepted offer closes it; when every application there has ended, you are
    back to networking there."""
    stages = list(
        Application.objects.filter(opening__organisation=organisation).values_list(
            "stage", flat=True
        )
    )
    stage = organisation_stage(organisation.stage, stages)
    if stage != organisation.stage:
        organisation_update(organisation=organisation, stage=stage)


def organisation_stage(stage: str, stages: Sequence[str]) -> str:
    """Where an organisation at `stage` stands with these applications there (the rule of
    `_organisation_stage_follow`)."""
    if JobStage.ACCEPTED in stages:
        stage = Stage.CLOSED
    elif live := [ORGANISATION_STAGE[JobStage(s)] for s in stages if s in ORGANISATION_STAGE]:
        order = list(Stage.values)
        stage = max(live, key=order.index)
    elif JobStage.FOUND in stages:
        if stage in (Stage.RESEARCHING, *ORGANISATION_STAGE.values()):
            stage = Stage.NETWORKING
    elif stage in ORGANISATION_STAGE.values():
        stage = Stage.NETWORKING
    return stage


@transaction.atomic
def application_person_add(*, application: Application, person: Person, role: str) -> Involvement:
    """Link someone of your network to the application in a role (hiring manager…). A
    referrer makes it a referred application: the referral loop opens on applying."""
    owner = application.owner
    _mine(owner, "person", person)
    if role not in Role.values or role == Role.INTERVIEWER:
        allowed = ", ".join(r for r in Role.values if r != Role.INTERVIEWER)
        raise ValidationError(
            {"role": f"Use one of {allowed} (interviewers come with their interview)."}
        )
    existing = application.people.filter(person=person, role=role, interview__isnull=True)
    if existing.exists():
        raise ValidationError(
            {"person": f"{person.full_name} is already the {Role(role).label.lower()} here."}
        )
    involvement = Involvement.objects.create(
        owner=owner, application=application, person=person, role=role
    )
    opening = application.opening
    if role == Role.REFERRER and opening.source != Route.REFERRAL:
        # A referral obtained through the network (often after the opening was found): the
        # application is a referred one from now on, and its loop opens once you apply.
        opening.source, opening.source_person = Route.REFERRAL, person
        opening.save(update_fields=["source", "source_person"])
        if application.stage != JobStage.FOUND and application.is_open:
            _referral_loop_open(application)
    return involvement


def came_through(opening: Opening, people: Sequence[Involvement]) -> Involvement | None:
    """Of an application's people, the part of the person the opening came through."""
    role = ROLE_FOR_ROUTE.get(Route(opening.source))
    for involvement in people:
        if (
            involvement.interview_id is None
            and involvement.person_id == opening.source_person_id
            and involvement.role == role
        ):
            return involvement
    return None


@transaction.atomic
def application_person_remove(*, involvement: Involvement) -> None:
    """Take someone off an application. The person it came through is part of where it came
    from: change that on the opening instead (refused here, saying so). An interviewer goes
    with their open thank-you; if no one is left to thank, one to "your interviewers"
    takes its place."""
    application = involvement.application
    opening = application.opening
    person = involvement.person
    if came_through(opening, [involvement]) is not None:
        raise ValidationError(
            {
                "person": f"The opening came through {person.full_name} "
                f"({opening.get_source_display().lower()}): change where it came from on "
                "the opening instead."
            }
        )
    interview = involvement.interview
    involvement.delete()
    if interview is None:
        return
    thanks = interview.follow_ups.filter(kind=FollowUp.Kind.THANK_YOU)
    mine = thanks.filter(person=person, done_on__isnull=True).first()
    if mine is None:
        return
    mine.delete()
    if not thanks.exists():
        FollowUp.objects.create(
            owner=involvement.owner,
            application=application,
            interview=interview,
            kind=FollowUp.Kind.THANK_YOU,
            due_on=mine.due_on,
        )


@transaction.atomic
def interview_schedule(
    *,
    application: Application,
    scheduled_for: dt.datetime,
    duration_minutes: int = 45,
    kind: str = Interview.Kind.VIDEO,
    location: str = "",
    interviewers: Sequence[Person] = (),
    notes: str = "",
) -> Interview:
    """An interview for the application, with who interviews you. The application moves to
    "interviewing" if it wasn't there yet, and a thank-you note to each interviewer (or to
    whoever it was) falls due the day after."""
    owner = application.owner
    for person in interviewers:
        _mine(owner, "interviewers", person)
    if not application.is_open:
        raise ValidationError(
            {"application": f"The application has ended ({application.stage}); no more interviews."}
        )
    if timezone.is_naive(scheduled_for):
        raise ValidationError({"scheduled_for": "Give the interview's time with a time zone."})
    interview = Interview(
        owner=owner,
        application=application,
        scheduled_for=scheduled_for,
        duration_minutes=duration_minutes,
        kind=kind,
        location=" ".join(location.split()),
        notes=notes.strip(),
    )
    interview.full_clean(exclude=["owner", "application"])
    interview.save()
    day = scheduled_for.astimezone(user_zone(owner)).date()
    if application.stage in (JobStage.FOUND, JobStage.APPLIED):
        application_advance(
            application=application,
            to=JobStage.INTERVIEWING,
            # An interview entered after the fact may predate the opening's last move.
            on=max(min(day, user_today(owner)), application.stage_on),
            note=f"{interview.get_kind_display()} on {day:%d %b %Y}.",
        )
        application.refresh_from_db()
    _first_interview_follow(application)
    unique: list[Person | None] = list({p.pk: p for p in interviewers}.values())
    Involvement.objects.bulk_create(
        [
            Involvement(
                owner=owner,
                application=application,
                person=p,
                role=Role.INTERVIEWER,
                interview=interview,
            )
            for p in unique
            if p is not None
        ]
    )
    due = day + dt.timedelta(days=1)
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                owner=owner,
                application=application,
                interview=interview,
                kind=FollowUp.Kind.THANK_YOU,
                person=p,
                due_on=due,
            )
            for p in (unique or [None])
        ]
    )
    return interview


def _first_interview_follow(application: Application) -> None:
    """The first interview is the earliest one not cancelled; without any, the day the
    application moved to interviewing."""
    zone = user_zone(application.owner)
    first = (
        application.interviews.exclude(status=Interview.Status.CANCELLED)
        .order_by("scheduled_for")
        .values_list("scheduled_for", flat=True)
        .first()
    )
    if first is not None:
        day = first.astimezone(zone).date()
    else:
        day = (
            application.changes.filter(stage=JobStage.INTERVIEWING)
            .values_list("on", flat=True)
            .first()
        )
    if application.first_interview_on != day:
        application.first_interview_on = day
        application.save(update_fields=["first_interview_on"])


@transaction.atomic
def interview_cancel(*, interview: Interview) -> Interview:
    """The interview is off: its thank-yous go with it."""
    if interview.status == Interview.Status.CANCELLED:
        raise ValidationError({"interview": "That interview is already cancelled."})
    interview.status = Interview.Status.CANCELLED
    interview.save(update_fields=["status"])
    interview.follow_ups.filter(done_on__isnull=True).update(
        done_on=user_today(interview.owner), resolution="cancelled"
    )
    _first_interview_follow(interview.application)
    return interview


@transaction.atomic
def follow_up_done(*, follow_up: FollowUp, note: str = "") -> FollowUp | None:
    """You sent the thank-you or chased the application: it goes in the journal (a thank-you
    with the person you thanked). Chasing an application still unanswered opens one more
    chase a week later, then no more. Returns that next chase, if any."""
    if follow_up.done_on is not None:
        raise ValidationError({"follow_up": "That follow-up is already done."})
    owner = follow_up.owner
    application = follow_up.application
    opening = application.opening
    today = user_today(owner)
    follow_up.done_on, follow_up.resolution = today, "sent"
    follow_up.save(update_fields=["done_on", "resolution"])
    if follow_up.kind == FollowUp.Kind.THANK_YOU:
        who = follow_up.person.full_name if follow_up.person else "the interviewers"
        interaction_log(
            owner=owner,
            summary=f"Thanked {who} for the interview for {_label(opening)}",
            people=[follow_up.person] if follow_up.person else [],
            kind=Interaction.Kind.EMAIL,
            direction=Interaction.Direction.OUTGOING,
            notes=note.strip(),
            organisation=opening.organisation,
            source="jobs",
        )
        return None
    _journal(owner, opening, f"Followed up on the application for {_label(opening)}", today, note)
    chases = application.follow_ups.filter(kind=FollowUp.Kind.CHASE).count()
    if application.stage == JobStage.APPLIED and chases < MAX_CHASES:
        return FollowUp.objects.create(
            owner=owner,
            application=application,
            kind=FollowUp.Kind.CHASE,
            due_on=today + dt.timedelta(days=FOLLOW_UP_DAYS),
        )
    return None


@transaction.atomic
def opening_ask_network(
    *, opening: Opening, via: Person, target: Person, note: str = ""
) -> LoopStep:
    """The seeds' order of play: before applying cold, ask `via` (someone you know) for an
    introduction to `target` at the organisation — for advice and a referral, not to pass
    your CV to HR. The loops area follows it up; "they'll introduce you" opens the lead."""
    owner = opening.owner
    _mine(owner, "via", via)
    _mine(owner, "target", target)
    step = introduction_request(
        owner=owner,
        via=via,
        target=target,
        organisation=opening.organisation,
        note=note or f"Advice and a referral for the {opening.title} opening",
    )
    application = opening.application
    if not application.people.filter(person=via, role=Role.CONTACT).exists():
        Involvement.objects.create(
            owner=owner, application=application, person=via, role=Role.CONTACT
        )
    return step
