"""Members and their transfers, and the member counts a command carries as facts."""

from __future__ import annotations

from datetime import date

import msgspec

from . import Db

# A member counts towards the park's organization when the park holds the relationship.
COUNTED = "m.in_park AND m.relationship = 'in_park'"


async def enterprise_member_count(db: Db, enterprise_id: str) -> int:
    """Members working for the enterprise, wherever their relationship is held."""
    return await db.fetchval(
        "SELECT count(*) FROM org_members m WHERE m.in_park AND m.enterprise_id = $1", enterprise_id) or 0


async def enterprise_full_members(db: Db, enterprise_id: str) -> int:
    return await db.fetchval(
        f"SELECT count(*) FROM org_members m WHERE {COUNTED} AND m.status = 'full' AND m.enterprise_id = $1",
        enterprise_id) or 0


async def branch_full_member_ids(db: Db, branch_id: str) -> list[str]:
    rows = await db.fetch(
        "SELECT member_id FROM org_members m WHERE m.in_park AND m.status = 'full' AND m.branch_id = $1"
        " ORDER BY member_id", branch_id)
    return [r["member_id"] for r in rows]


async def park_full_member_ids(db: Db) -> list[str]:
    """The general branch's full members: every full member whose relationship the park holds."""
    rows = await db.fetch(f"SELECT member_id FROM org_members m WHERE {COUNTED} AND m.status = 'full'"
                          " ORDER BY member_id")
    return [r["member_id"] for r in rows]


class MemberRow(msgspec.Struct, frozen=True, kw_only=True):
    """A roster line: never a phone or an ID number."""

    member_id: str
    name: str
    enterprise_id: str | None
    status: str
    joined_party_on: date
    relationship: str
    relationship_held_by: str
    branch_id: str | None


async def members(db: Db, branch_id: str | None = None, limit: int | None = None, offset: int = 0) -> list[MemberRow]:
    rows = await db.fetch(
        "SELECT member_id, name, enterprise_id, status, joined_party_on, relationship, relationship_held_by,"
        " branch_id FROM org_members WHERE in_park AND ($1::text IS NULL OR branch_id = $1) ORDER BY member_id"
        " LIMIT $2 OFFSET $3", branch_id, limit, offset)
    return [MemberRow(**dict(r)) for r in rows]


async def count_members(db: Db, branch_id: str | None = None) -> int:
    return await db.fetchval("SELECT count(*) FROM org_members WHERE in_park AND ($1::text IS NULL OR branch_id = $1)",
                             branch_id) or 0


class TransferRow(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    direction: str
    organization: str
    transferred_on: date


async def member_branch(db: Db, member_id: str) -> str | None:
    """The branch the member is (or was last) on the roster of; None for no branch or no such member."""
    return await db.fetchval("SELECT branch_id FROM org_members WHERE member_id = $1", member_id)


async def transfers(db: Db, member_id: str, limit: int | None = None, offset: int = 0) -> list[TransferRow]:
    rows = await db.fetch("SELECT member_id, direction, organization, transferred_on FROM org_transfers"
                          " WHERE member_id = $1 ORDER BY position LIMIT $2 OFFSET $3", member_id, limit, offset)
    return [TransferRow(**dict(r)) for r in rows]


async def count_transfers(db: Db, member_id: str) -> int:
    return await db.fetchval("SELECT count(*) FROM org_transfers WHERE member_id = $1", member_id) or 0
