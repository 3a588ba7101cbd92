"""`circleback log` and `circleback journal`: write and read the networking journal."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from circleback.cli import app
from circleback.cli._common import (
    comma_list,
    console,
    current_user,
    django_setup,
    emit_json,
    local_time,
    parse_date,
    refusal_as_usage_error,
    resolve_organisation,
    resolve_person,
    usage_error,
)
from circleback.cli._paging import check_page, limit_option, offset_option, page_of, stream_json

if TYPE_CHECKING:
    from circleback.accounts.models import User
    from circleback.journal.models import Interaction

_TIME = re.compile(r"^(\d{1,2})[:.h](\d{2})$")


def interaction_to_dict(interaction: Interaction) -> dict[str, Any]:
    """A journal entry for --json (people prefetched with journal.queries.with_people)."""
    organisation = interaction.organisation if interaction.organisation_id else None
    return {
        "id": str(interaction.uuid)[:8],
        "uuid": str(interaction.uuid),
        "occurred_at": interaction.occurred_at.isoformat(),
        "kind": interaction.kind,
        "direction": interaction.direction,
        "summary": interaction.summary,
        "notes": interaction.notes,
        "organization": organisation.name if organisation is not None else None,
        "people": [
            {"uuid": str(p.uuid), "full_name": p.full_name} for p in interaction.people.all()
        ],
    }


def entry_dicts_of_rows(rows: Sequence[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Rows of `journal.queries.entry_rows` as `interaction_to_dict` writes them, with one
    query for the batch's people."""
    from circleback.journal.queries import entry_people

    people = entry_people(row[0] for row in rows)
    return [
        {
            "id": uuid[:8],
            "uuid": uuid,
            "occurred_at": occurred_at,
            "kind": kind,
            "direction": direction,
            "summary": summary,
            "notes": notes,
            "organization": organisation,
            "people": [{"uuid": u, "full_name": name} for u, name in people.get(pk, ())],
        }
        for pk, uuid, occurred_at, kind, direction, summary, notes, organisation in rows
    ]


def _people_cell(names: list[str], most: int = 3) -> str:
    shown = names[:most]
    more = len(names) - len(shown)
    return comma_list(shown) + (f" +{more}" if more > 0 else "")


def journal_table(
    entries: Iterable[Interaction],
    *,
    title: str = "Journal",
    show_people: bool = True,
    show_ids: bool = False,
) -> Table:
    table = Table(title=title, title_justify="left")
    if show_ids:
        table.add_column("Id", no_wrap=True)
    table.add_column("When", no_wrap=True)
    table.add_column("Kind")
    table.add_column("What", style="bold")
    if show_people:
        table.add_column("With")
    table.add_column("Organisation")
    for entry in entries:
        row = [local_time(entry.occurred_at), entry.get_kind_display(), entry.summary]
        if show_ids:
            row.insert(0, str(entry.uuid)[:8])
        if show_people:
            row.append(_people_cell([p.full_name for p in entry.people.all()]))
        row.append(entry.organisation.name if entry.organisation_id and entry.organisation else "")
        table.add_row(*row)
    return table


def _kind(value: str, option: str = "--kind") -> str:
    from circleback.journal.models import Interaction

    cleaned = value.strip().lower()
    if cleaned not in Interaction.Kind.values:
        usage_error(
            f"{option} {value!r} is not a kind of journal entry; "
            f"use one of {', '.join(Interaction.Kind.values)}."
        )
    return cleaned


def _time(value: str) -> dt.time:
    match = _TIME.match(value.strip())
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    usage_error(f"--time {value!r} is not a time of day; use HH:MM on a 24-hour clock, e.g. 14:30.")


def occurred_at(owner: User, day: dt.date | None, at: dt.time | None) -> dt.datetime:
    """When the entry happened, in UTC, from a date and time in the owner's time zone.

    No time given: now for today (or no date), midday for any other day.
    """
    from django.utils import timezone

    from circleback.accounts.queries import user_zone

    zone: dt.tzinfo = user_zone(owner)
    now = timezone.now()
    today = now.astimezone(zone).date()
    if day is None:
        day = today
    if at is None:
        if day == today:
            return now
        at = dt.time(12, 0)
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)


