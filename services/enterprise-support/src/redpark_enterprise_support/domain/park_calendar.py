"""The park's calendar: days, years and quarters in the park's time zone (Asia/Shanghai).

Commands carry `now` (an aware UTC instant) and optionally the business date staff give
(`effective_on`); without one, the date is `now` read in the park's time zone. A day in the
future is refused: records describe what happened.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from redpark_platform.decider import InvalidCommand

PARK_TZ = ZoneInfo("Asia/Shanghai")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def park_date(now: datetime, tz: ZoneInfo = PARK_TZ) -> date:
    if now.tzinfo is None:
        # A naive instant could be read in any zone; refusing it keeps dates from shifting by a day.
        raise InvalidCommand("time.naive", "`now` must carry a time zone", detail_zh="时间必须带时区", field="now")
    return now.astimezone(tz).date()


def effective_date(given: date | None, now: datetime, field: str = "effective_on") -> date:
    today = park_date(now)
    if given is None:
        return today
    if given > today:
        raise InvalidCommand("date.in_future", f"{field} {given.isoformat()} is after today ({today.isoformat()})",
                             detail_zh="日期不能晚于今天", field=field)
    return given


def quarter_of(day: date) -> str:
    return f"{day.year:04d}Q{(day.month - 1) // 3 + 1}"


def parse_quarter(text: str, field: str = "quarter") -> tuple[int, int]:
    m = _QUARTER.match(text)
    # Years far from now are typing mistakes, and year 0 has no calendar at all.
    if m is None or not 1900 <= int(m.group(1)) <= 2199:
        raise InvalidCommand("quarter.malformed", f"{field} must be written YYYYQn (n 1-4, year 1900-2199), got {text!r}",
                             detail_zh="季度格式应为 YYYYQn，如 2025Q3", field=field)
    return int(m.group(1)), int(m.group(2))


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """First and last day of the quarter."""
    year, n = parse_quarter(quarter)
    first = date(year, 3 * n - 2, 1)
    last = date(year + 1, 1, 1) if n == 4 else date(year, 3 * n + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)
