"""The facts the three guarantees are computed from, read in one snapshot."""

from __future__ import annotations

import asyncpg

from ..domain.guarantees import Facts, HeldLesson, Membership, TrackedBranch


async def facts(pool: asyncpg.Pool, branch_id: str | None = None) -> Facts:
    """Everything the three guarantees are computed from (one branch's when given)."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        memberships = await conn.fetch(
            "SELECT s.member_id, coalesce(m.name, s.member_id) AS name, s.branch_id, s.joined_on, s.left_on"
            " FROM edu_roster_memberships s LEFT JOIN edu_roster_members m USING (member_id)"
            " WHERE $1::text IS NULL OR s.branch_id = $1", branch_id)
        branches = await conn.fetch(
            "SELECT branch_id, name, established_on, dissolved_on FROM edu_roster_branches"
            " WHERE $1::text IS NULL OR branch_id = $1", branch_id)
        lessons = await conn.fetch("SELECT lesson_id, held_on FROM edu_lessons WHERE held_on IS NOT NULL")
        attended = await conn.fetch("SELECT lesson_id, member_id FROM edu_attendance")
        studies = await conn.fetch("SELECT member_id, month, late FROM edu_self_study")
        topics = await conn.fetch("SELECT month FROM edu_topics")
        weekly = await conn.fetch("SELECT branch_id, week, meets_minimum FROM edu_weekly_study")
    return Facts(
        memberships=[Membership(**dict(r)) for r in memberships],
        branches=[TrackedBranch(**dict(r)) for r in branches],
        lessons=[HeldLesson(**dict(r)) for r in lessons],
        attended=frozenset((r["lesson_id"], r["member_id"]) for r in attended),
        self_studies={(r["member_id"], r["month"]): r["late"] for r in studies},
        topics=frozenset(r["month"] for r in topics),
        weekly={(r["branch_id"], r["week"]): r["meets_minimum"] for r in weekly},
    )


# --- lists --------------------------------------------------------------------------------------
