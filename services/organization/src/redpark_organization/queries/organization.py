"""Reads of the read models: the census snapshot, counts the commands need, and the lists the
API returns. Read models are written only by the projections."""

from __future__ import annotations

import json
from datetime import date, datetime

import asyncpg
import msgspec

from ..domain.census import BranchFacts, BuildingFacts, CensusSnapshot, EnterpriseFacts, ZoneFacts
from ..domain.development import PipelineEntry
from ..domain.dues import DuesAccount, Rate, arrears

Db = asyncpg.Pool | asyncpg.Connection

# A member counts towards the park's organization when the park holds the relationship.
_COUNTED = "m.in_park AND m.relationship = 'in_park'"


async def enterprise_member_count(db: Db, enterprise_id: str) -> int:
    """Members working for the enterprise, wherever their relationship is held."""
    return await db.fetchval(
        "SELECT count(*) FROM org_members m WHERE m.in_park AND m.enterprise_id = $1", enterprise_id) or 0


async def enterprise_full_members(db: Db, enterprise_id: str) -> int:
    return await db.fetchval(
        f"SELECT count(*) FROM org_members m WHERE {_COUNTED} AND m.status = 'full' AND m.enterprise_id = $1",
        enterprise_id) or 0


async def branch_full_member_ids(db: Db, branch_id: str) -> list[str]:
    rows = await db.fetch(
        "SELECT member_id FROM org_members m WHERE m.in_park AND m.status = 'full' AND m.branch_id = $1"
        " ORDER BY member_id", branch_id)
    return [r["member_id"] for r in rows]


async def park_full_member_ids(db: Db) -> list[str]:
    """The general branch's full members: every full member whose relationship the park holds."""
    rows = await db.fetch(f"SELECT member_id FROM org_members m WHERE {_COUNTED} AND m.status = 'full'"
                          " ORDER BY member_id")
    return [r["member_id"] for r in rows]


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
        f" count(*) FILTER (WHERE {_COUNTED} AND m.status = 'full') AS full_members,"
        f" count(*) FILTER (WHERE {_COUNTED} AND m.status = 'probationary') AS probationary_members,"
        " count(*) FILTER (WHERE m.in_park AND m.relationship = 'elsewhere') AS members_elsewhere"
        " FROM org_enterprises e LEFT JOIN org_members m ON m.enterprise_id = e.enterprise_id"
        " WHERE e.in_park GROUP BY e.enterprise_id ORDER BY e.enterprise_id")
    enterprises = [EnterpriseFacts(enterprise_id=r["enterprise_id"], building_id=r["building_id"],
                                   full_members=r["full_members"], probationary_members=r["probationary_members"],
                                   members_elsewhere=r["members_elsewhere"], branch_id=r["branch_id"],
                                   liaison_instructor_id=r["liaison_instructor_id"]) for r in rows]
    unattached = await db.fetchrow(
        f"SELECT count(*) FILTER (WHERE {_COUNTED} AND m.status = 'full') AS full,"
        f" count(*) FILTER (WHERE {_COUNTED} AND m.status = 'probationary') AS probationary,"
        " count(*) FILTER (WHERE m.relationship = 'elsewhere') AS elsewhere"
        " FROM org_members m WHERE m.in_park AND (m.enterprise_id IS NULL OR NOT EXISTS"
        " (SELECT 1 FROM org_enterprises e WHERE e.enterprise_id = m.enterprise_id AND e.in_park))")
    return CensusSnapshot(zones=zones, buildings=buildings, enterprises=enterprises, branches=branches,
                          unattached_full_members=unattached["full"],
                          unattached_probationary_members=unattached["probationary"],
                          unattached_members_elsewhere=unattached["elsewhere"])


# --- lists -----------------------------------------------------------------------------------


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


async def transfers(db: Db, member_id: str, limit: int | None = None, offset: int = 0) -> list[TransferRow]:
    rows = await db.fetch("SELECT member_id, direction, organization, transferred_on FROM org_transfers"
                          " WHERE member_id = $1 ORDER BY position LIMIT $2 OFFSET $3", member_id, limit, offset)
    return [TransferRow(**dict(r)) for r in rows]


