"""Writing and comparing import rows fast: plain tuples, one statement per table per batch.

A 30,000-row LinkedIn export writes ~30,000 people and as many links. Django's bulk_create
builds a model instance per row and prepares every value through its field (several seconds
for that many rows); here rows are tuples in a declared column order and go to the driver
through one parameterised INSERT run by `executemany` (SQLite reuses the prepared statement;
psycopg 3 pipelines it). Only dates, times and UUIDs need converting to what the ORM stores.

The dedupe keys (normalised email, phone, LinkedIn URL) have fast paths for the shapes a real
export has, giving exactly what `people.contact` gives; anything else goes through it.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

from circleback.people import contact
from circleback.people.models import Link
from circleback.text import normalize_org_name

BATCH = 5000


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an import or export runs.

    Both allocate hundreds of thousands of small objects (records, rows, keys) that live
    until they end, and each automatic collection walks all of them again: that was half the
    CPU time of a 30,000-row import. Reference counting frees memory as usual meanwhile; the
    collector resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def chunks(rows: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    # What the ORM stores on SQLite: the UTC time without an offset, as str() writes it.
    if value is None:
        return None
    if timezone.is_aware(value):
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return str(value)


def _sqlite_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_uuid(value: Any) -> str | None:
    return None if value is None else value.hex


def _prep(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a Python value becomes what the driver stores; None: pass it as it is."""
    if connection.vendor == "sqlite":
        if isinstance(field, models.DateTimeField):
            return _sqlite_datetime
        if isinstance(field, models.DateField):
            return _sqlite_date
        if isinstance(field, models.UUIDField):
            return _sqlite_uuid
    if isinstance(field, models.DecimalField | models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    # Text, numbers, booleans, bytes and foreign-key ids go to the driver as they are
    # (psycopg adapts dates, times and UUIDs itself).
    return None


def _filler(field: models.Field[Any, Any], now: dt.datetime) -> Callable[[], Any]:
    """How to fill a column the caller did not give, as `Model.save()` would."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda: now
    if field.has_default() and callable(field.default):
        return field.get_default
    value = field.get_default()  # "" for text without a default, None for nullable columns
    return lambda: value


def _database_fills(field: models.Field[Any, Any]) -> bool:
    """A column left out of the INSERT: one only the database gives a value (db_default)."""
    return (
        field.db_default is not NOT_PROVIDED
        and not field.has_default()
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    )


def _fields(model: type[models.Model], names: Sequence[str]) -> list[models.Field[Any, Any]]:
    concrete = {
        **{f.name: f for f in model._meta.concrete_fields},
        **{f.attname: f for f in model._meta.concrete_fields},
    }
    return [concrete[name] for name in names]


def _max_params() -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        probe = sqlite3.connect(":memory:")
        try:
            return probe.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        finally:
            probe.close()
    return 65535  # PostgreSQL's protocol limit


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    now: dt.datetime | None = None,
) -> int:
    """INSERT `rows` (tuples in the order of `columns`, attribute names like "person_id");
    every other column gets its default (auto_now(_add) columns: `now`). Returns the count.

    PostgreSQL gets the rows through COPY, its bulk-loading path. SQLite gets several hundred
    rows per multi-row statement: a third faster than `executemany` of single rows.
    """
    now = now or timezone.now()
    meta = model._meta
    given = _fields(model, columns)
    missing = [
        f
        for f in meta.concrete_fields
        if not f.primary_key and f not in given and not _database_fills(f)
    ]
    fields = [*given, *missing]
    fillers = [_filler(f, now) for f in missing]
    # A callable default (a UUID) is drawn for every row; the other fillers are constants.
    per_row = any(f.has_default() and callable(f.default) for f in missing)
    preps = [(i, _memo(p)) for i, p in enumerate(_prep(f) for f in fields) if p is not None]
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    )
    one = f"({', '.join(['%s'] * len(fields))})"
    width = len(fields)
    per_statement = max(1, min(500, _max_params() // width))
    statements: dict[int, str] = {}
    written = 0
    fixed = () if per_row else tuple(fill() for fill in fillers)
    if connection.vendor == "postgresql":
        copy = (
            f"COPY {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
        )
        with connection.cursor() as cursor, cursor.cursor.copy(copy) as stream:
            for row in rows:
                values = [*row, *((fill() for fill in fillers) if per_row else fixed)]
                for i, prep in preps:
                    values[i] = prep(values[i])
                stream.write_row(values)
                written += 1
        return written
    with connection.cursor() as cursor:
        for batch in chunks(rows):
            params: list[Any] = []
            for row in batch:
                values = [*row, *((fill() for fill in fillers) if per_row else fixed)]
                for i, prep in preps:
                    values[i] = prep(values[i])
                params += values
            for start in range(0, len(batch), per_statement):
                count = min(per_statement, len(batch) - start)
                if count not in statements:
                    statements[count] = head + ", ".join([one] * count)
                cursor.execute(statements[count], params[start * width : (start + count) * width])
            written += len(batch)
    return written


def _memo(prep: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`prep`, remembering its last answer: a column often holds one value (the import's
    time, a date shared by many rows) and converting it is the costly part of a row."""
    last: list[Any] = [object(), None]

    def remembered(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, prep(value)
        return last[1]

    return remembered


def update_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """UPDATE each row by primary key: tuples of (pk, *values in the order of `columns`)."""
    fields = _fields(model, columns)
    preps = [(i + 1, p) for i, p in enumerate(_prep(f) for f in fields) if p is not None]
    quote = connection.ops.quote_name
    meta = model._meta
    sql = (
        f"UPDATE {quote(meta.db_table)} SET "
        + ", ".join(f"{quote(f.column)} = %s" for f in fields)
        + f" WHERE {quote(meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        for batch in chunks(rows):
            params = []
            for row in batch:
                values = list(row)
                for i, prep in preps:
                    values[i] = prep(values[i])
                params.append([*values[1:], values[0]])
            cursor.executemany(sql, params)


def max_pk(model: type[models.Model]) -> int:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)}"
        )
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


