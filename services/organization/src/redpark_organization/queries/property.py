"""The property system's mapping tables (their codes to our ids) and the read-model lookups its
notices need (the zone of a park phase, the next building number in a zone)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import asyncpg

from redpark_platform.clock import new_id

from . import Db


async def building_for(db: Db, bldg_code: str) -> str | None:
    value: str | None = await db.fetchval("SELECT building_id FROM property_buildings WHERE bldg_code = $1",
                                          bldg_code)
    return value


async def tenant(db: Db, tenant_code: str) -> tuple[str, datetime | None] | None:
    row = await db.fetchrow("SELECT enterprise_id, last_occurred_at FROM property_tenants WHERE tenant_code = $1",
                            tenant_code)
    return None if row is None else (row["enterprise_id"], row["last_occurred_at"])


_MAPPINGS = {"building": ("property_buildings", "bldg_code", "building_id"),
             "tenant": ("property_tenants", "tenant_code", "enterprise_id")}


async def mapped(db: Db, what: Literal["building", "tenant"], code: str) -> str:
    """Our id for their code, given a fresh one the first time (the first writer wins a race)."""
    table, code_column, id_column = _MAPPINGS[what]
    await db.execute(f"INSERT INTO {table} ({code_column}, {id_column}) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                     code, new_id())
    value: str = await db.fetchval(f"SELECT {id_column} FROM {table} WHERE {code_column} = $1", code)
    return value


async def applied(db: Db, tenant_code: str, occurred_at: datetime) -> None:
    await db.execute("UPDATE property_tenants SET last_occurred_at = GREATEST(last_occurred_at, $2)"
                     " WHERE tenant_code = $1", tenant_code, occurred_at)


async def zone_of_phase(db: Db, phase: int) -> str | None:
    value: str | None = await db.fetchval(
        "SELECT zone_id FROM org_zones WHERE phase = $1 ORDER BY zone_id LIMIT 1", phase)
    return value


async def next_sequence_in_zone(db: Db, zone_id: str) -> int:
    value: int = await db.fetchval(
        "SELECT coalesce(max(sequence_in_zone), 0) + 1 FROM org_buildings WHERE zone_id = $1", zone_id)
    return value


async def building_codes(db: Db) -> list[tuple[str, str]]:
    rows = await db.fetch("SELECT bldg_code, building_id FROM property_buildings ORDER BY bldg_code")
    return [(r["bldg_code"], r["building_id"]) for r in rows]


async def map_building(pool: asyncpg.Pool, bldg_code: str, building_id: str) -> str | None:
    """Map `bldg_code` to `building_id` unless the building already has another code: that code then
    (nothing written), else None."""
    async with pool.acquire() as conn, conn.transaction():
        taken: str | None = await conn.fetchval(
            "SELECT bldg_code FROM property_buildings WHERE building_id = $1 FOR UPDATE", building_id)
        if taken is not None and taken != bldg_code:
            return taken
        await conn.execute(
            "INSERT INTO property_buildings (bldg_code, building_id) VALUES ($1, $2)"
            " ON CONFLICT (bldg_code) DO UPDATE SET building_id = excluded.building_id, mapped_at = now()",
            bldg_code, building_id)
    return None
