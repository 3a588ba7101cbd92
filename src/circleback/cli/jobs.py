"""`circleback job`: openings and applications, the formal job market beside the network."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    django_setup,
    emit_json,
    fail,
    local_time,
    parse_date,
    refusal_as_usage_error,
    resolve_person,
    usage_error,
)
from circleback.cli._paging import check_page, limit_option, offset_option, print_list
from circleback.cli.meetings import short_id_lookup

if TYPE_CHECKING:
    from circleback.accounts.models import User
    from circleback.jobs.models import Opening

H_JSON = "Print JSON instead of a table."
PANEL = "Meetings and loops"
ROUTES = ("board", "site", "recruiter", "referral", "contact")
STAGES = (
    "found",
    "applied",
    "interviewing",
    "offer",
    "accepted",
    "declined",
    "rejected",
    "withdrawn",
)
job_app = typer.Typer(
    help=(
        "Openings and applications, each tied to the people who can get you in.\n\n"
        "Add an opening and see who you know there; move it found → applied → interviewing → "
        "offer → accepted (or declined, rejected, withdrawn); see what worked.\n\n"
        'Example: circleback job add "Data Analyst" --org Hooli --via referral '
        '--referred-by "Ada Quill"'
    ),
    no_args_is_help=True,
)
LABELS = {
    "title": "TITLE",
    "organisation": "--org",
    "url": "--url",
    "source": "--via",
    "source_person": "--referred-by",
    "deadline": "--deadline",
    "found_on": "--found",
    "to": "--to",
    "on": "--on",
}


def _find(owner: User, job: str) -> Opening:
    """An opening by its id (or the start of it), or by its exact title when only one has it."""
    from circleback.jobs.queries import openings

    rows = openings(owner)
    found = short_id_lookup(rows, job)
    if found is None:
        titled = list(rows.filter(title__iexact=" ".join(job.split()))[:2])
        if len(titled) > 1:
            usage_error(f"{job!r} is the title of several openings; use the id from `job list`.")
        found = titled[0] if titled else None
    if found is None:
        usage_error(f"no opening matches {job!r}; see them with `circleback job list`.")
    return found


@job_app.command("add")
def job_add(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="The role, as the posting names it."),
    org: str = typer.Option(..., "--org", help="The organisation (added if it's new)."),
    url: str = typer.Option("", "--url", help="The posting's web address."),
    via: str = typer.Option(
        "board", "--via", help=f"Where it came from: {', '.join(ROUTES)}.", show_default=True
    ),
    referred_by: str = typer.Option(
        "",
        "--referred-by",
        help="Who referred you (or the recruiter or contact, with --via recruiter/contact).",
    ),
    deadline: str = typer.Option("", "--deadline", help="Apply by this day (YYYY-MM-DD)."),
    found: str = typer.Option("", "--found", help="When you found it (default today)."),
    notes: str = typer.Option("", "--notes"),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Add an opening, then see who you know there and the ways in.

    The organisation becomes a target; with --referred-by the person is linked as your
    referrer, and applying keeps a loop open until you tell them what came of it.

    Example: circleback job add "Data Analyst" --org Hooli --url https://jobs.example.org/41
    --via referral --referred-by "Ada Quill" --deadline 2026-12-15
    """
    django_setup()
    from circleback.jobs.queries import network_at
    from circleback.jobs.services import opening_add

    owner = current_user(ctx)
    if via not in ROUTES:
        usage_error(f"--via {via!r} is not a route; use one of {', '.join(ROUTES)}.")
    person = resolve_person(owner, referred_by) if referred_by.strip() else None
    if person is not None and via == "board":
        via = "referral"  # --referred-by alone means a referral
    with refusal_as_usage_error(LABELS):
        opening = opening_add(
            owner=owner,
            title=title,
            organisation=org,
            url=url,
            source=via,
            source_person=person,
            found_on=parse_date(found, "--found"),
            deadline=parse_date(deadline, "--deadline"),
            notes=notes,
        )
    network = network_at(owner=owner, organisation=opening.organisation)
    if as_json:
        emit_json({**_to_dict(opening), "network": _network_dict(network)})
        return
    console.print(
        f"Added {opening.title} at {opening.organisation.name} ({str(opening.uuid)[:8]}).",
        highlight=False,
    )
    _print_network(network)


