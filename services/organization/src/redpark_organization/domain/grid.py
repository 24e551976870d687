"""The grid proposal (网格化方案): from the census, which branches to form, which enterprises to
organize where, which branch answers for each building, and where instructors are missing.

The plan's rules (实施方案 三(二)2, and party_rules):
1. an enterprise with 3 or more full members forms its own branch;
2. an enterprise with fewer, in a building some branch already answers for, joins that branch;
3. the others are pooled by building; neighbouring buildings of a zone (in `sequence_in_zone`
   order) are joined until they have 3 full members, and form a joint branch; a remainder too
   small joins the zone's last joint group, else the nearest branch of the zone, else stays
   unresolved;
4. each building without a responsible branch gets the joint branch formed for it, else the
   strongest enterprise branch inside it, else the branch of the nearest building of its zone;
5. an enterprise with no members and no liaison instructor gets one from the branch of its
   building, else from the general branch;
6. every building whose branch has not yet sent a building instructor is listed.
Staff accept or change the plan (grid_plan); nothing here changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import msgspec

from redpark_contracts.organization import GridPlan, PlannedAssignment, PlannedAttachment, PlannedBranch, PlannedLiaison

from . import party_rules
from .census import BuildingFacts, CensusSnapshot, EnterpriseFacts

PLANNED_PREFIX = "planned:"

UnresolvedReason = Literal["too_few_full_members_nearby", "no_branch_in_zone"]


class Unresolved(msgspec.Struct, frozen=True, kw_only=True):
    kind: Literal["enterprise", "building"]
    id: str
    reason: UnresolvedReason


class GridProposal(msgspec.Struct, frozen=True, kw_only=True):
    plan: GridPlan
    unresolved: list[Unresolved]
    building_instructors_missing: list[str]


@dataclass
class _JointGroup:
    ref: str
    buildings: list[str] = field(default_factory=list)
    enterprises: list[EnterpriseFacts] = field(default_factory=list)

    @property
    def full_members(self) -> int:
        return sum(e.full_members for e in self.enterprises)


def _order(b: BuildingFacts) -> tuple[int, str]:
    return (b.sequence_in_zone, b.building_id)


def _nearest(target: BuildingFacts, candidates: list[BuildingFacts]) -> BuildingFacts | None:
    same_zone = [c for c in candidates if c.zone_id == target.zone_id and c.building_id != target.building_id]
    if not same_zone:
        return None
    return min(same_zone, key=lambda c: (abs(c.sequence_in_zone - target.sequence_in_zone), *_order(c)))


def propose_grid(snapshot: CensusSnapshot) -> GridProposal:
    active = {b.branch_id for b in snapshot.branches}
    kinds = {b.branch_id: b.kind for b in snapshot.branches}
    buildings = {b.building_id: b for b in snapshot.buildings}
    for e in snapshot.enterprises:
        # An enterprise in a building the snapshot does not list still gets a place in the plan.
        buildings.setdefault(e.building_id, BuildingFacts(building_id=e.building_id, zone_id="", sequence_in_zone=0))
    responsible = {bid: b.responsible_branch_id for bid, b in buildings.items()
                   if b.responsible_branch_id is not None and b.responsible_branch_id in active}
    enterprises = sorted(snapshot.enterprises, key=lambda e: e.enterprise_id)
    unorganized = [e for e in enterprises if e.branch_id not in active]

    next_ref = iter(range(1, 1_000_000))
    branches: list[PlannedBranch] = []
    attachments: list[PlannedAttachment] = []
    unresolved: list[Unresolved] = []
    # building -> (full members, branch) of enterprise branches inside it, existing or planned
    own_branches: dict[str, list[tuple[int, str]]] = {}
    for e in enterprises:
        if e.branch_id in active and kinds[e.branch_id] == "enterprise":
            own_branches.setdefault(e.building_id, []).append((e.full_members, e.branch_id))

    # 1. enterprises strong enough to stand alone
    for e in unorganized:
        if e.full_members >= party_rules.FULL_MEMBERS_FOR_BRANCH:
            ref = f"{PLANNED_PREFIX}{next(next_ref)}"
            branches.append(PlannedBranch(ref=ref, kind="enterprise", enterprise_ids=[e.enterprise_id],
                                          building_ids=[], full_members=e.full_members))
            attachments.append(PlannedAttachment(enterprise_id=e.enterprise_id, branch=ref))
            own_branches.setdefault(e.building_id, []).append((e.full_members, ref))

    # 2. small ones join the branch already answering for their building; 3. the rest are pooled
    pooled: dict[str, list[EnterpriseFacts]] = {}
    for e in unorganized:
        if e.full_members >= party_rules.FULL_MEMBERS_FOR_BRANCH or e.members == 0:
            continue
        if e.building_id in responsible:
            attachments.append(PlannedAttachment(enterprise_id=e.enterprise_id, branch=responsible[e.building_id]))
        else:
            pooled.setdefault(e.building_id, []).append(e)

    groups: list[_JointGroup] = []
    for zone_id in sorted({b.zone_id for b in buildings.values()}):
        zone_buildings = sorted((b for b in buildings.values() if b.zone_id == zone_id and b.building_id in pooled),
                                key=_order)
        zone_groups: list[_JointGroup] = []
        current = _JointGroup(ref="")
        for b in zone_buildings:
            current.buildings.append(b.building_id)
            current.enterprises.extend(pooled[b.building_id])
            if current.full_members >= party_rules.FULL_MEMBERS_FOR_BRANCH:
                current.ref = f"{PLANNED_PREFIX}{next(next_ref)}"
                zone_groups.append(current)
                current = _JointGroup(ref="")
        if current.buildings:
            if zone_groups:
                zone_groups[-1].buildings.extend(current.buildings)
                zone_groups[-1].enterprises.extend(current.enterprises)
            else:
                anchors = [buildings[bid] for bid in responsible]
                near = _nearest(buildings[current.buildings[0]], anchors)
                for e in current.enterprises:
                    if near is not None:
                        attachments.append(PlannedAttachment(enterprise_id=e.enterprise_id,
                                                             branch=responsible[near.building_id]))
                    else:
                        unresolved.append(Unresolved(kind="enterprise", id=e.enterprise_id,
                                                     reason="too_few_full_members_nearby"))
        groups.extend(zone_groups)

    planned_for_building: dict[str, str] = {}
    for g in groups:
        branches.append(PlannedBranch(ref=g.ref, kind="joint", enterprise_ids=[e.enterprise_id for e in g.enterprises],
                                      building_ids=list(g.buildings), full_members=g.full_members))
        attachments.extend(PlannedAttachment(enterprise_id=e.enterprise_id, branch=g.ref) for e in g.enterprises)
        for bid in g.buildings:
            planned_for_building[bid] = g.ref

    # 4. a responsible branch for every building
    final = dict(responsible)
    for bid, ref in planned_for_building.items():
        final.setdefault(bid, ref)
    for bid in sorted(buildings):
        if bid not in final and own_branches.get(bid):
            final[bid] = max(own_branches[bid], key=lambda fb: (fb[0], fb[1]))[1]
    anchored = [buildings[bid] for bid in final]
    for b in sorted(buildings.values(), key=lambda b: (b.zone_id, *_order(b))):
        if b.building_id in final:
            continue
        near = _nearest(b, anchored)
        if near is None:
            unresolved.append(Unresolved(kind="building", id=b.building_id, reason="no_branch_in_zone"))
        else:
            final[b.building_id] = final[near.building_id]
    assignments = [PlannedAssignment(building_id=bid, branch=final[bid]) for bid in sorted(final)
                   if bid not in responsible]

    # 5. liaison instructors for enterprises with no members
    liaisons = [PlannedLiaison(enterprise_id=e.enterprise_id, sent_by=final.get(e.building_id))
                for e in unorganized if e.members == 0 and e.liaison_instructor_id is None]

    # 6. buildings still waiting for a building instructor
    missing = [bid for bid in sorted(final) if not (bid in responsible and buildings[bid].has_instructor)]

    return GridProposal(
        plan=GridPlan(branches_to_form=branches, enterprise_attachments=attachments,
                      building_assignments=assignments, liaisons=liaisons),
        unresolved=unresolved,
        building_instructors_missing=missing,
    )
