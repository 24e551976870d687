"""The park's structure as staff list it: enterprises, branches, the general branch, what a branch
answers for, and the names the exported ledgers print."""

from __future__ import annotations

from datetime import date

import msgspec

from . import Db


class GeneralBranchRow(msgspec.Struct, frozen=True, kw_only=True):
    general_branch_id: str
    name: str
    established_on: date
    secretary_id: str | None
    deputy_secretary_id: str | None
    committee_member_ids: list[str]
    term_ends_on: date | None


async def general_branch(db: Db) -> GeneralBranchRow | None:
    row = await db.fetchrow("SELECT general_branch_id, name, established_on, secretary_id, deputy_secretary_id,"
                            " committee_member_ids, term_ends_on FROM org_general_branch")
    return None if row is None else GeneralBranchRow(**dict(row))


async def branch_load(db: Db, branch_id: str) -> tuple[int, int, int]:
    row = await db.fetchrow(
        "SELECT (SELECT count(*) FROM org_members WHERE in_park AND branch_id = $1) AS members,"
        " (SELECT count(*) FROM org_buildings WHERE branch_id = $1) AS buildings,"
        " (SELECT count(*) FROM org_enterprises WHERE in_park AND branch_id = $1) AS enterprises", branch_id)
    return row["members"], row["buildings"], row["enterprises"]


async def branch_answers_near(db: Db, branch_id: str, building_id: str) -> bool:
    """The branch answers for the building or for a neighbour of it in the same zone."""
    return bool(await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM org_buildings target JOIN org_buildings b ON b.zone_id = target.zone_id"
        " WHERE target.building_id = $2 AND b.branch_id = $1"
        " AND abs(b.sequence_in_zone - target.sequence_in_zone) <= 1)", branch_id, building_id))


class EnterpriseRow(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    name: str
    building_id: str
    floor: int
    headcount: int
    is_tech_enterprise: bool
    legal_representative: str
    moved_in_on: date
    in_park: bool
    branch_id: str | None
    liaison_instructor_id: str | None
    liaison_sent_by: str | None  # the sending branch, or the general branch by its id


async def enterprises(db: Db, *, in_park_only: bool, limit: int | None = None, offset: int = 0) -> list[EnterpriseRow]:
    rows = await db.fetch(
        "SELECT enterprise_id, name, building_id, floor, headcount, is_tech_enterprise, legal_representative,"
        " moved_in_on, in_park, branch_id, liaison_instructor_id, liaison_sent_by FROM org_enterprises"
        " WHERE in_park OR NOT $1 ORDER BY enterprise_id LIMIT $2 OFFSET $3", in_park_only, limit, offset)
    return [EnterpriseRow(**dict(r)) for r in rows]


async def count_enterprises(db: Db, *, in_park_only: bool) -> int:
    return await db.fetchval("SELECT count(*) FROM org_enterprises WHERE in_park OR NOT $1", in_park_only) or 0


class BranchRow(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    name: str
    kind: str
    established_on: date
    active: bool
    secretary_id: str | None
    deputy_secretary_id: str | None
    committee_member_ids: list[str]
    members: int
    full_members: int
    buildings: list[str]


def others_without_people(rows: list[BranchRow], own_branch: str | None) -> list[BranchRow]:
    """The rows as a secretary of `own_branch` reads them: every branch's name and size (the park's
    structure), but who leads another branch only on that branch's own rows."""
    return [r if r.branch_id == own_branch else msgspec.structs.replace(
        r, secretary_id=None, deputy_secretary_id=None, committee_member_ids=[]) for r in rows]


async def branches(db: Db, limit: int | None = None, offset: int = 0) -> list[BranchRow]:
    rows = await db.fetch(
        "SELECT b.branch_id, b.name, b.kind, b.established_on, b.active, b.secretary_id, b.deputy_secretary_id,"
        " b.committee_member_ids,"
        " (SELECT count(*) FROM org_members m WHERE m.in_park AND m.branch_id = b.branch_id) AS members,"
        " (SELECT count(*) FROM org_members m WHERE m.in_park AND m.status = 'full'"
        "   AND m.branch_id = b.branch_id) AS full_members,"
        " coalesce((SELECT array_agg(building_id ORDER BY building_id) FROM org_buildings"
        "   WHERE branch_id = b.branch_id), '{}') AS buildings"
        " FROM org_branches b ORDER BY b.branch_id LIMIT $1 OFFSET $2", limit, offset)
    return [BranchRow(**dict(r)) for r in rows]


async def count_branches(db: Db) -> int:
    return await db.fetchval("SELECT count(*) FROM org_branches") or 0


async def names(db: Db) -> dict[str, dict[str, str]]:
    """Display names by id: zones, buildings, enterprises (moved out too), branches, members."""
    out: dict[str, dict[str, str]] = {}
    for kind, sql in (("zone", "SELECT zone_id AS id, name FROM org_zones"),
                      ("building", "SELECT building_id AS id, name FROM org_buildings"),
                      ("enterprise", "SELECT enterprise_id AS id, name FROM org_enterprises"),
                      ("branch", "SELECT branch_id AS id, name FROM org_branches"),
                      ("member", "SELECT member_id AS id, name FROM org_members")):
        out[kind] = {r["id"]: r["name"] for r in await db.fetch(sql)}
    return out
