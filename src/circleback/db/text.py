"""Columns as the database writes them as text for a file: UUIDs, ISO timestamps and dates,
JSON-escaped text. A long export or `--json` list then passes strings on, rather than
converting each value to a Python object and back (most of the time of 200,000 rows)."""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Func
from django.db.models.sql.compiler import SQLCompiler


class Text(Func):
    """A column as the database writes it for the file, so Python only passes it on: the
    vendor's SQL, with {0} for the column."""

    output_field = CharField()
    sqlite = postgresql = "{0}"

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        pattern = self.sqlite if connection.vendor == "sqlite" else self.postgresql
        return pattern.format(sql), [*params] * pattern.count("{0}")


class UuidText(Text):
    """A UUID as str(UUID) writes it (SQLite keeps 32 hex digits)."""

    _SPANS = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    sqlite = "(" + " || '-' || ".join(f"substr({{0}}, {a}, {n})" for a, n in _SPANS) + ")"
    postgresql = "CAST({0} AS text)"


class IsoText(Text):
    """A timestamp as datetime.isoformat() writes it in UTC: seconds, microseconds only when
    there are some, and "+00:00"."""

    # Django stores str() of the naive UTC time ("2026-11-20 14:30:00[.ffffff]"): that is
    # isoformat() but for the separator and the offset.
    sqlite = "(substr({0}, 1, 10) || 'T' || substr({0}, 12) || '+00:00')"
    postgresql = (
        "(to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
        "date_trunc('second', {0} AT TIME ZONE 'UTC') = {0} AT TIME ZONE 'UTC' THEN '' "
        "ELSE to_char({0} AT TIME ZONE 'UTC', '.US') END || '+00:00')"
    )


class DateText(Text):
    """A date as date.isoformat() writes it."""

    sqlite = "CAST({0} AS text)"
    postgresql = "to_char({0}, 'YYYY-MM-DD')"


class JsonText(Text):
    """A text or number as JSON: escaped and quoted by the database exactly as
    json.dumps(value, ensure_ascii=False) writes it, null for NULL. The journal is hundreds
    of thousands of short texts: escaping them in the database's C costs a fraction of
    encoding them one by one from Python."""

    sqlite = "json_quote({0})"
    postgresql = "COALESCE(to_json({0})::text, 'null')"
