"""List commands: `--limit` and `--offset`, a page of rows printed as a table or `--json`,
and the line that says when more exist."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

import typer
from rich.console import RenderableType
from rich.table import Table

from circleback.cli._common import console, emit_json, usage_error

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 10_000


def limit_option(default: int = DEFAULT_LIMIT) -> Any:
    return typer.Option(
        default, "--limit", "-n", help=f"Show at most this many (1 to {MAX_LIMIT})."
    )


def offset_option() -> Any:
    return typer.Option(
        0, "--offset", help="Skip this many first: the next page starts at --offset + --limit."
    )


def check_page(limit: int, offset: int) -> None:
    """Refuse a bad --limit or --offset before anything is read."""
    if not 1 <= limit <= MAX_LIMIT:
        usage_error(f"--limit must be from 1 to {MAX_LIMIT}, not {limit}.")
    if offset < 0:
        usage_error(f"--offset must be 0 or more, not {offset}.")


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    offset: int
    total: int

    def say_more(self, what: str) -> None:
        """Under a table: which rows these are, and the option that shows the next ones."""
        if not self.rows:
            if self.total:
                console.print(
                    f"No {what} from --offset {self.offset}: there are {self.total}. "
                    "Try a smaller --offset."
                )
            return
        first, last = self.offset + 1, self.offset + len(self.rows)
        if last < self.total:
            console.print(
                f"Showing {first} to {last} of {self.total} {what}; "
                f"see the next ones with --offset {last}.",
                highlight=False,
            )
        elif self.offset:
            console.print(f"Showing {first} to {last} of {self.total} {what}.", highlight=False)

    def with_rows(self, rows: list[Any]) -> Page[Any]:
        """The same page, its rows turned into what is shown (e.g. steps into loop items)."""
        return replace(self, rows=rows)


def page_of(rows: Any, limit: int, offset: int) -> Page[Any]:
    """One page of a queryset, and how many there are in all (counted only when needed)."""
    found = list(rows[offset : offset + limit])
    complete = len(found) < limit and (found or offset == 0)
    return Page(found, offset, offset + len(found) if complete else rows.count())


def print_page(
    page: Page[T],
    *,
    as_json: bool,
    to_json: Callable[[T], Any],
    empty: str | None,
    title: str,
    columns: Sequence[str],
    cells: Callable[[T], Sequence[RenderableType]],
    what: str,
) -> None:
    """What a list command prints for one page of rows.

    With --json, a list of `to_json(row)`. Else `empty` when there are no rows at all (not just
    none on this page), or a table titled `title` with a row of `cells` for each; then the line
    that says which `what` these are and how to see the next ones.
    """
    if as_json:
        emit_json([to_json(row) for row in page.rows])
        return
    if not page.total and empty is not None:
        console.print(empty)
        return
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in page.rows:
        table.add_row(*cells(row))
    if page.rows:
        console.print(table)
    page.say_more(what)
