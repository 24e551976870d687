"""The staff's working list: sessions not yet over with their live counts, and the dashboard's rows."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from .views import SessionCounts

_SESSIONS_AHEAD = (
    "SELECT s.session_id, s.activity_id, a.title, a.kind, s.starts_at, s.ends_at, s.place, s.capacity,"
    " s.confirmed_seats, s.waitlisted_parties, s.checked_in_seats,"
    " (SELECT count(*) FROM ep_registrations r WHERE r.session_id = s.session_id AND r.status <> 'cancelled')"
    "   AS registrations"
    " FROM ep_sessions s LEFT JOIN ep_activities a USING (activity_id)"
    " WHERE s.ends_at > $1 ORDER BY s.starts_at, s.session_id"
)
_COUNTS = "SELECT session_id, capacity, confirmed_seats, waitlisted_parties, checked_in_seats FROM ep_sessions"


async def sessions_ending_after(
    pool: asyncpg.Pool, since: datetime, *, limit: int | None = None, offset: int = 0
) -> list[asyncpg.Record]:
    """Sessions that end after `since`, soonest first, with their activity's title and counts."""
    rows: list[asyncpg.Record]
    if limit is None:
        rows = await pool.fetch(_SESSIONS_AHEAD, since)
    else:
        rows = await pool.fetch(_SESSIONS_AHEAD + " LIMIT $2 OFFSET $3", since, limit, offset)
    return rows


async def counts_of_session(pool: asyncpg.Pool, session_id: str) -> list[SessionCounts]:
    return [_counts(r) for r in await pool.fetch(_COUNTS + " WHERE session_id = $1", session_id)]


async def counts_ending_after(pool: asyncpg.Pool, since: datetime) -> list[SessionCounts]:
    return [_counts(r) for r in await pool.fetch(_COUNTS + " WHERE ends_at > $1", since)]


async def activity_heading(pool: asyncpg.Pool, activity_id: str) -> asyncpg.Record | None:
    """What a session's staff page names it by: the activity's title and kind (withdrawn or not)."""
    row: asyncpg.Record | None = await pool.fetchrow(
        "SELECT activity_id, title, kind FROM ep_activities WHERE activity_id = $1", activity_id
    )
    return row


def _counts(row: asyncpg.Record) -> SessionCounts:
    return SessionCounts(
        session_id=row["session_id"],
        capacity=row["capacity"],
        confirmed=row["confirmed_seats"],
        waitlisted=row["waitlisted_parties"],
        checked_in=row["checked_in_seats"],
    )
