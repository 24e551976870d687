"""Members: census registration, transfers in and out, one branch at a time, probationary → full."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.organization import (
    MemberEnterpriseChanged,
    MemberJoinedBranch,
    MemberLeftBranch,
    MemberRegistered,
    MemberStatusChanged,
    MemberTransferredIn,
    MemberTransferredOut,
)
from redpark_organization.domain import member as mem
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 15)
spec = DeciderSpec(mem.decider)

REGISTERED = MemberRegistered(member_id="m1", name="王五", enterprise_id="e1", status="full",
                              joined_party_on=date(2010, 7, 1), relationship="in_park", relationship_held_by="",
                              phone="13800000000", id_number="11010519491231002X", registered_on=date(2025, 1, 5))
ELSEWHERE = MemberRegistered(member_id="m1", name="王五", enterprise_id="e1", status="full",
                             joined_party_on=date(2010, 7, 1), relationship="elsewhere",
                             relationship_held_by="某大学党委", phone="13800000000",
                             id_number="11010519491231002X", registered_on=date(2025, 1, 5))
PROBATIONARY = MemberRegistered(member_id="m1", name="王五", enterprise_id="e1", status="probationary",
                                joined_party_on=date(2024, 7, 1), relationship="in_park", relationship_held_by="",
                                phone="13800000000", id_number="11010519491231002X", registered_on=date(2025, 1, 5))
IN_BR1 = MemberJoinedBranch(member_id="m1", branch_id="br1", joined_on=date(2025, 1, 6))


def register(**kw: object) -> mem.RegisterMember:
    base: dict[str, object] = dict(member_id="m1", name="王五", enterprise_id="e1", enterprise_in_park=True,
                                   status="full", joined_party_on=date(2010, 7, 1), relationship="elsewhere",
                                   relationship_held_by="某大学党委", phone="13800000000",
                                   id_number="11010519491231002x", now=NOW)
    base.update(kw)
    return mem.RegisterMember(**base)  # type: ignore[arg-type]


def test_a_member_whose_relationship_is_held_elsewhere_is_registered_in_the_census() -> None:
    spec.given([]).when(register()).then([MemberRegistered(
        member_id="m1", name="王五", enterprise_id="e1", status="full", joined_party_on=date(2010, 7, 1),
        relationship="elsewhere", relationship_held_by="某大学党委", phone="13800000000",
        id_number="11010519491231002X", registered_on=TODAY)])


def test_registration_needs_the_holder_of_a_relationship_held_elsewhere() -> None:
    spec.given([]).when(register(relationship_held_by=" ")).then_raises(
        InvalidCommand, code="member.relationship_holder_missing", field="relationship_held_by")


def test_a_malformed_id_number_is_refused_without_echoing_it() -> None:
    exc = spec.given([]).when(register(id_number="12345")).then_raises(
        InvalidCommand, code="member.id_number_malformed", field="id_number")
    assert "12345" not in str(exc)


def test_a_member_of_an_enterprise_not_in_the_park_is_refused() -> None:
    spec.given([]).when(register(enterprise_in_park=False)).then_raises(DomainError, code="enterprise.not_in_park")


def test_a_member_is_registered_once() -> None:
    spec.given([REGISTERED]).when(register()).then_raises(DomainError, code="member.already_registered")


def test_a_relationship_held_elsewhere_is_transferred_in_and_recorded() -> None:
    cmd = mem.TransferIn(member_id="m1", from_organization="某大学党委", now=NOW)
    spec.given([ELSEWHERE]).when(cmd).then([MemberTransferredIn(member_id="m1", from_organization="某大学党委",
                                                                transferred_on=TODAY)])
    spec.given([ELSEWHERE]).when(cmd).then_state(relationship="in_park")


def test_a_transfer_for_an_unknown_member_is_refused() -> None:
    spec.given([]).when(mem.TransferIn(member_id="m1", from_organization="某大学党委", now=NOW)).then_raises(
        NotFound, code="member.unknown", field="member_id")
    spec.given([]).when(mem.TransferOut(member_id="m1", to_organization="某区委", now=NOW)).then_raises(
        NotFound, code="member.unknown")


def test_a_relationship_already_in_the_park_is_not_transferred_in_again() -> None:
    spec.given([REGISTERED]).when(mem.TransferIn(member_id="m1", from_organization="x", now=NOW)).then_raises(
        DomainError, code="member.relationship_already_in_park")


def test_transferring_out_leaves_the_branch_and_is_recorded() -> None:
    cmd = mem.TransferOut(member_id="m1", to_organization="某区委", now=NOW)
    spec.given([REGISTERED, IN_BR1]).when(cmd).then([
        MemberLeftBranch(member_id="m1", branch_id="br1", left_on=TODAY, reason="transferred_out"),
        MemberTransferredOut(member_id="m1", to_organization="某区委", transferred_on=TODAY),
    ])


def test_a_relationship_held_elsewhere_cannot_be_transferred_out_by_the_park() -> None:
    spec.given([ELSEWHERE]).when(mem.TransferOut(member_id="m1", to_organization="某区委", now=NOW)).then_raises(
        DomainError, code="member.relationship_not_in_park")


def test_a_member_who_transferred_out_can_transfer_back_in_and_nothing_else() -> None:
    out = MemberTransferredOut(member_id="m1", to_organization="某区委", transferred_on=date(2025, 3, 1))
    spec.given([REGISTERED, out]).when(
        mem.JoinBranch(member_id="m1", branch_id="br1", branch_active=True, now=NOW)).then_raises(
        DomainError, code="member.transferred_out")
    spec.given([REGISTERED, out]).when(mem.TransferIn(member_id="m1", from_organization="某区委", now=NOW)).then_state(
        relationship="in_park", branch_id=None)


def test_a_member_joins_one_active_branch() -> None:
    cmd = mem.JoinBranch(member_id="m1", branch_id="br1", branch_active=True, now=NOW)
    spec.given([REGISTERED]).when(cmd).then([MemberJoinedBranch(member_id="m1", branch_id="br1", joined_on=TODAY)])
    spec.given([REGISTERED]).when(mem.JoinBranch(member_id="m1", branch_id="br1", branch_active=False,
                                                 now=NOW)).then_raises(DomainError, code="branch.not_active")


def test_a_member_is_never_in_two_branches() -> None:
    cmd = mem.JoinBranch(member_id="m1", branch_id="br2", branch_active=True, now=NOW)
    spec.given([REGISTERED, IN_BR1]).when(cmd).then_raises(DomainError, code="member.already_in_branch",
                                                           field="branch_id")


def test_moving_between_branches_leaves_one_and_joins_the_other() -> None:
    cmd = mem.MoveToBranch(member_id="m1", branch_id="br2", branch_active=True, now=NOW)
    spec.given([REGISTERED, IN_BR1]).when(cmd).then([
        MemberLeftBranch(member_id="m1", branch_id="br1", left_on=TODAY, reason="moved"),
        MemberJoinedBranch(member_id="m1", branch_id="br2", joined_on=TODAY),
    ])
    spec.given([REGISTERED]).when(cmd).then_raises(DomainError, code="member.not_in_branch")
    spec.given([REGISTERED, IN_BR1]).when(
        mem.MoveToBranch(member_id="m1", branch_id="br1", branch_active=True, now=NOW)).then_raises(
        DomainError, code="member.already_in_branch")
    spec.given([REGISTERED, IN_BR1]).when(
        mem.MoveToBranch(member_id="m1", branch_id="br2", branch_active=False, now=NOW)).then_raises(
        DomainError, code="branch.not_active")


def test_a_probationary_member_becomes_full_after_one_year() -> None:
    cmd = mem.ConfirmFullMembership(member_id="m1", now=NOW, effective_on=date(2025, 7, 1))
    spec.given([PROBATIONARY]).when(cmd).then_raises(InvalidCommand, code="date.in_future")
    later = datetime(2025, 7, 2, 2, 0, tzinfo=UTC)
    spec.given([PROBATIONARY]).when(mem.ConfirmFullMembership(member_id="m1", now=later)).then([
        MemberStatusChanged(member_id="m1", from_status="probationary", to_status="full",
                            effective_on=date(2025, 7, 2))])


def test_a_probationary_member_cannot_become_full_before_the_year_is_over() -> None:
    spec.given([PROBATIONARY]).when(mem.ConfirmFullMembership(member_id="m1", now=NOW)).then_raises(
        DomainError, code="member.probation_not_over")


def test_a_full_member_is_not_confirmed_again() -> None:
    spec.given([REGISTERED]).when(mem.ConfirmFullMembership(member_id="m1", now=NOW)).then_raises(
        DomainError, code="member.already_full")


def test_a_member_changes_enterprise_within_the_park() -> None:
    cmd = mem.ChangeEnterprise(member_id="m1", enterprise_id="e2", enterprise_in_park=True, now=NOW)
    spec.given([REGISTERED]).when(cmd).then([MemberEnterpriseChanged(member_id="m1", enterprise_id="e2",
                                                                     changed_on=TODAY)])
    spec.given([REGISTERED]).when(
        mem.ChangeEnterprise(member_id="m1", enterprise_id="e2", enterprise_in_park=False, now=NOW)).then_raises(
        DomainError, code="enterprise.not_in_park")
    spec.given([REGISTERED]).when(
        mem.ChangeEnterprise(member_id="m1", enterprise_id="e1", enterprise_in_park=True, now=NOW)).then([])
