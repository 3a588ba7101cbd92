"""`circleback today`, `health`, `goals`, `pitch`, `snooze` and `cadence`: keep in touch and
keep score.

"Stay connected when you need nothing": the agenda remembers whom to reconnect with, the
health check says whether you could name ten people who'd help you tomorrow.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    django_setup,
    emit_json,
    fail,
    parse_date,
    refusal_as_usage_error,
    resolve_person,
    usage_error,
)
from circleback.cli._paging import check_page, limit_option, offset_option, print_list

if TYPE_CHECKING:
    from circleback.insights.models import Pitch
    from circleback.insights.queries.agenda import Agenda
    from circleback.insights.queries.goals import Goals
    from circleback.insights.queries.health import Health
    from circleback.people.models import Person

H_JSON = "Print JSON instead of a table."
PANEL = "Keep in touch and keep score"

# Each command starts with django_setup(), as in the other command modules: it imports models
# before current_user() sets Django up. (Not in a group callback: --help needs no Django.)
pitch_app = typer.Typer(
    help=(
        "Your two-minute pitch: versions with dates, word count and speaking time (about 150 "
        "words a minute), and whom you practised on — list A first, where mistakes are cheap.\n\n"
        'Example: circleback pitch add --file pitch.txt; circleback pitch practice --with "Amy"'
    ),
    no_args_is_help=True,
)
goals_app = typer.Typer(
    help=(
        "Monthly goals — new contacts (three or four a month), meetings, favours given — with "
        "this month's progress and streaks. Run without a command to see them.\n\n"
        "Example: circleback goals; circleback goals set --contacts 4 --meetings 3"
    ),
    invoke_without_command=True,
)
cadence_app = typer.Typer(
    help=(
        "How often to keep in touch: a person's own cadence, or your defaults by list and "
        "closeness. Any logged interaction resets the clock.\n\n"
        'Example: circleback cadence set "Ada Quill" 30; circleback cadence defaults --list-b 45'
    ),
    no_args_is_help=True,
)
new_roles_app = typer.Typer(
    help=(
        "New roles to congratulate people on: a title or organisation that changed — on "
        "their page, with `circleback person edit`, or in a newer export imported again. "
        "Run without a command to list them (Today suggests the newest); dismiss one you "
        "won't congratulate.\n\n"
        'Example: circleback new-roles --json; circleback new-roles dismiss "Ada Quill"'
    ),
    invoke_without_command=True,
)
app.add_typer(new_roles_app, name="new-roles", rich_help_panel=PANEL)
app.add_typer(pitch_app, name="pitch", rich_help_panel=PANEL)
app.add_typer(goals_app, name="goals", rich_help_panel=PANEL)
app.add_typer(cadence_app, name="cadence", rich_help_panel=PANEL)


def _person_ref(person: Person) -> dict[str, str]:
    return {"uuid": str(person.uuid), "full_name": person.full_name}


# --- today ---------------------------------------------------------------------------------


def agenda_to_dict(agenda: Agenda) -> dict[str, Any]:
    def item(source: Any) -> dict[str, Any]:
        return {
            "title": source.title,
            "detail": source.detail,
            "due": source.due,
            "person": source.person_name,
            "person_uuid": source.person_uuid,
        }

    return {
        "today": agenda.today,
        "loops_overdue": [item(i) for i in agenda.loops_overdue],
        "thank_yous": [item(i) for i in agenda.thank_yous],
        "meetings": [item(i) for i in agenda.meetings],
        "reconnects": [
            {
                "person": _person_ref(r.person),
                "cadence_days": r.cadence,
                "days_since": r.days_since,
                "days_overdue": r.days_overdue,
                "weak_tie": r.weak,
                "never_contacted": r.never_contacted,
                "reason": r.reason,
            }
            for r in agenda.reconnects
        ],
        "gives": [
            {
                "kind": g.kind,
                "title": g.title,
                "reason": g.reason,
                "people": [_person_ref(p) for p in g.people],
                "url": g.url,
            }
            for g in agenda.gives
        ],
    }


@app.command(rich_help_panel=PANEL)
def today(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=H_JSON)) -> None:
    """Today's agenda: loops overdue, thank-yous owed, today's meetings, reconnects due (weak
    ties get their turn too) and a suggested give.

    Example: circleback today
    """
    django_setup()
    from circleback.insights.queries.agenda import agenda_for

    owner = current_user(ctx)
    agenda = agenda_for(owner)
    if as_json:
        emit_json(agenda_to_dict(agenda))
        return
    console.print(f"[bold]Today, {agenda.today:%A %d %B %Y}[/]", highlight=False)
    if agenda.is_empty:
        console.print(
            "Nothing due today. Stay connected when you need nothing: say hello to someone "
            "you haven't spoken to in a while."
        )
        return
    sections = (
        ("Loops overdue", agenda.loops_overdue),
        ("Thank-yous owed", agenda.thank_yous),
        ("Today's meetings", agenda.meetings),
    )
    for title, items in sections:
        if items:
            console.print(f"\n[bold]{title}[/]", highlight=False)
            for source in items:
                detail = f" — {source.detail}" if source.detail else ""
                console.print(f"  • {source.title}{detail}", highlight=False)
    if agenda.reconnects:
        console.print(
            '\n[bold]Reconnect[/]  (log it: circleback log "Said hello" --with NAME; '
            "not now: circleback snooze NAME --until DATE)",
            highlight=False,
        )
        for r in agenda.reconnects:
            tie = " (weak tie)" if r.weak else ""
            console.print(f"  • {r.person.full_name}{tie}: {r.reason}", highlight=False)
    if agenda.gives:
        console.print("\n[bold]Give something[/]")
        for g in agenda.gives:
            console.print(f"  • {g.title}. {g.reason}", highlight=False)
            if g.kind == "new_role":
                console.print(
                    f'    (not this one: circleback new-roles dismiss "{g.people[0].full_name}")',
                    highlight=False,
                )


# --- health --------------------------------------------------------------------------------


def health_to_dict(health: Health) -> dict[str, Any]:
    from circleback.insights.queries.health import NAME_TEN_CAP

    given, received = health.favours if health.favours is not None else (None, None)
    return {
        "name_ten": {
            "count": health.name_ten,
            "counted_up_to": NAME_TEN_CAP,
            "target": 10,
            "people": [_person_ref(p) for p in health.name_ten_people],
            "reconnect_with": [_person_ref(p) for p in health.to_reconnect],
            "targets_defined": health.targets_defined,
        },
        "lists": health.lists,
        "total": health.total,
        "favours": {"given": given, "received": received},
        "untouched_for_a_year": {"count": health.untouched, "percent": health.untouched_percent},
        "weak_ties": {"total": health.weak_total, "activated_this_quarter": health.weak_activated},
        "targets_with_no_way_in": [{"uuid": str(o.uuid), "name": o.name} for o in health.no_way_in],
        "drive_through": [
            {"person": _person_ref(p), "reasons": d.reasons, "advice": d.advice}
            for p, d in health.drive_through
        ],
    }


@app.command(rich_help_panel=PANEL)
def health(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=H_JSON)) -> None:
    """The network health check: could you name 10 people who'd help you start a job search
    now? Plus list balance, give and take, silence, weak ties and targets with no way in.

    Example: circleback health --json
    """
    django_setup()
    from circleback.insights.queries.health import health_for

    owner = current_user(ctx)
    found = health_for(owner)
    if as_json:
        emit_json(health_to_dict(found))
        return
    console.print(
        f"[bold]Name ten:[/] {found.name_ten_display} of 10 people could help you start a job "
        "search now (lists A/B, closeness 3+, in touch within 6 months"
        + (", relevant to your targets)." if found.targets_defined else ")."),
        highlight=False,
    )
    if found.to_reconnect:
        names = ", ".join(p.full_name for p in found.to_reconnect)
        console.print(f"  Reconnect with: {names}", highlight=False)
    table = Table(show_header=False, box=None)
    table.add_row("Lists", "  ".join(f"{k}: {v}" for k, v in found.lists.items()))
    if found.favours is not None:
        table.add_row("Favours", f"given {found.favours[0]}, received {found.favours[1]}")
    table.add_row(
        "Untouched for a year", f"{found.untouched} of {found.total} ({found.untouched_percent}%)"
    )
    table.add_row(
        "Weak ties", f"{found.weak_activated} of {found.weak_total} activated this quarter"
    )
    table.add_row("Targets with no way in", ", ".join(o.name for o in found.no_way_in) or "none")
    console.print(table)
    for person, drive in found.drive_through:
        console.print(
            f"[bold]{person.full_name}[/]: {'; '.join(drive.reasons)}. {drive.advice}",
            highlight=False,
        )


# --- goals ---------------------------------------------------------------------------------


def goals_to_dict(goals: Goals) -> dict[str, Any]:
    return {
        "targets": goals.targets,
        "this_month": {
            p.metric: {"count": p.this_month, "target": p.target, "met": p.met, "streak": p.streak}
            for p in goals.progress
        },
        "all_met_streak": goals.all_met_streak,
        "history": [{"month": m.start.strftime("%Y-%m"), **m.counts} for m in goals.history],
    }


@goals_app.callback()
def goals_show(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=H_JSON)
) -> None:
    """This month's progress towards your targets, streaks, and the last 12 months."""
    if ctx.invoked_subcommand is not None:
        return
    django_setup()
    from circleback.insights.queries.goals import goals_for

    owner = current_user(ctx)
    goals = goals_for(owner)
    if as_json:
        emit_json(goals_to_dict(goals))
        return
    table = Table(title="This month", title_justify="left")
    for column in ("Goal", "Done", "Target", "Streak (months)"):
        table.add_column(column)
    for p in goals.progress:
        done = f"[green]{p.this_month} ✓[/]" if p.met else str(p.this_month)
        table.add_row(p.label, done, str(p.target), str(p.streak))
    console.print(table)


