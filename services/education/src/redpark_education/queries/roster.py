"""Reads of the roster (the organization's branches and members, as education follows them):
who is in a branch on a day, whether a branch is active, the branches' names."""

from __future__ import annotations

from datetime import date

import asyncpg


async def roster_on(pool: asyncpg.Pool, day: date, branch_id: str | None = None) -> frozenset[str]:
    """Members in a branch on `day` (of one branch when given)."""
    rows = await pool.fetch(
        "SELECT member_id FROM edu_roster_memberships WHERE joined_on <= $1 AND (left_on IS NULL OR left_on > $1)"
        " AND ($2::text IS NULL OR branch_id = $2)", day, branch_id)
    return frozenset(r["member_id"] for r in rows)


async def roster_sheet(pool: asyncpg.Pool, day: date) -> list[asyncpg.Record]:
    """Everyone in a branch on `day` with their name and branch's name, by branch: a lesson's sheet."""
    rows: list[asyncpg.Record] = await pool.fetch(
        "SELECT s.member_id, coalesce(m.name, s.member_id) AS name, coalesce(b.name, s.branch_id) AS branch"
        " FROM edu_roster_memberships s LEFT JOIN edu_roster_members m USING (member_id)"
        " LEFT JOIN edu_roster_branches b USING (branch_id)"
        " WHERE s.joined_on <= $1 AND (s.left_on IS NULL OR s.left_on > $1)"
        " ORDER BY s.branch_id, s.member_id", day)
    return rows


async def branch_active_on(pool: asyncpg.Pool, branch_id: str, day: date) -> bool:
    return bool(await pool.fetchval(
        "SELECT true FROM edu_roster_branches WHERE branch_id = $1 AND established_on <= $2"
        " AND (dissolved_on IS NULL OR dissolved_on > $2)", branch_id, day))


async def member_branch_on(pool: asyncpg.Pool, member_id: str, day: date) -> str | None:
    branch: str | None = await pool.fetchval(
        "SELECT branch_id FROM edu_roster_memberships WHERE member_id = $1 AND joined_on <= $2"
        " AND (left_on IS NULL OR left_on > $2) ORDER BY joined_on DESC LIMIT 1", member_id, day)
    return branch


async def branch_names(pool: asyncpg.Pool) -> dict[str, str]:
    return {r["branch_id"]: r["name"] for r in await pool.fetch("SELECT branch_id, name FROM edu_roster_branches")}