def uuid_key(value: Any) -> str:
    """A UUID as 32 hex digits, whether the driver gave a UUID (PostgreSQL) or text (SQLite)."""
    return value if isinstance(value, str) else value.hex


def new_ids(model: type[models.Model], owner_id: int, after: int) -> dict[str, int]:
    """{uuid hex: pk} of the owner's rows with a pk above `after`, in one query: the rows this
    import just wrote (a sequence only grows, so they all lie above the largest pk before)."""
    meta = model._meta
    quote = connection.ops.quote_name
    uuid_field, owner_field = _fields(model, ("uuid", "owner_id"))
    pk, uuid, owner = quote(meta.pk.column), quote(uuid_field.column), quote(owner_field.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {uuid}, {pk} FROM {quote(meta.db_table)} WHERE {owner} = %s AND {pk} > %s",
            [owner_id, after],
        )
        return {uuid_key(u): p for u, p in cursor.fetchall()}


# --- dedupe keys ----------------------------------------------------------------------------

# https://www.linkedin.com/in/slug[/...]: the shape of every URL in a Connections.csv. The slug
# must end the URL or be followed by /, ? or #, so the result is exactly normalize_url's.
_LINKEDIN_URL = re.compile(
    r"https?://(?:[a-z0-9-]+\.)*linkedin\.com(?::\d+)?/(in|pub|company)/([^/?#\s]+)(?:[/?#]|$)",
    re.IGNORECASE | re.ASCII,
)


_LINKEDIN = str(Link.Kind.LINKEDIN.value)


def email_key(address: str) -> str:
    return contact.normalize_email(address)


def url_key_and_kind(url: str) -> tuple[str, str]:
    """(contact.normalize_url, contact.link_kind) of a link, without urlsplit for LinkedIn."""
    match = _LINKEDIN_URL.match(url.strip())
    if match:
        key = f"linkedin.com/{match.group(1).lower()}/{match.group(2).lower()}"
        return key, _LINKEDIN
    return contact.normalize_url(url), contact.link_kind(url)


class Keys:
    """The normalised forms one import compares, each worked out once per distinct value:
    a file names the same organisation thousands of times, and an import reads a link or a
    phone number once to match it and again to write it."""

    def __init__(self) -> None:
        self.orgs: dict[str, str] = {}
        self.links: dict[str, tuple[str, str]] = {}
        self.phones: dict[str, str] = {}

    def org(self, name: str) -> str:
        key = self.orgs.get(name)
        if key is None:
            key = self.orgs[name] = normalize_org_name(name)
        return key

    def link(self, url: str) -> tuple[str, str]:
        """(normalised url, link kind)."""
        found = self.links.get(url)
        if found is None:
            found = self.links[url] = url_key_and_kind(url)
        return found

    def phone(self, number: str) -> str:
        key = self.phones.get(number)
        if key is None:
            key = self.phones[number] = contact.normalize_phone(number)
        return key