def _non_negative(value: int | None, option: str) -> int | None:
    if value is not None and not 0 <= value <= 500:
        usage_error(f"{option} must be a whole number from 0 to 500; {value} isn't.")
    return value


@goals_app.command("set")
def goals_set(
    ctx: typer.Context,
    contacts: int | None = typer.Option(None, "--contacts", help="New contacts a month."),
    meetings: int | None = typer.Option(None, "--meetings", help="Meetings a month."),
    favours: int | None = typer.Option(None, "--favours", help="Favours given a month."),
    default: bool = typer.Option(False, "--default", help="Back to your mode's defaults."),
) -> None:
    """Set monthly targets (the articles suggest three or four new contacts a month).

    Example: circleback goals set --contacts 4 --meetings 3 --favours 2
    """
    django_setup()
    from circleback.insights.services import goals_update

    values = {
        "new_contacts": _non_negative(contacts, "--contacts"),
        "meetings": _non_negative(meetings, "--meetings"),
        "favours_given": _non_negative(favours, "--favours"),
    }
    chosen = {k: v for k, v in values.items() if v is not None}
    if default and chosen:
        usage_error("give targets or --default, not both.")
    if not default and not chosen:
        usage_error("say which target to set: --contacts N, --meetings N or --favours N.")
    owner = current_user(ctx)
    with refusal_as_usage_error({"new_contacts": "--contacts", "favours_given": "--favours"}):
        goals_update(owner=owner, **({k: None for k in values} if default else chosen))
    console.print("Goals saved. See your progress with `circleback goals`.")


