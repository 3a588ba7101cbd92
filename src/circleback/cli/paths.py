"""`circleback paths` and `circleback suggest …`: the way in to a target, and who to connect
or inform."""

from __future__ import annotations

import typer
from rich.table import Table

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    django_setup,
    emit_json,
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
    "Examples: [bold]circleback paths --to Globex[/] · [bold]circleback paths --to Globex "
    '--person "Dana Li" --limit 5 --json[/]'
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