async def count_transfers(db: Db, member_id: str) -> int:
    return await db.fetchval("SELECT count(*) FROM org_transfers WHERE member_id = $1", member_id) or 0


class MemberArrears(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    months: list[str]
    amount_fen: int


class BranchArrears(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str | None
    members_in_arrears: int
    amount_fen: int
    members: list[MemberArrears]


async def dues_arrears(db: Db, through_month: str, branch_id: str | None = None) -> list[BranchArrears]:
    rates = await db.fetch("SELECT member_id, effective_from, monthly_amount_fen FROM org_dues_rates"
                           " ORDER BY member_id, effective_from")
    paid = await db.fetch("SELECT member_id, month, amount_fen FROM org_dues_paid")
    people = await db.fetch("SELECT member_id, branch_id FROM org_dues_members WHERE in_park"
                            " AND ($1::text IS NULL OR branch_id = $1)", branch_id)
    rates_of: dict[str, list[Rate]] = {}
    for r in rates:
        rates_of.setdefault(r["member_id"], []).append(Rate(r["effective_from"], r["monthly_amount_fen"]))
    paid_of: dict[str, list[tuple[str, int]]] = {}
    for p in paid:
        paid_of.setdefault(p["member_id"], []).append((p["month"], p["amount_fen"]))
    per_branch: dict[str | None, list[MemberArrears]] = {}
    for person in people:
        account = DuesAccount(rates=tuple(rates_of.get(person["member_id"], ())),
                              paid=tuple(paid_of.get(person["member_id"], ())))
        owed = arrears(account, through_month)
        per_branch.setdefault(person["branch_id"], [])
        if owed.months:
            per_branch[person["branch_id"]].append(
                MemberArrears(member_id=person["member_id"], months=owed.months, amount_fen=owed.amount_fen))
    return [BranchArrears(branch_id=b, members_in_arrears=len(ms), amount_fen=sum(m.amount_fen for m in ms),
                          members=sorted(ms, key=lambda m: m.member_id))
            for b, ms in sorted(per_branch.items(), key=lambda kv: kv[0] or "")]


class BranchArrearsTotal(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str | None
    members_in_arrears: int
    amount_fen: int


class ArrearsLine(msgspec.Struct, frozen=True, kw_only=True):
    """A member in arrears, with the branch the member is in (None: not yet in a branch)."""

    branch_id: str | None
    member_id: str
    months: list[str]
    amount_fen: int


def arrears_lines(per_branch: list[BranchArrears]) -> tuple[list[BranchArrearsTotal], list[ArrearsLine]]:
    """The branches' totals and one line per member in arrears, by branch then member."""
    totals = [BranchArrearsTotal(branch_id=b.branch_id, members_in_arrears=b.members_in_arrears,
                                 amount_fen=b.amount_fen) for b in per_branch]
    lines = [ArrearsLine(branch_id=b.branch_id, member_id=m.member_id, months=m.months, amount_fen=m.amount_fen)
             for b in per_branch for m in b.members]
    return totals, lines


class PipelineRow(msgspec.Struct, frozen=True, kw_only=True):
    person_id: str
    name: str
    enterprise_id: str | None
    priority_groups: list[str]
    stage: str
    reached: dict[str, date]


async def pipeline(db: Db) -> list[PipelineRow]:
    rows = await db.fetch("SELECT person_id, name, enterprise_id, priority_groups, stage, reached::text AS reached"
                          " FROM org_development ORDER BY person_id")
    return [PipelineRow(person_id=r["person_id"], name=r["name"], enterprise_id=r["enterprise_id"],
                        priority_groups=list(r["priority_groups"]), stage=r["stage"],
                        reached={k: date.fromisoformat(v) for k, v in json.loads(r["reached"]).items()})
            for r in rows]


def as_pipeline_entries(rows: list[PipelineRow]) -> list[PipelineEntry]:
    return [msgspec.convert({"person_id": r.person_id, "stage": r.stage, "reached": r.reached,
                             "priority_groups": r.priority_groups}, PipelineEntry)
            for r in rows]


async def quota(db: Db, year: int) -> int | None:
    value: int | None = await db.fetchval("SELECT quota FROM org_development_quotas WHERE year = $1", year)
    return value


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


# --- names for the exported ledgers ----------------------------------------------------------


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
