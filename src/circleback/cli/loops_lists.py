"""One shape for the loops' plain list commands: `favour list`, `favour offers`, `intro list`,
`share list` and `permission list`.

Each says once what it lists (a `LoopsList`: the query, the table, the JSON and the words) and
`add_list_command` registers the command: `--limit`, `--offset` and `--json` as every list
command has them (see `_paging`), and `--person` where the list can be narrowed to one
person. Lists with more to them (`loop list`, `favour balance`) keep their own commands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import typer
from rich.console import RenderableType

from circleback.cli._common import current_user, django_setup, resolve_person
from circleback.cli._paging import check_page, limit_option, offset_option, print_list

H_JSON = "Print JSON instead of a table."


def json_option() -> Any:
    return typer.Option(False, "--json", help=H_JSON)


@dataclass(frozen=True)
class LoopsList:
    """What one list command shows."""

    # The function of circleback.loops.queries that gives the rows: (owner=…) or, for a list
    # with --person, (owner=…, person=… or None).
    query: str
    title: str
    columns: tuple[str, ...]
    cells: Callable[[Any], Sequence[RenderableType]]
    to_json: Callable[[Any], dict[str, Any]]
    empty: str  # what to say when there is nothing at all to list
    what: str  # the rows' name in "Showing 1 to 50 of 120 favours"


def _show(
    ctx: typer.Context,
    listing: LoopsList,
    *,
    filters_by_person: bool,
    person: str | None,
    limit: int | None,
    offset: int,
    as_json: bool,
) -> None:
    django_setup()
    from circleback.loops import queries

    check_page(limit, offset)
    owner = current_user(ctx)
    filters: dict[str, Any] = {}
    if filters_by_person:
        filters["person"] = resolve_person(owner, person) if person else None
    print_list(
        getattr(queries, listing.query)(owner=owner, **filters),
        limit=limit,
        offset=offset,
        as_json=as_json,
        to_json=listing.to_json,
        empty=listing.empty,
        title=listing.title,
        columns=listing.columns,
        cells=listing.cells,
        what=listing.what,
    )


def add_list_command(
    group: typer.Typer, name: str, listing: LoopsList, *, help: str, person_help: str = ""
) -> None:
    """Register `group name` listing `listing`; with `person_help`, a `--person` option too.

    `help` is the command's help text, with an example."""

    def with_person(
        ctx: typer.Context,
        person: str | None = typer.Option(None, "--person", help=person_help),
        limit: int | None = limit_option(),
        offset: int = offset_option(),
        as_json: bool = json_option(),
    ) -> None:
        _show(
            ctx,
            listing,
            filters_by_person=True,
            person=person,
            limit=limit,
            offset=offset,
            as_json=as_json,
        )

    def without_person(
        ctx: typer.Context,
        limit: int | None = limit_option(),
        offset: int = offset_option(),
        as_json: bool = json_option(),
    ) -> None:
        _show(
            ctx,
            listing,
            filters_by_person=False,
            person=None,
            limit=limit,
            offset=offset,
            as_json=as_json,
        )

    group.command(name, help=help)(with_person if person_help else without_person)
