"""Schemas and value types every area's API shares."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

# Dates and times a person could mean; far outside them a time-zone shift overflows.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)


def _sane_day(value: dt.date) -> dt.date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"must be between {EARLIEST} and {LATEST}")
    return value


def _sane_moment(value: dt.datetime) -> dt.datetime:
    _sane_day(value.date())
    return value


Day = Annotated[dt.date, AfterValidator(_sane_day)]
Moment = Annotated[dt.datetime, AfterValidator(_sane_moment)]


def Text(max_length: int = 200, min_length: int = 0) -> Any:  # noqa: N802 - reads as a type
    """A string of at most `max_length` characters (the model's own limit)."""
    return Annotated[str, StringConstraints(max_length=max_length, min_length=min_length)]


LongText = Annotated[str, StringConstraints(max_length=20_000)]
SmallInt = Annotated[int, Field(ge=0, le=32767)]


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
