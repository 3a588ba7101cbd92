"""Many openings at once, for an import: the rules of adding each one and moving it on by
hand (`services.opening_add`, `services.application_advance`), written set-based — a query
or two per table, however many rows.

Each opening comes with the stages it moved through after "found", each with its day. It
gets what the services would give it: its application at its last stage with its dates, a
journal entry and a dated change for every stage, the person it came through in their part,
a chase a week after applying (closed by any answer), a loop on a referrer until they are
told, and its organisation a target whose stage follows its applications.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from circleback.accounts.models import User
from circleback.accounts.queries import user_today, user_zone
from circleback.jobs.models import (
    ENDINGS,
    Application,
    FollowUp,
    Involvement,
    JobStage,
    Opening,
    Route,
    StageChange,
)
from circleback.jobs.services import (
    REFERRAL_QUIET_DAYS,
    ROLE_FOR_ROUTE,
    SUMMARIES,
    chase_closed_as,
    chase_due,
    found_summary,
    journal_time,
    opening_check,
    organisation_stage,
    stage_allowed,
    stage_moved,
)
from circleback.journal.services import Note, interactions_note_many
from circleback.loops.services.settings import loop_settings_for
from circleback.loops.services.steps import referral_loops_open_many
from circleback.ops import clock
from circleback.people.models import Organisation, Person
from circleback.people.services.organisations import (
    organisation_name_refusals,
    organisations_get_or_create_many,
    organisations_set_many,
)


@dataclass
class OpeningIn:
    """One opening to bring in, and the stages it moved through after being found."""

    title: str
    organisation: str
    found_on: dt.date
    url: str = ""
    source: str = Route.BOARD
    source_person: Person | None = None
    deadline: dt.date | None = None
    notes: str = ""
    moves: list[tuple[str, dt.date]] = field(default_factory=list)
    note: str = ""  # each move's note, for the journal


@dataclass
class _Plan:
    """What one opening becomes, before anything is written."""

    opening: Opening
    application: Application
    changes: list[tuple[str, dt.date, str]]  # stage, day, note
    chase: FollowUp | None = None
    loop_due: dt.datetime | None = None
    organisation_name: str = ""  # as the item gave it: found or added when written


@dataclass
class ImportPlan:
    """What an import of openings will write, read and checked before anything is: the
    openings that will be added (unsaved) and, by their index, the items that can't be one
    and why. The preview shows it; the import writes it — one set of rules for both."""

    plans: list[_Plan]
    refused: dict[int, ValidationError]

    @property
    def openings(self) -> list[Opening]:
        return [p.opening for p in self.plans]


def openings_plan(*, owner: User, items: Sequence[OpeningIn]) -> ImportPlan:
    """Check each item as `opening_add` and `application_advance` would, and its
    organisation's name, writing nothing: the plan `openings_write` carries out."""
    today = user_today(owner)
    now = clock.now()
    refused: dict[int, ValidationError] = {}
    planned: list[tuple[int, _Plan]] = []
    for at, item in enumerate(items):
        try:
            planned.append((at, _plan(owner, item, today, now)))
        except ValidationError as exc:
            refused[at] = exc
    bad_names = organisation_name_refusals(names=[items[at].organisation for at, _ in planned])
    plans: list[_Plan] = []
    for at, plan in planned:
        bad = bad_names.get(items[at].organisation)
        if bad is not None:
            refused[at] = ValidationError({"organisation": " ".join(bad.messages)})
        else:
            plan.organisation_name = items[at].organisation
            plans.append(plan)
    return ImportPlan(plans=plans, refused=dict(sorted(refused.items())))


@transaction.atomic
def openings_import(
    *, owner: User, items: Sequence[OpeningIn]
) -> tuple[list[Opening], dict[int, ValidationError]]:
    """Add these openings with their histories. Returns the openings written, and for each
    item that can't be one (by its index) why — those are left out, the rest written."""
    plan = openings_plan(owner=owner, items=items)
    return openings_write(owner=owner, plan=plan), plan.refused


