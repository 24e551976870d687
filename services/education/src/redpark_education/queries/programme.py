"""Reads of the programme: lecturers, park lessons and their attendance, annual themes, forums."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec


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


async def lecturers(pool: asyncpg.Pool) -> list[LecturerRow]:
    rows = await pool.fetch("SELECT * FROM edu_lecturers ORDER BY lecturer_id")
    return [LecturerRow(**dict(r)) for r in rows]


async def lesson(pool: asyncpg.Pool, lesson_id: str) -> asyncpg.Record | None:
    """The lesson's row as the attendance sheet shows it; None when there is no such lesson."""
    row: asyncpg.Record | None = await pool.fetchrow("SELECT * FROM edu_lessons WHERE lesson_id = $1", lesson_id)
    return row


async def lecturer_name(pool: asyncpg.Pool, lecturer_id: str) -> str | None:
    name: str | None = await pool.fetchval("SELECT name FROM edu_lecturers WHERE lecturer_id = $1", lecturer_id)
    return name


async def lessons(pool: asyncpg.Pool, year: int) -> list[LessonRow]:
    return [LessonRow(**dict(r)) for r in await pool.fetch(
        "SELECT l.*, count(a.member_id) FILTER (WHERE a.makeup_on IS NULL) AS attended,"
        " count(a.member_id) FILTER (WHERE a.makeup_on IS NOT NULL) AS made_up"
        " FROM edu_lessons l LEFT JOIN edu_attendance a USING (lesson_id)"
        " WHERE l.quarter LIKE $1 GROUP BY l.lesson_id ORDER BY l.scheduled_on, l.lesson_id", f"{year}-%")]


async def attendance(pool: asyncpg.Pool, lesson_id: str) -> list[tuple[str, date | None]]:
    rows = await pool.fetch("SELECT member_id, makeup_on FROM edu_attendance WHERE lesson_id = $1"
                            " ORDER BY member_id", lesson_id)
    return [(r["member_id"], r["makeup_on"]) for r in rows]


async def lesson_quarter(pool: asyncpg.Pool, lesson_id: str) -> str | None:
    quarter: str | None = await pool.fetchval("SELECT quarter FROM edu_lessons WHERE lesson_id = $1", lesson_id)
    return quarter


async def lesson_year(pool: asyncpg.Pool, lesson_id: str) -> int | None:
    quarter = await lesson_quarter(pool, lesson_id)
    return int(quarter[:4]) if quarter else None


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
    return [ForumRow(**dict(r)) for r in rows], int(total)
