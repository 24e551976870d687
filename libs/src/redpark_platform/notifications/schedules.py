"""Reminders that come from the calendar and the rules, not from one event: "a branch with no 支委会
this month by the 20th", "dues three months behind". A `Scheduled` check runs once a park day at or
after its time (`at`, park time) on the days it names, by the runtime's clock (a test moves a
FrozenClock to the 20th), and returns notices each under a key that names the fact (e.g.
`2025-03:branch-7`); the key is the notice's "event", so the same fact is never told twice.
The day's run and its notices commit together.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

import asyncpg

from .outbox import Notice, enqueue
from .templates import TemplateCatalogue

log = logging.getLogger("redpark.notifications")

Finder = Callable[[asyncpg.Connection, date, datetime], Awaitable[Sequence[tuple[str, Notice]]]]


@dataclass(frozen=True, kw_only=True)
class Scheduled:
    name: str
    at: time
    find: Finder  # (conn, park day, now) -> [(key, notice)]
    on: Callable[[date], bool] = lambda day: True  # which park days it runs
    # Run at every round (staff alerts), not once a day: the notices' keys alone keep it to once a fact.
    every_round: bool = False


async def run_due(pool: asyncpg.Pool, schedules: Sequence[Scheduled], now: datetime, zone: tzinfo,
                  catalogue: TemplateCatalogue, max_attempts: int) -> int:
    """Run every check due today and not run yet; the number of notices queued."""
    local = now.astimezone(zone)
    day = local.date()
    queued = 0
    for check in schedules:
        if local.time() < check.at or not check.on(day):
            continue
        async with pool.acquire() as conn, conn.transaction():
            if not check.every_round:
                claimed = await conn.fetchval(
                    "INSERT INTO notification_schedule_runs (name, day, ran_at, queued) VALUES ($1, $2, $3, 0)"
                    " ON CONFLICT DO NOTHING RETURNING name", check.name, day, now)
                if claimed is None:
                    continue
            count = 0
            for key, notice in await check.find(conn, day, now):
                if await enqueue(conn, notice, event_id=f"{check.name}:{key}", catalogue=catalogue, now=now,
                                 max_attempts=max_attempts):
                    count += 1
            await conn.execute("UPDATE notification_schedule_runs SET queued = $3 WHERE name = $1 AND day = $2",
                               check.name, day, count)
        if count or not check.every_round:
            log.info("scheduled check %s for %s queued %d notification(s)", check.name, day, count)
        queued += count
    return queued