@transaction.atomic
def openings_write(*, owner: User, plan: ImportPlan) -> list[Opening]:
    """Write what `openings_plan` planned (once: the plan's rows become the saved ones)."""
    today, zone = user_today(owner), user_zone(owner)
    now = clock.now()
    plans = plan.plans
    if not plans:
        return []
    orgs = organisations_get_or_create_many(owner=owner, names=[p.organisation_name for p in plans])
    for p in plans:
        org = orgs[p.organisation_name]
        # The plan checked every name, so each is an organisation here.
        assert isinstance(org, Organisation)
        p.opening.organisation = org
    tell_days = loop_settings_for(owner).lead_tell_days
    loops: list[tuple[_Plan, tuple[Person, Organisation | None, str, dt.datetime]]] = []
    for each in plans:
        if each.loop_due is not None:
            o = each.opening
            assert o.source_person is not None
            if each.application.stage in (JobStage.OFFER, *ENDINGS):
                each.loop_due = now + dt.timedelta(days=tell_days)
            note = f"You applied for {o.title} through their referral"
            loops.append((each, (o.source_person, o.organisation, note, each.loop_due)))
    Opening.objects.bulk_create([p.opening for p in plans])
    steps = referral_loops_open_many(owner=owner, loops=[loop for _plan, loop in loops])
    for (each, _loop), step in zip(loops, steps, strict=True):
        each.application.referral_step = step
    for each in plans:
        each.application.opening = each.opening
    Application.objects.bulk_create([p.application for p in plans])
    entries = interactions_note_many(
        owner=owner,
        notes=[
            Note(*_words(p.opening, stage, note), journal_time(day, today, zone))
            for p in plans
            for stage, day, note in p.changes
        ],
    )
    written = iter(entries)
    StageChange.objects.bulk_create(
        [
            StageChange(
                owner=owner,
                application=p.application,
                stage=stage,
                on=day,
                note=note,
                interaction=next(written),
            )
            for p in plans
            for stage, day, note in p.changes
        ]
    )
    Involvement.objects.bulk_create(
        [
            Involvement(
                owner=owner,
                application=p.application,
                person=p.opening.source_person,
                role=ROLE_FOR_ROUTE[Route(p.opening.source)],
            )
            for p in plans
            if p.opening.source_person is not None
        ]
    )
    chases = [p.chase for p in plans if p.chase is not None]
    for each in plans:
        if each.chase is not None:
            each.chase.application = each.application
    FollowUp.objects.bulk_create(chases)
    _organisations_follow(owner, {p.opening.organisation for p in plans})
    return [p.opening for p in plans]


def _plan(owner: User, item: OpeningIn, today: dt.date, now: dt.datetime) -> _Plan:
    # Found or added once the plans are made; until then, what the journal calls it.
    organisation = Organisation(owner=owner, name=" ".join(item.organisation.split()))
    if item.found_on > today:
        raise ValidationError({"found_on": f"{item.found_on} is still to come."})
    opening = Opening(
        owner=owner,
        title=" ".join(item.title.split()),
        organisation=organisation,
        url=item.url.strip(),
        source=item.source,
        source_person=item.source_person,
        found_on=item.found_on,
        deadline=item.deadline,
        notes=item.notes.strip(),
    )
    opening_check(opening)
    opening.clean_fields(exclude=["owner", "organisation", "source_person"])
    opening.clean()
    application = Application(owner=owner, opening=opening, stage_on=item.found_on)
    plan = _Plan(opening, application, [(JobStage.FOUND, item.found_on, "")])
    for to, day in item.moves:
        if not stage_allowed(application.stage, to) or not application.stage_on <= day <= today:
            raise ValidationError(
                {"to": f"It can't move from {application.stage} to {to} on {day}."}
            )
        stage_moved(application, to, day)
        plan.changes.append((to, day, item.note))
        due = chase_due(to, day, today)
        if due is not None:
            plan.chase = FollowUp(owner=owner, kind=FollowUp.Kind.CHASE, due_on=due)
        closed = chase_closed_as(to)
        if closed is not None and plan.chase is not None and plan.chase.done_on is None:
            plan.chase.done_on, plan.chase.resolution = today, closed
        referred = opening.source == Route.REFERRAL and opening.source_person is not None
        if to == JobStage.APPLIED and referred:
            plan.loop_due = now + dt.timedelta(days=REFERRAL_QUIET_DAYS)
    return plan


def _words(opening: Opening, stage: str, note: str) -> tuple[str, str, Organisation, str]:
    """A stage change's journal entry as the services word it: (summary, notes, at, source)."""
    if stage == JobStage.FOUND:
        summary, notes = found_summary(opening)
    else:
        label = f"{opening.title} at {opening.organisation.name}"
        summary, notes = SUMMARIES[JobStage(stage)].format(label=label), note
    return summary, notes, opening.organisation, "jobs"


def _organisations_follow(owner: User, organisations: set[Organisation]) -> None:
    """Each organisation is a target, and its stage follows its applications (all of them,
    not only these): one read of their stages, an update per distinct change."""
    by_pk = {o.pk: o for o in organisations}
    stages: dict[int, list[str]] = {pk: [] for pk in by_pk}
    ids = list(by_pk)
    for start in range(0, len(ids), 900):
        rows = Application.objects.filter(
            owner=owner, opening__organisation_id__in=ids[start : start + 900]
        ).values_list("opening__organisation_id", "stage")
        for org_id, stage in rows:
            stages[org_id].append(stage)
    changes: dict[Organisation, dict[str, object]] = {}
    for pk, org in by_pk.items():
        change: dict[str, object] = {}
        if not org.is_target:
            change["is_target"] = True
        stage = organisation_stage(org.stage, stages[pk])
        if stage != org.stage:
            change["stage"] = stage
        if change:
            changes[org] = change
    organisations_set_many(changes=changes)
