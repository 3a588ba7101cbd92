"""`circleback org …`: organisations, and the target employers of list C."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    django_setup,
    emit_json,
    local_time,
    refusal_as_usage_error,
    resolve_organisation,
    usage_error,
)
from circleback.cli._paging import (
    DEFAULT_LIMIT,
    check_page,
    limit_option,
    offset_option,
    page_of,
    stream_json,
)

if TYPE_CHECKING:
    from circleback.people.models import Organisation

org_app = typer.Typer(
    help=(
        "Organisations: where your people work, and the target employers you are working "
        "towards (list C).\n\n"
        "Example: circleback org add Hooli --target --priority 1 --stage networking"
    ),
    no_args_is_help=True,
)
app.add_typer(org_app, name="org", rich_help_panel="Your network")

STAGES = ["researching", "networking", "applied", "interviewing", "offer", "closed"]
ORG_LABELS = {
    "name": "name",
    "domain": "--domain",
    "industry": "--industry",
    "location": "--location",
    "priority": "--priority",
    "stage": "--stage",
    "notes": "--notes",
}
PEOPLE_SHOWN = 50

H_DOMAIN = "Its web domain, e.g. hooli.com."
H_INDUSTRY = "Its industry, e.g. 'Search engines'."
H_LOCATION = "Where it is, e.g. 'Palo Alto'."
H_PRIORITY = "How much you want to work there: 1 (most) to 5. Makes it a target."
H_STAGE = "Where your search there stands: " + ", ".join(STAGES) + "."
H_NOTES = "Anything worth remembering."


def _stage(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = value.strip().lower()
    if cleaned not in STAGES:
        usage_error(f"--stage {value!r} is not a stage; use one of {', '.join(STAGES)}.")
    return cleaned


def _priority(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 5:
        usage_error(f"--priority must be from 1 (most wanted) to 5, not {value}.")
    return value


def _target_label(organisation: Organisation) -> str:
    if not organisation.is_target:
        return ""
    return f"P{organisation.priority}" if organisation.priority else "yes"


@org_app.command("add")
def org_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The organisation's name.", show_default=False),
    domain: str = typer.Option("", "--domain", help=H_DOMAIN),
    industry: str = typer.Option("", "--industry", help=H_INDUSTRY),
    location: str = typer.Option("", "--location", help=H_LOCATION),
    target: bool = typer.Option(
        False, "--target", help="A target employer: you are looking for a way in (list C)."
    ),
    priority: int | None = typer.Option(None, "--priority", help=H_PRIORITY),
    stage: str | None = typer.Option(None, "--stage", help=H_STAGE),
    notes: str = typer.Option("", "--notes", help=H_NOTES),
    as_json: bool = typer.Option(False, "--json", help="Print the organisation as JSON."),
) -> None:
    """Add an organisation, optionally as a target employer.

    Example: [bold]circleback org add Hooli --domain hooli.com --target --priority 1
    --stage networking[/]
    """
    django_setup()
    from circleback.people.serializers import organisation_to_dict
    from circleback.people.services.organisations import organisation_create

    if not " ".join(name.split()):
        usage_error("an organisation needs a name, e.g. `circleback org add Hooli`.")
    _priority(priority)
    cleaned_stage = _stage(stage)
    owner = current_user(ctx)
    fields: dict[str, Any] = {"stage": cleaned_stage} if cleaned_stage else {}
    with refusal_as_usage_error(ORG_LABELS):
        organisation = organisation_create(
            owner=owner,
            name=name,
            domain=domain,
            industry=industry,
            location=location,
            is_target=target or priority is not None or cleaned_stage is not None,
            priority=priority,
            notes=notes,
            **fields,
        )
    if as_json:
        emit_json(organisation_to_dict(organisation))
        return
    what = " as a target" if organisation.is_target else ""
    console.print(
        f"Added [bold]{organisation.name}[/]{what} — {organisation.uuid}", highlight=False
    )


@org_app.command("list")
def org_list(
    ctx: typer.Context,
    targets: bool = typer.Option(False, "--targets", help="Only target employers."),
    limit: int | None = limit_option(),
    offset: int = offset_option(),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List organisations: targets first, by priority and how far along the stage is.

    Example: [bold]circleback org list --targets[/]
    """
    django_setup()
    from circleback.people.queries import organisations_ranked
    from circleback.people.serializers import organisation_to_dict

    check_page(limit, offset)
    owner = current_user(ctx)
    organisations = organisations_ranked(owner=owner, targets_only=targets)
    if as_json:
        stream_json(
            organisations,
            limit=limit,
            offset=offset,
            to_json=lambda o: {**organisation_to_dict(o), "people_count": o.people_count},
            what="organisations",
        )
        return
    page = page_of(organisations, limit or DEFAULT_LIMIT, offset)
    if not page.total:
        if targets:
            console.print(
                "No target employers yet — mark one with `circleback org edit NAME --target` "
                "or add one with `circleback org add NAME --target --priority 1`."
            )
        else:
            console.print(
                "No organisations yet — add one with `circleback org add Hooli --target`, "
                "or give someone an --org."
            )
        return
    table = Table(title=f"Organisations ({page.total})", title_justify="left")
    table.add_column("Name", style="bold")
    table.add_column("Target", justify="center")
    table.add_column("Stage")
    table.add_column("People", justify="right")
    table.add_column("Industry")
    table.add_column("Location")
    for o in page.rows:
        table.add_row(
            o.name,
            _target_label(o),
            o.get_stage_display() if o.is_target else "",
            str(o.people_count),
            o.industry,
            o.location,
        )
    if page.rows:
        console.print(table)
    page.say_more("organisations")


