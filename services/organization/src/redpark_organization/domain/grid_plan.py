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
from redpark_platform.decider import Decider, DomainError, InvalidCommand

from . import party_rules
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
        raise InvalidCommand("grid.planned_branch_ref_invalid",
                             f"planned branches need distinct refs starting with {PLANNED_PREFIX!r}",
                             detail_zh="拟建支部编号须唯一", field="plan.branches_to_form")
    for b in plan.branches_to_form:
        if b.kind == "enterprise" and len(b.enterprise_ids) != 1:
            raise InvalidCommand("grid.enterprise_branch_needs_one_enterprise",
                                 f"{b.ref}: an enterprise branch is formed for exactly one enterprise",
                                 detail_zh="独立支部只对应一家企业", field="plan.branches_to_form")
        if b.full_members < party_rules.FULL_MEMBERS_FOR_BRANCH:
            raise DomainError("grid.too_few_full_members",
                              f"{b.ref}: a branch needs at least {party_rules.FULL_MEMBERS_FOR_BRANCH} full members",
                              detail_zh="正式党员3人以上方可成立党支部", field="plan.branches_to_form")
    twice = _twice([a.building_id for a in plan.building_assignments])
    if twice:
        raise DomainError("grid.building_given_twice", f"building(s) {', '.join(twice)} given to more than one branch",
                          detail_zh="一栋楼只能由一个支部分包", field="plan.building_assignments")
    twice = _twice([a.enterprise_id for a in plan.enterprise_attachments] + [li.enterprise_id for li in plan.liaisons])
    if twice:
        raise DomainError("grid.enterprise_listed_twice",
                          f"enterprise(s) {', '.join(twice)} are organized or covered twice",
                          detail_zh="一家企业只能纳入一个支部或由一名指导员联系", field="plan.enterprise_attachments")
    known = set(refs)
    used = ([a.branch for a in plan.enterprise_attachments] + [a.branch for a in plan.building_assignments]
            + [li.sent_by for li in plan.liaisons if li.sent_by is not None])
    unknown = sorted({r for r in used if r.startswith(PLANNED_PREFIX) and r not in known})
    if unknown:
        raise InvalidCommand("grid.unknown_planned_branch", f"{', '.join(unknown)} are not among the planned branches",
                             detail_zh="引用了不存在的拟建支部", field="plan")


def decide(command: AdoptGridPlan, state: GridPlanState) -> list[GridPlanAdopted]:
    if state.adopted:
        raise DomainError("grid.plan_already_adopted", f"plan {command.plan_id} is already adopted",
                          detail_zh="该网格方案已通过", field="plan_id")
    if command.now.tzinfo is None:
        raise InvalidCommand("time.naive", "`now` must carry a time zone", detail_zh="时间必须带时区", field="now")
    _check(command.plan)
    return [GridPlanAdopted(plan_id=command.plan_id, plan=command.plan, amended=command.plan != command.proposed,
                            adopted_by=command.adopted_by, adopted_at=command.now.astimezone(UTC))]


def evolve(state: GridPlanState, event: GridPlanAdopted) -> GridPlanState:
    return GridPlanState(adopted=True)


decider: Decider[AdoptGridPlan, GridPlanState, GridPlanAdopted] = Decider(
    initial=GridPlanState(), decide=decide, evolve=evolve)
