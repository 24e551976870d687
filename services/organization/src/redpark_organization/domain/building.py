"""Building: the unit of the building grid (网格化, 一个支部分包一栋楼).

The building's own stream records which branch answers for it, so "a building given to two
branches" is refused here, where that fact lives. Facts held by other streams come in the
command, filled in by the application layer:
- `zone_known` (RegisterBuilding): the zone has been defined;
- `branch_active` (AssignBuilding): the branch is established and not dissolved;
- `member_branch_id` (AppointBuildingInstructor): the branch the member belongs to now.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization import (
    BuildingAssigned,
    BuildingInstructorAppointed,
    BuildingInstructorWithdrawn,
    BuildingRegistered,
    BuildingReleased,
)
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider, DomainError

from .errors import ERRORS


def stream_id(building_id: str) -> str:
    return f"building-{building_id}"


class RegisterBuilding(msgspec.Struct, frozen=True, kw_only=True):
    building_id: str
    zone_id: str
    name: str
    floors: int
    sequence_in_zone: int
    zone_known: bool
    now: datetime


class AssignBuilding(msgspec.Struct, frozen=True, kw_only=True):
    building_id: str
    branch_id: str
    branch_active: bool
    now: datetime
    effective_on: date | None = None


class ReleaseBuilding(msgspec.Struct, frozen=True, kw_only=True):
    building_id: str
    now: datetime
    effective_on: date | None = None


class AppointBuildingInstructor(msgspec.Struct, frozen=True, kw_only=True):
    building_id: str
    member_id: str
    member_branch_id: str | None
    now: datetime
    effective_on: date | None = None


class WithdrawBuildingInstructor(msgspec.Struct, frozen=True, kw_only=True):
    building_id: str
    now: datetime
    effective_on: date | None = None


BuildingCommand = (
    RegisterBuilding | AssignBuilding | ReleaseBuilding | AppointBuildingInstructor | WithdrawBuildingInstructor
)
BuildingEvent = (
    BuildingRegistered | BuildingAssigned | BuildingReleased | BuildingInstructorAppointed
    | BuildingInstructorWithdrawn
)


class NoBuilding(msgspec.Struct, frozen=True, tag=True):
    pass


class Building(msgspec.Struct, frozen=True, tag=True):
    building_id: str
    zone_id: str
    floors: int
    branch_id: str | None = None
    instructor_id: str | None = None


BuildingState = NoBuilding | Building


def _registered(state: BuildingState, building_id: str) -> Building:
    if isinstance(state, NoBuilding):
        raise ERRORS.error("building.unknown", field="building_id", building_id=building_id)
    return state


def decide(command: BuildingCommand, state: BuildingState) -> list[BuildingEvent]:
    match command:
        case RegisterBuilding():
            if isinstance(state, Building):
                raise ERRORS.error("building.already_registered", field="building_id", building_id=command.building_id)
            if not command.zone_known:
                raise ERRORS.error("zone.unknown", field="zone_id", zone_id=command.zone_id)
            if command.floors < 1:
                raise ERRORS.error("building.floors_invalid", field="floors")
            if not command.name.strip():
                raise ERRORS.error("building.name_missing", field="name")
            return [BuildingRegistered(
                building_id=command.building_id, zone_id=command.zone_id, name=command.name.strip(),
                floors=command.floors, sequence_in_zone=command.sequence_in_zone,
            )]
        case AssignBuilding():
            building = _registered(state, command.building_id)
            on = effective_date(command.effective_on, command.now)
            if not command.branch_active:
                raise ERRORS.error("branch.not_active", field="branch_id", branch_id=command.branch_id)
            if building.branch_id == command.branch_id:
                return []  # already so: a repeated request changes nothing
            if building.branch_id is not None:
                raise ERRORS.error("building.assigned_to_another_branch", field="branch_id",
                                   building_id=command.building_id, branch_id=building.branch_id)
            return [BuildingAssigned(building_id=command.building_id, branch_id=command.branch_id, assigned_on=on)]
        case ReleaseBuilding():
            building = _registered(state, command.building_id)
            on = effective_date(command.effective_on, command.now)
            if building.branch_id is None:
                raise DomainError("building.not_assigned", f"building {command.building_id} has no responsible branch",
                                  detail_zh="该楼栋尚未分包给支部", field="building_id")
            out: list[BuildingEvent] = []
            # The instructor is sent by the responsible branch, so leaves with it.
            if building.instructor_id is not None:
                out.append(BuildingInstructorWithdrawn(
                    building_id=command.building_id, member_id=building.instructor_id, withdrawn_on=on))
            out.append(BuildingReleased(building_id=command.building_id, branch_id=building.branch_id, released_on=on))
            return out
        case AppointBuildingInstructor():
            building = _registered(state, command.building_id)
            on = effective_date(command.effective_on, command.now)
            if building.branch_id is None:
                raise DomainError("building.not_assigned",
                                  f"building {command.building_id} has no responsible branch to send an instructor",
                                  detail_zh="该楼栋尚未分包给支部，无法派出楼栋指导员", field="building_id")
            if command.member_branch_id != building.branch_id:
                raise ERRORS.error("instructor.not_in_responsible_branch", field="member_id",
                                   branch_id=building.branch_id, member_id=command.member_id)
            if building.instructor_id is not None:
                raise ERRORS.error("building.instructor_already_appointed", field="member_id",
                                   building_id=command.building_id, instructor_id=building.instructor_id)
            return [BuildingInstructorAppointed(
                building_id=command.building_id, branch_id=building.branch_id, member_id=command.member_id,
                appointed_on=on)]
        case WithdrawBuildingInstructor():
            building = _registered(state, command.building_id)
            on = effective_date(command.effective_on, command.now)
            if building.instructor_id is None:
                raise ERRORS.error("building.no_instructor", field="building_id", building_id=command.building_id)
            return [BuildingInstructorWithdrawn(
                building_id=command.building_id, member_id=building.instructor_id, withdrawn_on=on)]
        case _:
            assert_never(command)


def evolve(state: BuildingState, event: BuildingEvent) -> BuildingState:
    match event:
        case BuildingRegistered():
            return Building(building_id=event.building_id, zone_id=event.zone_id, floors=event.floors)
        case BuildingAssigned():
            return msgspec.structs.replace(_as_building(state), branch_id=event.branch_id)
        case BuildingReleased():
            return msgspec.structs.replace(_as_building(state), branch_id=None, instructor_id=None)
        case BuildingInstructorAppointed():
            return msgspec.structs.replace(_as_building(state), instructor_id=event.member_id)
        case BuildingInstructorWithdrawn():
            return msgspec.structs.replace(_as_building(state), instructor_id=None)
        case _:
            assert_never(event)


def _as_building(state: BuildingState) -> Building:
    # A stored stream always starts with `registered`; anything else is a corrupt stream.
    if not isinstance(state, Building):
        raise ValueError("building event before the building was registered")
    return state


decider: Decider[BuildingCommand, BuildingState, BuildingEvent] = Decider(
    initial=NoBuilding(), decide=decide, evolve=evolve)
