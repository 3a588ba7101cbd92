"""The user's calendar: their time zone decides what "today" and "this month" are."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from circleback.accounts.models import User
from circleback.ops import clock


def user_zone(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def user_now(user: User, now: dt.datetime | None = None) -> dt.datetime:
    return (now or clock.now()).astimezone(user_zone(user))


def user_today(user: User, now: dt.datetime | None = None) -> dt.date:
    return user_now(user, now).date()


def month_start(user: User, year: int, month: int) -> dt.datetime:
    """Midnight on the first of the month, in the user's zone (an aware datetime)."""
    return dt.datetime(year, month, 1, tzinfo=user_zone(user))


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def last_months(user: User, count: int, now: dt.datetime | None = None) -> list[dt.datetime]:
    """Starts of the last `count` months, oldest first, ending with this month; plus the next
    month's start as the final bound (so there are count + 1 datetimes)."""
    today = user_today(user, now)
    bounds = []
    for delta in range(-(count - 1), 2):
        year, month = add_months(today.year, today.month, delta)
        bounds.append(month_start(user, year, month))
    return bounds


def quarter_start(user: User, now: dt.datetime | None = None) -> dt.datetime:
    today = user_today(user, now)
    return month_start(user, today.year, 3 * ((today.month - 1) // 3) + 1)


def utc_offset_seconds(user: User, now: dt.datetime | None = None) -> int:
    offset = user_now(user, now).utcoffset()
    return int(offset.total_seconds()) if offset else 0