def _network_dict(network: Any) -> dict[str, Any]:
    return {
        "people_there": [
            {"uuid": str(p.uuid), "name": p.full_name, "decision_maker": p.is_decision_maker}
            for p in network.people_there
        ],
        "ways_in": [p.as_dict() for p in network.ways_in.paths],
        "openings": [o.as_dict() for o in network.ways_in.openings],
    }


def _print_network(network: Any) -> None:
    name = network.organisation.name
    if network.people_there:
        people = ", ".join(
            p.full_name + (" (decision maker)" if p.is_decision_maker else "")
            for p in network.people_there
        )
        console.print(f"You know {len(network.people_there)} there: {people}.", highlight=False)
    else:
        console.print(f"You don't know anyone at {name} yet.", highlight=False)
    if network.ways_in.paths:
        console.print("Ways in, best first — ask for advice and a referral before applying:")
        for path in network.ways_in.paths:
            console.print(f"  {path.sentence}", highlight=False)
        console.print(
            "Asked someone? `circleback job ask JOB --via NAME --to NAME` follows it up.",
            highlight=False,
        )
    elif network.ways_in.openings:
        console.print("No path yet; places to start:")
        for o in network.ways_in.openings:
            console.print(f"  {o.person.full_name}: {o.reason}", highlight=False)


