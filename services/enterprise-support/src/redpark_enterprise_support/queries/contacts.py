"""Reads of visits and help plans: the facts their commands need and the lists staff see."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from redpark_platform.web.paging import Page, PageRequest

from .paging import paged


async def visits_in_year(pool: asyncpg.Pool, enterprise_id: str, year: int) -> int:
    n: int = await pool.fetchval(
        "SELECT count(*) FROM sup_visits WHERE enterprise_id = $1 AND extract(year FROM visited_on) = $2",
        enterprise_id, year)
    return n


class VisitRow(msgspec.Struct, frozen=True, kw_only=True):
    visit_id: str
    enterprise_id: str
    enterprise_name: str
    visited_on: date
    visitors: list[str]
    findings: str


async def visits(pool: asyncpg.Pool, year: int | None = None, enterprise_id: str | None = None, *,
                 paging: PageRequest | None = None) -> Page[VisitRow]:
    return await paged(
        pool, "SELECT v.*, coalesce(e.name, v.enterprise_id) AS enterprise_name FROM sup_visits v"
        " LEFT JOIN sup_enterprises e USING (enterprise_id)"
        " WHERE ($1::int IS NULL OR extract(year FROM v.visited_on) = $1)"
        " AND ($2::text IS NULL OR v.enterprise_id = $2) ORDER BY v.visited_on, v.visit_id", (year, enterprise_id),
        paging, lambda r: VisitRow(visit_id=r["visit_id"], enterprise_id=r["enterprise_id"],
                                   enterprise_name=r["enterprise_name"], visited_on=r["visited_on"],
                                   visitors=list(r["visitors"]), findings=r["findings"]))


class NotVisitedRow(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    name: str
    last_visited_on: date | None


async def not_visited(pool: asyncpg.Pool, year: int, *, paging: PageRequest | None = None) -> Page[NotVisitedRow]:
    return await paged(
        pool, "SELECT e.enterprise_id, e.name, (SELECT max(visited_on) FROM sup_visits v"
        "  WHERE v.enterprise_id = e.enterprise_id) AS last_visited_on FROM sup_enterprises e"
        " WHERE e.in_park AND NOT EXISTS (SELECT 1 FROM sup_visits v WHERE v.enterprise_id = e.enterprise_id"
        "  AND extract(year FROM v.visited_on) = $1) ORDER BY e.enterprise_id", (year,), paging,
        lambda r: NotVisitedRow(**dict(r)))


class HelpPlanRow(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    year: int
    category: str
    measures: list[str]
    adopted_on: date
    revised_on: date | None


async def help_plans(pool: asyncpg.Pool, year: int, *, paging: PageRequest | None = None) -> Page[HelpPlanRow]:
    return await paged(pool, "SELECT * FROM sup_help_plans WHERE year = $1 ORDER BY category, enterprise_id",
                        (year,), paging, lambda r: HelpPlanRow(**{**dict(r), "measures": list(r["measures"])}))
