"""Counts for the park's dashboard, read in one snapshot so they agree with each other."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec


class DashboardCounts(msgspec.Struct, frozen=True, kw_only=True):
    needs: dict[str, int]  # open, overdue (on the day), and one count per column of the needs board
    in_park: int
    visits: int  # between the two days
    visited: int  # enterprises in the park visited between the two days
    applications_pending: int


async def dashboard_counts(pool: asyncpg.Pool, first: date, day: date) -> DashboardCounts:
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        needs = await conn.fetchrow(
            "SELECT count(*) FILTER (WHERE status IN ('raised', 'accepted')) AS open,"
            " count(*) FILTER (WHERE status IN ('raised', 'accepted') AND $1::date > due_on) AS overdue,"
            " count(*) FILTER (WHERE status = 'raised') AS raised,"
            " count(*) FILTER (WHERE status = 'accepted' AND last_note IS NULL) AS accepted,"
            " count(*) FILTER (WHERE status = 'accepted' AND last_note IS NOT NULL) AS in_work,"
            " count(*) FILTER (WHERE status = 'resolved') AS resolved,"
            " count(*) FILTER (WHERE status = 'closed') AS closed FROM sup_needs", day)
        in_park = await conn.fetchval("SELECT count(*) FROM sup_enterprises WHERE in_park")
        visits = await conn.fetchrow(
            "SELECT count(*) AS visits, count(DISTINCT v.enterprise_id) FILTER (WHERE e.in_park) AS visited"
            " FROM sup_visits v LEFT JOIN sup_enterprises e USING (enterprise_id)"
            " WHERE v.visited_on BETWEEN $1 AND $2", first, day)
        pending = await conn.fetchval(
            "SELECT count(*) FROM sup_applications WHERE status IN ('submitted', 'reviewed')")
    return DashboardCounts(needs=dict(needs), in_park=in_park, visits=visits["visits"],
                           visited=visits["visited"], applications_pending=pending)
