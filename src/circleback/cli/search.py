"""`circleback search`: one box for people and the journal."""

from __future__ import annotations

import typer
from rich.table import Table

from circleback.cli import app
from circleback.cli._common import console, current_user, django_setup, emit_json, usage_error


@app.command("search", rich_help_panel="Your network")
def search(
    ctx: typer.Context,
    text: str = typer.Argument(
        ..., help="Words to look for; each matches as a prefix.", show_default=False
    ),
    people_only: bool = typer.Option(False, "--people-only", help="Search people only."),
    journal_only: bool = typer.Option(False, "--journal-only", help="Search the journal only."),
    limit: int = typer.Option(
        20,
        "--limit",
        "-n",
        help="At most this many people and this many journal entries (1 to 500).",
    ),
    as_json: bool = typer.Option(
        False,
        "--json",
        help='Print JSON: {"people": […] best match first, "journal": […] newest first}.',
    ),
) -> None:
    """Search names, titles, organisations, emails, tags, notes and journal entries.

    Case and accents don't matter ("chloe" finds Chloé) and words match as prefixes
    ("qui" finds Quill); every word must match.

    Example: [bold]circleback search "ada hooli"[/]
    """
    django_setup()
    from circleback.cli.journal import interaction_to_dict, journal_table
    from circleback.journal.models import Interaction
    from circleback.journal.queries import search as run_search
    from circleback.journal.queries import with_people
    from circleback.people.models import Person
    from circleback.people.queries import with_details
    from circleback.people.serializers import people_to_dicts
    from circleback.search.queries import Kind
    from circleback.text import words

    if people_only and journal_only:
        usage_error("give --people-only or --journal-only, not both.")
    if not words(text):
        usage_error("give some words to search for, e.g. `circleback search ada`.")
    if not 1 <= limit <= 500:
        usage_error(f"--limit must be from 1 to 500, not {limit}.")
    kinds: tuple[Kind, ...] = (
        ("person",)
        if people_only
        else ("interaction",)
        if journal_only
        else ("person", "interaction")
    )
    owner = current_user(ctx)
    hits = run_search(owner=owner, text=text, kinds=kinds, limit=limit)
    person_ids = [h.person.pk for h in hits if h.person is not None]
    entry_ids = [h.interaction.pk for h in hits if h.interaction is not None]
    people_by_id = (
        with_details(Person.objects.filter(owner=owner, pk__in=person_ids))
        .select_related("organisation")
        .in_bulk()
        if person_ids
        else {}
    )
    entries_by_id = (
        with_people(
            Interaction.objects.filter(owner=owner, pk__in=entry_ids).select_related("organisation")
        ).in_bulk()
        if entry_ids
        else {}
    )
    people = [people_by_id[i] for i in person_ids if i in people_by_id]
    entries = [entries_by_id[i] for i in entry_ids if i in entries_by_id]
    if as_json:
        emit_json(
            {
                "people": people_to_dicts(people),
                "journal": [interaction_to_dict(e) for e in entries],
            }
        )
        return
    if not people and not entries:
        console.print(
            f"Nothing matches {text!r}. Try fewer or shorter words, e.g. the start of a name.",
            highlight=False,
        )
        return
    if people:
        table = Table(title=f"People ({len(people)})", title_justify="left")
        table.add_column("Name", style="bold")
        table.add_column("List", justify="center")
        table.add_column("Organisation")
        table.add_column("Title")
        for p in people:
            table.add_row(
                p.full_name + (" ★" if p.is_decision_maker else ""),
                p.contact_list,
                p.organisation.name if p.organisation else "",
                p.title,
            )
        console.print(table)
    if entries:
        console.print(journal_table(entries, title=f"Journal ({len(entries)})"))
