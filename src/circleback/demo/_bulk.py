"""Fast inserts for generated rows: plain tuples, many rows per INSERT statement.

Django's `bulk_create` builds a model instance per row and, on SQLite, sends at most 999
parameters per statement (about 80 journal entries). Demo generation writes hundreds of
thousands of rows, so it builds multi-row INSERTs from tuples instead. Several hundred rows
a statement matters most for the search documents: SQLite's full-text index pays a fixed
cost per statement, so one row a statement (`executemany`) was five times slower.
Values get each field's database form (UUIDs and times exactly as the ORM stores them);
columns the caller leaves out get the field's default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models

BATCH = 5000


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    # What the ORM stores on SQLite: UTC without an offset, as str() writes it.
    if value is None:
        return None
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _prep(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How to turn a Python value into what the driver stores; None: pass it as it is.

    The common types get a fast path (this runs for every cell of hundreds of thousands of
    rows); anything else goes through the field's own `get_db_prep_save`.
    """
    sqlite = connection.vendor == "sqlite"
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime if sqlite else None
    if isinstance(field, models.DateField):
        return (lambda v: None if v is None else v.isoformat()) if sqlite else None
    if isinstance(field, models.UUIDField):
        return (lambda v: None if v is None else v.hex) if sqlite else None
    if isinstance(field, models.DecimalField | models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    # Text, numbers, booleans and foreign-key ids go to the driver as they are.
    return None


def _filler(field: models.Field[Any, Any], now: dt.datetime) -> Callable[[], Any]:
    """How to fill a column the caller did not give, the way `Model.save()` would."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda: now
    if field.has_default() and callable(field.default):
        return field.get_default
    value = field.get_default()  # "" for text without a default, as save() would store
    if value is None and not field.null:
        raise ValueError(f"{field.model.__name__}.{field.name} needs a value; the demo gave none.")
    return lambda: value


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    now: dt.datetime,
    batch: int = BATCH,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Insert `rows` (tuples in the order of `columns`, attribute names like "person_id").

    Returns how many rows were written; `on_batch(n)` is called after each batch.
    """
    meta = model._meta
    concrete = {
        **{f.name: f for f in meta.concrete_fields},
        **{f.attname: f for f in meta.concrete_fields},
    }
    given = [concrete[name] for name in columns]
    missing = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
    fields = [*given, *missing]
    fillers = [_filler(f, now) for f in missing]
    preps = [_prep(f) for f in fields]
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    )
    one = f"({', '.join(['%s'] * len(fields))})"
    per_statement = max(1, min(500, _max_params() // len(fields)))
    statements: dict[int, str] = {}
    prepared_columns = [i for i, p in enumerate(preps) if p is not None]
    written = 0
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, batch):
            params: list[Any] = []
            for row in chunk:
                values = [*row, *(fill() for fill in fillers)]
                for i in prepared_columns:
                    values[i] = preps[i](values[i])  # type: ignore[misc]
                params.extend(values)
            width = len(fields)
            for start in range(0, len(chunk), per_statement):
                count = min(per_statement, len(chunk) - start)
                if count not in statements:
                    statements[count] = head + ", ".join([one] * count)
                cursor.execute(statements[count], params[start * width : (start + count) * width])
            written += len(chunk)
            if on_batch is not None:
                on_batch(len(chunk))
    return written


def _max_params() -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        # 32,766 bound parameters per statement since SQLite 3.32; 999 before.
        return 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999
    return 65535


def concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    return next(f for f in model._meta.concrete_fields if name in (f.name, f.attname))


def ids_of(model: type[models.Model], owner_id: int, uuids: Sequence[Any]) -> list[int]:
    """Primary keys of the owner's rows with these UUIDs, in the same order, in one query."""
    meta = model._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('uuid')}, {quote(meta.pk.column)} "
            f"FROM {quote(meta.db_table)} WHERE {quote('owner_id')} = %s",
            [owner_id],
        )
        found = dict(cursor.fetchall())
    prep = _prep(concrete_field(model, "uuid"))
    return [found[prep(u) if prep is not None else u] for u in uuids]
