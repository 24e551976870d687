"""The general branch (党总支): exactly one per park; its committee elected by the branch rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.organization import GeneralBranchCommitteeElected, GeneralBranchEstablished
from redpark_organization.domain import general_branch as gb
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 15)
spec = DeciderSpec(gb.decider)

ESTABLISHED = GeneralBranchEstablished(general_branch_id="gb1", name="红色园区党总支", established_on=date(2024, 3, 1))
PARK_FULL = [f"m{i:02}" for i in range(1, 61)]


def establish(general_branch_id: str = "gb1", name: str = " 红色园区党总支 ") -> gb.EstablishGeneralBranch:
    return gb.EstablishGeneralBranch(general_branch_id=general_branch_id, name=name, now=NOW)


def elect(secretary: str = "m01", deputy: str | None = "m02", committee: list[str] | None = None,
          full: list[str] | None = None, on: date | None = None) -> gb.ElectGeneralBranchCommittee:
    return gb.ElectGeneralBranchCommittee(
        secretary_id=secretary, deputy_secretary_id=deputy,
        committee_member_ids=["m01", "m02", "m03", "m04", "m05"] if committee is None else committee,
        full_member_ids=PARK_FULL if full is None else full, now=NOW, effective_on=on)


def test_the_park_establishes_its_general_branch_dated_today_in_the_park() -> None:
    spec.given([]).when(establish()).then([GeneralBranchEstablished(
        general_branch_id="gb1", name="红色园区党总支", established_on=TODAY)])


def test_there_is_only_one_general_branch_per_park() -> None:
    spec.given([ESTABLISHED]).when(establish("gb2", "另一个党总支")).then_raises(
        DomainError, code="general_branch.already_established", field="general_branch_id")


def test_the_general_branch_needs_a_name() -> None:
    spec.given([]).when(establish(name="  ")).then_raises(InvalidCommand, code="general_branch.name_missing",
                                                          field="name")


def test_the_general_branch_elects_a_committee_with_a_three_year_term() -> None:
    spec.given([ESTABLISHED]).when(elect()).then([GeneralBranchCommitteeElected(
        general_branch_id="gb1", secretary_id="m01", deputy_secretary_id="m02",
        committee_member_ids=["m01", "m02", "m03", "m04", "m05"], elected_on=TODAY,
        term_ends_on=date(2028, 6, 15))])


def test_no_committee_is_elected_before_the_general_branch_exists() -> None:
    spec.given([]).when(elect()).then_raises(NotFound, code="general_branch.not_established")


def test_the_committee_is_of_full_members_whose_relationship_the_park_holds() -> None:
    spec.given([ESTABLISHED]).when(elect(committee=["m01", "m02", "m03", "m04", "x99"])).then_raises(
        DomainError, code="committee.not_full_member_of_branch", field="committee_member_ids")
    spec.given([ESTABLISHED]).when(elect(secretary="x99", committee=["x99", "m02", "m03"])).then_raises(
        DomainError, code="committee.not_full_member_of_branch", field="secretary_id")


def test_the_committee_has_three_to_seven_members_holding_the_officers() -> None:
    spec.given([ESTABLISHED]).when(elect(committee=["m01", "m02"])).then_raises(
        InvalidCommand, code="committee.size", field="committee_member_ids")
    spec.given([ESTABLISHED]).when(elect(committee=[f"m{i:02}" for i in range(1, 9)])).then_raises(
        InvalidCommand, code="committee.size", field="committee_member_ids")
    spec.given([ESTABLISHED]).when(elect(committee=["m03", "m04", "m05"])).then_raises(
        InvalidCommand, code="committee.officer_not_in_committee", field="committee_member_ids")
    spec.given([ESTABLISHED]).when(elect(secretary="m01", deputy="m01")).then_raises(
        InvalidCommand, code="committee.deputy_is_secretary", field="deputy_secretary_id")


def test_below_seven_full_members_only_a_secretary_is_elected() -> None:
    few = ["m01", "m02", "m03"]
    spec.given([ESTABLISHED]).when(elect(committee=[], full=few)).then([GeneralBranchCommitteeElected(
        general_branch_id="gb1", secretary_id="m01", deputy_secretary_id="m02", committee_member_ids=[],
        elected_on=TODAY, term_ends_on=date(2028, 6, 15))])
    spec.given([ESTABLISHED]).when(elect(committee=few, full=few)).then_raises(
        InvalidCommand, code="committee.not_allowed_below_seven", field="committee_member_ids")


def test_the_election_cannot_precede_the_general_branch() -> None:
    spec.given([ESTABLISHED]).when(elect(on=date(2024, 2, 1))).then_raises(
        InvalidCommand, code="committee.before_branch", field="effective_on")
