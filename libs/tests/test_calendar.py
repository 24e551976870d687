"""The park's calendar and clock: fixed instants around midnight, month, quarter and year ends in
Asia/Shanghai (UTC+8, so 16:00 UTC is the park's midnight)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from redpark_platform import calendar as cal
from redpark_platform.clock import FrozenClock, SystemClock, new_id, utcnow
from redpark_platform.errors import InvalidCommand

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(("instant", "day", "month", "quarter"), [
    (utc(2025, 3, 31, 15, 59, 59), date(2025, 3, 31), "2025-03", "2025-Q1"),  # 23:59:59 in the park
    (utc(2025, 3, 31, 16, 0, 0), date(2025, 4, 1), "2025-04", "2025-Q2"),  # the park's midnight
    (utc(2025, 6, 30, 16, 30), date(2025, 7, 1), "2025-07", "2025-Q3"),
    (utc(2025, 12, 31, 15, 59), date(2025, 12, 31), "2025-12", "2025-Q4"),
    (utc(2025, 12, 31, 16, 0), date(2026, 1, 1), "2026-01", "2026-Q1"),  # a new year in the park, not yet in UTC
])
def test_a_utc_instant_falls_on_the_parks_day_month_and_quarter(
        instant: datetime, day: date, month: str, quarter: str) -> None:
    assert cal.park_date(instant) == day
    assert cal.park_month(instant) == month
    assert cal.park_quarter(instant) == quarter
    assert cal.park_year(instant) == day.year
    # The same instant carried in the park's zone reads the same; an explicit zone wins over UTC.
    assert cal.park_date(instant.astimezone(SHANGHAI)) == day
    assert cal.park_date(instant, "UTC") == instant.date()


def test_a_zone_carried_by_now_is_the_one_read_and_a_naive_now_is_refused() -> None:
    tokyo = datetime(2025, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Tokyo"))  # still 31 Dec in Shanghai
    assert cal.park_date(tokyo) == date(2025, 1, 1)
    assert cal.park_date(tokyo, SHANGHAI) == date(2024, 12, 31)
    # A park configured in UTC: the runtime's now carries ZoneInfo("UTC"), and that zone is read.
    late = datetime(2025, 3, 31, 20, 0, tzinfo=ZoneInfo("UTC"))
    assert cal.park_date(late) == date(2025, 3, 31)
    assert cal.park_date(late.replace(tzinfo=UTC)) == date(2025, 4, 1)  # a fixed offset: the park's zone
    with pytest.raises(InvalidCommand) as refused:
        cal.park_date(datetime(2025, 1, 1, 12, 0))
    assert refused.value.code == "time.naive" and refused.value.field == "now"


def test_day_start_is_the_utc_instant_of_the_parks_midnight() -> None:
    assert cal.day_start(date(2025, 4, 1)) == utc(2025, 3, 31, 16, 0)
    assert cal.park_date(cal.day_start(date(2025, 4, 1))) == date(2025, 4, 1)
    assert cal.park_date(cal.day_start(date(2025, 4, 1)) - timedelta(microseconds=1)) == date(2025, 3, 31)


def test_an_effective_date_defaults_to_the_parks_today_and_never_lies_in_the_future() -> None:
    now = utc(2025, 3, 31, 16, 5)  # already 1 April in the park
    assert cal.effective_date(None, now) == date(2025, 4, 1)
    assert cal.effective_date(date(2025, 4, 1), now) == date(2025, 4, 1)
    with pytest.raises(InvalidCommand) as refused:
        cal.effective_date(date(2025, 4, 2), now, field="held_on")
    assert refused.value.code == "date.in_future" and refused.value.field == "held_on"
    assert "2025-04-02" in refused.value.detail and refused.value.detail_zh == "日期不能晚于今天"


def test_months_and_quarters_have_their_bounds_and_members() -> None:
    assert cal.month_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert cal.month_bounds("2025-12") == (date(2025, 12, 1), date(2025, 12, 31))
    assert cal.quarter_bounds("2025-Q4") == (date(2025, 10, 1), date(2025, 12, 31))
    assert cal.quarter_bounds("2025-Q1") == (date(2025, 1, 1), date(2025, 3, 31))
    assert cal.months_of_quarter("2025-Q2") == ["2025-04", "2025-05", "2025-06"]
    assert cal.months_from_to("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert cal.months_from_to("2025-02", "2025-01") == []
    assert cal.parse_month("2025-03") == (2025, 3)
    assert cal.parse_quarter("2025-Q3") == (2025, 3)


@pytest.mark.parametrize("text", ["2025Q3", "2025-Q5", "2025-q3", "0000-Q1", "9999-Q1", "2025-Q3 "])
def test_a_quarter_is_written_one_way(text: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        cal.parse_quarter(text, field="period")
    assert refused.value.code == "quarter.malformed" and refused.value.field == "period"


@pytest.mark.parametrize("text", ["2025-3", "2025-13", "2025-00", "1899-12", "2200-01", "25-03"])
def test_a_month_is_written_one_way(text: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        cal.parse_month(text)
    assert refused.value.code == "month.malformed"


def test_the_compact_quarter_of_older_contracts_converts_both_ways() -> None:
    assert cal.quarter_from_compact("2025Q3") == "2025-Q3"
    assert cal.compact_quarter("2025-Q3") == "2025Q3"
    with pytest.raises(InvalidCommand):
        cal.quarter_from_compact("2025-Q3")


def test_iso_weeks_belong_to_the_period_they_start_in() -> None:
    assert cal.week_of(date(2024, 12, 30)) == "2025-W01"  # a Monday in December, in 2025's first week
    assert cal.week_of(date(2021, 1, 3)) == "2020-W53"
    first, last = cal.month_bounds("2025-03")
    weeks = cal.weeks_between(first, last)
    assert [w for w, _ in weeks] == ["2025-W10", "2025-W11", "2025-W12", "2025-W13", "2025-W14"]
    assert all(monday.weekday() == 0 and first <= monday <= last for _, monday in weeks)


def test_years_after_keeps_the_day_and_moves_29_february_to_the_28th() -> None:
    assert cal.years_after(date(2020, 5, 4), 5) == date(2025, 5, 4)
    assert cal.years_after(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert cal.years_after(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_a_frozen_clock_stands_still_until_set_or_advanced_and_never_goes_back() -> None:
    clock = FrozenClock(datetime(2025, 3, 31, 23, 59, tzinfo=SHANGHAI))
    assert clock.now() == utc(2025, 3, 31, 15, 59) and clock.now().tzinfo is UTC
    assert clock.now() == clock.now()
    assert cal.park_quarter(clock.advance(minutes=1)) == "2025-Q2"
    clock.set(utc(2026, 1, 1))
    assert clock.now() == utc(2026, 1, 1)
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError):
        FrozenClock(datetime(2025, 1, 1))


def test_the_system_clock_and_utcnow_are_aware_utc_and_ids_are_16_hex_digits() -> None:
    before = datetime.now(UTC)
    assert before <= SystemClock().now() <= utcnow() <= datetime.now(UTC)
    ids = {new_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(len(i) == 16 and int(i, 16) >= 0 for i in ids)
