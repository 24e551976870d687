"""Reads of policies and the briefings enterprises are owed."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from redpark_platform.web.paging import Page, PageRequest

from .paging import paged


async def briefing_owed(pool: asyncpg.Pool, policy_id: str, enterprise_id: str) -> bool:
    return bool(await pool.fetchval(
        "SELECT EXISTS (SELECT 1 FROM sup_briefings b JOIN sup_briefing_enterprises e USING (enterprise_id)"
        " WHERE b.policy_id = $1 AND b.enterprise_id = $2 AND e.in_park)", policy_id, enterprise_id))


class PolicyRow(msgspec.Struct, frozen=True, kw_only=True):
    policy_id: str
    title: str
    summary: str
    issuer: str
    applies_to: list[str]
    published_on: date
    in_force: bool
    owed: int
    delivered: int


async def policies(pool: asyncpg.Pool, *, paging: PageRequest | None = None) -> Page[PolicyRow]:
    return await paged(
        pool, "SELECT p.*, count(e.enterprise_id) AS owed, count(e.enterprise_id) FILTER"
        " (WHERE b.delivered_on IS NOT NULL) AS delivered FROM sup_policies p"
        " LEFT JOIN sup_briefings b USING (policy_id)"
        " LEFT JOIN sup_briefing_enterprises e ON e.enterprise_id = b.enterprise_id AND e.in_park"
        " GROUP BY p.policy_id ORDER BY p.published_on, p.policy_id", (), paging,
        lambda r: PolicyRow(**{**dict(r), "applies_to": list(r["applies_to"])}))


class BriefingRow(msgspec.Struct, frozen=True, kw_only=True):
    policy_id: str
    policy_title: str
    enterprise_id: str
    enterprise_name: str
    delivered: bool
    delivered_on: date | None
    channel: str | None
    delivered_by: str | None


async def briefings(pool: asyncpg.Pool, *, enterprise_id: str | None = None, policy_id: str | None = None,
                    pending_only: bool = False, paging: PageRequest | None = None) -> Page[BriefingRow]:
    """Briefings owed to enterprises in the park, for policies in force (or already delivered)."""
    return await paged(
        pool, "SELECT b.policy_id, p.title AS policy_title, b.enterprise_id, e.name AS enterprise_name,"
        " b.delivered_on IS NOT NULL AS delivered, b.delivered_on, b.channel, b.delivered_by"
        " FROM sup_briefings b JOIN sup_policies p USING (policy_id)"
        " JOIN sup_briefing_enterprises e ON e.enterprise_id = b.enterprise_id AND e.in_park"
        " WHERE (p.in_force OR b.delivered_on IS NOT NULL)"
        " AND ($1::text IS NULL OR b.enterprise_id = $1) AND ($2::text IS NULL OR b.policy_id = $2)"
        " AND ($3 = false OR b.delivered_on IS NULL) ORDER BY b.enterprise_id, p.published_on, b.policy_id",
        (enterprise_id, policy_id, pending_only), paging, lambda r: BriefingRow(**dict(r)))
