"""Adopting a grid plan: staff accept the proposal as it is or amended.

One stream per plan (`grid-<plan_id>`). The plan is checked for consistency on its own (no
building given twice, no enterprise listed twice, references to planned branches that exist,
planned branches that meet the 3-full-member rule). Carrying it out is the application layer's
job, one command per item on the owning streams, where each rule is checked again against the
ledger as it then stands.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import msgspec

from redpark_contracts.organization import GridPlan, GridPlanAdopted
from redpark_platform.decider import Decider, InvalidCommand

from . import party_rules
from .errors import ERRORS
from .grid import PLANNED_PREFIX


def stream_id(plan_id: str) -> str:
    return f"grid-{plan_id}"


class AdoptGridPlan(msgspec.Struct, frozen=True, kw_only=True):
    plan_id: str
    proposed: GridPlan
    plan: GridPlan
    adopted_by: str
    now: datetime


class GridPlanState(msgspec.Struct, frozen=True, kw_only=True):
    adopted: bool = False


def _twice(values: list[str]) -> list[str]:
    return sorted(v for v, n in Counter(values).items() if n > 1)


def _check(plan: GridPlan) -> None:
    refs = [b.ref for b in plan.branches_to_form]
    if _twice(refs) or any(not r.startswith(PLANNED_PREFIX) for r in refs):
        raise ERRORS.error("grid.planned_branch_ref_invalid", field="plan.branches_to_form",
                           PLANNED_PREFIX=PLANNED_PREFIX)
    for b in plan.branches_to_form:
        if b.kind == "enterprise" and len(b.enterprise_ids) != 1:
            raise ERRORS.error("grid.enterprise_branch_needs_one_enterprise", field="plan.branches_to_form", ref=b.ref)
        if b.full_members < party_rules.FULL_MEMBERS_FOR_BRANCH:
            raise ERRORS.error("grid.too_few_full_members", field="plan.branches_to_form", ref=b.ref,
                               FULL_MEMBERS_FOR_BRANCH=party_rules.FULL_MEMBERS_FOR_BRANCH)
    twice = _twice([a.building_id for a in plan.building_assignments])
    if twice:
        raise ERRORS.error("grid.building_given_twice", field="plan.building_assignments", value=', '.join(twice))
    twice = _twice([a.enterprise_id for a in plan.enterprise_attachments] + [li.enterprise_id for li in plan.liaisons])
    if twice:
        raise ERRORS.error("grid.enterprise_listed_twice", field="plan.enterprise_attachments", value=', '.join(twice))
    known = set(refs)
    used = ([a.branch for a in plan.enterprise_attachments] + [a.branch for a in plan.building_assignments]
            + [li.sent_by for li in plan.liaisons if li.sent_by is not None])
    unknown = sorted({r for r in used if r.startswith(PLANNED_PREFIX) and r not in known})
    if unknown:
        raise ERRORS.error("grid.unknown_planned_branch", field="plan", value=', '.join(unknown))


def decide(command: AdoptGridPlan, state: GridPlanState) -> list[GridPlanAdopted]:
    if state.adopted:
        raise ERRORS.error("grid.plan_already_adopted", field="plan_id", plan_id=command.plan_id)
    if command.now.tzinfo is None:
        raise InvalidCommand("time.naive", "`now` must carry a time zone", detail_zh="时间必须带时区", field="now")
    _check(command.plan)
    return [GridPlanAdopted(plan_id=command.plan_id, plan=command.plan, amended=command.plan != command.proposed,
                            adopted_by=command.adopted_by, adopted_at=command.now.astimezone(UTC))]


def evolve(state: GridPlanState, event: GridPlanAdopted) -> GridPlanState:
    return GridPlanState(adopted=True)


decider: Decider[AdoptGridPlan, GridPlanState, GridPlanAdopted] = Decider(
    initial=GridPlanState(), decide=decide, evolve=evolve)
