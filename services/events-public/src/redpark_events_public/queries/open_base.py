"""Open-base visits: a day's bookings against the base's daily capacity, and the days ahead."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import groupby

import asyncpg

from .views import OpenBaseDaySummary, OpenBaseDayView, OpenBaseVisitView

_VISITS = "SELECT * FROM ep_open_base_visits WHERE day BETWEEN $1 AND $2 ORDER BY day, requested_at, booking_id"


def _visit(r: asyncpg.Record, hold_for: timedelta) -> OpenBaseVisitView:
    return OpenBaseVisitView(
        booking_id=r["booking_id"],
        day=r["day"],
        organization=r["organization"],
        group_size=r["group_size"],
        status=r["status"],
        reason=r["reason"],
        requested_at=r["requested_at"],
        decided_at=r["decided_at"],
        holds_until=r["requested_at"] + hold_for if r["status"] == "requested" else None,
    )


def _day(day: date, visits: list[OpenBaseVisitView], daily_capacity: int, now: datetime) -> OpenBaseDayView:
    """A request past its hold holds nothing even before its `lapsed` event is in, as in the decider."""
    return OpenBaseDayView(
        day=day,
        daily_capacity=daily_capacity,
        held=sum(v.group_size for v in visits
                 if v.status == "confirmed" or (v.holds_until is not None and now < v.holds_until)),
        visits=visits,
    )


async def open_base_day(pool: asyncpg.Pool, day: date, daily_capacity: int, *, now: datetime,
                        hold_for: timedelta) -> OpenBaseDayView:
    rows = await pool.fetch(_VISITS, day, day)
    return _day(day, [_visit(r, hold_for) for r in rows], daily_capacity, now)


async def open_base_visit(pool: asyncpg.Pool, booking_id: str, hold_for: timedelta) -> OpenBaseVisitView | None:
    row = await pool.fetchrow("SELECT * FROM ep_open_base_visits WHERE booking_id = $1", booking_id)
    return None if row is None else _visit(row, hold_for)


async def open_base_days(pool: asyncpg.Pool, first: date, last: date, daily_capacity: int, *, now: datetime,
                         hold_for: timedelta) -> list[OpenBaseDaySummary]:
    """The days from `first` to `last` that have bookings, each with its counts by status."""
    summaries = []
    for day, rows in groupby(await pool.fetch(_VISITS, first, last), key=lambda r: r["day"]):
        view = _day(day, [_visit(r, hold_for) for r in rows], daily_capacity, now)
        waiting = [v.holds_until for v in view.visits if v.holds_until is not None and now < v.holds_until]
        summaries.append(OpenBaseDaySummary(
            day=view,
            requested=len(waiting),
            confirmed=sum(v.status == "confirmed" for v in view.visits),
            declined=sum(v.status == "declined" for v in view.visits),
            lapsed=sum(v.status == "lapsed" or (v.holds_until is not None and now >= v.holds_until)
                       for v in view.visits),
            first_hold_ends=min(waiting, default=None),
        ))
    return summaries


async def days_with_requests_before(pool: asyncpg.Pool, requested_before: datetime) -> list[date]:
    """Days with a request still unanswered that was made at or before `requested_before`."""
    rows = await pool.fetch(
        "SELECT DISTINCT day FROM ep_open_base_visits WHERE status = 'requested' AND requested_at <= $1"
        " ORDER BY day", requested_before)
    return [r["day"] for r in rows]
