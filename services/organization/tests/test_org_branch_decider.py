"""Branches: formed for enterprises in the park with 3+ full members, committees by size, dissolution."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.organization import BranchCommitteeElected, BranchDissolved, BranchEstablished
from redpark_organization.domain import branch as br
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 15)
spec = DeciderSpec(br.decider)

ESTABLISHED = BranchEstablished(branch_id="br1", name="爱科技党支部", kind="enterprise", enterprise_ids=["e1"],
                                full_members_at_founding=8, established_on=date(2024, 5, 1))
SEVEN = [f"m{i}" for i in range(1, 8)]


def establish(kind: str = "enterprise", *enterprises: br.FoundingEnterprise) -> br.EstablishBranch:
    return br.EstablishBranch(branch_id="br1", name="爱科技党支部", kind=kind,  # type: ignore[arg-type]
                              enterprises=list(enterprises), now=NOW)


def fe(eid: str, full: int, in_park: bool = True) -> br.FoundingEnterprise:
    return br.FoundingEnterprise(enterprise_id=eid, in_park=in_park, full_members=full)


def test_an_enterprise_with_three_full_members_forms_its_own_branch() -> None:
    spec.given([]).when(establish("enterprise", fe("e1", 3))).then([BranchEstablished(
        branch_id="br1", name="爱科技党支部", kind="enterprise", enterprise_ids=["e1"], full_members_at_founding=3,
        established_on=TODAY)])


def test_an_enterprise_with_fewer_than_three_full_members_cannot_form_its_own_branch() -> None:
    spec.given([]).when(establish("enterprise", fe("e1", 2))).then_raises(
        DomainError, code="branch.too_few_full_members", field="enterprises")


def test_a_joint_branch_counts_the_full_members_of_all_its_enterprises() -> None:
    [event] = spec.given([]).when(establish("joint", fe("e1", 1), fe("e2", 2))).then([BranchEstablished(
        branch_id="br1", name="爱科技党支部", kind="joint", enterprise_ids=["e1", "e2"], full_members_at_founding=3,
        established_on=TODAY)])
    assert event.kind == "joint"
    spec.given([]).when(establish("joint", fe("e1", 1), fe("e2", 1))).then_raises(
        DomainError, code="branch.too_few_full_members")


def test_an_enterprise_already_in_a_branch_is_refused_before_any_other_rule() -> None:
    # Too few full members and an existing branch as well: the enterprise's branch is what is answered.
    organized = br.FoundingEnterprise(enterprise_id="e1", in_park=True, full_members=1, organized_in="br0")
    error = spec.given([]).when(establish("enterprise", organized)).then_raises(
        DomainError, code="enterprise.already_in_branch", field="enterprise_ids")
    assert isinstance(error, DomainError)
    assert (error.detail, error.detail_zh) == ("enterprise e1 is already organized in branch br0", "该企业已纳入其他支部")
    assert error.status == 409
    spec.given([BranchEstablished(branch_id="br1", name="x", kind="enterprise", enterprise_ids=["e9"],
                                  full_members_at_founding=3, established_on=TODAY)]).when(
        establish("enterprise", organized)).then_raises(DomainError, code="enterprise.already_in_branch")


def test_no_branch_is_formed_for_an_enterprise_that_has_left_the_park() -> None:
    spec.given([]).when(establish("enterprise", fe("e1", 5, in_park=False))).then_raises(
        DomainError, code="branch.enterprise_not_in_park", field="enterprises")
    spec.given([]).when(establish("joint", fe("e1", 5), fe("e2", 1, in_park=False))).then_raises(
        DomainError, code="branch.enterprise_not_in_park")


def test_an_enterprise_branch_is_for_exactly_one_enterprise() -> None:
    spec.given([]).when(establish("enterprise", fe("e1", 3), fe("e2", 3))).then_raises(
        InvalidCommand, code="branch.enterprise_branch_needs_one_enterprise")
    spec.given([]).when(establish("joint")).then_raises(InvalidCommand, code="branch.joint_branch_needs_enterprises")
    spec.given([]).when(establish("joint", fe("e1", 3), fe("e1", 3))).then_raises(
        InvalidCommand, code="branch.enterprise_listed_twice")


def test_a_branch_is_established_once() -> None:
    spec.given([ESTABLISHED]).when(establish("enterprise", fe("e1", 3))).then_raises(
        DomainError, code="branch.already_established")


def test_a_branch_with_seven_full_members_elects_a_committee_of_three_to_seven() -> None:
    cmd = br.ElectCommittee(branch_id="br1", secretary_id="m1", deputy_secretary_id="m2",
                            committee_member_ids=["m1", "m2", "m3"], full_member_ids=SEVEN, now=NOW)
    spec.given([ESTABLISHED]).when(cmd).then([BranchCommitteeElected(
        branch_id="br1", secretary_id="m1", deputy_secretary_id="m2", committee_member_ids=["m1", "m2", "m3"],
        elected_on=TODAY, term_ends_on=date(2028, 6, 15))])
    too_small = br.ElectCommittee(branch_id="br1", secretary_id="m1", committee_member_ids=["m1", "m2"],
                                  full_member_ids=SEVEN, now=NOW)
    spec.given([ESTABLISHED]).when(too_small).then_raises(InvalidCommand, code="committee.size")
    too_big = br.ElectCommittee(branch_id="br1", secretary_id="m1", committee_member_ids=[*SEVEN, "m8"],
                                full_member_ids=[*SEVEN, "m8"], now=NOW)
    spec.given([ESTABLISHED]).when(too_big).then_raises(InvalidCommand, code="committee.size")


def test_a_branch_below_seven_full_members_has_a_secretary_and_no_committee() -> None:
    five = SEVEN[:5]
    cmd = br.ElectCommittee(branch_id="br1", secretary_id="m1", full_member_ids=five, now=NOW)
    spec.given([ESTABLISHED]).when(cmd).then([BranchCommitteeElected(
        branch_id="br1", secretary_id="m1", deputy_secretary_id=None, committee_member_ids=[], elected_on=TODAY,
        term_ends_on=date(2028, 6, 15))])
    with_committee = br.ElectCommittee(branch_id="br1", secretary_id="m1", committee_member_ids=["m1", "m2", "m3"],
                                       full_member_ids=five, now=NOW)
    spec.given([ESTABLISHED]).when(with_committee).then_raises(InvalidCommand,
                                                               code="committee.not_allowed_below_seven")


def test_the_secretary_and_committee_are_full_members_of_the_branch() -> None:
    cmd = br.ElectCommittee(branch_id="br1", secretary_id="x9", full_member_ids=SEVEN[:4], now=NOW)
    spec.given([ESTABLISHED]).when(cmd).then_raises(DomainError, code="committee.not_full_member_of_branch",
                                                    field="secretary_id")
    cmd2 = br.ElectCommittee(branch_id="br1", secretary_id="m1", committee_member_ids=["m1", "m2", "x9"],
                             full_member_ids=SEVEN, now=NOW)
    spec.given([ESTABLISHED]).when(cmd2).then_raises(DomainError, code="committee.not_full_member_of_branch",
                                                     field="committee_member_ids")
    cmd3 = br.ElectCommittee(branch_id="br1", secretary_id="m1", committee_member_ids=["m2", "m3", "m4"],
                             full_member_ids=SEVEN, now=NOW)
    spec.given([ESTABLISHED]).when(cmd3).then_raises(InvalidCommand, code="committee.officer_not_in_committee")
    cmd4 = br.ElectCommittee(branch_id="br1", secretary_id="m1", deputy_secretary_id="m1", full_member_ids=SEVEN[:4],
                             now=NOW)
    spec.given([ESTABLISHED]).when(cmd4).then_raises(InvalidCommand, code="committee.deputy_is_secretary")


def test_no_election_for_an_unknown_branch() -> None:
    cmd = br.ElectCommittee(branch_id="br1", secretary_id="m1", full_member_ids=SEVEN, now=NOW)
    spec.given([]).when(cmd).then_raises(NotFound, code="branch.unknown")


def test_an_empty_branch_is_dissolved_and_then_accepts_nothing() -> None:
    cmd = br.DissolveBranch(branch_id="br1", reason="企业迁出", member_count=0, buildings_assigned=0,
                            enterprises_organized=0, now=NOW)
    dissolved = BranchDissolved(branch_id="br1", dissolved_on=TODAY, reason="企业迁出")
    spec.given([ESTABLISHED]).when(cmd).then([dissolved])
    spec.given([ESTABLISHED, dissolved]).when(cmd).then_raises(DomainError, code="branch.dissolved")
    elect = br.ElectCommittee(branch_id="br1", secretary_id="m1", full_member_ids=SEVEN, now=NOW)
    spec.given([ESTABLISHED, dissolved]).when(elect).then_raises(DomainError, code="branch.dissolved")


def test_a_branch_with_members_buildings_or_enterprises_is_not_dissolved() -> None:
    for left in ({"member_count": 2}, {"buildings_assigned": 1}, {"enterprises_organized": 1}):
        counts = {"member_count": 0, "buildings_assigned": 0, "enterprises_organized": 0, **left}
        cmd = br.DissolveBranch(branch_id="br1", reason="调整", now=NOW, **counts)
        spec.given([ESTABLISHED]).when(cmd).then_raises(DomainError, code="branch.not_empty")
