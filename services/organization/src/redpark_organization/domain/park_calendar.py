"""The park's calendar: which day and month an instant falls in, in the park's time zone.

Commands carry `now`, the instant as read on the park's clock: an aware datetime in the park's
time zone, which the service takes from its settings (`Settings.timezone`, REDPARK_TIMEZONE) and
passes in as data. The rules never hold a zone of their own, so a park in another zone, or a test,
gives its zone with `now`. Commands also carry optionally the business date staff give
(`effective_on`); without one, the date is today on that clock. A day in the future is refused:
records describe what happened.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from redpark_platform.decider import InvalidCommand

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def park_date(now: datetime) -> date:
    """Today in the park: the calendar date `now` shows in the zone it carries."""
    if now.tzinfo is None:
        # A naive instant could be read in any zone; refusing it keeps dates from shifting by a day.
        raise InvalidCommand("time.naive", "`now` must carry a time zone",
                             detail_zh="时间必须带时区", field="now")
    return now.date()


def effective_date(given: date | None, now: datetime, field: str = "effective_on") -> date:
    today = park_date(now)
    if given is None:
        return today
    if given > today:
        raise InvalidCommand("date.in_future", f"{field} {given.isoformat()} is after today ({today.isoformat()})",
                             detail_zh="日期不能晚于今天", field=field)
    return given


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(text: str, field: str = "month") -> tuple[int, int]:
    m = _MONTH.match(text)
    if m is None:
        raise InvalidCommand("month.malformed", f"{field} must be written YYYY-MM, got {text!r}",
                             detail_zh="月份格式应为 YYYY-MM", field=field)
    return int(m.group(1)), int(m.group(2))


def months_from_to(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included (empty when `last` is earlier)."""
    y, m = parse_month(first)
    ly, lm = parse_month(last)
    out: list[str] = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def years_after(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls on 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
