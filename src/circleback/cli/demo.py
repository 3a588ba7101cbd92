"""`circleback demo`: fill an account with a realistic sample network to explore."""

from __future__ import annotations

import dataclasses

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from circleback.cli import app
from circleback.cli._common import (
    console,
    current_user,
    emit_json,
    err_console,
    fail,
    usage_error,
    validation_message,
)

MAX_PEOPLE = 200_000  # the same bound as circleback.demo.services.MAX_PEOPLE
MAX_YEARS = 30
# Paragraphs are single lines: the help re-wraps them to the width of the terminal.
HELP = "\n\n".join(
    [
        "Generates a realistic sample network so you can explore Circleback before your own "
        "data goes in.",
        "You get organisations of every size (about 5% are targets, each with a priority and a "
        "stage); people on list A (personal), B (career) and C (targets) with titles, emails, "
        "phones, LinkedIn links, tags, how you met and who introduced you, some of them "
        "decision makers; ties between them that cluster around workplaces and schools; "
        "several years of journal, about ten entries a person, bunched in job-search periods; "
        "and a few of everything else: information meetings held (with referrals), coming up "
        "and cancelled, leads at every step of their loop, favours both ways, standing offers, "
        "introductions, shares, permissions to use a name, goals, cadences, snoozes and a "
        "two-minute pitch with its practice log.",
        "Every name is invented, addresses use the reserved .example domain and phone numbers "
        "the ranges set aside for fiction, so nothing can reach a real person.",
        "Invented people would mix with your real ones, so it refuses to run into an account "
        "that already has people: make a separate account for it (`circleback user create "
        "demo`, then `circleback --user demo demo`), or pass --force.",
        "Examples:",
        "  circleback demo                       300 people, the quick look",
        "  circleback demo --people 20000        the size `make bench` measures",
        "  circleback demo --seed 7 --years 5    another network, five years of journal",
    ]
)
_STAGES = {
    "organisations": "Founding organisations",
    "people": "Adding people",
    "ties": "Tying people together",
    "journal": "Writing the journal",
    "participants": "Linking people to entries",
    "search index": "Building the search index",
    "give and take": "Meetings, leads and favours",
}


@app.command(rich_help_panel="Getting started", help=HELP)
def demo(
    ctx: typer.Context,
    people: int = typer.Option(
        300, "--people", "-n", help=f"How many people to invent (1 to {MAX_PEOPLE:,})."
    ),
    seed: int = typer.Option(
        1, "--seed", help="The same seed gives the same network; try another for a new one."
    ),
    years: int = typer.Option(
        3, "--years", help=f"Years of journal to write, ending today (1 to {MAX_YEARS})."
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Add the sample network even though the account already has people.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print what was made as JSON."),
) -> None:
    """Generates a realistic sample network so you can explore Circleback."""
    if not 1 <= people <= MAX_PEOPLE:
        usage_error(f"--people {people} is out of range; choose between 1 and {MAX_PEOPLE:,}.")
    if not 1 <= years <= MAX_YEARS:
        usage_error(f"--years {years} is out of range; choose between 1 and {MAX_YEARS}.")
    if seed < 0:
        usage_error(f"--seed {seed} is negative; use a whole number, 0 or more.")
    owner = current_user(ctx)

    from django.core.exceptions import ValidationError

    from circleback.demo.services import demo_generate

    progress = Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )
    task = progress.add_task("Inventing people", total=None)

    def report_progress(done: int, total: int, stage: str) -> None:
        progress.update(
            task, completed=done, total=max(total, 1), description=_STAGES.get(stage, stage)
        )

    try:
        with progress:
            report = demo_generate(
                owner=owner,
                people=people,
                seed=seed,
                years=years,
                force=force,
                progress=report_progress,
            )
    except ValidationError as exc:
        fail(validation_message(exc))

    if as_json:
        emit_json(dataclasses.asdict(report))
        return
    table = Table(title=f"Sample network for {owner.username} (seed {seed})", title_justify="left")
    table.add_column("Made")
    table.add_column("How many", justify="right")
    lists = report.lists
    rows = [
        ("People", f"{report.people:,}"),
        ("  on list A / B / C", f"{lists['A']:,} / {lists['B']:,} / {lists['C']:,}"),
        ("  decision makers", f"{report.decision_makers:,}"),
        ("Organisations", f"{report.organisations:,}"),
        ("  targets", f"{report.targets:,}"),
        ("Ties", f"{report.ties:,}"),
        ("Journal entries", f"{report.interactions:,}"),
        ("Emails / phones / links", f"{report.emails:,} / {report.phones:,} / {report.links:,}"),
    ]
    made = report.give_and_take
    if made.get("meetings"):
        rows += [
            (
                "Meetings / leads / loop steps",
                f"{made['meetings']} / {made['leads']} / {made['loop_steps']}",
            ),
            ("Favours / standing offers", f"{made['favours']} / {made['standing_offers']}"),
            (
                "Introductions / shares / permissions",
                f"{made['introductions']} / {made['shares']} / {made['permissions']}",
            ),
            (
                "Pitch versions / practices / snoozes",
                f"{made['pitches']} / {made['practices']} / {made['snoozes']}",
            ),
        ]
    if made.get("group_members"):
        rows.append(
            (
                "Job club: members / opened to you / board posts / asked of you",
                f"{made['group_members']} / {made['opened_to_you']} / {made['board_posts']} / "
                f"{made['group_requests']}",
            )
        )
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    console.print(
        f"Done in {report.seconds:.1f} s. Explore it: `circleback serve` for the web app, "
        f'`circleback search "{report.example_search}"` (accents are optional), '
        f'`circleback paths --to "{report.example_target}"`, or `circleback people --list C`.',
        highlight=False,
        soft_wrap=True,
    )
    if made.get("group_members"):
        console.print(
            'Your job club: `circleback group show "Thursday job club"`, its board '
            '`circleback group board "Thursday job club"`, and a request waiting on you: '
            "`circleback group requests --state asked`.",
            highlight=False,
            soft_wrap=True,
        )
