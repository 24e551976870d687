"""Reads of recruitment: hires, talent-fair participations and internship placements (no list
holds a person's phone or political status), places taken at a base, and the staff-kept map of
the recruitment system's employer codes."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from redpark_platform.web.paging import Page, PageRequest

from .paging import paged


class HireRow(msgspec.Struct, frozen=True, kw_only=True):
    hire_id: str
    enterprise_id: str
    enterprise_name: str | None
    position: str
    hired_on: date
    member_followup: bool


class FairParticipationRow(msgspec.Struct, frozen=True, kw_only=True):
    participation_id: str
    enterprise_id: str
    enterprise_name: str | None
    fair_name: str
    fair_on: date
    positions_offered: int
    resumes_received: int


class PlacementRow(msgspec.Struct, frozen=True, kw_only=True):
    placement_id: str
    base_id: str
    host_enterprise_id: str | None
    student_name: str
    university: str
    major: str
    starts_on: date
    ends_on: date | None


async def hires(pool: asyncpg.Pool, enterprise_id: str | None, paging: PageRequest | None) -> Page[HireRow]:
    return await paged(
        pool, "SELECT h.hire_id, h.enterprise_id, e.name AS enterprise_name, h.position, h.hired_on,"
        " h.member_followup FROM sup_hires h LEFT JOIN sup_enterprises e USING (enterprise_id)"
        " WHERE ($1::text IS NULL OR h.enterprise_id = $1) ORDER BY h.hired_on DESC, h.hire_id",
        (enterprise_id,), paging, lambda r: HireRow(**dict(r)))


async def participations(pool: asyncpg.Pool, enterprise_id: str | None,
                         paging: PageRequest | None) -> Page[FairParticipationRow]:
    return await paged(
        pool, "SELECT p.participation_id, p.enterprise_id, e.name AS enterprise_name, p.fair_name, p.fair_on,"
        " p.positions_offered, p.resumes_received FROM sup_fair_participations p"
        " LEFT JOIN sup_enterprises e USING (enterprise_id)"
        " WHERE ($1::text IS NULL OR p.enterprise_id = $1) ORDER BY p.fair_on DESC, p.participation_id",
        (enterprise_id,), paging, lambda r: FairParticipationRow(**dict(r)))


async def placements(pool: asyncpg.Pool, base_id: str | None, paging: PageRequest | None) -> Page[PlacementRow]:
    return await paged(
        pool, "SELECT * FROM sup_internship_placements WHERE ($1::text IS NULL OR base_id = $1)"
        " ORDER BY starts_on DESC, placement_id", (base_id,), paging, lambda r: PlacementRow(**dict(r)))


async def placed_at_base(pool: asyncpg.Pool, base_id: str) -> int:
    n: int = await pool.fetchval("SELECT count(*) FROM sup_internship_placements WHERE base_id = $1", base_id)
    return n


async def enterprise_for(pool: asyncpg.Pool, employer_code: str) -> str | None:
    """Our enterprise for their employer code: the staff's mapping, else an enterprise whose id is
    that code (parks that register enterprises under their USCC); None when neither is known."""
    mapped: str | None = await pool.fetchval(
        "SELECT enterprise_id FROM sup_recruitment_employers WHERE employer_code = $1", employer_code)
    if mapped is not None:
        return mapped
    same: str | None = await pool.fetchval(
        "SELECT enterprise_id FROM sup_enterprises WHERE enterprise_id = $1", employer_code)
    return same


async def employers(pool: asyncpg.Pool) -> list[tuple[str, str]]:
    rows = await pool.fetch(
        "SELECT employer_code, enterprise_id FROM sup_recruitment_employers ORDER BY employer_code")
    return [(r["employer_code"], r["enterprise_id"]) for r in rows]
