"""Cursor pagination: a page of items and a `next` link that carries where the page ended.

The cursor holds the last row's sort key (ending with the primary key, so the order is total
and stable): the next page is the rows after it, found through the list's index — no OFFSET,
so page 400 costs what page 1 does, and a row added meanwhile never shifts a page.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Schema
from pydantic import create_model

from circleback.api.problems import Problem
from circleback.db.order import ordered

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "hex") and not isinstance(value, int | float | str):
        return str(value)  # UUID
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if (
        not isinstance(values, list)
        or len(values) != size
        or not all(isinstance(v, str | int) for v in values)  # bool is an int too
        # Past a 64-bit column: SQLite can't bind it and PostgreSQL refuses it (a 500).
        or any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in values)
    ):
        raise _not_given_out()
    return values


def _not_given_out() -> Problem:
    return Problem(
        422,
        "The cursor is not one this API gave out; follow the `next` link as it is.",
        errors=[{"field": "cursor", "location": "query", "message": "not a valid cursor"}],
    )


def _after(order: Sequence[tuple[str, bool]], values: Sequence[Any]) -> Q:
    """Rows after `values` in this order: (a > x) or (a = x and b > y) or …

    Led by a plain range on the first key (a >= x), which SQLite and PostgreSQL answer from
    the list's index; the alternatives alone would make them read every row."""
    first, first_descending = order[0]
    condition = Q()
    for i, (field, descending) in enumerate(order):
        step = Q(**{f"{field}__{'lt' if descending else 'gt'}": values[i]})
        for earlier, (prev, _) in enumerate(order[:i]):
            step &= Q(**{prev: values[earlier]})
        condition |= step
    return Q(**{f"{first}__{'lte' if first_descending else 'gte'}": values[0]}) & condition


def _value(row: Any, field: str) -> Any:
    return row[field] if isinstance(row, dict) else getattr(row, field)


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any, Any],
    *,
    order: Sequence[tuple[str, bool]],
    limit: int,
    cursor: str | None,
    serialize: Callable[[list[Any]], list[Any]],
) -> dict[str, Any]:
    """One page of `queryset` (already filtered) in `order` [(field, descending), …, ("pk", …)].

    Each field must be a column or an annotation on the queryset that is never null (an
    aggregate too: a grouped `.values()` queryset pages by its HAVING).
    """
    queryset = ordered(queryset, order)
    if cursor:
        try:
            queryset = queryset.filter(_after(order, decode_cursor(cursor, len(order))))
        except (TypeError, ValueError, ValidationError):
            # A forged cursor: the right length, a value of the wrong kind (text for a date).
            raise _not_given_out() from None
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_url = None
    if more:
        last = rows[-1]
        query = request.GET.copy()
        query["cursor"] = encode_cursor([_value(last, f) for f, _ in order])
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": serialize(rows), "next": next_url}


_pages: dict[type, type] = {}


def page_of(item: type) -> type:
    """The schema of a page of `item`s: {"items": [...], "next": url or null}."""
    if item not in _pages:
        _pages[item] = create_model(
            f"{item.__name__}Page",
            __base__=Schema,
            items=(list[item], ...),  # type: ignore[valid-type]
            next=(str | None, None),
        )
    return _pages[item]


def paginate_ranked(
    request: HttpRequest,
    rows: Sequence[Any],
    *,
    key: Callable[[Any], tuple[str | int, ...]],
    limit: int,
    cursor: str | None,
    serialize: Callable[[list[Any]], list[Any]],
) -> dict[str, Any]:
    """One page of a list ranked in Python rather than by the database (suggestions, ways
    in, a coach's clients: computed whole, a few hundred rows at most), in `paginate`'s shape.

    `key(row)` is the row's place in the order: strings and whole numbers (a score as an
    int, e.g. its hundredths negated for best first), ending with something unique, so the
    order is total. The cursor is the last row's key and the next page is the rows after it,
    so a row ranked in meanwhile above the cursor shifts no page, as with `paginate`."""
    ranked = sorted(rows, key=key)
    if not ranked:
        return {"items": serialize([]), "next": None}
    first = key(ranked[0])
    if cursor:
        last = decode_cursor(cursor, len(first))
        if [type(v) for v in last] != [type(v) for v in first]:
            raise _not_given_out()
        ranked = [row for row in ranked if key(row) > tuple(last)]
    page = ranked[:limit]
    next_url = None
    if len(ranked) > limit:
        query = request.GET.copy()
        query["cursor"] = encode_cursor(key(page[-1]))
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": serialize(page), "next": next_url}
