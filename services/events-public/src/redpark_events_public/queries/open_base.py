"""Open-base visits: a day's bookings against the base's daily capacity."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import asyncpg

from .views import OpenBaseDayView, OpenBaseVisitView


async def open_base_day(pool: asyncpg.Pool, day: date, daily_capacity: int, *, now: datetime,
                        hold_for: timedelta) -> OpenBaseDayView:
    """A request past its hold holds nothing even before its `lapsed` event is in, as in the decider."""
    rows = await pool.fetch("SELECT * FROM ep_open_base_visits WHERE day = $1 ORDER BY requested_at, booking_id", day)
    visits = [
        OpenBaseVisitView(
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
        for r in rows
    ]
    return OpenBaseDayView(
        day=day,
        daily_capacity=daily_capacity,
        held=sum(v.group_size for v in visits
                 if v.status == "confirmed" or (v.holds_until is not None and now < v.holds_until)),
        visits=visits,
    )


async def days_with_requests_before(pool: asyncpg.Pool, requested_before: datetime) -> list[date]:
    """Days with a request still unanswered that was made at or before `requested_before`."""
    rows = await pool.fetch(
        "SELECT DISTINCT day FROM ep_open_base_visits WHERE status = 'requested' AND requested_at <= $1"
        " ORDER BY day", requested_before)
    return [r["day"] for r in rows]
