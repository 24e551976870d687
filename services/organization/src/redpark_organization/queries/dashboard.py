"""The dashboard's figures that are not lists: member counts, people per development stage, and the
coverage history the trend is drawn from."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from . import Db


async def coverage_before(db: Db, start: datetime) -> asyncpg.Record | None:
    """The park's covered / total as it stood just before `start`."""
    return await db.fetchrow("SELECT covered, total FROM org_coverage_history WHERE at < $1"
                             " ORDER BY position DESC LIMIT 1", start)


async def coverage_since(db: Db, start: datetime) -> list[asyncpg.Record]:
    """Every change of the park's covered / total from `start` on, in the order they happened."""
    return await db.fetch("SELECT at, covered, total FROM org_coverage_history WHERE at >= $1 ORDER BY position",
                          start)


async def member_counts(db: Db) -> asyncpg.Record:
    """Members in the park: full, probationary, and those whose relationship is held elsewhere."""
    row: asyncpg.Record = await db.fetchrow(
        "SELECT count(*) FILTER (WHERE status = 'full') AS full, count(*) FILTER (WHERE status = 'probationary')"
        " AS probationary, count(*) FILTER (WHERE relationship = 'elsewhere') AS elsewhere"
        " FROM org_members WHERE in_park")
    return row


async def people_per_stage(db: Db) -> dict[str, int]:
    return dict(await db.fetch("SELECT stage, count(*) FROM org_development GROUP BY stage"))
