"""`--limit` and `--offset` for list commands, and the line that says when more exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import typer

from circleback.cli._common import console, usage_error

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


def page_of(rows: Any, limit: int, offset: int) -> Page[Any]:
    """One page of a queryset, and how many there are in all (counted only when needed)."""
    found = list(rows[offset : offset + limit])
    complete = len(found) < limit and (found or offset == 0)
    return Page(found, offset, offset + len(found) if complete else rows.count())
