"""The park's calendar: which day, month, quarter and ISO week an instant falls in, in the park's
time zone. The zone rides on the command's `now`: the application builds `now` in the zone of its
settings (a `ZoneInfo`); an instant in plain UTC is read in Asia/Shanghai, the default.

A day in the future is refused where a record describes what happened.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from redpark_platform.decider import InvalidCommand

PARK_TZ = ZoneInfo("Asia/Shanghai")

# Years 2000 to 2199, as the year parameters of the API: a year such as 0000 or 9999 would put a
# period's first or next month outside what a `date` can hold.
_YEAR = r"(2[01]\d{2})"
_MONTH = re.compile(rf"^{_YEAR}-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(rf"^{_YEAR}-Q([1-4])$")
MONTH_PATTERN = r"^2[01]\d{2}-(0[1-9]|1[0-2])$"
QUARTER_PATTERN = r"^2[01]\d{2}-Q[1-4]$"
PERIOD_PATTERN = r"^2[01]\d{2}-((0[1-9]|1[0-2])|Q[1-4])$"


def park_date(now: datetime, tz: ZoneInfo = PARK_TZ) -> date:
    if now.tzinfo is None:
        # A naive instant could be read in any zone; refusing it keeps dates from shifting by a day.
        raise InvalidCommand("time.naive", "`now` must carry a time zone", detail_zh="时间必须带时区", field="now")
    zone = now.tzinfo if isinstance(now.tzinfo, ZoneInfo) and now.tzinfo.key != "UTC" else tz
    return now.astimezone(zone).date()


def not_in_future(day: date, today: date, field: str) -> date:
    if day > today:
        raise InvalidCommand("date.in_future", f"{field} {day.isoformat()} is after today ({today.isoformat()})",
                             detail_zh="日期不能晚于今天", field=field)
    return day


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def quarter_of(day: date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def parse_month(text: str, field: str = "month") -> tuple[int, int]:
    m = _MONTH.match(text)
    if m is None:
        raise InvalidCommand("month.malformed", f"{field} must be written YYYY-MM, got {text!r}",
                             detail_zh="月份格式应为 YYYY-MM", field=field)
    return int(m.group(1)), int(m.group(2))


def parse_quarter(text: str, field: str = "quarter") -> tuple[int, int]:
    m = _QUARTER.match(text)
    if m is None:
        raise InvalidCommand("quarter.malformed", f"{field} must be written YYYY-Qn, got {text!r}",
                             detail_zh="季度格式应为 YYYY-Qn", field=field)
    return int(m.group(1)), int(m.group(2))


def month_bounds(month: str) -> tuple[date, date]:
    y, m = parse_month(month)
    first = date(y, m, 1)
    nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    return first, nxt - timedelta(days=1)


def quarter_bounds(quarter: str) -> tuple[date, date]:
    y, q = parse_quarter(quarter)
    first = date(y, 3 * q - 2, 1)
    nxt = date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)
    return first, nxt - timedelta(days=1)


def months_of_quarter(quarter: str) -> list[str]:
    y, q = parse_quarter(quarter)
    return [f"{y:04d}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]


def weeks_between(first: date, last: date) -> list[tuple[str, date]]:
    """ISO weeks whose Monday falls in [first, last], with that Monday: a week belongs to the month
    or quarter it starts in, so no week is counted twice."""
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    out: list[tuple[str, date]] = []
    while monday <= last:
        out.append((week_of(monday), monday))
        monday += timedelta(days=7)
    return out
