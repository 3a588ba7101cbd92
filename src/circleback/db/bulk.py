"""Writing many rows fast: plain tuples, several hundred rows a statement, COPY on PostgreSQL.

Imports and demo generation write tens or hundreds of thousands of rows. Django's
bulk_create builds a model instance per row and prepares every value through its field
(seconds for that many rows); here rows are tuples in a declared column order. Only dates,
times and UUIDs need converting to what the ORM stores; every column left out gets its
default as `Model.save()` would give it. Several hundred rows a statement matters most for the
search documents: SQLite's full-text index pays a fixed cost per statement.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from itertools import chain
from types import TracebackType
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

BATCH = 5000
QUEUED_WRITES = 8  # WriteBehind: at most this many insert_rows calls waiting
# SQLite's page cache for one big write (KiB): it only grows as pages are used.
ROOMY_CACHE_KIB = 256 * 1024


def chunks(rows: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    if isinstance(rows, list):  # already in memory: slices, not a row at a time
        for start in range(0, len(rows), size):
            yield rows[start : start + size]
        return
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextlib.contextmanager
def sqlite_room(kib: int = ROOMY_CACHE_KIB) -> Iterator[None]:
    """Room for one transaction that writes hundreds of thousands of rows (a restore, an
    import) on SQLite: a page cache that holds what it changes, and statement journals in
    memory. With SQLite's default 2 MB cache, restoring a 200,000-entry backup spilled and
    re-read the same index pages over and over: 15 GB read and 16 GB written through the
    operating system for a 127 MB file, so the restore's time was at the mercy of whatever
    else used the disk (881 s beside two test suites, 120 s without). With 256 MB: about
    1.5 GB each way. Both settings are put back afterwards; the store of temporary files
    can only change outside a transaction, so inside one only the cache grows."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
        temp = None
        if not connection.in_atomic_block:
            cursor.execute("PRAGMA temp_store")
            temp = cursor.fetchone()[0]
            cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")
            if temp is not None and not connection.in_atomic_block:
                cursor.execute(f"PRAGMA temp_store = {int(temp)}")


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
    if value is None or isinstance(value, str):  # a UUID already as hex (random_uuids)
        return value
    return str(value.hex)


def _prep(
    field: models.Field[Any, Any], db: BaseDatabaseWrapper = connection
) -> Callable[[Any], Any] | None:
    """How a Python value becomes what the driver stores; None: pass it as it is."""
    if db.vendor == "sqlite":
        if isinstance(field, models.DateTimeField):
            return _sqlite_datetime
        if isinstance(field, models.DateField):
            return _sqlite_date
        if isinstance(field, models.UUIDField):
            return _sqlite_uuid
    if isinstance(field, models.DecimalField | models.JSONField):
        return lambda v: field.get_db_prep_save(v, db)
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


def _max_params(db: BaseDatabaseWrapper) -> int:
    # circleback.db.sqlite3 reads SQLite's own limit; PostgreSQL's protocol allows 65,535.
    return db.features.max_query_params or 65535


