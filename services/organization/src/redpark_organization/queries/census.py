"""The census (四个底数): the snapshot coverage is computed from, the contacts ledger, and grid plans."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from ..domain.census import BranchFacts, BuildingFacts, CensusSnapshot, EnterpriseFacts, ZoneFacts
from . import Db
from .rosters import COUNTED


class GridItemRow(msgspec.Struct, frozen=True, kw_only=True):
    item: int
    kind: str
    subject_id: str
    target: str | None
    done: bool
    done_on: date | None
    fulfilled_by_branch_id: str | None


class GridPlanRow(msgspec.Struct, frozen=True, kw_only=True):
    plan_id: str
    adopted_by: str
    adopted_at: datetime
    amended: bool


async def grid_plan(db: Db, plan_id: str) -> tuple[GridPlanRow, list[GridItemRow]] | None:
    plan = await db.fetchrow("SELECT plan_id, adopted_by, adopted_at, amended FROM org_grid_plans WHERE plan_id = $1",
                             plan_id)
    if plan is None:
        return None
    items = await db.fetch("SELECT item, kind, subject_id, target, done, done_on, fulfilled_by_branch_id"
                           " FROM org_grid_plan_items WHERE plan_id = $1 ORDER BY item", plan_id)
    return GridPlanRow(**dict(plan)), [GridItemRow(**dict(r)) for r in items]


async def census_snapshot(db: Db) -> CensusSnapshot:
    zones = [ZoneFacts(zone_id=r["zone_id"], name=r["name"])
             for r in await db.fetch("SELECT zone_id, name FROM org_zones ORDER BY zone_id")]
    branches = [BranchFacts(branch_id=r["branch_id"], kind=r["kind"])
                for r in await db.fetch("SELECT branch_id, kind FROM org_branches WHERE active ORDER BY branch_id")]
    buildings = [BuildingFacts(building_id=r["building_id"], zone_id=r["zone_id"],
                               sequence_in_zone=r["sequence_in_zone"], responsible_branch_id=r["branch_id"],
                               has_instructor=r["instructor_id"] is not None)
                 for r in await db.fetch("SELECT * FROM org_buildings ORDER BY building_id")]
    rows = await db.fetch(
        "SELECT e.enterprise_id, e.building_id, e.branch_id, e.liaison_instructor_id,"
        f" count(*) FILTER (WHERE {COUNTED} AND m.status = 'full') AS full_members,"
        f" count(*) FILTER (WHERE {COUNTED} AND m.status = 'probationary') AS probationary_members,"
        " count(*) FILTER (WHERE m.in_park AND m.relationship = 'elsewhere') AS members_elsewhere"
        " FROM org_enterprises e LEFT JOIN org_members m ON m.enterprise_id = e.enterprise_id"
        " WHERE e.in_park GROUP BY e.enterprise_id ORDER BY e.enterprise_id")
    enterprises = [EnterpriseFacts(enterprise_id=r["enterprise_id"], building_id=r["building_id"],
                                   full_members=r["full_members"], probationary_members=r["probationary_members"],
                                   members_elsewhere=r["members_elsewhere"], branch_id=r["branch_id"],
                                   liaison_instructor_id=r["liaison_instructor_id"]) for r in rows]
    unattached = await db.fetchrow(
        f"SELECT count(*) FILTER (WHERE {COUNTED} AND m.status = 'full') AS full,"
        f" count(*) FILTER (WHERE {COUNTED} AND m.status = 'probationary') AS probationary,"
        " count(*) FILTER (WHERE m.relationship = 'elsewhere') AS elsewhere"
        " FROM org_members m WHERE m.in_park AND (m.enterprise_id IS NULL OR NOT EXISTS"
        " (SELECT 1 FROM org_enterprises e WHERE e.enterprise_id = m.enterprise_id AND e.in_park))")
    return CensusSnapshot(zones=zones, buildings=buildings, enterprises=enterprises, branches=branches,
                          unattached_full_members=unattached["full"],
                          unattached_probationary_members=unattached["probationary"],
                          unattached_members_elsewhere=unattached["elsewhere"])


class ContactRow(msgspec.Struct, frozen=True, kw_only=True):
    person_id: str
    name: str
    enterprise_id: str | None
    categories: list[str]


async def contacts(db: Db, limit: int | None = None, offset: int = 0) -> list[ContactRow]:
    rows = await db.fetch("SELECT person_id, name, enterprise_id, categories FROM org_contacts WHERE NOT removed"
                          " ORDER BY person_id LIMIT $1 OFFSET $2", limit, offset)
    return [ContactRow(person_id=r["person_id"], name=r["name"], enterprise_id=r["enterprise_id"],
                       categories=list(r["categories"])) for r in rows]


async def contact_categories(db: Db) -> list[list[str]]:
    """Each current contact's categories: the census counts baselines (3) and (4) from them."""
    return [list(r["categories"]) for r in await db.fetch("SELECT categories FROM org_contacts WHERE NOT removed")]


async def count_contacts(db: Db) -> int:
    return await db.fetchval("SELECT count(*) FROM org_contacts WHERE NOT removed") or 0