@job_app.command("list")
def job_list(
    ctx: typer.Context,
    stage: str = typer.Option("", "--stage", help=f"Only this stage: {', '.join(STAGES)}."),
    open_only: bool = typer.Option(False, "--open", help="Only applications still going."),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Your openings, newest found first. Example: circleback job list --stage applied --json"""
    django_setup()
    from circleback.jobs.queries import openings_list

    check_page(limit, offset)
    if stage and stage not in STAGES:
        usage_error(f"--stage {stage!r} is not a stage; use one of {', '.join(STAGES)}.")
    owner = current_user(ctx)
    print_list(
        openings_list(owner=owner, stage=stage, open_only=open_only),
        limit=limit,
        offset=offset,
        as_json=as_json,
        to_json=_to_dict,
        empty="No openings yet. Add one: circleback job add TITLE --org ORG",
        title="Openings",
        columns=("Id", "Role", "Organisation", "Stage", "Since", "Came from"),
        cells=lambda o: (
            str(o.uuid)[:8],
            o.title,
            o.organisation.name,
            o.application.stage,
            str(o.application.stage_on),
            o.get_source_display() + (f" — {o.source_person.full_name}" if o.source_person else ""),
        ),
        what="openings",
    )


def _to_dict(o: Opening) -> dict[str, Any]:
    a = o.application
    return {
        "id": str(o.uuid)[:8],
        "uuid": str(o.uuid),
        "title": o.title,
        "organisation": o.organisation.name,
        "url": o.url,
        "via": o.source,
        "through": o.source_person.full_name if o.source_person else None,
        "found_on": o.found_on,
        "deadline": o.deadline,
        "stage": a.stage,
        "stage_on": a.stage_on,
        "applied_on": a.applied_on,
        "answered_on": a.answered_on,
        "first_interview_on": a.first_interview_on,
    }


@job_app.command("show")
def job_show(
    ctx: typer.Context,
    job: str = typer.Argument(..., help="The opening's id from `job list` (or its title)."),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """One opening: its stages, people, interviews and follow-ups.

    Example: circleback job show 5e6f7a8b
    """
    django_setup()
    from circleback.jobs.queries import opening_detail

    owner = current_user(ctx)
    d = opening_detail(_find(owner, job))
    data = {
        **_to_dict(d.opening),
        "notes": d.opening.notes,
        "timeline": [{"stage": c.stage, "on": c.on, "note": c.note} for c in d.changes],
        "people": [
            {"name": i.person.full_name, "uuid": str(i.person.uuid), "role": i.role}
            for i in d.people
        ],
        "interviews": [
            {
                "uuid": str(i.uuid),
                "scheduled_for": i.scheduled_for,
                "kind": i.kind,
                "status": i.status,
            }
            for i in d.interviews
        ],
        "follow_ups": [
            {
                "kind": f.kind,
                "person": f.person.full_name if f.person else None,
                "due_on": f.due_on,
                "done_on": f.done_on,
            }
            for f in d.follow_ups
        ],
        "referral_loop_open": bool(
            d.application.referral_step_id
            and d.application.referral_step
            and d.application.referral_step.done_at is None
        ),
    }
    if as_json:
        emit_json(data)
        return
    o = d.opening
    console.print(f"[bold]{o.title}[/] at {o.organisation.name} — {d.application.stage}")
    console.print(
        f"Came from: {o.get_source_display()}"
        + (f" ({data['through']})" if data["through"] else ""),
        highlight=False,
    )
    for c in d.changes:
        console.print(f"  {c.on}  {c.stage}" + (f" — {c.note}" if c.note else ""), highlight=False)
    for i in d.people:
        console.print(f"  {i.get_role_display()}: {i.person.full_name}", highlight=False)
    for f in d.follow_ups:
        state = f"done {f.done_on}" if f.done_on else f"due {f.due_on}"
        who = f" — {f.person.full_name}" if f.person else ""
        console.print(f"  {f.get_kind_display()}{who}: {state}", highlight=False)
    if data["referral_loop_open"]:
        console.print(
            f"The referral loop is open until you tell {data['through']} what came of it.",
            highlight=False,
        )


@job_app.command("advance")
def job_advance(
    ctx: typer.Context,
    job: str = typer.Argument(..., help="The opening's id from `job list` (or its title)."),
    to: str = typer.Option(..., "--to", help=f"The new stage: {', '.join(STAGES[1:])}."),
    on: str = typer.Option("", "--on", help="When (YYYY-MM-DD; default today)."),
    note: str = typer.Option("", "--note", help="What happened, for the journal."),
) -> None:
    """Move an application on: dated, in the journal, with its follow-ups.

    Applying opens a follow-up a week later if no one answers; an answer closes it.

    Example: circleback job advance 5e6f7a8b --to interviewing --note "Recruiter called"
    """
    django_setup()
    from circleback.jobs.services import application_advance

    owner = current_user(ctx)
    opening = _find(owner, job)
    with refusal_as_usage_error(LABELS):
        application = application_advance(
            application=opening.application, to=to, on=parse_date(on, "--on"), note=note
        )
    console.print(
        f"{opening.title} at {opening.organisation.name}: {application.stage} since "
        f"{application.stage_on}; in the journal.",
        highlight=False,
    )


@job_app.command("ask")
def job_ask(
    ctx: typer.Context,
    job: str = typer.Argument(..., help="The opening's id from `job list` (or its title)."),
    via: str = typer.Option(..., "--via", help="Whom you asked (someone you know)."),
    to: str = typer.Option(..., "--to", help="Whom you asked them to introduce you to."),
    note: str = typer.Option("", "--note", help="What for (default: advice and a referral)."),
) -> None:
    """You asked someone for an introduction before applying: the loops area follows it up.

    The seeds' order of play: ask for advice and a referral before you apply cold. When they
    agree (`circleback loop advance … --to agreed`), the person becomes a lead to contact.

    Example: circleback job ask 5e6f7a8b --via "Ada Quill" --to "Dana Hale"
    """
    django_setup()
    from circleback.jobs.services import opening_ask_network

    owner = current_user(ctx)
    opening = _find(owner, job)
    asked, target = resolve_person(owner, via), resolve_person(owner, to)
    with refusal_as_usage_error({"via": "--via", "target": "--to", "note": "--note"}):
        opening_ask_network(opening=opening, via=asked, target=target, note=note)
    console.print(
        f"Noted: you asked {asked.full_name} to introduce you to {target.full_name} about "
        f"{opening.title}. It's on your loops to follow up.",
        highlight=False,
    )


ROLES = ("referrer", "recruiter", "hiring_manager", "contact")
KINDS = ("phone", "video", "onsite", "other")


@job_app.command("edit")
def job_edit(
    ctx: typer.Context,
    job: str = typer.Argument(..., help="The opening's id from `job list` (or its title)."),
    title: str | None = typer.Option(None, "--title", help="The role, renamed."),
    url: str | None = typer.Option(None, "--url", help='The posting\'s link ("" clears it).'),
    via: str | None = typer.Option(None, "--via", help=f"Where it came from: {', '.join(ROUTES)}."),
    through: str | None = typer.Option(
        None,
        "--through",
        "--referred-by",
        help='The referrer, recruiter or contact it came through ("" for no one).',
    ),
    deadline: str | None = typer.Option(
        None, "--deadline", help='Apply by this day (YYYY-MM-DD; "" clears it).'
    ),
    notes: str | None = typer.Option(None, "--notes", help="Its notes, replaced."),
    as_json: bool = typer.Option(False, "--json", help="Print the opening as JSON."),
) -> None:
    """Change an opening's details; what you leave out stays as it is.

    Its stage moves with `job advance`. A new referrer takes the old one's place, and once
    you have applied a loop stays open on them until you tell them what came of it.

    Example: circleback job edit 5e6f7a8b --title "Senior Data Analyst" --deadline 2026-12-20
    """
    django_setup()
    from circleback.jobs.services import opening_update

    owner = current_user(ctx)
    opening = _find(owner, job)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = title
    if url is not None:
        changes["url"] = url
    if via is not None:
        if via not in ROUTES:
            usage_error(f"--via {via!r} is not a route; use one of {', '.join(ROUTES)}.")
        changes["source"] = via
    if through is not None:
        changes["source_person"] = resolve_person(owner, through) if through.strip() else None
        if changes["source_person"] is not None and via is None and opening.source == "board":
            changes["source"] = "referral"  # a person alone on a posting means a referral
    if deadline is not None:
        changes["deadline"] = parse_date(deadline, "--deadline")
    if notes is not None:
        changes["notes"] = notes
    if not changes:
        usage_error("say what to change: --title, --url, --via, --through, --deadline or --notes.")
    with refusal_as_usage_error({**LABELS, "source_person": "--through"}):
        opening = opening_update(opening=opening, **changes)
    from circleback.jobs.queries import get_opening_for

    opening = get_opening_for(owner, opening.uuid)
    if as_json:
        emit_json(_to_dict(opening))
        return
    console.print(
        f"Saved {opening.title} at {opening.organisation.name} ({str(opening.uuid)[:8]}).",
        highlight=False,
    )


@job_app.command("add-person")
def job_add_person(
    ctx: typer.Context,
    job: str = typer.Argument(..., help="The opening's id from `job list` (or its title)."),
    person: str = typer.Argument(..., help="Someone in your network."),
    role: str = typer.Option(..., "--as", help=f"Their part: {', '.join(ROLES)}."),
) -> None:
    """Link someone to an application: the hiring manager, a recruiter, who referred you.

    A referrer makes it a referred application: once you apply, a loop stays open on them
    until you tell them what came of it. Interviewers come with `job interview --with`.

    Example: circleback job add-person 5e6f7a8b "Dana Hale" --as hiring_manager
    """
    django_setup()
    from circleback.jobs.services import application_person_add

    owner = current_user(ctx)
    opening = _find(owner, job)
    if role not in ROLES:
        usage_error(f"--as {role!r} is not a part; use one of {', '.join(ROLES)}.")
    who = resolve_person(owner, person)
    with refusal_as_usage_error({"person": "PERSON", "role": "--as"}):
        application_person_add(application=opening.application, person=who, role=role)
    console.print(
        f"{who.full_name} is the {role.replace('_', ' ')} on {opening.title} at "
        f"{opening.organisation.name}.",
        highlight=False,
    )


@job_app.command("remove-person")
def job_remove_person(
    ctx: typer.Context,
    job: str = typer.Argument(..., help="The opening's id from `job list` (or its title)."),
    person: str = typer.Argument(..., help="Who to take off it."),
    role: str = typer.Option("", "--as", help="Only this part of theirs (when they have several)."),
) -> None:
    """Take someone off an application (every part they have there, or only --as ROLE).

    An interviewer's open thank-you goes with them. The person the opening came through
    stays: change that with `job edit --via/--through`.

    Example: circleback job remove-person 5e6f7a8b "Dana Hale"
    """
    django_setup()
    from django.db import transaction

    from circleback.jobs.services import application_person_remove

    owner = current_user(ctx)
    opening = _find(owner, job)
    who = resolve_person(owner, person)
    parts = opening.application.people.filter(person=who).select_related(
        "person", "interview", "application__opening"
    )
    if role:
        if role not in (*ROLES, "interviewer"):
            usage_error(f"--as {role!r} is not a part; use one of {', '.join(ROLES)}, interviewer.")
        parts = parts.filter(role=role)
    found = list(parts)
    if not found:
        usage_error(
            f"{who.full_name} has no part{f' as {role}' if role else ''} in {opening.title}; "
            f"see who has with `circleback job show {str(opening.uuid)[:8]}`."
        )
    with refusal_as_usage_error({"person": "PERSON"}), transaction.atomic():
        for involvement in found:
            application_person_remove(involvement=involvement)
    console.print(f"Took {who.full_name} off {opening.title}.", highlight=False)


@job_app.command("interview")
def job_interview(
    ctx: typer.Context,
    job: str = typer.Argument(..., help="The opening's id from `job list` (or its title)."),
    when: str = typer.Option(
        ..., "--when", help="Day and time, YYYY-MM-DD HH:MM, in your time zone."
    ),
    with_: list[str] = typer.Option(
        [], "--with", help="An interviewer from your network (repeat for several)."
    ),
    kind: str = typer.Option("video", "--kind", help=f"One of {', '.join(KINDS)}."),
    minutes: int = typer.Option(45, "--minutes", help="How long (5 to 480)."),
    where: str = typer.Option("", "--where", help="Where, or the call's link."),
    notes: str = typer.Option("", "--notes"),
    as_json: bool = typer.Option(False, "--json", help="Print the interview as JSON."),
) -> None:
    """Schedule an interview: the application moves to interviewing, each interviewer is
    owed a thank-you the day after, and its prep brief (who you know there, your pitch,
    what you could offer) is ready on the opening's page.

    Example: circleback job interview 5e6f7a8b --when "2026-12-02 14:30" --with "Dana Hale"
    --kind onsite --where "Hooli, 3rd floor"
    """
    django_setup()
    from circleback.cli.meetings import parse_when
    from circleback.jobs.services import interview_schedule

    owner = current_user(ctx)
    opening = _find(owner, job)
    if kind not in KINDS:
        usage_error(f"--kind {kind!r} is not a kind of interview; use one of {', '.join(KINDS)}.")
    moment = parse_when(owner, when)
    people = [resolve_person(owner, name) for name in with_]
    labels = {
        "scheduled_for": "--when",
        "duration_minutes": "--minutes",
        "location": "--where",
        "interviewers": "--with",
        "kind": "--kind",
        "notes": "--notes",
        "application": "JOB",
    }
    with refusal_as_usage_error(labels):
        interview = interview_schedule(
            application=opening.application,
            scheduled_for=moment,
            duration_minutes=minutes,
            kind=kind,
            location=where,
            interviewers=people,
            notes=notes,
        )
    data = _interview_dict(interview, opening, people)
    if as_json:
        emit_json(data)
        return
    whom = f" with {', '.join(p.full_name for p in people)}" if people else ""
    console.print(
        f"Interview for {opening.title} at {opening.organisation.name} on "
        f"{local_time(interview.scheduled_for)}{whom} ({data['id']}). A thank-you falls due "
        "the day after.",
        highlight=False,
    )


def _interview_dict(interview: Any, opening: Opening, people: Any) -> dict[str, Any]:
    return {
        "id": str(interview.uuid)[:8],
        "uuid": str(interview.uuid),
        "opening": str(opening.uuid),
        "title": opening.title,
        "organisation": opening.organisation.name,
        "scheduled_for": interview.scheduled_for,
        "duration_minutes": interview.duration_minutes,
        "kind": interview.kind,
        "location": interview.location,
        "status": interview.status,
        "with": [p.full_name for p in people],
    }


@job_app.command("interviews")
def job_interviews(
    ctx: typer.Context,
    every: bool = typer.Option(False, "--all", help="Past and cancelled ones too."),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Your coming interviews, soonest first (--all: every one).

    Example: circleback job interviews --json
    """
    django_setup()
    import datetime as dt

    from django.utils import timezone

    from circleback.jobs.queries import interviews_list

    check_page(limit, offset)
    owner = current_user(ctx)
    since = None if every else timezone.now() - dt.timedelta(hours=2)
    rows = interviews_list(owner=owner, since=since)
    if not every:
        rows = rows.filter(status="scheduled")
    print_list(
        rows,
        limit=limit,
        offset=offset,
        as_json=as_json,
        to_json=lambda i: _interview_dict(
            i, i.application.opening, [p.person for p in i.people.all()]
        ),
        empty="No interviews coming. Schedule one: circleback job interview JOB --when …",
        title="Interviews",
        columns=("Id", "When", "Role", "Organisation", "Kind", "With", "Status"),
        cells=lambda i: (
            str(i.uuid)[:8],
            local_time(i.scheduled_for),
            i.application.opening.title,
            i.application.opening.organisation.name,
            i.kind,
            ", ".join(p.person.full_name for p in i.people.all()),
            i.status,
        ),
        what="interviews",
    )


@job_app.command("cancel-interview")
def job_cancel_interview(
    ctx: typer.Context,
    interview: str = typer.Argument(
        ..., help="The interview's id from `job interviews` (or the start of it)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the cancelled interview as JSON."),
) -> None:
    """Cancel an interview that is off: its thank-yous leave your follow-ups.

    The application stays where it is; the interview is kept, marked cancelled, and listed by
    `job interviews --all`.

    Example: circleback job cancel-interview 9c0d1e2f
    """
    django_setup()
    from circleback.jobs.queries import interviews_list
    from circleback.jobs.services import interview_cancel

    owner = current_user(ctx)
    found = short_id_lookup(interviews_list(owner=owner), interview)
    if found is None:
        usage_error(
            f"no interview matches {interview!r}; see them with `circleback job interviews --all`."
        )
    with refusal_as_usage_error({"interview": "INTERVIEW"}):
        cancelled = interview_cancel(interview=found)
    opening = cancelled.application.opening
    people = [p.person for p in cancelled.people.all()]
    if as_json:
        emit_json(_interview_dict(cancelled, opening, people))
        return
    console.print(
        f"Cancelled the interview for {opening.title} at {opening.organisation.name} on "
        f"{local_time(cancelled.scheduled_for)}; its thank-yous are off your follow-ups.",
        highlight=False,
    )


@job_app.command("follow-ups")
def job_follow_ups(
    ctx: typer.Context,
    every: bool = typer.Option(False, "--all", help="Every open follow-up, also those due later."),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Follow-ups due today or before: applications to chase, interviewers to thank.

    Mark one done with `circleback job done ID`.

    Example: circleback job follow-ups --all --json
    """
    django_setup()
    from circleback.accounts.queries import user_today
    from circleback.jobs.queries import follow_up_title, follow_ups_open

    check_page(limit, offset)
    owner = current_user(ctx)
    rows = follow_ups_open(owner=owner, due_by=None if every else user_today(owner))
    print_list(
        rows,
        limit=limit,
        offset=offset,
        as_json=as_json,
        to_json=lambda f: {
            "id": str(f.uuid)[:8],
            "uuid": str(f.uuid),
            "kind": f.kind,
            "what": follow_up_title(f),
            "due_on": f.due_on,
            "person": f.person.full_name if f.person else None,
            "opening": str(f.application.opening.uuid),
        },
        empty="Nothing to follow up"
        + (" yet." if every else " today. See the later ones: circleback job follow-ups --all"),
        title="Follow-ups",
        columns=("Id", "Due", "What"),
        cells=lambda f: (str(f.uuid)[:8], str(f.due_on), follow_up_title(f)),
        what="follow-ups",
    )


@job_app.command("done")
def job_done(
    ctx: typer.Context,
    follow_up: str = typer.Argument(..., help="The follow-up's id from `job follow-ups`."),
    note: str = typer.Option("", "--note", help="What you wrote, for the journal."),
) -> None:
    """You chased the application or sent the thank-you: it goes in the journal.

    A chase with still no answer opens one more a week later, then no more.

    Example: circleback job done 1a2b3c4d --note "Short note to the recruiter"
    """
    django_setup()
    from circleback.jobs.models import FollowUp
    from circleback.jobs.services import follow_up_done

    owner = current_user(ctx)
    found = short_id_lookup(
        FollowUp.objects.filter(owner=owner).select_related(
            "application__opening__organisation", "person"
        ),
        follow_up,
    )
    if found is None:
        usage_error(
            f"no follow-up matches {follow_up!r}; see them with `circleback job follow-ups`."
        )
    with refusal_as_usage_error({"follow_up": "FOLLOW_UP", "note": "--note"}):
        nxt = follow_up_done(follow_up=found, note=note)
    console.print(
        "Done, and in the journal."
        + (
            f" If there's still no answer, one more follow-up falls due {nxt.due_on}."
            if nxt
            else ""
        ),
        highlight=False,
    )


@job_app.command("import")
def job_import(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A CSV of applications a job tracker exported."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show what the import would do; write nothing."
    ),
    skip_bad: bool = typer.Option(
        False, "--skip-bad", help="Leave out rows that can't be applications and go on."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Bring in applications from a job tracker's CSV export (or your spreadsheet).

    Reads the columns trackers write — Job Title, Company, Job URL, Status, Date Saved, Date
    Applied, Interview Date, Response Date, Deadline, Referred By, Notes — and walks each
    application through its stages with those dates. The same link, or the same title at
    the same organisation, is already there and left as it is; a bad value is reported and
    left out, not the row; a row without a title or company stops the import unless you
    pass --skip-bad. --dry-run reads the file and your records and writes nothing: the same
    report the import then gives.

    Example: circleback job import applications.csv --dry-run
    """
    django_setup()
    if not file.is_file():
        usage_error(f"{file} is not a file.")
    if file.stat().st_size > MAX_IMPORT_BYTES:
        usage_error(f"{file} is over {MAX_IMPORT_BYTES // 1024 // 1024} MB; split it.")
    from circleback.interchange.applications import applications_import
    from circleback.interchange.records import InterchangeError

    owner = current_user(ctx)
    try:
        with refusal_as_usage_error():
            report = applications_import(
                owner=owner, data=file.read_bytes(), dry_run=dry_run, skip_bad=skip_bad
            )
    except InterchangeError as exc:
        fail(f"{file.name}: {exc}")
    if as_json:
        emit_json(report.as_json())
        return
    prefix = "Dry run — nothing was written. Would have added" if dry_run else "Added"
    console.print(
        f"{prefix} {report.created} application{'s' if report.created != 1 else ''}, "
        f"{report.unchanged} already there.",
        highlight=False,
    )
    for item in report.skipped:
        console.print(f"  Skipped {item.where}: {item.reason}", highlight=False)
    if report.problems:
        console.print("Values not imported as they were — the rest of each row was:")
        for problem in report.problems:
            console.print(
                f"  {problem.where}: {problem.value!r} — {problem.reason}", highlight=False
            )


MAX_IMPORT_BYTES = 10 * 1024 * 1024


@job_app.command("stats")
def job_stats_command(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=H_JSON)
) -> None:
    """What worked on your own record: answers, interviews and offers per route (referred,
    through a contact, a recruiter, cold), days to a first interview, and whose referrals
    went furthest — saying so when the numbers are too few to mean much.

    Example: circleback job stats --json
    """
    django_setup()
    from rich.table import Table

    from circleback.jobs.queries import job_stats

    owner = current_user(ctx)
    stats = job_stats(owner=owner)
    if as_json:
        emit_json(stats.as_dict())
        return
    console.print(stats.summary, highlight=False)
    table = Table(title="By route", title_justify="left")
    for column in ("Route", "Applied", "Answered", "Interview", "Offer"):
        table.add_column(column)
    for r in stats.routes:
        table.add_row(r.label, str(r.applied), str(r.answered), str(r.interviews), str(r.offers))
    console.print(table)
    if stats.days_to_first_interview:
        console.print(
            f"From applying to a first interview: median {stats.median_days_to_interview:g} "
            f"days over {len(stats.days_to_first_interview)}.",
            highlight=False,
        )
    for referrer in stats.referrers:
        console.print(
            f"{referrer.person.full_name}: {referrer.applications} referred, furthest "
            f"{referrer.furthest}.",
            highlight=False,
        )


app.add_typer(job_app, name="job", rich_help_panel=PANEL)
