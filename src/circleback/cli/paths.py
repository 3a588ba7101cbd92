"""`circleback paths` and `circleback suggest …`: the way in to a target, and who to connect
or inform."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    django_setup,
    emit_json,
    fail,
    resolve_organisation,
    resolve_person,
    usage_error,
    validation_message,
)

MAX_LIMIT = 50


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        usage_error(f"--limit must be from 1 to {MAX_LIMIT}, not {limit}.")
    return limit


PATHS_HELP = (
    "Ranked introduction paths to a target organisation or person: you → contact → … → "
    "a decision maker there, with up to three people in between.\n\n"
    "Each path says how you know the first person and how each knows the next. Paths are "
    "ranked by the strength of every link, whether you may use the first person's name, how "
    "much you owe them, and the length; no more than two go through the same first person "
    "before the others. With no path, it says so and suggests the nearest openings.\n\n"
    "With --group, people fellow members opened to that group who work there are ranked "
    'beside your own paths: "Maya Rosen (Thursday club) knows Vera Holt, VP Engineering at '
    'Globex"; ask for the introduction with `circleback group ask`.\n\n'
    "Examples: [bold]circleback paths --to Globex[/] · [bold]circleback paths --to Globex "
    '--person "Dana Li" --limit 5 --json[/] · [bold]circleback paths --to Globex --group '
    '"Thursday club"[/]'
)


@app.command("paths", rich_help_panel="Find the way in", help=PATHS_HELP)
def paths(
    ctx: typer.Context,
    to: str | None = typer.Option(
        None, "--to", help="The target organisation: its name or UUID.", show_default=False
    ),
    person: str | None = typer.Option(
        None,
        "--person",
        help="A person to reach (at the --to organisation, or anywhere): name, email or UUID.",
        show_default=False,
    ),
    limit: int = typer.Option(10, "--limit", help=f"How many paths, 1 to {MAX_LIMIT}."),
    group: str | None = typer.Option(
        None,
        "--group",
        help="Also the ways in through people this group's members opened to it.",
        show_default=False,
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    django_setup()
    from django.core.exceptions import ValidationError

    from circleback.paths.queries.paths import paths_to_organisation, paths_to_person

    if not (to or person):
        usage_error('say where to: --to "Globex" or --person "Dana Li".')
    _limit(limit)
    owner = current_user(ctx)
    try:
        if person:
            target = resolve_person(owner, person)
            if to:
                organisation = resolve_organisation(owner, to)
                if target.organisation_id != organisation.pk:
                    usage_error(f"{target.full_name} is not at {organisation.name}.")
            result = paths_to_person(owner=owner, person=target, limit=limit)
        else:
            organisation = resolve_organisation(owner, to or "")
            result = paths_to_organisation(owner=owner, organisation=organisation, limit=limit)
    except ValidationError as exc:
        usage_error(validation_message(exc, {"limit": "--limit"}))
    if group is not None:
        if person:
            usage_error("--group finds ways into an organisation: use --to without --person.")
        _with_group(owner, result, group, limit, as_json)
        return
    if as_json:
        emit_json(result.as_dict())
        return
    if result.paths:
        console.print(f"[bold]Ways in to {result.target}[/]", highlight=False)
        for number, path in enumerate(result.paths, 1):
            console.print(
                f"{number}. {path.sentence}  [dim](score {path.score:.3f})[/]\n"
                f"   [dim]{path.why}[/]",
                highlight=False,
                soft_wrap=True,
            )
        return
    if result.people_there == 0 and result.person is None:
        console.print(
            f"You have no one recorded at {result.target} yet, so there is no path.",
            highlight=False,
        )
    else:
        console.print(
            f"No path to {result.target} within three people in between.", highlight=False
        )
    if result.openings:
        console.print("Nearest openings:", highlight=False)
        for opening in result.openings:
            console.print(f"- {opening.person.full_name}: {opening.reason}", highlight=False)
    else:
        console.print(
            "Add the organisation's industry, note who used to work there, or record ties "
            "between your contacts to find openings.",
            highlight=False,
        )


def _with_group(owner: Any, result: Any, name: str, limit: int, as_json: bool) -> None:
    """Own paths and the group's ways in, one list ranked by score (each keeping its order)."""
    from django.http import Http404

    from circleback.groups.queries import get_group_for, group_ways_in

    try:
        group = get_group_for(owner, name)
    except Http404:
        fail(f"you are in no group called {name!r}. See yours with `circleback group list`.")
    ways = group_ways_in(owner=owner, organisation=result.organisation, group=group, limit=limit)
    merged: list[Any] = []
    rest = list(ways)
    for path in result.paths:
        while rest and rest[0].score > path.score:
            merged.append(rest.pop(0))
        merged.append(path)
    merged = (merged + rest)[:limit]
    if as_json:
        data = result.as_dict()
        data["group"] = group.name
        data["ways"] = [
            way.as_dict() if hasattr(way, "person") else {"via": "you", **way.as_dict()}
            for way in merged
        ]
        emit_json(data)
        return
    if not merged:
        console.print(
            f"No way in to {result.target} yet, through you or {group.name}.", highlight=False
        )
        return
    console.print(f"[bold]Ways in to {result.target}, with {group.name}[/]", highlight=False)
    for number, way in enumerate(merged, 1):
        words = f"You → {way.sentence.removeprefix('You → ')}"
        console.print(
            f"{number}. {words}  [dim](score {way.score:.3f})[/]\n   [dim]{way.why}[/]",
            highlight=False,
            soft_wrap=True,
        )


