"""The pending transfer-in follow-ups as staff list them, with the enterprise's name."""

from __future__ import annotations

from datetime import date
from typing import Literal

import msgspec

from redpark_platform.web.paging import Page, PageRequest, page

from . import Db

FollowupStatus = Literal["pending", "resolved", "dismissed"]


class FollowupRow(msgspec.Struct, frozen=True, kw_only=True):
    followup_id: str
    name: str
    enterprise_id: str
    enterprise_name: str | None
    relationship_held_by: str
    since: date
    opened_on: date
    status: FollowupStatus
    member_id: str | None
    reason: str | None
    closed_on: date | None


async def followups(pool: Db, status: str | None, paging: PageRequest | None) -> Page[FollowupRow]:
    sql = ("SELECT f.followup_id, f.name, f.enterprise_id, e.name AS enterprise_name, f.relationship_held_by,"
           " f.since, f.opened_on, f.status, f.member_id, f.reason, f.closed_on FROM org_transfer_followups f"
           " LEFT JOIN org_enterprises e USING (enterprise_id) WHERE ($1::text IS NULL OR f.status = $1)"
           " ORDER BY f.since, f.followup_id")
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        total: int = await conn.fetchval(f"SELECT count(*) FROM ({sql}) AS listed", status)
        if paging is None:
            records = await conn.fetch(sql, status)
            paging = PageRequest(limit=max(len(records), 1))
        else:
            records = await conn.fetch(f"{sql} LIMIT $2 OFFSET $3", status, paging.limit, paging.offset)
    return page([FollowupRow(**dict(r)) for r in records], total, paging)
