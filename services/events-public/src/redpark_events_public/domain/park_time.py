"""The park's calendar: instants are UTC, days and years are the park's (Asia/Shanghai by default)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PARK_TZ = "Asia/Shanghai"


def park_day(instant: datetime, tz: str = PARK_TZ) -> date:
    return instant.astimezone(ZoneInfo(tz)).date()


def park_year(instant: datetime, tz: str = PARK_TZ) -> int:
    return park_day(instant, tz).year