# --- new roles -----------------------------------------------------------------------------


def _new_role_to_dict(change: Any) -> dict[str, Any]:
    person = change.person
    return {
        "person": _person_ref(person),
        "title": person.title,
        "organisation": person.organisation.name if person.organisation else "",
        "title_before": change.title_before,
        "organisation_before": change.organisation_before,
        "changed_at": change.changed_at,
    }


@new_roles_app.callback()
def new_roles_list(
    ctx: typer.Context,
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """New roles of the last two months, newest first, of people you haven't been in touch
    with since.

    Example: circleback new-roles --json
    """
    if ctx.invoked_subcommand is not None:
        return
    django_setup()
    from circleback.insights.queries.new_roles import new_roles_to_congratulate
    from circleback.text import role_words

    check_page(limit, offset)
    owner = current_user(ctx)
    print_list(
        new_roles_to_congratulate(owner=owner),
        limit=limit,
        offset=offset,
        as_json=as_json,
        to_json=_new_role_to_dict,
        empty=(
            "No new roles to congratulate anyone on. When a title or organisation changes "
            "(or a newer export brings one), they show here and on Today."
        ),
        title="New roles to congratulate",
        columns=("Person", "Now", "Was", "Noted"),
        cells=lambda c: (
            c.person.full_name,
            role_words(c.person.title, c.person.organisation.name if c.person.organisation else ""),
            role_words(c.title_before, c.organisation_before),
            f"{c.changed_at:%d %b %Y}",
        ),
        what="new roles",
    )


@new_roles_app.command("dismiss")
def new_roles_dismiss(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or UUID."),
) -> None:
    """Don't suggest congratulating someone on their new role. Nothing else changes: their
    title stays, and the journal is left as it is. Logging a note to them ends the
    suggestion too.

    Example: circleback new-roles dismiss "Ada Quill"
    """
    django_setup()
    from circleback.people.services.people import role_change_dismiss

    owner = current_user(ctx)
    who = resolve_person(owner, person)
    if role_change_dismiss(owner=owner, person=who):
        console.print(f"No more suggestions to congratulate {who.full_name}.", highlight=False)
    else:
        console.print(
            f"{who.full_name} has no new role to dismiss; nothing changed.", highlight=False
        )


# --- snooze and cadence --------------------------------------------------------------------


@app.command(rich_help_panel=PANEL)
def snooze(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or UUID."),
    until: str | None = typer.Option(None, "--until", help="YYYY-MM-DD, after today."),
    off: bool = typer.Option(False, "--off", help="Lift the snooze: due again as usual."),
) -> None:
    """Don't suggest reconnecting with someone before a date (be patient: they may be ready
    later). --off lifts it.

    Example: circleback snooze "Ada Quill" --until 2027-01-15
    """
    django_setup()
    from circleback.insights.services import person_snooze, person_unsnooze

    if (until is None) == (not off):
        usage_error("give --until YYYY-MM-DD or --off (one of them).")
    owner = current_user(ctx)
    day = parse_date(until, "--until")
    who = resolve_person(owner, person)
    if day is None:
        person_unsnooze(owner=owner, person=who)
        console.print(f"{who.full_name} is no longer snoozed.", highlight=False)
        return
    with refusal_as_usage_error({"until": "--until"}):
        person_snooze(owner=owner, person=who, until=day)
    console.print(f"Snoozed {who.full_name} until {day:%d %b %Y}.", highlight=False)


@cadence_app.command("set")
def cadence_set_command(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Name, email or UUID."),
    days: str | None = typer.Argument(None, help="Days between reconnects (1 to 3650)."),
    default: bool = typer.Option(False, "--default", help="Back to your default cadence."),
) -> None:
    """Keep in touch with someone every DAYS days, or --default for their list's default.

    Example: circleback cadence set "Ada Quill" 30
    """
    django_setup()
    from circleback.insights.services import cadence_set

    if (days is None) == (not default):
        usage_error("give a number of days or --default (one of them).")
    parsed: int | None = None
    if days is not None:
        try:
            parsed = int(days)
        except ValueError:
            usage_error(f"DAYS {days!r} is not a whole number of days, e.g. 60.")
    owner = current_user(ctx)
    who = resolve_person(owner, person)
    with refusal_as_usage_error({"cadence_days": "DAYS"}):
        cadence_set(owner=owner, person=who, days=parsed)
    what = f"every {parsed} days" if parsed else "on your default cadence"
    console.print(f"Keeping in touch with {who.full_name} {what}.", highlight=False)


@cadence_app.command("defaults")
def cadence_defaults_command(
    ctx: typer.Context,
    inner_circle: int | None = typer.Option(None, "--inner-circle", help="Closeness 5, days."),
    list_a: int | None = typer.Option(None, "--list-a", help="List A (personal), days."),
    list_b: int | None = typer.Option(None, "--list-b", help="List B (career), days."),
    list_c: int | None = typer.Option(None, "--list-c", help="List C (targets), days."),
    reset: bool = typer.Option(False, "--reset", help="Back to your mode's defaults."),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Show or change your default cadences by list and closeness.

    Example: circleback cadence defaults --list-b 45 --list-c 90
    """
    django_setup()
    from circleback.insights.cadence import cadence_defaults
    from circleback.insights.services import cadence_defaults_update

    owner = current_user(ctx)
    values = {
        "inner_circle_days": inner_circle,
        "list_a_days": list_a,
        "list_b_days": list_b,
        "list_c_days": list_c,
    }
    chosen = {k: v for k, v in values.items() if v is not None}
    if reset and chosen:
        usage_error("give days or --reset, not both.")
    if chosen or reset:
        with refusal_as_usage_error(
            {
                "inner_circle_days": "--inner-circle",
                "list_a_days": "--list-a",
                "list_b_days": "--list-b",
                "list_c_days": "--list-c",
            }
        ):
            cadence_defaults_update(owner=owner, **({k: None for k in values} if reset else chosen))
    defaults = cadence_defaults(owner)
    if as_json:
        emit_json(defaults)
        return
    labels = {"inner_circle": "Inner circle", "A": "List A", "B": "List B", "C": "List C"}
    for bucket, days in defaults.items():
        console.print(f"{labels[bucket]}: every {days} days", highlight=False)


# --- pitch ---------------------------------------------------------------------------------


def pitch_to_dict(pitch: Pitch) -> dict[str, Any]:
    return {
        "uuid": str(pitch.uuid),
        "id": str(pitch.uuid)[:8],
        "label": pitch.label,
        "created_at": pitch.created_at,
        "word_count": pitch.word_count,
        "speaking_seconds": pitch.speaking_seconds,
        "speaking_time": pitch.speaking_time,
        "too_long": pitch.too_long,
        "text": pitch.text,
    }


def _timing(pitch: Pitch) -> str:
    line = f"{pitch.word_count} words, about {pitch.speaking_time} to say"
    if pitch.too_long:
        line += " — over two minutes: cut it down to the essentials"
    return line


def _resolve_pitch(owner: Any, version: str | None) -> Pitch:
    from circleback.insights.models import Pitch
    from circleback.insights.queries.pitch import pitch_current

    if version is None:
        current = pitch_current(owner)
        if current is None:
            fail('no pitch yet. Write one with `circleback pitch add "…"`.')
        return current
    matches = list(Pitch.objects.filter(owner=owner, uuid__startswith=version.lower())[:2])
    if len(matches) != 1:
        usage_error(f"no single pitch version has the id {version!r}; see `circleback pitch list`.")
    return matches[0]


@pitch_app.command("add")
def pitch_add_command(
    ctx: typer.Context,
    text: str | None = typer.Argument(None, help="The pitch (or use --file)."),
    file: Path | None = typer.Option(None, "--file", help="Read the pitch from a text file."),
    label: str = typer.Option("", "--label", help="A name for this version."),
) -> None:
    """Save a new version of your two-minute pitch; it becomes the current one and appears
    in meeting prep briefs.

    Example: circleback pitch add --file pitch.txt --label "product roles"
    """
    django_setup()
    from circleback.insights.services import pitch_add

    if (text is None) == (file is None):
        usage_error("give the pitch as TEXT or --file F (one of them).")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            usage_error(f"cannot read --file {str(file)!r}: {exc.__class__.__name__}.")
    owner = current_user(ctx)
    with refusal_as_usage_error({"text": "pitch"}):
        pitch = pitch_add(owner=owner, text=text or "", label=label)
    console.print(f"Saved pitch {str(pitch.uuid)[:8]}: {_timing(pitch)}.", highlight=False)


@pitch_app.command("list")
def pitch_list_command(
    ctx: typer.Context,
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Every version of your pitch, newest (current) first. Example: circleback pitch list"""
    django_setup()
    from circleback.insights.queries.pitch import pitch_list

    check_page(limit, offset)
    owner = current_user(ctx)
    print_list(
        pitch_list(owner),
        limit=limit,
        offset=offset,
        as_json=as_json,
        to_json=lambda p: {**pitch_to_dict(p), "practices": p.practice_count},
        empty='No pitch yet. Write one: circleback pitch add "…"',
        title="Pitch versions",
        columns=("Id", "Date", "Label", "Words", "Time", "Practised"),
        cells=lambda p: (
            str(p.uuid)[:8],
            f"{p.created_at:%Y-%m-%d}",
            p.label,
            str(p.word_count),
            f"[red]{p.speaking_time}[/]" if p.too_long else p.speaking_time,
            str(p.practice_count),
        ),
        what="pitch versions",
    )


@pitch_app.command("show")
def pitch_show_command(
    ctx: typer.Context,
    version: str | None = typer.Argument(None, help="A version id (default: the current one)."),
    as_json: bool = typer.Option(False, "--json", help=H_JSON),
) -> None:
    """Show a pitch version (the current one by default) with its speaking time."""
    django_setup()
    owner = current_user(ctx)
    pitch = _resolve_pitch(owner, version)
    if as_json:
        emit_json(pitch_to_dict(pitch))
        return
    console.print(pitch.text, highlight=False)
    console.print(f"\n{_timing(pitch)}.", highlight=False)


@pitch_app.command("practice")
def pitch_practice_command(
    ctx: typer.Context,
    with_: str | None = typer.Option(None, "--with", help="Whom you practised on."),
    on: str | None = typer.Option(None, "--on", help="When (YYYY-MM-DD; default today)."),
    notes: str = typer.Option("", "--notes", help="What you learned."),
    version: str | None = typer.Option(None, "--version", help="Version id (default current)."),
) -> None:
    """Log a rehearsal of your pitch. Practise on list A first: mistakes are cheap there.

    Example: circleback pitch practice --with "Amy Sister" --notes "slow down the opening"
    """
    django_setup()
    from circleback.insights.queries.pitch import practice_partners
    from circleback.insights.services import pitch_practice_log, practice_advice

    owner = current_user(ctx)
    day = parse_date(on, "--on")
    pitch = _resolve_pitch(owner, version)
    who = resolve_person(owner, with_) if with_ else None
    advice = practice_advice(owner=owner, pitch=pitch, person=who)
    with refusal_as_usage_error({"practised_on": "--on"}):
        pitch_practice_log(owner=owner, pitch=pitch, person=who, practised_on=day, notes=notes)
    whom = f" with {who.full_name}" if who else ""
    console.print(f"Practice logged{whom}.", highlight=False)
    if advice:
        partners = [p.full_name for p in practice_partners(owner, limit=3) if p.contact_list == "A"]
        suggestion = f" Try {', '.join(partners)}." if partners else ""
        console.print(advice + suggestion, highlight=False)