suggest_app = typer.Typer(
    help=(
        "Suggestions for giving back: contacts to introduce to each other, and who would "
        "value an article or event you could pass on."
    ),
    no_args_is_help=True,
)
app.add_typer(suggest_app, name="suggest", rich_help_panel="Find the way in")


@suggest_app.command(
    "connectors",
    help=(
        "Pairs of your contacts who don't know each other yet and could help each other: "
        "shared interests or industry, or one hiring while the other is looking.\n\n"
        "Example: [bold]circleback suggest connectors --limit 5[/]"
    ),
)
def suggest_connectors(
    ctx: typer.Context,
    limit: int = typer.Option(20, "--limit", help=f"How many pairs, 1 to {MAX_LIMIT}."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    django_setup()
    from circleback.paths.queries.suggestions import connector_suggestions

    _limit(limit)
    owner = current_user(ctx)
    suggestions = connector_suggestions(owner=owner, limit=limit)
    if as_json:
        emit_json([s.as_dict() for s in suggestions])
        return
    if not suggestions:
        console.print(
            "No introductions to suggest yet: tag your contacts with their interests "
            "(and 'hiring' or 'looking') and give organisations an industry.",
            highlight=False,
        )
        return
    table = Table(title=f"People you could introduce ({len(suggestions)})")
    table.add_column("Introduce")
    table.add_column("To")
    table.add_column("Why")
    for s in suggestions:
        table.add_row(s.a.full_name, s.b.full_name, s.reason)
    console.print(table)


@suggest_app.command(
    "informers",
    help=(
        "Who would most value an article or event you could pass on, ranked by their "
        "interests (tags), organisation, industry, role and your notes.\n\n"
        'Example: [bold]circleback suggest informers --title "Freight after 2030" '
        "--topic logistics[/]"
    ),
)
def suggest_informers(
    ctx: typer.Context,
    title: str = typer.Option("", "--title", help="The article's or event's title."),
    topic: list[str] = typer.Option([], "--topic", help="A topic; repeat for several."),
    url: str = typer.Option("", "--url", help="Its address."),
    limit: int = typer.Option(20, "--limit", help=f"How many people, 1 to {MAX_LIMIT}."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    django_setup()
    from django.core.exceptions import ValidationError

    from circleback.paths.queries.suggestions import informer_suggestions

    _limit(limit)
    if not (title.strip() or url.strip() or any(t.strip() for t in topic)):
        usage_error("say what you'd pass on: --title, --topic or --url.")
    owner = current_user(ctx)
    try:
        suggestions = informer_suggestions(
            owner=owner, title=title, topics=topic, url=url, limit=limit
        )
    except ValidationError as exc:
        usage_error(validation_message(exc, {"title": "--title", "limit": "--limit"}))
    if as_json:
        emit_json([s.as_dict() for s in suggestions])
        return
    if not suggestions:
        console.print(
            "Nobody in your network matches it yet. Tags for your contacts' interests help.",
            highlight=False,
        )
        return
    table = Table(title=f"Who would value it ({len(suggestions)})")
    table.add_column("Person")
    table.add_column("Why")
    for s in suggestions:
        table.add_row(s.person.full_name, s.reason)
    console.print(table)
