"""Reads of the park as the organization's events tell it: enterprises in the park, branches."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from redpark_platform.web.paging import Page, PageRequest

from ..domain.categories import categories_of
from .paging import paged


async def in_park_since(pool: asyncpg.Pool, enterprise_id: str) -> date | None:
    """The day of the enterprise's latest move-in while it is in the park; None otherwise."""
    on: date | None = await pool.fetchval(
        "SELECT moved_in_on FROM sup_enterprises WHERE enterprise_id = $1 AND in_park", enterprise_id)
    return on


async def enterprise_known(pool: asyncpg.Pool, enterprise_id: str) -> bool:
    """Whether the organization's events ever named the enterprise (in the park now or not)."""
    return bool(await pool.fetchval("SELECT true FROM sup_enterprises WHERE enterprise_id = $1", enterprise_id))


async def branch_active(pool: asyncpg.Pool, branch_id: str) -> bool:
    return bool(await pool.fetchval("SELECT active FROM sup_branches WHERE branch_id = $1", branch_id))


async def in_park_among(pool: asyncpg.Pool, enterprise_ids: list[str]) -> list[str]:
    rows = await pool.fetch("SELECT enterprise_id FROM sup_enterprises WHERE in_park AND enterprise_id = ANY($1)",
                            enterprise_ids)
    return [r["enterprise_id"] for r in rows]


class EnterpriseRow(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    name: str
    building_id: str
    categories: list[str]
    moved_in_on: date
    contact_kind: str | None
    contact_id: str | None
    contact_name: str | None


async def enterprises(pool: asyncpg.Pool, *, without_contact_point: bool = False,
                      paging: PageRequest | None = None) -> Page[EnterpriseRow]:
    """Enterprises in the park with their contact point. A contact point assigned before the
    enterprise's latest move-in belonged to its earlier stay and does not count."""
    return await paged(
        pool, "SELECT e.*, c.contact_kind, c.contact_id, c.contact_name FROM sup_enterprises e"
        " LEFT JOIN sup_contact_points c ON c.enterprise_id = e.enterprise_id AND c.assigned_on >= e.moved_in_on"
        " WHERE e.in_park" + (" AND c.enterprise_id IS NULL" if without_contact_point else "")
        + " ORDER BY e.enterprise_id", (), paging,
        lambda r: EnterpriseRow(enterprise_id=r["enterprise_id"], name=r["name"], building_id=r["building_id"],
                                categories=list(categories_of(r["is_tech_enterprise"], r["headcount"])),
                                moved_in_on=r["moved_in_on"], contact_kind=r["contact_kind"],
                                contact_id=r["contact_id"], contact_name=r["contact_name"]))


class BranchRow(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    name: str
    active: bool  # false once dissolved: no longer a possible contact point


async def branches(pool: asyncpg.Pool, *, active_only: bool = False,
                   paging: PageRequest | None = None) -> Page[BranchRow]:
    """The branches this service knows from the organization's events (may be contact points)."""
    return await paged(pool, "SELECT branch_id, name, active FROM sup_branches WHERE ($1 = false OR active)"
                        " ORDER BY branch_id", (active_only,), paging, lambda r: BranchRow(**dict(r)))


async def enterprise_names(pool: asyncpg.Pool) -> dict[str, str]:
    return {r["enterprise_id"]: r["name"] for r in await pool.fetch("SELECT enterprise_id, name FROM sup_enterprises")}
