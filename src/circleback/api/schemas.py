"""Schemas and value types every area's API shares."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Field, Header, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StringConstraints, WithJsonSchema

# Dates and times a person could mean; far outside them a time-zone shift overflows.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)


# What the OpenAPI document says of every date and time a request sends: the year is from 1900
# to 2200 (the rest of the value is `format: date` or `date-time`).
YEARS_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"
_DAY_SCHEMA = {
    "pattern": YEARS_PATTERN,
    "description": f"A date from {EARLIEST} to {LATEST}, like 2026-11-20.",
}
_MOMENT_SCHEMA = {
    "pattern": YEARS_PATTERN,
    "description": f"A date and time with its offset, from {EARLIEST} to {LATEST}, like "
    "2026-11-20T10:00:00+01:00.",
}


def _sane_day(value: dt.date) -> dt.date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"must be between {EARLIEST} and {LATEST}")
    return value


def _sane_moment(value: dt.datetime) -> dt.datetime:
    _sane_day(value.date())
    return value


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_day(value: Any) -> Any:
    # Only ISO 8601 text: pydantic would otherwise read 0 as 1 January 1970.
    if isinstance(value, str) and _ISO_DAY.fullmatch(value.strip()):
        return value.strip()
    if isinstance(value, dt.date):
        return value
    raise ValueError("must be a date like 2026-11-20")


def _iso_moment(value: Any) -> Any:
    if isinstance(value, str) and _ISO_MOMENT.match(value.strip()):
        return value.strip()
    if isinstance(value, dt.datetime):
        return value
    raise ValueError("must be a date and time like 2026-11-20T10:00:00+00:00")


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("needs a time zone, e.g. 2026-11-20T10:00:00Z or +01:00")
    return _sane_moment(value)


Day = Annotated[
    dt.date,
    BeforeValidator(_iso_day),
    AfterValidator(_sane_day),
    WithJsonSchema({"type": "string", "format": "date", **_DAY_SCHEMA}),
]
Moment = Annotated[
    dt.datetime,
    BeforeValidator(_iso_moment),
    AfterValidator(_aware),
    WithJsonSchema({"type": "string", "format": "date-time", **_MOMENT_SCHEMA}),
]


def Text(max_length: int = 200, min_length: int = 0) -> Any:
    """A string of at most `max_length` characters (the model's own limit)."""
    return Annotated[str, StringConstraints(max_length=max_length, min_length=min_length)]


def Name(max_length: int = 200) -> Any:
    """Text that must say something: not empty, not only spaces (the services strip it)."""
    return Annotated[str, StringConstraints(max_length=max_length, min_length=1, pattern=r"\S")]


LongText = Annotated[str, StringConstraints(max_length=20_000)]
SmallInt = Annotated[int, Field(ge=0, le=32767)]


class RequestBody(Schema):
    """What a request's body may hold: exactly the fields its schema names. A key it doesn't
    name (a typo like `organisation` for `organization`) is refused with 422 naming that key,
    never silently ignored; the OpenAPI document says so (`additionalProperties: false`)."""

    model_config = ConfigDict(extra="forbid")


class FieldError(Schema):
    field: str | None = Field(None, description="The field at fault, e.g. `emails` or `list`.")
    location: str = Field("body", description="body, query, path or header")
    message: str


class ProblemSchema(Schema):
    """RFC 9457 problem details, with the fields at fault (empty when no field is)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] = []


class Deleted(Schema):
    deleted: bool = True


# The headers every area's endpoints take, documented once.
IfMatch = Header(None, alias="If-Match", description="An ETag you read (a GET answers with it).")
IdempotencyKey = Header(
    None, alias="Idempotency-Key", description="Retrying with the same key creates one thing."
)
