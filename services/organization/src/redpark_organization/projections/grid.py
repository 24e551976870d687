"""Progress of adopted grid plans (网格化方案落实情况): every item of a plan, done or not yet.

An item is done by the event that carries it out, after the plan was adopted:
- a branch to form: a branch established for (at least) its enterprises; the new branch's id then
  stands for the plan's `planned:<n>` ref in the other items;
- an enterprise to organize: it joined that branch;
- a building to give to a branch: the branch was assigned the building;
- a liaison instructor: one was assigned to the enterprise by that branch (null: the general branch).
An item stays done once carried out: it records the plan's execution, while coverage shows how
the park stands now. An item already true before the plan was adopted is not done by the plan.
"""

from __future__ import annotations

from datetime import date

import asyncpg

from redpark_contracts.organization import (
    BranchEstablished,
    BuildingAssigned,
    EnterpriseJoinedBranch,
    GridPlanAdopted,
    LiaisonInstructorAssigned,
    registry,
)
from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection

NAME = "org_grid"

# The item's target is the branch itself, or the planned ref this plan's formed branch stands for.
_FULFIL = (
    "UPDATE org_grid_plan_items i SET done = true, done_on = $3, fulfilled_by_branch_id = $4"
    " WHERE i.kind = $1 AND i.subject_id = $2 AND NOT i.done AND ({target})"
)
_TARGET_IS_BRANCH = (
    "i.target = $4 OR i.target IN (SELECT f.subject_id FROM org_grid_plan_items f WHERE f.plan_id = i.plan_id"
    " AND f.kind = 'branch_to_form' AND f.fulfilled_by_branch_id = $4)"
)


class GridProgressProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries = {"organization": registry}
    tables = ("org_grid_plans", "org_grid_plan_items")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case GridPlanAdopted():
                await self._adopted(conn, event)
            case BranchEstablished():
                await conn.execute(
                    "UPDATE org_grid_plan_items SET done = true, done_on = $2, fulfilled_by_branch_id = $1"
                    " WHERE kind = 'branch_to_form' AND NOT done AND cardinality(enterprise_ids) > 0"
                    " AND enterprise_ids <@ $3::text[]",
                    event.branch_id, event.established_on, event.enterprise_ids)
            case EnterpriseJoinedBranch():
                await self._fulfil(conn, "enterprise_attachment", event.enterprise_id, event.joined_on,
                                   event.branch_id)
            case BuildingAssigned():
                await self._fulfil(conn, "building_assignment", event.building_id, event.assigned_on, event.branch_id)
            case LiaisonInstructorAssigned():
                if event.sent_by_branch_id is None:
                    await conn.execute(_FULFIL.format(target="i.target IS NULL"), "liaison", event.enterprise_id,
                                       event.assigned_on, None)
                else:
                    await self._fulfil(conn, "liaison", event.enterprise_id, event.assigned_on,
                                       event.sent_by_branch_id)
            case _:
                pass

    @staticmethod
    async def _fulfil(conn: asyncpg.Connection, kind: str, subject_id: str, on: date, branch_id: str) -> None:
        await conn.execute(_FULFIL.format(target=_TARGET_IS_BRANCH), kind, subject_id, on, branch_id)

    @staticmethod
    async def _adopted(conn: asyncpg.Connection, event: GridPlanAdopted) -> None:
        inserted = await conn.fetchval(
            "INSERT INTO org_grid_plans (plan_id, adopted_by, adopted_at, amended) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT DO NOTHING RETURNING plan_id",
            event.plan_id, event.adopted_by, event.adopted_at, event.amended)
        if inserted is None:
            return
        plan = event.plan
        rows: list[tuple[str, str, str | None, list[str]]] = (
            [("branch_to_form", b.ref, None, list(b.enterprise_ids)) for b in plan.branches_to_form]
            + [("enterprise_attachment", a.enterprise_id, a.branch, []) for a in plan.enterprise_attachments]
            + [("building_assignment", a.building_id, a.branch, []) for a in plan.building_assignments]
            + [("liaison", li.enterprise_id, li.sent_by, []) for li in plan.liaisons])
        await conn.executemany(
            "INSERT INTO org_grid_plan_items (plan_id, item, kind, subject_id, target, enterprise_ids)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            [(event.plan_id, n, kind, subject, target, eids) for n, (kind, subject, target, eids) in enumerate(rows)])
