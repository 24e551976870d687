"""Open-base visits: a day's bookings against the base's daily capacity."""

from __future__ import annotations

from datetime import date

import asyncpg

from .views import OpenBaseDayView, OpenBaseVisitView


async def open_base_day(pool: asyncpg.Pool, day: date, daily_capacity: int) -> OpenBaseDayView:
    rows = await pool.fetch("SELECT * FROM ep_open_base_visits WHERE day = $1 ORDER BY requested_at", day)
    visits = [
        OpenBaseVisitView(
            booking_id=r["booking_id"],
            day=r["day"],
            organization=r["organization"],
            group_size=r["group_size"],
            status=r["status"],
            reason=r["reason"],
        )
        for r in rows
    ]
    return OpenBaseDayView(
        day=day,
        daily_capacity=daily_capacity,
        held=sum(v.group_size for v in visits if v.status != "declined"),
        visits=visits,
    )
