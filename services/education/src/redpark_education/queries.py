"""Reads of the education read models: the roster on a day, the facts of the three guarantees,
and the lists the routes and exports show."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
import msgspec

from .domain.guarantees import Facts, HeldLesson, Membership, TrackedBranch


async def roster_on(pool: asyncpg.Pool, day: date, branch_id: str | None = None) -> frozenset[str]:
    """Members in a branch on `day` (of one branch when given)."""
    rows = await pool.fetch(
        "SELECT member_id FROM edu_roster_memberships WHERE joined_on <= $1 AND (left_on IS NULL OR left_on > $1)"
        " AND ($2::text IS NULL OR branch_id = $2)", day, branch_id)
    return frozenset(r["member_id"] for r in rows)


async def branch_active_on(pool: asyncpg.Pool, branch_id: str, day: date) -> bool:
    return bool(await pool.fetchval(
        "SELECT true FROM edu_roster_branches WHERE branch_id = $1 AND established_on <= $2"
        " AND (dissolved_on IS NULL OR dissolved_on > $2)", branch_id, day))


async def member_branch_on(pool: asyncpg.Pool, member_id: str, day: date) -> str | None:
    branch: str | None = await pool.fetchval(
        "SELECT branch_id FROM edu_roster_memberships WHERE member_id = $1 AND joined_on <= $2"
        " AND (left_on IS NULL OR left_on > $2) ORDER BY joined_on DESC LIMIT 1", member_id, day)
    return branch


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


class LecturerRow(msgspec.Struct, frozen=True, kw_only=True):
    lecturer_id: str
    name: str
    category: str
    affiliation: str
    topics: list[str]
    appointed_on: date
    retired_on: date | None


class LessonRow(msgspec.Struct, frozen=True, kw_only=True):
    lesson_id: str
    title: str
    topic: str
    lecturer_id: str
    venue: str
    scheduled_on: date
    quarter: str
    held_on: date | None
    expected_members: int | None
    cancelled: bool
    attended: int
    made_up: int


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


class ThemeLink(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    ref: str


class ThemeRow(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    theme_id: str
    title: str
    description: str
    links: list[ThemeLink]


class ForumRow(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    forum: str
    title: str
    held_on: date
    participants: list[str]
    outcomes: list[str]


class ReminderRow(msgspec.Struct, frozen=True, kw_only=True):
    guarantee: str
    period: str
    branch_id: str
    member_id: str | None
    issued_on: date


def _rows(cls: Any, records: list[asyncpg.Record]) -> list[Any]:
    return [cls(**dict(r)) for r in records]


async def lecturers(pool: asyncpg.Pool) -> list[LecturerRow]:
    return _rows(LecturerRow, await pool.fetch("SELECT * FROM edu_lecturers ORDER BY lecturer_id"))


async def lessons(pool: asyncpg.Pool, year: int) -> list[LessonRow]:
    return _rows(LessonRow, await pool.fetch(
        "SELECT l.*, count(a.member_id) FILTER (WHERE a.makeup_on IS NULL) AS attended,"
        " count(a.member_id) FILTER (WHERE a.makeup_on IS NOT NULL) AS made_up"
        " FROM edu_lessons l LEFT JOIN edu_attendance a USING (lesson_id)"
        " WHERE l.quarter LIKE $1 GROUP BY l.lesson_id ORDER BY l.scheduled_on, l.lesson_id", f"{year}-%"))


async def attendance(pool: asyncpg.Pool, lesson_id: str) -> list[tuple[str, date | None]]:
    rows = await pool.fetch("SELECT member_id, makeup_on FROM edu_attendance WHERE lesson_id = $1"
                            " ORDER BY member_id", lesson_id)
    return [(r["member_id"], r["makeup_on"]) for r in rows]


async def lesson_quarter(pool: asyncpg.Pool, lesson_id: str) -> str | None:
    quarter: str | None = await pool.fetchval("SELECT quarter FROM edu_lessons WHERE lesson_id = $1", lesson_id)
    return quarter


async def topics(pool: asyncpg.Pool, year: int) -> list[TopicRow]:
    return _rows(TopicRow, await pool.fetch("SELECT * FROM edu_topics WHERE month LIKE $1 ORDER BY month",
                                            f"{year}-%"))


_WEEKLY_IN = "FROM edu_weekly_study WHERE held_on BETWEEN $1 AND $2 AND ($3::text IS NULL OR branch_id = $3)"


async def weekly(pool: asyncpg.Pool, first: date, last: date, branch_id: str | None, *,
                 limit: int, offset: int) -> tuple[list[WeeklyRow], int]:
    """One page of the weekly studies held between two days, and how many there are in all."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        rows = await conn.fetch(f"SELECT * {_WEEKLY_IN} ORDER BY branch_id, week LIMIT $4 OFFSET $5",
                                first, last, branch_id, limit, offset)
        total = await conn.fetchval(f"SELECT count(*) {_WEEKLY_IN}", first, last, branch_id)
    return _rows(WeeklyRow, rows), int(total)


async def themes(pool: asyncpg.Pool, year: int) -> list[ThemeRow]:
    rows = await pool.fetch("SELECT * FROM edu_themes WHERE year = $1 ORDER BY theme_id", year)
    links = await pool.fetch("SELECT * FROM edu_theme_links WHERE year = $1 ORDER BY kind, ref", year)
    return [ThemeRow(**dict(r), links=[ThemeLink(kind=lk["kind"], ref=lk["ref"]) for lk in links
                                       if lk["theme_id"] == r["theme_id"]]) for r in rows]


async def forums(pool: asyncpg.Pool, year: int, *, limit: int, offset: int) -> tuple[list[ForumRow], int]:
    """One page of the year's sessions, and how many there are in all."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        rows = await conn.fetch("SELECT * FROM edu_forum_sessions WHERE extract(year FROM held_on) = $1"
                                " ORDER BY held_on, session_id LIMIT $2 OFFSET $3", year, limit, offset)
        total = await conn.fetchval("SELECT count(*) FROM edu_forum_sessions WHERE extract(year FROM held_on) = $1",
                                    year)
    return _rows(ForumRow, rows), int(total)


async def reminders(pool: asyncpg.Pool, period: str) -> list[ReminderRow]:
    return _rows(ReminderRow, await pool.fetch(
        "SELECT guarantee, period, branch_id, member_id, issued_on FROM edu_reminders WHERE period = $1"
        " ORDER BY position", period))


async def lesson_year(pool: asyncpg.Pool, lesson_id: str) -> int | None:
    quarter = await lesson_quarter(pool, lesson_id)
    return int(quarter[:4]) if quarter else None


async def branch_names(pool: asyncpg.Pool) -> dict[str, str]:
    return {r["branch_id"]: r["name"] for r in await pool.fetch("SELECT branch_id, name FROM edu_roster_branches")}
