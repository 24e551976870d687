"""The grid proposal from the census, and staff adopting it as proposed or amended."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from redpark_contracts.organization import (
    GridPlan,
    GridPlanAdopted,
    PlannedAssignment,
    PlannedAttachment,
    PlannedBranch,
    PlannedLiaison,
)
from redpark_organization.domain import grid_plan
from redpark_organization.domain.census import (
    BranchFacts,
    BuildingFacts,
    CensusSnapshot,
    EnterpriseFacts,
    ZoneFacts,
    classify,
)
from redpark_organization.domain.grid import Unresolved, propose_grid
from redpark_platform.decider import DomainError, InvalidCommand
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)


def b(bid: str, zone: str, seq: int, branch: str | None = None, instructor: bool = False) -> BuildingFacts:
    return BuildingFacts(building_id=bid, zone_id=zone, sequence_in_zone=seq, responsible_branch_id=branch,
                         has_instructor=instructor)


def e(eid: str, bid: str, full: int = 0, prob: int = 0, branch: str | None = None,
      liaison: str | None = None) -> EnterpriseFacts:
    return EnterpriseFacts(enterprise_id=eid, building_id=bid, full_members=full, probationary_members=prob,
                           branch_id=branch, liaison_instructor_id=liaison)


PARK = CensusSnapshot(
    zones=[ZoneFacts(zone_id="A"), ZoneFacts(zone_id="B")],
    buildings=[b("a1", "A", 1), b("a2", "A", 2), b("a3", "A", 3), b("a4", "A", 4), b("b1", "B", 1)],
    enterprises=[e("e_big", "a1", full=5), e("e_s1", "a2", full=1, prob=1), e("e_s2", "a3", full=2),
                 e("e_none", "a4"), e("e_b", "b1", full=1)],
)


def test_enterprises_are_classified_by_whether_they_can_form_their_own_branch() -> None:
    assert classify(e("x", "a1", full=3)) == "can_form_own_branch"
    assert classify(e("x", "a1", full=2, prob=4)) == "joins_joint_branch"
    assert classify(e("x", "a1")) == "no_members"


def test_an_enterprise_with_three_full_members_is_proposed_its_own_branch() -> None:
    proposal = propose_grid(PARK)
    assert proposal.plan.branches_to_form[0] == PlannedBranch(
        ref="planned:1", kind="enterprise", enterprise_ids=["e_big"], building_ids=[], full_members=5)
    assert PlannedAttachment(enterprise_id="e_big", branch="planned:1") in proposal.plan.enterprise_attachments


def test_neighbouring_buildings_with_few_members_are_joined_into_one_branch() -> None:
    proposal = propose_grid(PARK)
    joint = [br for br in proposal.plan.branches_to_form if br.kind == "joint"]
    assert joint == [PlannedBranch(ref="planned:2", kind="joint", enterprise_ids=["e_s1", "e_s2"],
                                   building_ids=["a2", "a3"], full_members=3)]
    assert PlannedAssignment(building_id="a2", branch="planned:2") in proposal.plan.building_assignments
    assert PlannedAssignment(building_id="a3", branch="planned:2") in proposal.plan.building_assignments


def test_every_building_gets_exactly_one_responsible_branch_where_the_zone_has_one() -> None:
    proposal = propose_grid(PARK)
    assert proposal.plan.building_assignments == [
        PlannedAssignment(building_id="a1", branch="planned:1"),  # the enterprise branch inside it
        PlannedAssignment(building_id="a2", branch="planned:2"),
        PlannedAssignment(building_id="a3", branch="planned:2"),
        PlannedAssignment(building_id="a4", branch="planned:2"),  # nearest neighbour in zone A
    ]


def test_an_enterprise_without_members_gets_a_liaison_from_its_buildings_branch() -> None:
    proposal = propose_grid(PARK)
    assert proposal.plan.liaisons == [PlannedLiaison(enterprise_id="e_none", sent_by="planned:2")]


def test_what_cannot_be_organized_is_reported_with_its_reason() -> None:
    proposal = propose_grid(PARK)
    assert proposal.unresolved == [
        Unresolved(kind="enterprise", id="e_b", reason="too_few_full_members_nearby"),
        Unresolved(kind="building", id="b1", reason="no_branch_in_zone"),
    ]


def test_buildings_whose_branch_has_sent_no_instructor_are_listed() -> None:
    assert propose_grid(PARK).building_instructors_missing == ["a1", "a2", "a3", "a4"]
    park = CensusSnapshot(buildings=[b("a1", "A", 1, branch="br1", instructor=True), b("a2", "A", 2, branch="br1")],
                          branches=[BranchFacts(branch_id="br1", kind="joint")])
    assert propose_grid(park).building_instructors_missing == ["a2"]


def test_a_small_enterprise_joins_the_branch_already_answering_for_its_building() -> None:
    park = CensusSnapshot(
        buildings=[b("a1", "A", 1, branch="br1")], branches=[BranchFacts(branch_id="br1", kind="joint")],
        enterprises=[e("e1", "a1", full=1), e("e0", "a1", full=4, branch="br1")],
    )
    proposal = propose_grid(park)
    assert proposal.plan.enterprise_attachments == [PlannedAttachment(enterprise_id="e1", branch="br1")]
    assert proposal.plan.branches_to_form == [] and proposal.plan.building_assignments == []


def test_a_small_remainder_joins_the_last_joint_group_of_its_zone() -> None:
    park = CensusSnapshot(
        buildings=[b("a1", "A", 1), b("a2", "A", 2), b("a3", "A", 3)],
        enterprises=[e("e1", "a1", full=2), e("e2", "a2", full=1), e("e3", "a3", full=1)],
    )
    [joint] = propose_grid(park).plan.branches_to_form
    assert joint.building_ids == ["a1", "a2", "a3"]
    assert joint.enterprise_ids == ["e1", "e2", "e3"] and joint.full_members == 4


def test_a_small_remainder_without_a_group_joins_the_nearest_branch_of_its_zone() -> None:
    park = CensusSnapshot(
        buildings=[b("a1", "A", 1, branch="br1"), b("a5", "A", 5, branch="br2"), b("a4", "A", 4)],
        branches=[BranchFacts(branch_id="br1", kind="joint"), BranchFacts(branch_id="br2", kind="joint")],
        enterprises=[e("e4", "a4", full=1)],
    )
    proposal = propose_grid(park)
    assert proposal.plan.enterprise_attachments == [PlannedAttachment(enterprise_id="e4", branch="br2")]
    assert proposal.plan.building_assignments == [PlannedAssignment(building_id="a4", branch="br2")]


def test_organized_enterprises_are_left_alone_but_a_dissolved_branch_organizes_nobody() -> None:
    park = CensusSnapshot(
        buildings=[b("a1", "A", 1, branch="br1", instructor=True)],
        branches=[BranchFacts(branch_id="br1", kind="enterprise")],
        enterprises=[e("e1", "a1", full=4, branch="br1"), e("e2", "a1", full=3, branch="gone")],
    )
    proposal = propose_grid(park)
    assert [br.enterprise_ids for br in proposal.plan.branches_to_form] == [["e2"]]
    assert proposal.building_instructors_missing == []


# --- adopting the plan -------------------------------------------------------------------------

spec = DeciderSpec(grid_plan.decider)
PROPOSED = propose_grid(PARK).plan


def adopt(plan: GridPlan) -> grid_plan.AdoptGridPlan:
    return grid_plan.AdoptGridPlan(plan_id="g1", proposed=PROPOSED, plan=plan, adopted_by="admin", now=NOW)


def test_staff_adopt_the_proposal_as_it_is() -> None:
    spec.given([]).when(adopt(PROPOSED)).then([GridPlanAdopted(plan_id="g1", plan=PROPOSED, amended=False,
                                                               adopted_by="admin", adopted_at=NOW)])


def test_staff_may_amend_the_proposal_and_the_amendment_is_recorded() -> None:
    amended = msgspec.structs.replace(PROPOSED, liaisons=[PlannedLiaison(enterprise_id="e_none", sent_by=None)])
    [event] = spec.given([]).when(adopt(amended)).then([GridPlanAdopted(
        plan_id="g1", plan=amended, amended=True, adopted_by="admin", adopted_at=NOW)])
    assert event.amended


def test_an_amended_plan_cannot_give_a_building_to_two_branches() -> None:
    twice = msgspec.structs.replace(PROPOSED, building_assignments=[
        *PROPOSED.building_assignments, PlannedAssignment(building_id="a1", branch="planned:2")])
    spec.given([]).when(adopt(twice)).then_raises(DomainError, code="grid.building_given_twice")


def test_an_amended_plan_cannot_organize_an_enterprise_twice() -> None:
    twice = msgspec.structs.replace(PROPOSED, liaisons=[
        *PROPOSED.liaisons, PlannedLiaison(enterprise_id="e_big", sent_by=None)])
    spec.given([]).when(adopt(twice)).then_raises(DomainError, code="grid.enterprise_listed_twice")


def test_an_amended_plan_refers_only_to_planned_branches_it_forms() -> None:
    dangling = msgspec.structs.replace(PROPOSED, liaisons=[PlannedLiaison(enterprise_id="e_none",
                                                                          sent_by="planned:9")])
    spec.given([]).when(adopt(dangling)).then_raises(InvalidCommand, code="grid.unknown_planned_branch")


def test_an_amended_plan_keeps_the_three_full_member_rule() -> None:
    weak = GridPlan(branches_to_form=[PlannedBranch(ref="planned:1", kind="joint", enterprise_ids=["e_b"],
                                                    building_ids=["b1"], full_members=1)])
    spec.given([]).when(adopt(weak)).then_raises(DomainError, code="grid.too_few_full_members")


def test_a_plan_is_adopted_once() -> None:
    adopted = GridPlanAdopted(plan_id="g1", plan=PROPOSED, amended=False, adopted_by="admin", adopted_at=NOW)
    spec.given([adopted]).when(adopt(PROPOSED)).then_raises(DomainError, code="grid.plan_already_adopted")