class _Insert:
    """How rows of `model` given in `columns` become INSERTs: the full column list, the
    fillers of the columns left out, and the conversions to what the driver stores."""

    def __init__(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        now: dt.datetime,
        db: BaseDatabaseWrapper,
    ) -> None:
        meta = model._meta
        given = _fields(model, columns)
        missing = [
            f
            for f in meta.concrete_fields
            if not f.primary_key and f not in given and not _database_fills(f)
        ]
        self.fields = [*given, *missing]
        self.fillers = [_filler(f, now) for f in missing]
        # A callable default (a UUID) is drawn for every row; the other fillers are constants.
        self.per_row = any(f.has_default() and callable(f.default) for f in missing)
        self.fixed = () if self.per_row else tuple(fill() for fill in self.fillers)
        self.preps = [
            (i, _memo(p)) for i, p in enumerate(_prep(f, db) for f in self.fields) if p is not None
        ]
        quote = db.ops.quote_name
        self.table = quote(meta.db_table)
        self.column_list = ", ".join(quote(f.column) for f in self.fields)

    def sqlite_statements(
        self, rows: Iterable[Sequence[Any]], db: BaseDatabaseWrapper
    ) -> Iterator[tuple[str, list[Any], int]]:
        """(statement, parameters, rows in it): several hundred rows a multi-row INSERT,
        written with the driver's own "?" placeholders (see _execute_sqlite)."""
        width = len(self.fields)
        head = f"INSERT INTO {self.table} ({self.column_list}) VALUES "
        one = f"({', '.join(['?'] * width)})"
        per_statement = max(1, min(500, _max_params(db) // width))
        statements: dict[int, str] = {}
        for batch in chunks(rows):
            # Column by column: zip and map do in C what a loop over rows would do in Python.
            count = len(batch)
            cols: list[Any] = list(zip(*batch, strict=True)) if count else []
            if self.per_row:
                cols += [[fill() for _ in range(count)] for fill in self.fillers]
            else:
                cols += [[value] * count for value in self.fixed]
            for i, prep in self.preps:
                cols[i] = list(map(prep, cols[i]))
            params = list(chain.from_iterable(zip(*cols, strict=True)))
            for start in range(0, count, per_statement):
                n = min(per_statement, count - start)
                if n not in statements:
                    statements[n] = head + ", ".join([one] * n)
                yield statements[n], params[start * width : (start + n) * width], n

    def copy(
        self,
        rows: Iterable[Sequence[Any]],
        db: BaseDatabaseWrapper,
        on_batch: Callable[[int], None] | None,
    ) -> int:
        """PostgreSQL's bulk-loading path: COPY, a row at a time into one stream."""
        written = 0
        fillers, fixed, per_row, preps = self.fillers, self.fixed, self.per_row, self.preps
        copy = f"COPY {self.table} ({self.column_list}) FROM STDIN"
        # The driver's COPY, its errors made Django's as the cursor's would be.
        with db.cursor() as cursor, db.wrap_database_errors, cursor.cursor.copy(copy) as stream:
            for row in rows:
                values = [*row, *((fill() for fill in fillers) if per_row else fixed)]
                for i, prep in preps:
                    values[i] = prep(values[i])
                stream.write_row(values)
                written += 1
                if on_batch is not None and written % BATCH == 0:
                    on_batch(BATCH)
        if on_batch is not None and written % BATCH:
            on_batch(written % BATCH)
        return written


def _execute_sqlite(
    statements: Iterable[tuple[str, list[Any], int]],
    db: BaseDatabaseWrapper,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Run prepared INSERTs on the driver's own cursor: Django's rewrites every "%s" of
    every statement with a regular expression, a fifth of the time of a 500-row INSERT of
    people. Its errors still become Django's."""
    written = pending = 0
    with db.cursor() as cursor, db.wrap_database_errors:
        driver, execute = cursor.cursor, sqlite3.Cursor.execute
        for sql, params, count in statements:
            execute(driver, sql, params)
            written += count
            pending += count
            if on_batch is not None and pending >= BATCH:
                on_batch(pending)
                pending = 0
    if on_batch is not None and pending:
        on_batch(pending)
    return written


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    now: dt.datetime | None = None,
    on_batch: Callable[[int], None] | None = None,
    db: BaseDatabaseWrapper = connection,
) -> int:
    """INSERT `rows` (tuples in the order of `columns`, attribute names like "person_id");
    every other column gets its default (auto_now(_add) columns: `now`). Returns the count;
    `on_batch(n)` is told after every `BATCH` rows written (for a progress bar).

    PostgreSQL gets the rows through COPY, its bulk-loading path. SQLite gets several hundred
    rows per multi-row statement: a third faster than `executemany` of single rows.
    `db` is the connection to write through.
    """
    insert = _Insert(model, columns, now or timezone.now(), db)
    if db.vendor == "postgresql":
        return insert.copy(rows, db, on_batch)
    return _execute_sqlite(insert.sqlite_statements(rows, db), db, on_batch)


def _memo(prep: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`prep`, remembering its last answer: a column often holds one value (the import's
    time, a date shared by many rows) and converting it is the costly part of a row."""
    last: list[Any] = [object(), None]

    def remembered(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, prep(value)
        return last[1]

    return remembered


_VERSION_4 = (0xF000 << 64 | 0xC000 << 48, 0x4000 << 64 | 0x8000 << 48)


def random_uuids(count: int) -> list[str]:
    """`count` random (version 4) UUIDs as 32 hex digits, as uuid.uuid4() would make them,
    from one read of the system's randomness instead of one each; a UUID column takes them
    as they are (PostgreSQL reads hex without hyphens). In ascending order: rows written in
    that order reach the UUID index's pages one after another, not all over it (a fifth of
    writing 30,000 people into a network of 400,000)."""
    data = os.urandom(16 * count)
    clear, version = _VERSION_4
    return sorted(
        f"{int.from_bytes(data[i : i + 16]) & ~clear | version:032x}"
        for i in range(0, 16 * count, 16)
    )


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
    prep = _prep(_fields(model, ["uuid"])[0])
    return [found[prep(u) if prep is not None else u] for u in uuids]


def uuid_owners(model: type[models.Model], uuids: Iterable[str]) -> dict[str, tuple[int, int]]:
    """{uuid: (pk, owner id)} of the rows of `model` with these uuids, whoever owns them, a
    few hundred at a time. By uuid alone, through its unique index: with the owner in the
    query too, SQLite chose the owner's index and read every row of the account for each
    few hundred (a restore of 200,000 journal entries read the journal 220 times)."""
    found: dict[str, tuple[int, int]] = {}
    manager = model._default_manager
    for chunk in chunks(sorted(set(uuids)), 900):
        found.update(
            (str(u), (pk, owner_id))
            for u, pk, owner_id in manager.filter(uuid__in=chunk).values_list(
                "uuid", "pk", "owner_id"
            )
        )
    return found


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


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys for rows of `model` this transaction is about to insert, so the
    rows that refer to them can be made before those rows are written (see WriteBehind).

    PostgreSQL hands them out from the table's sequence, safely beside other writers. On
    SQLite the transaction holds the database's write lock (Circleback's transactions begin
    IMMEDIATE), so the next ids after the largest ever given (AUTOINCREMENT's record of it
    included) are free; were another writer to take one first, the insert would fail and
    the whole transaction with it, never a row overwritten.
    """
    if count <= 0:
        return []
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")
        largest = int(cursor.fetchone()[0] or 0)
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
    start = max(largest, int(found[0]) if found else 0) + 1
    return list(range(start, start + count))


# While a WriteBehind runs, threads take turns with the interpreter every half millisecond
# instead of every five: the writer wants it back each time the database finishes a statement,
# and waiting out the other thread's turn (a few milliseconds, a few hundred statements) made
# a 30,000-row import a sixth slower.
_SWITCH_INTERVAL = 0.0005
_switching_lock = threading.Lock()
_switching = {"writers": 0, "interval": 0.0}


def _prompt_switching(on: bool) -> None:
    with _switching_lock:
        if on:
            if _switching["writers"] == 0:
                _switching["interval"] = sys.getswitchinterval()
                sys.setswitchinterval(min(_SWITCH_INTERVAL, _switching["interval"]))
            _switching["writers"] += 1
        else:
            _switching["writers"] -= 1
            if _switching["writers"] == 0:
                sys.setswitchinterval(_switching["interval"])


class WriteBehind:
    """insert_rows on a second thread, so the database writes one batch of rows while this
    thread prepares the next: the drivers release the GIL while the database works (SQLite
    inserting into its indexes, PostgreSQL receiving a COPY), which is half of an import.

    Writes go through the caller's connection, in its transaction, in the order given. The
    caller must not read what it queued before `flush()` (nor use the connection meanwhile:
    SQLite would interleave, psycopg would wait); on PostgreSQL rows are taken from their
    iterables on the writer's thread, so they must not change once given. At most
    QUEUED_WRITES wait: a caller faster than the database then waits too. A write that fails
    is raised again by the next `flush()` or when the block ends, and the rest are not
    attempted.
    """

    def __init__(self) -> None:
        # This thread's connection itself: `django.db.connection` would be the writer's own.
        self.db = connections[DEFAULT_DB_ALIAS]
        _prompt_switching(True)
        # A caller faster than the database waits once this many writes are queued, so the
        # rows held in memory stay about a batch or two, whatever the file's size.
        self._jobs: queue.Queue[tuple[Any, ...] | None] = queue.Queue(QUEUED_WRITES)
        self._failure: BaseException | None = None
        self.db.inc_thread_sharing()
        self._thread = threading.Thread(target=self._work, name="bulk-writer", daemon=True)
        self._thread.start()

    def insert_rows(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        now: dt.datetime | None = None,
    ) -> None:
        """Queue rows for insert_rows. On SQLite their statements are made here, on the
        caller's thread, so the writer's thread only runs them (it is the slower one). No
        rows, no job (an empty COPY is still a round trip to PostgreSQL)."""
        if isinstance(rows, Sized) and not len(rows):
            return
        insert = _Insert(model, columns, now or timezone.now(), self.db)
        if self.db.vendor == "postgresql":
            self._jobs.put((insert, rows))
        else:
            self._jobs.put((None, list(insert.sqlite_statements(rows, self.db))))

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self._failure is None:
                    self._write(job)
            except BaseException as exc:  # handed to the caller's thread by flush()
                self._failure = exc
            finally:
                self._jobs.task_done()

    def _write(self, job: tuple[Any, ...]) -> None:
        insert, work = job
        if insert is not None:
            insert.copy(work, self.db, None)
        else:
            _execute_sqlite(work, self.db)

    def flush(self) -> None:
        """Wait until everything queued is written; raise what failed, if anything did."""
        self._jobs.join()
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure

    def __enter__(self) -> WriteBehind:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._jobs.put(None)
        self._thread.join()
        self.db.dec_thread_sharing()
        _prompt_switching(False)
        if kind is None and self._failure is not None:
            raise self._failure
