"""The staff console's views (`pages/`) over the read models: what its pages show beyond the lists the
API shares (`queries.organization`). Rows are records, as the templates read them by column name."""

from __future__ import annotations

import asyncpg

from . import Db

Rows = list[asyncpg.Record]


async def pending_transfers(db: Db, limit: int) -> Rows:
    """Members of the park whose relationship is still held elsewhere."""
    return await db.fetch("SELECT member_id, name, enterprise_id, relationship_held_by, branch_id"
                          " FROM org_members WHERE in_park AND relationship = 'elsewhere'"
                          " ORDER BY member_id LIMIT $1", limit)


async def branch_member_ids(db: Db, branch_id: str) -> set[str]:
    return {r["member_id"] for r in await db.fetch("SELECT member_id FROM org_members WHERE branch_id = $1",
                                                   branch_id)}


async def zones(db: Db) -> Rows:
    return await db.fetch("SELECT zone_id, name FROM org_zones ORDER BY zone_id")


async def buildings(db: Db) -> Rows:
    return await db.fetch("SELECT * FROM org_buildings ORDER BY zone_id, sequence_in_zone, building_id")


async def instructor_candidates(db: Db, limit: int) -> Rows:
    """Full members whose relationship the park holds, grouped by their branch (those in none last)."""
    return await db.fetch(
        "SELECT m.member_id, m.name, coalesce(b.name, '未编入支部') AS branch FROM org_members m"
        " LEFT JOIN org_branches b USING (branch_id) WHERE m.in_park AND m.relationship = 'in_park'"
        " AND m.status = 'full' ORDER BY b.name NULLS LAST, m.name, m.member_id LIMIT $1", limit)


async def active_branches(db: Db) -> Rows:
    return await db.fetch("SELECT branch_id, name FROM org_branches WHERE active ORDER BY branch_id")


async def organized_enterprise_counts(db: Db) -> dict[str, int]:
    """Per branch, the enterprises in the park it organizes."""
    return dict(await db.fetch("SELECT branch_id, count(*) FROM org_enterprises WHERE in_park"
                               " AND branch_id IS NOT NULL GROUP BY branch_id"))


async def branch_buildings(db: Db, branch_id: str) -> Rows:
    return await db.fetch("SELECT building_id, name, zone_id, instructor_id FROM org_buildings"
                          " WHERE branch_id = $1 ORDER BY building_id", branch_id)


async def branch_enterprises(db: Db, branch_id: str) -> Rows:
    """The enterprises in the park the branch organizes or sent a liaison instructor to."""
    return await db.fetch(
        "SELECT enterprise_id, name, building_id, branch_id, liaison_instructor_id FROM org_enterprises"
        " WHERE in_park AND (branch_id = $1 OR liaison_sent_by = $1) ORDER BY enterprise_id", branch_id)


async def member(db: Db, member_id: str) -> asyncpg.Record | None:
    return await db.fetchrow("SELECT * FROM org_members WHERE member_id = $1", member_id)


async def dues_paid_in_year(db: Db, member_id: str, year: int) -> Rows:
    return await db.fetch("SELECT month, amount_fen, paid_on FROM org_dues_paid WHERE member_id = $1"
                          " AND month LIKE $2 ORDER BY month", member_id, f"{year:04d}-%")


async def development_stage(db: Db, person_id: str) -> str | None:
    stage: str | None = await db.fetchval("SELECT stage FROM org_development WHERE person_id = $1", person_id)
    return stage


async def enterprise(db: Db, enterprise_id: str) -> asyncpg.Record | None:
    """The enterprise with its building's name, zone and branch."""
    return await db.fetchrow("SELECT e.*, b.name AS building_name, b.zone_id, b.branch_id AS building_branch_id"
                             " FROM org_enterprises e LEFT JOIN org_buildings b USING (building_id)"
                             " WHERE e.enterprise_id = $1", enterprise_id)


async def enterprise_staff(db: Db, enterprise_id: str) -> Rows:
    """The members of the park working for the enterprise."""
    return await db.fetch("SELECT member_id, name, status, branch_id FROM org_members WHERE in_park"
                          " AND enterprise_id = $1 ORDER BY member_id", enterprise_id)
