"""List commands: `--limit` and `--offset`, rows printed as a table or `--json`, and the line
that says when more exist.

One rule for every list command:
- `--json` prints every row (from `--offset`) unless `--limit` is given. Rows are read from the
  database a batch at a time and written as they are read, so 30,000 people never sit in memory.
- A table shows `--limit` rows, 50 by default (20 for the journal).
- Whenever rows were left out, one line on stderr says which rows these are and the `--offset`
  that shows the next ones — so stdout stays a clean table or a JSON array for scripts.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any, Generic, TypeVar

import typer
from rich.console import RenderableType
from rich.table import Table

from circleback.cli._common import _json_default, console, err_console, usage_error

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 10_000
BATCH = 1000  # rows read from the database at a time when streaming --json


def limit_option(default: int = DEFAULT_LIMIT) -> Any:
    return typer.Option(
        None,
        "--limit",
        "-n",
        help=f"Show at most this many (1 to {MAX_LIMIT}). A table shows {default} unless "
        "told; --json shows every row unless told.",
        show_default=False,
    )


def offset_option() -> Any:
    return typer.Option(
        0, "--offset", help="Skip this many first: the next page starts at --offset + --limit."
    )


def check_page(limit: int | None, offset: int) -> None:
    """Refuse a bad --limit or --offset before anything is read."""
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        usage_error(f"--limit must be from 1 to {MAX_LIMIT}, not {limit}.")
    if offset < 0:
        usage_error(f"--offset must be 0 or more, not {offset}.")


def note(message: str) -> None:
    """A line about the output (not part of it): on stderr, so stdout stays clean."""
    err_console.print(message, highlight=False, soft_wrap=True)


def say_more(*, shown: int, offset: int, total: int, what: str) -> None:
    """Which rows were shown, and the option that shows the next ones — when any were left out."""
    if not shown:
        if total and offset:
            note(f"No {what} from --offset {offset}: there are {total}. Try a smaller --offset.")
        return
    first, last = offset + 1, offset + shown
    if last < total:
        note(
            f"Showing {first} to {last} of {total} {what}; see the next ones with --offset {last}."
        )
    elif offset:
        note(f"Showing {first} to {last} of {total} {what}.")


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    offset: int
    total: int

    def say_more(self, what: str) -> None:
        """Which rows these are, and the option that shows the next ones (on stderr)."""
        say_more(shown=len(self.rows), offset=self.offset, total=self.total, what=what)

    def with_rows(self, rows: list[Any]) -> Page[Any]:
        """The same page, its rows turned into what is shown (e.g. steps into loop items)."""
        return replace(self, rows=rows)


def _count(rows: Any) -> int:
    return rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)


def page_of(rows: Any, limit: int, offset: int) -> Page[Any]:
    """One page of a queryset, and how many there are in all (counted only when needed)."""
    found = list(rows[offset : offset + limit])
    complete = len(found) < limit and (found or offset == 0)
    return Page(found, offset, offset + len(found) if complete else _count(rows))


def batches(rows: Any, *, offset: int, limit: int | None, size: int = BATCH) -> Iterator[list[Any]]:
    """The rows from `offset` (at most `limit`), a list of at most `size` at a time.

    A queryset is read with a database cursor in chunks (prefetches done per chunk), so memory
    holds one batch whatever the number of rows.
    """
    window = rows[offset : offset + limit] if limit is not None else rows[offset:]
    iterator: Iterable[Any] = (
        window.iterator(chunk_size=size) if hasattr(window, "iterator") else iter(window)
    )
    iterator = iter(iterator)
    while batch := list(islice(iterator, size)):
        yield batch


_string = json.encoder.encode_basestring  # the C encoder's, as ensure_ascii=False uses
_float = json.encoder.JSONEncoder(allow_nan=True).encode


def indented(value: Any, pad: str = "\n") -> str:
    """`value` as json.dumps(value, indent=2, ensure_ascii=False, default=_json_default)
    writes it, nested at `pad` ("\n" and its indent). json's indented output comes from its
    pure-Python encoder, a tenth of a millisecond for a journal entry: 20 seconds of 200,000.
    """
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = pad + "  "
        if all(type(key) is str for key in value):
            return (
                "{"
                + inner
                + ("," + inner).join(
                    # Most values are text: written here, without a call of their own.
                    _string(key)
                    + ": "
                    + (_string(item) if type(item) is str else indented(item, inner))
                    for key, item in value.items()
                )
                + pad
                + "}"
            )
    elif kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = pad + "  "
        return "[" + inner + ("," + inner).join(indented(item, inner) for item in value) + pad + "]"
    elif value is None:
        return "null"
    elif value is True:
        return "true"
    elif value is False:
        return "false"
    elif isinstance(value, int):
        return int.__repr__(value)
    elif isinstance(value, float):
        return _float(float(value))
    elif isinstance(value, str):
        return _string(value)
    elif not isinstance(value, dict | list | tuple):
        return indented(_json_default(value), pad)
    # Anything else (keys that are not text, subclasses): as json writes it.
    text = json.dumps(value, default=_json_default, ensure_ascii=False, indent=2)
    return text.replace("\n", pad)


def write_json_array(items: Iterable[Any]) -> int:
    """Write a JSON array to stdout as the items come, exactly as `emit_json` would write the
    whole list (indented by 2); returns how many were written."""
    out = sys.stdout
    count = 0
    for item in items:
        out.write(("[\n  " if not count else ",\n  ") + indented(item, "\n  "))
        count += 1
    out.write("\n]\n" if count else "[]\n")
    out.flush()
    return count


def stream_json(
    rows: Any,
    *,
    limit: int | None,
    offset: int,
    to_json: Callable[[Any], Any],
    what: str,
    batch: Callable[[list[Any]], Sequence[Any]] | None = None,
    to_json_batch: Callable[[list[Any]], Sequence[Any]] | None = None,
) -> None:
    """`--json` for a list command: every row (or `limit` of them), streamed.

    `batch` turns a batch of rows into what is shown (e.g. ledger rows into people's
    balances); `to_json_batch`, if given, turns a whole batch into dicts at once (one query for
    the batch instead of one per row).
    """

    def items() -> Iterator[Any]:
        for chunk in batches(rows, offset=offset, limit=limit):
            shown = list(batch(chunk)) if batch else chunk
            if to_json_batch is not None:
                yield from to_json_batch(shown)
            else:
                yield from (to_json(row) for row in shown)

    written = write_json_array(items())
    if limit is not None and written == limit:
        say_more(shown=written, offset=offset, total=_count(rows), what=what)
    elif not written and offset:
        say_more(shown=0, offset=offset, total=_count(rows), what=what)


def print_list(
    rows: Any,
    *,
    limit: int | None,
    offset: int,
    as_json: bool,
    to_json: Callable[[Any], Any],
    empty: str | None,
    title: str,
    columns: Sequence[str],
    cells: Callable[[Any], Sequence[RenderableType]],
    what: str,
    batch: Callable[[list[Any]], Sequence[Any]] | None = None,
    default_limit: int = DEFAULT_LIMIT,
) -> None:
    """What a list command prints for `rows` (a queryset or a list).

    With --json, every row's `to_json(row)` (or `limit` of them), streamed. Else `empty` when
    there are no rows at all, or a table titled `title` with a row of `cells` for `limit` rows
    (`default_limit` unless told); then, on stderr, which `what` these are and how to see more.
    """
    if as_json:
        stream_json(rows, limit=limit, offset=offset, to_json=to_json, what=what, batch=batch)
        return
    page = page_of(rows, limit or default_limit, offset)
    if batch is not None:
        page = page.with_rows(list(batch(page.rows)))
    print_page(page, empty=empty, title=title, columns=columns, cells=cells, what=what)


def print_page(
    page: Page[T],
    *,
    empty: str | None,
    title: str,
    columns: Sequence[str],
    cells: Callable[[T], Sequence[RenderableType]],
    what: str,
) -> None:
    """A table of one page of rows: `empty` when there are no rows at all (not just none on this
    page), else a table titled `title` with a row of `cells` for each; then the line on stderr
    that says which `what` these are and how to see the next ones."""
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
