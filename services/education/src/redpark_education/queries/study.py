"""Reads of study: monthly topics, weekly branch study, reminders issued."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec


class TopicRow(msgspec.Struct, frozen=True, kw_only=True):
    month: str
    title: str
    material: str
    published_on: date


class WeeklyRow(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    week: str
    held_on: date
    minutes: int
    topic: str
    attendees: int
    meets_minimum: bool


class ReminderRow(msgspec.Struct, frozen=True, kw_only=True):
    guarantee: str
    period: str
    branch_id: str
    member_id: str | None
    issued_on: date


async def topics(pool: asyncpg.Pool, year: int) -> list[TopicRow]:
    rows = await pool.fetch("SELECT * FROM edu_topics WHERE month LIKE $1 ORDER BY month", f"{year}-%")
    return [TopicRow(**dict(r)) for r in rows]


_WEEKLY_IN = "FROM edu_weekly_study WHERE held_on BETWEEN $1 AND $2 AND ($3::text IS NULL OR branch_id = $3)"


async def weekly(pool: asyncpg.Pool, first: date, last: date, branch_id: str | None, *,
                 limit: int, offset: int) -> tuple[list[WeeklyRow], int]:
    """One page of the weekly studies held between two days, and how many there are in all."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        rows = await conn.fetch(f"SELECT * {_WEEKLY_IN} ORDER BY branch_id, week LIMIT $4 OFFSET $5",
                                first, last, branch_id, limit, offset)
        total = await conn.fetchval(f"SELECT count(*) {_WEEKLY_IN}", first, last, branch_id)
    return [WeeklyRow(**dict(r)) for r in rows], int(total)


async def reminders(pool: asyncpg.Pool, period: str, branch_id: str | None = None) -> list[ReminderRow]:
    """The period's reminders, of one branch when `branch_id` is given (None: every branch)."""
    return [ReminderRow(**dict(r)) for r in await pool.fetch(
        "SELECT guarantee, period, branch_id, member_id, issued_on FROM edu_reminders WHERE period = $1"
        " AND ($2::text IS NULL OR branch_id = $2) ORDER BY position", period, branch_id)]