@org_app.command("show")
def org_show(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="A name, part of one, or a UUID.", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a card."),
) -> None:
    """Show an organisation: its people (decision makers marked ★) and recent journal.

    Example: [bold]circleback org show Hooli[/]
    """
    django_setup()
    from django.db.models.functions import Lower

    from circleback.cli.journal import interaction_to_dict, journal_table
    from circleback.journal.queries import JournalFilter, journal_list
    from circleback.people.models import Person
    from circleback.people.queries import with_details
    from circleback.people.serializers import organisation_to_dict, people_to_dicts

    owner = current_user(ctx)
    organisation = resolve_organisation(owner, query)
    there = Person.objects.filter(owner=owner, organisation=organisation).select_related(
        "organisation"
    )
    total = there.count()
    people = list(
        with_details(there.order_by("-is_decision_maker", Lower("full_name"), "pk"))[:PEOPLE_SHOWN]
    )
    journal = list(
        journal_list(owner=owner, filters=JournalFilter(organisation=organisation)).select_related(
            "organisation"
        )[:10]
    )
    if as_json:
        data = organisation_to_dict(organisation)
        data["people_count"] = total
        data["people"] = people_to_dicts(people)
        data["journal"] = [interaction_to_dict(i) for i in journal]
        emit_json(data)
        return
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    rows = [
        (
            "Target",
            f"yes, priority {organisation.priority}"
            if organisation.is_target and organisation.priority
            else ("yes" if organisation.is_target else "no"),
        ),
        ("Stage", organisation.get_stage_display() if organisation.is_target else ""),
        ("Domain", organisation.domain),
        ("Industry", organisation.industry),
        ("Location", organisation.location),
        ("Notes", organisation.notes),
        ("UUID", str(organisation.uuid)),
    ]
    for label, value in rows:
        if value:
            grid.add_row(label, Text(value))
    console.print(
        Panel(grid, title=Text(organisation.name, style="bold"), title_align="left", expand=False)
    )
    if people:
        table = Table(title=f"People there ({total})", title_justify="left")
        table.add_column("Name", style="bold")
        table.add_column("Title")
        table.add_column("List", justify="center")
        table.add_column("Last contact")
        for p in people:
            table.add_row(
                p.full_name + (" ★" if p.is_decision_maker else ""),
                p.title,
                p.contact_list,
                local_time(p.last_contact_at, with_time=False) if p.last_contact_at else "never",
            )
        console.print(table)
        if total > len(people):
            console.print(
                f"Showing {len(people)} of {total}; see all with "
                f"`circleback people --org {organisation.name!r}`.",
                highlight=False,
            )
        if any(p.is_decision_maker for p in people):
            console.print("★ decision maker", style="dim")
    else:
        console.print(
            f"No one there yet. Who do you know at {organisation.name}? "
            f'`circleback person add "NAME" --org "{organisation.name}"`.',
            highlight=False,
        )
    if journal:
        console.print(journal_table(journal, title="Recent journal"))


@org_app.command("edit")
def org_edit(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="Which organisation: name or UUID.", show_default=False),
    name: str | None = typer.Option(None, "--name", help="Its new name."),
    domain: str | None = typer.Option(None, "--domain", help=H_DOMAIN),
    industry: str | None = typer.Option(None, "--industry", help=H_INDUSTRY),
    location: str | None = typer.Option(None, "--location", help=H_LOCATION),
    target: bool | None = typer.Option(
        None, "--target/--not-target", help="Whether it is a target employer.", show_default=False
    ),
    priority: int | None = typer.Option(None, "--priority", help=H_PRIORITY),
    stage: str | None = typer.Option(None, "--stage", help=H_STAGE),
    notes: str | None = typer.Option(None, "--notes", help="Replaces the notes."),
    as_json: bool = typer.Option(False, "--json", help="Print the organisation as JSON."),
) -> None:
    """Change an organisation; only the options you give change.

    Example: [bold]circleback org edit Hooli --stage interviewing --priority 1[/]
    """
    django_setup()
    from circleback.people.serializers import organisation_to_dict
    from circleback.people.services.organisations import organisation_update

    changes: dict[str, Any] = {}
    if name is not None:
        if not " ".join(name.split()):
            usage_error("--name can't be empty.")
        changes["name"] = name
    for field, value in (("domain", domain), ("industry", industry), ("location", location)):
        if value is not None:
            changes[field] = value.strip().lower() if field == "domain" else value.strip()
    if notes is not None:
        changes["notes"] = notes
    if priority is not None:
        changes["priority"] = _priority(priority)
    if stage is not None:
        changes["stage"] = _stage(stage)
    if target is not None:
        changes["is_target"] = target
    elif priority is not None or stage is not None:
        changes["is_target"] = True
    if not changes:
        usage_error(
            "nothing to change; give at least one option, e.g. --stage applied. "
            "See `circleback org edit --help`."
        )
    owner = current_user(ctx)
    organisation = resolve_organisation(owner, query)
    with refusal_as_usage_error(ORG_LABELS):
        organisation = organisation_update(organisation=organisation, **changes)
    if as_json:
        emit_json(organisation_to_dict(organisation))
        return
    console.print(f"Saved [bold]{organisation.name}[/].", highlight=False)