@app.command("log", rich_help_panel="Journal")
def log(
    ctx: typer.Context,
    summary: str = typer.Argument(
        ..., help="What happened, in a few words, e.g. 'Coffee with Ada'.", show_default=False
    ),
    with_: list[str] | None = typer.Option(
        None,
        "--with",
        "-w",
        metavar="PERSON",
        help="Someone who took part (name, email or UUID); repeat for several.",
    ),
    kind: str = typer.Option(
        "note",
        "--kind",
        "-k",
        help="meeting, call, email, message, event, social, card or note.",
    ),
    when: str | None = typer.Option(
        None, "--when", help="The day, YYYY-MM-DD (or today, yesterday). Default: now."
    ),
    at: str | None = typer.Option(
        None, "--time", help="The time of day in your time zone, HH:MM. Default: midday."
    ),
    direction: str = typer.Option(
        "mutual",
        "--direction",
        help="outgoing (you reached out), incoming (they did) or mutual.",
    ),
    org: str | None = typer.Option(
        None, "--org", "-o", help="The organisation it concerns (must exist: `org add`)."
    ),
    notes: str = typer.Option(
        "", "--notes", help="What you learned, referrals you got, what you promised."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the new entry as JSON."),
) -> None:
    """Write an entry in your networking journal: a meeting, call, email, event or favour.

    Dates and times are in your account's time zone. Each person named counts as contacted.

    Example: [bold]circleback log "Coffee with Ada" --with "Ada Quill" --kind meeting
    --when 2026-11-20 --time 14:30 --notes "Offered to introduce me to Bart"[/]
    """
    django_setup()
    from circleback.journal.models import Interaction
    from circleback.journal.queries import with_people
    from circleback.journal.services import interaction_log

    if not " ".join(summary.split()):
        usage_error('say in a few words what happened, e.g. `circleback log "Coffee with Ada"`.')
    kind = _kind(kind)
    cleaned_direction = direction.strip().lower()
    if cleaned_direction not in Interaction.Direction.values:
        usage_error(
            f"--direction {direction!r} is not a direction; "
            f"use one of {', '.join(Interaction.Direction.values)}."
        )
    time_of_day = _time(at) if at is not None else None
    owner = current_user(ctx)  # first: "today" is the day in the account's time zone
    day = parse_date(when, "--when")
    people = [resolve_person(owner, q) for q in with_ or []]
    organisation = resolve_organisation(owner, org) if org else None
    with refusal_as_usage_error({"summary": "summary", "people": "--with", "notes": "--notes"}):
        entry = interaction_log(
            owner=owner,
            summary=summary,
            people=people,
            kind=kind,
            occurred_at=occurred_at(owner, day, time_of_day),
            direction=cleaned_direction,
            notes=notes,
            organisation=organisation,
        )
    if as_json:
        full = with_people(Interaction.objects.filter(pk=entry.pk).select_related("organisation"))
        emit_json(interaction_to_dict(full.get()))
        return
    who = f" with {comma_list(p.full_name for p in people)}" if people else ""
    console.print(
        f"Logged {entry.get_kind_display().lower()} [bold]{entry.summary}[/]{who} "
        f"on {local_time(entry.occurred_at)}.",
        highlight=False,
    )


journal_app = typer.Typer(
    help=(
        "Read your journal, newest first; `circleback journal edit` corrects an entry.\n\n"
        'Example: circleback journal --person "Ada Quill" --kind meeting --since 2026-01-01'
    ),
    invoke_without_command=True,
)
app.add_typer(journal_app, name="journal", rich_help_panel="Journal")


@journal_app.callback(invoke_without_command=True)
def journal(
    ctx: typer.Context,
    person: str | None = typer.Option(
        None, "--person", "-p", help="Only entries with this person."
    ),
    org: str | None = typer.Option(
        None, "--org", "-o", help="Only entries about this organisation or its people."
    ),
    kind: str | None = typer.Option(None, "--kind", "-k", help="Only this kind, e.g. meeting."),
    since: str | None = typer.Option(None, "--since", help="From this day on, YYYY-MM-DD."),
    until: str | None = typer.Option(None, "--until", help="Up to and including this day."),
    limit: int | None = limit_option(20),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Read your journal, newest first. Each entry's id is for `circleback journal edit`.

    Example: [bold]circleback journal --person "Ada Quill" --kind meeting --since 2026-01-01[/]
    """
    if ctx.invoked_subcommand is not None:
        return
    django_setup()
    from circleback.journal.queries import JournalFilter, entry_rows, journal_list

    cleaned_kind = _kind(kind) if kind is not None else ""
    check_page(limit, offset)
    owner = current_user(ctx)  # first: "today" is the day in the account's time zone
    start = parse_date(since, "--since")
    end = parse_date(until, "--until")
    if start and end and start > end:
        usage_error(f"--since {start} is after --until {end}; swap them.")
    filters = JournalFilter(
        kind=cleaned_kind,
        since=start,
        until=end,
        person=resolve_person(owner, person) if person else None,
        organisation=resolve_organisation(owner, org) if org else None,
    )
    listed = journal_list(owner=owner, filters=filters)
    if as_json:
        # Plain rows and one query a batch for who took part: models and a prefetch cost most
        # of a millisecond a row.
        stream_json(
            entry_rows(listed),
            limit=limit,
            offset=offset,
            to_json=lambda row: entry_dicts_of_rows([row])[0],
            to_json_batch=entry_dicts_of_rows,
            what="entries",
        )
        return
    found = listed.select_related("organisation")
    page = page_of(found, limit or 20, offset)
    entries = page.rows
    if not page.total:
        if any([person, org, kind, since, until]):
            console.print("No journal entries match. Try fewer options.")
        else:
            console.print(
                'The journal is empty — write the first entry with `circleback log "Coffee with '
                'Ada" --with "Ada Quill" --kind meeting`.',
                highlight=False,
            )
        return
    if entries:
        console.print(journal_table(entries, show_ids=True))
    page.say_more("entries")


@journal_app.command("edit")
def journal_edit(
    ctx: typer.Context,
    entry: str = typer.Argument(
        ..., help="The entry's id (from `circleback journal`) or UUID.", show_default=False
    ),
    with_: list[str] | None = typer.Option(
        None,
        "--with",
        "-w",
        metavar="PERSON",
        help="Add someone who took part (name, email or UUID); repeat for several.",
    ),
    without: list[str] | None = typer.Option(
        None,
        "--without",
        metavar="PERSON",
        help="Take someone off the entry; repeat for several.",
    ),
    summary: str | None = typer.Option(None, "--summary", help="What happened, in a few words."),
    kind: str | None = typer.Option(None, "--kind", "-k", help="A new kind, e.g. call."),
    when: str | None = typer.Option(None, "--when", help="A new day, YYYY-MM-DD."),
    at: str | None = typer.Option(None, "--time", help="A new time of day, HH:MM."),
    direction: str | None = typer.Option(None, "--direction", help="outgoing, incoming or mutual."),
    org: str | None = typer.Option(None, "--org", "-o", help="The organisation it concerns."),
    notes: str | None = typer.Option(None, "--notes", help="New notes (replace the old ones)."),
    as_json: bool = typer.Option(False, "--json", help="Print the entry as JSON."),
) -> None:
    """Correct a journal entry: who took part, what, when. What you leave out stays.

    Everyone added counts as contacted then; everyone taken off has their last contact
    worked out again from the rest of their journal, so keep-in-touch reminders follow.

    Example: [bold]circleback journal edit 3f2a9c1b --with "Bart Nguyen" --without "Ada Quill"[/]
    """
    django_setup()
    from django.utils import timezone

    from circleback.cli.meetings import short_id_lookup
    from circleback.journal.models import Interaction
    from circleback.journal.queries import with_people
    from circleback.journal.services import interaction_update

    cleaned_kind = _kind(kind) if kind is not None else None
    cleaned_direction = direction.strip().lower() if direction is not None else None
    if cleaned_direction is not None and cleaned_direction not in Interaction.Direction.values:
        usage_error(
            f"--direction {direction!r} is not a direction; "
            f"use one of {', '.join(Interaction.Direction.values)}."
        )
    time_of_day = _time(at) if at is not None else None
    owner = current_user(ctx)
    found = short_id_lookup(Interaction.objects.filter(owner=owner), entry)
    if found is None:
        usage_error(
            f"no journal entry has the id {entry!r}; see the ids with `circleback journal`."
        )
    day = parse_date(when, "--when")
    adding = [resolve_person(owner, q) for q in with_ or []]
    removing = [resolve_person(owner, q) for q in without or []]
    both = {p.pk for p in adding} & {p.pk for p in removing}
    if both:
        name = next(p.full_name for p in adding if p.pk in both)
        usage_error(f"{name} is in both --with and --without; say which.")
    current = list(found.people.order_by("full_name", "pk"))
    for person in removing:
        if person not in current:
            usage_error(f"{person.full_name} is not on this entry, so --without has nothing to do.")
    changes: dict[str, object] = {}
    if summary is not None:
        changes["summary"] = summary
    if cleaned_kind is not None:
        changes["kind"] = cleaned_kind
    if cleaned_direction is not None:
        changes["direction"] = cleaned_direction
    if notes is not None:
        changes["notes"] = notes
    if org is not None:
        changes["organisation"] = resolve_organisation(owner, org) if org.strip() else None
    if day is not None or time_of_day is not None:
        local = timezone.localtime(found.occurred_at)
        changes["occurred_at"] = occurred_at(
            owner, day or local.date(), time_of_day or local.time().replace(second=0, microsecond=0)
        )
    people = None
    if adding or removing:
        gone = {p.pk for p in removing}
        people = [p for p in current if p.pk not in gone]
        people += [p for p in adding if p not in people]
    if people is None and not changes:
        usage_error(
            "say what to change, e.g. --with PERSON, --without PERSON, --summary or --notes."
        )
    with refusal_as_usage_error(
        {"summary": "--summary", "people": "--with/--without", "notes": "--notes"}
    ):
        interaction_update(interaction=found, people=people, **changes)
    if as_json:
        full = with_people(Interaction.objects.filter(pk=found.pk).select_related("organisation"))
        emit_json(interaction_to_dict(full.get()))
        return
    names = [p.full_name for p in found.people.order_by("full_name", "pk")]
    who = f" with {comma_list(names)}" if names else " with no one"
    console.print(
        f"Saved {found.get_kind_display().lower()} [bold]{found.summary}[/]{who} "
        f"on {local_time(found.occurred_at)}.",
        highlight=False,
    )
