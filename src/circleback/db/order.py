"""A list's order written once, as [(field, descending), …, ("pk", …)], for the query that
reads a page by offset (the web page, the CLI) and for the API's cursor pages alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

Order = Sequence[tuple[str, bool]]


def ordered(rows: QuerySet[Any, Any], order: Order) -> QuerySet[Any, Any]:
    """`rows` in `order`."""
    return rows.order_by(*[f"-{field}" if descending else field for field, descending in order])
