"""The park's calendar: which day, month, quarter and ISO week an instant falls in, in the park's
time zone, and the periods the rules count in.

Instants are stored and sent in UTC; calendar rules use the park's zone (`Settings.timezone`,
Asia/Shanghai by default). The zone rides on `now`: `Runtime.now()` gives the instant in the park's
zone, and `park_date` reads a date in the zone `now` carries; an instant with a fixed offset
(`datetime.UTC`, as stored and decoded instants come) is read in the zone given, else
Asia/Shanghai. Pure functions with no I/O: deciders may use them.

Spellings, one each: month `YYYY-MM`, quarter `YYYY-Qn`, ISO week `YYYY-Www`. The compact quarter
`YYYYQn` of older contracts is read with `quarter_from_compact` and written with `compact_quarter`.
Years run 1900 to 2199: a year far from now is a typing mistake, and years near 0 or 9999 would put
a period's bounds outside what a `date` holds.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from .errors import ErrorCatalogue
from .settings import DEFAULT_TIMEZONE

PARK_TZ = ZoneInfo(DEFAULT_TIMEZONE)

_YEAR = r"(19\d{2}|2[01]\d{2})"
MONTH_PATTERN = rf"^{_YEAR}-(0[1-9]|1[0-2])$"
QUARTER_PATTERN = rf"^{_YEAR}-Q([1-4])$"
COMPACT_QUARTER_PATTERN = rf"^{_YEAR}Q([1-4])$"
PERIOD_PATTERN = rf"^{_YEAR}-((0[1-9]|1[0-2])|Q[1-4])$"
_MONTH = re.compile(MONTH_PATTERN)
_QUARTER = re.compile(QUARTER_PATTERN)
_COMPACT_QUARTER = re.compile(COMPACT_QUARTER_PATTERN)

ERRORS = ErrorCatalogue({
    "time.naive": ("invalid", "`now` must carry a time zone", "时间必须带时区"),
    "date.in_future": ("invalid", "{field} {day} is after today ({today})", "日期不能晚于今天"),
    "month.malformed": ("invalid", "{field} must be written YYYY-MM (year 1900-2199), got {text!r}",
                        "月份格式应为 YYYY-MM，如 2025-03"),
    "quarter.malformed": ("invalid", "{field} must be written YYYY-Qn (n 1-4, year 1900-2199), got {text!r}",
                          "季度格式应为 YYYY-Qn，如 2025-Q3"),
})


# --- instants to park days ------------------------------------------------------------------------

def _zone_of(now: datetime, tz: tzinfo | str | None) -> tzinfo:
    if tz is not None:
        return ZoneInfo(tz) if isinstance(tz, str) else tz
    carried = now.tzinfo
    # A ZoneInfo was chosen (the runtime's `now` carries the park's configured zone, UTC included);
    # a fixed offset such as `datetime.UTC` is how stored and decoded instants arrive, not a choice.
    if isinstance(carried, ZoneInfo):
        return carried
    return PARK_TZ


def park_date(now: datetime, tz: tzinfo | str | None = None) -> date:
    """The park's calendar date at instant `now`: in `tz` when given, else in the zone `now`
    carries if that is a ZoneInfo (UTC too: a park may be configured in UTC), else (a fixed offset
    such as `datetime.UTC`) in Asia/Shanghai. A naive `now` is refused."""
    if now.tzinfo is None:
        # A naive instant could be read in any zone; refusing it keeps dates from shifting by a day.
        raise ERRORS.error("time.naive", field="now")
    return now.astimezone(_zone_of(now, tz)).date()


def park_year(now: datetime, tz: tzinfo | str | None = None) -> int:
    return park_date(now, tz).year


def park_month(now: datetime, tz: tzinfo | str | None = None) -> str:
    return month_of(park_date(now, tz))


def park_quarter(now: datetime, tz: tzinfo | str | None = None) -> str:
    return quarter_of(park_date(now, tz))


def day_start(day: date, tz: tzinfo | str = PARK_TZ) -> datetime:
    """The UTC instant the park's day `day` begins: the park's days as instant ranges
    `[day_start(d), day_start(d + 1 day))`, e.g. for a query over stored UTC times."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def effective_date(given: date | None, now: datetime, field: str = "effective_on",
                   tz: tzinfo | str | None = None) -> date:
    """The business date staff give, or today in the park when they give none; never a future day."""
    today = park_date(now, tz)
    return today if given is None else not_in_future(given, today, field)


def not_in_future(day: date, today: date, field: str) -> date:
    """Records describe what happened: a day after today is refused."""
    if day > today:
        raise ERRORS.error("date.in_future", field=field, day=day.isoformat(), today=today.isoformat())
    return day


def years_after(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls on 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- months ---------------------------------------------------------------------------------------

def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(text: str, field: str = "month") -> tuple[int, int]:
    m = _MONTH.match(text)
    if m is None:
        raise ERRORS.error("month.malformed", field=field, text=text)
    return int(m.group(1)), int(m.group(2))


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of the month."""
    y, m = parse_month(month)
    first = date(y, m, 1)
    nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    return first, nxt - timedelta(days=1)


def months_from_to(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included (empty when `last` is earlier)."""
    y, m = parse_month(first)
    ly, lm = parse_month(last)
    out: list[str] = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


# --- quarters -------------------------------------------------------------------------------------

def quarter_of(day: date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def parse_quarter(text: str, field: str = "quarter") -> tuple[int, int]:
    m = _QUARTER.match(text)
    if m is None:
        raise ERRORS.error("quarter.malformed", field=field, text=text)
    return int(m.group(1)), int(m.group(2))


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """First and last day of the quarter."""
    y, q = parse_quarter(quarter)
    first = date(y, 3 * q - 2, 1)
    nxt = date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)
    return first, nxt - timedelta(days=1)


def months_of_quarter(quarter: str) -> list[str]:
    y, q = parse_quarter(quarter)
    return [f"{y:04d}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]


def quarter_from_compact(text: str, field: str = "quarter") -> str:
    """`2025Q3` (the spelling of older contracts) -> `2025-Q3`."""
    m = _COMPACT_QUARTER.match(text)
    if m is None:
        raise ERRORS.error("quarter.malformed", field=field, text=text)
    return f"{m.group(1)}-Q{m.group(2)}"


def compact_quarter(quarter: str) -> str:
    """`2025-Q3` -> `2025Q3`, for a contract that still publishes the compact spelling."""
    y, q = parse_quarter(quarter)
    return f"{y:04d}Q{q}"


# --- ISO weeks ------------------------------------------------------------------------------------

def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def weeks_between(first: date, last: date) -> list[tuple[str, date]]:
    """ISO weeks whose Monday falls in [first, last], with that Monday: a week belongs to the month
    or quarter it starts in, so no week is counted twice."""
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    out: list[tuple[str, date]] = []
    while monday <= last:
        out.append((week_of(monday), monday))
        monday += timedelta(days=7)
    return out
