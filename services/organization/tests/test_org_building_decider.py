"""Zones, buildings and the building grid: a building answers to exactly one branch."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.organization import (
    BuildingAssigned,
    BuildingInstructorAppointed,
    BuildingInstructorWithdrawn,
    BuildingRegistered,
    BuildingReleased,
    ZoneDefined,
)
from redpark_organization.domain import building as bld
from redpark_organization.domain import zone
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

NOW = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 15)
spec = DeciderSpec(bld.decider)
zones = DeciderSpec(zone.decider)

REGISTERED = BuildingRegistered(building_id="b1", zone_id="A", name="1号楼", floors=12, sequence_in_zone=1)
ASSIGNED = BuildingAssigned(building_id="b1", branch_id="br1", assigned_on=date(2025, 3, 1))
INSTRUCTOR = BuildingInstructorAppointed(building_id="b1", branch_id="br1", member_id="m1",
                                         appointed_on=date(2025, 3, 2))


def assign(branch_id: str = "br1", active: bool = True) -> bld.AssignBuilding:
    return bld.AssignBuilding(building_id="b1", branch_id=branch_id, branch_active=active, now=NOW)


def test_a_zone_is_defined_once() -> None:
    cmd = zone.DefineZone(zone_id="A", name="A区", phase=1, now=NOW)
    zones.given([]).when(cmd).then([ZoneDefined(zone_id="A", name="A区", phase=1)])
    zones.given([ZoneDefined(zone_id="A", name="A区", phase=1)]).when(cmd).then_raises(
        DomainError, code="zone.already_defined")
    zones.given([]).when(zone.DefineZone(zone_id="A", name="A区", phase=0, now=NOW)).then_raises(
        InvalidCommand, code="zone.phase_invalid")


def test_a_building_is_registered_in_a_defined_zone() -> None:
    cmd = bld.RegisterBuilding(building_id="b1", zone_id="A", name="1号楼", floors=12, sequence_in_zone=1,
                               zone_known=True, now=NOW)
    spec.given([]).when(cmd).then([REGISTERED])
    spec.given([REGISTERED]).when(cmd).then_raises(DomainError, code="building.already_registered")


def test_a_building_in_an_unknown_zone_is_refused() -> None:
    cmd = bld.RegisterBuilding(building_id="b1", zone_id="Z", name="1号楼", floors=12, sequence_in_zone=1,
                               zone_known=False, now=NOW)
    spec.given([]).when(cmd).then_raises(NotFound, code="zone.unknown", field="zone_id")


def test_a_building_is_assigned_to_a_responsible_branch() -> None:
    spec.given([REGISTERED]).when(assign()).then([BuildingAssigned(building_id="b1", branch_id="br1",
                                                                   assigned_on=TODAY)])


def test_a_building_is_never_given_to_two_branches() -> None:
    spec.given([REGISTERED, ASSIGNED]).when(assign("br2")).then_raises(
        DomainError, code="building.assigned_to_another_branch", field="branch_id")


def test_assigning_a_building_again_to_its_own_branch_changes_nothing() -> None:
    spec.given([REGISTERED, ASSIGNED]).when(assign("br1")).then([])


def test_a_building_is_assigned_only_to_an_active_branch() -> None:
    spec.given([REGISTERED]).when(assign(active=False)).then_raises(DomainError, code="branch.not_active")


def test_an_unknown_building_cannot_be_assigned() -> None:
    spec.given([]).when(assign()).then_raises(NotFound, code="building.unknown")


def test_released_building_can_go_to_another_branch_and_its_instructor_leaves_with_the_old_one() -> None:
    release = bld.ReleaseBuilding(building_id="b1", now=NOW)
    released = [BuildingInstructorWithdrawn(building_id="b1", member_id="m1", withdrawn_on=TODAY),
                BuildingReleased(building_id="b1", branch_id="br1", released_on=TODAY)]
    spec.given([REGISTERED, ASSIGNED, INSTRUCTOR]).when(release).then(released)
    spec.given([REGISTERED, ASSIGNED, INSTRUCTOR, *released]).when(assign("br2")).then(
        [BuildingAssigned(building_id="b1", branch_id="br2", assigned_on=TODAY)])
    spec.given([REGISTERED]).when(release).then_raises(DomainError, code="building.not_assigned")


def test_the_building_instructor_is_a_member_of_the_responsible_branch() -> None:
    ok = bld.AppointBuildingInstructor(building_id="b1", member_id="m1", member_branch_id="br1", now=NOW)
    spec.given([REGISTERED, ASSIGNED]).when(ok).then([BuildingInstructorAppointed(
        building_id="b1", branch_id="br1", member_id="m1", appointed_on=TODAY)])
    other = bld.AppointBuildingInstructor(building_id="b1", member_id="m2", member_branch_id="br2", now=NOW)
    spec.given([REGISTERED, ASSIGNED]).when(other).then_raises(
        DomainError, code="instructor.not_in_responsible_branch", field="member_id")
    nobranch = bld.AppointBuildingInstructor(building_id="b1", member_id="m3", member_branch_id=None, now=NOW)
    spec.given([REGISTERED, ASSIGNED]).when(nobranch).then_raises(
        DomainError, code="instructor.not_in_responsible_branch")


def test_no_building_instructor_without_a_responsible_branch() -> None:
    cmd = bld.AppointBuildingInstructor(building_id="b1", member_id="m1", member_branch_id="br1", now=NOW)
    spec.given([REGISTERED]).when(cmd).then_raises(DomainError, code="building.not_assigned")


def test_one_building_instructor_at_a_time_and_withdrawal() -> None:
    cmd = bld.AppointBuildingInstructor(building_id="b1", member_id="m2", member_branch_id="br1", now=NOW)
    spec.given([REGISTERED, ASSIGNED, INSTRUCTOR]).when(cmd).then_raises(
        DomainError, code="building.instructor_already_appointed")
    withdraw = bld.WithdrawBuildingInstructor(building_id="b1", now=NOW)
    spec.given([REGISTERED, ASSIGNED, INSTRUCTOR]).when(withdraw).then(
        [BuildingInstructorWithdrawn(building_id="b1", member_id="m1", withdrawn_on=TODAY)])
    spec.given([REGISTERED, ASSIGNED]).when(withdraw).then_raises(DomainError, code="building.no_instructor")
