"""Enterprise (入驻企业): moving in and out, and how it is covered (全覆盖).

An enterprise is covered when it is organized in a branch or, having no members, has a liaison
instructor. Both facts live on the enterprise's own stream, so one enterprise is never in two
branches and a new enterprise is uncovered from the moment it moves in. Facts held by other
streams come in the command, filled in by the application layer:
- `building_floors` (MoveIn, UpdateProfile): floors of the building, None if it is not registered;
- `branch_active` (JoinBranch): the branch is established and not dissolved;
- `enterprise_member_count` (AssignLiaisonInstructor): members now working for the enterprise;
- `instructor_in_park` (AssignLiaisonInstructor): the instructor is a registered member still in the park;
- `sender_is_neighbour` (AssignLiaisonInstructor, when a branch sends): the sending branch is active
  and answers for the enterprise's building or a neighbouring building of the same zone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization import (
    EnterpriseJoinedBranch,
    EnterpriseLeftBranch,
    EnterpriseMovedIn,
    EnterpriseMovedOut,
    EnterpriseProfileUpdated,
    LiaisonInstructorAssigned,
    LiaisonInstructorWithdrawn,
)
from redpark_contracts.organization_tenancy import EnterpriseRelocated
from redpark_platform.calendar import effective_date
from redpark_platform.decider import Decider, NotFound

from .errors import ERRORS


def stream_id(enterprise_id: str) -> str:
    return f"enterprise-{enterprise_id}"


class _TenantProfile(msgspec.Struct, frozen=True, kw_only=True):
    """What a tenant is, as a move-in states it and a profile update restates it."""

    enterprise_id: str
    name: str
    building_id: str
    floor: int
    headcount: int
    is_tech_enterprise: bool
    legal_representative: str
    building_floors: int | None
    now: datetime
    effective_on: date | None = None


class MoveIn(_TenantProfile, frozen=True, kw_only=True):
    pass


class UpdateProfile(_TenantProfile, frozen=True, kw_only=True):
    pass


class Relocate(msgspec.Struct, frozen=True, kw_only=True):
    """Moving to another building or floor (e.g. as the property-management system tells it)."""

    enterprise_id: str
    building_id: str
    floor: int
    building_floors: int | None
    now: datetime
    effective_on: date | None = None


class MoveOut(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    now: datetime
    effective_on: date | None = None


class JoinBranch(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    branch_id: str
    branch_active: bool
    now: datetime
    effective_on: date | None = None


class LeaveBranch(msgspec.Struct, frozen=True, kw_only=True):
    """Taken out of its branch when the grid is reorganized (it then needs another cover)."""

    enterprise_id: str
    now: datetime
    effective_on: date | None = None


class AssignLiaisonInstructor(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    member_id: str
    sent_by_branch_id: str | None  # None: the general branch sends
    enterprise_member_count: int
    instructor_in_park: bool
    sender_is_neighbour: bool
    now: datetime
    effective_on: date | None = None
    # The park's general branch, when established: it sends when no branch is named.
    general_branch_id: str | None = None


class WithdrawLiaisonInstructor(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    now: datetime
    effective_on: date | None = None


EnterpriseCommand = (
    MoveIn | UpdateProfile | Relocate | MoveOut | JoinBranch | LeaveBranch | AssignLiaisonInstructor
    | WithdrawLiaisonInstructor
)
EnterpriseEvent = (
    EnterpriseMovedIn | EnterpriseProfileUpdated | EnterpriseMovedOut | EnterpriseJoinedBranch | EnterpriseLeftBranch
    | LiaisonInstructorAssigned | LiaisonInstructorWithdrawn | EnterpriseRelocated
)


class NoEnterprise(msgspec.Struct, frozen=True, tag=True):
    pass


class InPark(msgspec.Struct, frozen=True, tag=True):
    enterprise_id: str
    building_id: str
    moved_in_on: date
    branch_id: str | None = None
    liaison_instructor_id: str | None = None
    floor: int | None = None  # None: not known from the events folded (a state from before relocations)


class MovedOut(msgspec.Struct, frozen=True, tag=True):
    enterprise_id: str
    moved_out_on: date


EnterpriseState = NoEnterprise | InPark | MovedOut


def _in_park(state: EnterpriseState, enterprise_id: str) -> InPark:
    match state:
        case InPark():
            return state
        case NoEnterprise():
            raise ERRORS.error("enterprise.unknown", field="enterprise_id", enterprise_id=enterprise_id)
        case MovedOut():
            raise ERRORS.error("enterprise.moved_out", field="enterprise_id", enterprise_id=enterprise_id,
                               moved_out_on=state.moved_out_on)
        case _:
            assert_never(state)


def _check_profile(command: MoveIn | UpdateProfile | Relocate) -> None:
    if not isinstance(command, Relocate) and not command.name.strip():
        raise ERRORS.error("enterprise.name_missing", field="name")
    if command.building_floors is None:
        raise ERRORS.error("building.unknown", field="building_id", building_id=command.building_id)
    if not 1 <= command.floor <= command.building_floors:
        raise ERRORS.error("enterprise.floor_out_of_range", field="floor", floor=command.floor,
                           building_id=command.building_id, building_floors=command.building_floors)
    if not isinstance(command, Relocate) and command.headcount < 0:
        raise ERRORS.error("enterprise.headcount_negative", field="headcount")


def decide(command: EnterpriseCommand, state: EnterpriseState) -> list[EnterpriseEvent]:
    match command:
        case MoveIn():
            if isinstance(state, InPark):
                raise ERRORS.error("enterprise.already_in_park", field="enterprise_id",
                                   enterprise_id=command.enterprise_id)
            _check_profile(command)
            on = effective_date(command.effective_on, command.now)
            if isinstance(state, MovedOut) and on < state.moved_out_on:
                raise ERRORS.error("enterprise.moved_in_before_moving_out", field="effective_on",
                                   moved_out_on=state.moved_out_on)
            return [EnterpriseMovedIn(
                enterprise_id=command.enterprise_id, name=command.name.strip(), building_id=command.building_id,
                floor=command.floor, headcount=command.headcount, is_tech_enterprise=command.is_tech_enterprise,
                legal_representative=command.legal_representative.strip(), moved_in_on=on,
            )]
        case UpdateProfile():
            _in_park(state, command.enterprise_id)
            _check_profile(command)
            on = effective_date(command.effective_on, command.now)
            return [EnterpriseProfileUpdated(
                enterprise_id=command.enterprise_id, name=command.name.strip(), building_id=command.building_id,
                floor=command.floor, headcount=command.headcount, is_tech_enterprise=command.is_tech_enterprise,
                legal_representative=command.legal_representative.strip(), updated_on=on,
            )]
        case Relocate():
            ent = _in_park(state, command.enterprise_id)
            _check_profile(command)
            on = effective_date(command.effective_on, command.now)
            if (command.building_id, command.floor) == (ent.building_id, ent.floor):
                # Nothing moved: a repeated notice must not add a second relocation to the record.
                raise ERRORS.error("enterprise.relocation_unchanged", field="floor", enterprise_id=ent.enterprise_id,
                                   floor=command.floor, building_id=command.building_id)
            if on < ent.moved_in_on:
                raise ERRORS.error("enterprise.relocated_before_moving_in", field="effective_on",
                                   moved_in_on=ent.moved_in_on)
            return [EnterpriseRelocated(enterprise_id=ent.enterprise_id, building_id=command.building_id,
                                        floor=command.floor, relocated_on=on)]
        case MoveOut():
            ent = _in_park(state, command.enterprise_id)
            on = effective_date(command.effective_on, command.now)
            if on < ent.moved_in_on:
                raise ERRORS.error("enterprise.moved_out_before_moving_in", field="effective_on",
                                   moved_in_on=ent.moved_in_on)
            out: list[EnterpriseEvent] = []
            # Leaving the park ends its cover too, so rosters and coverage never keep a ghost.
            if ent.branch_id is not None:
                out.append(EnterpriseLeftBranch(enterprise_id=ent.enterprise_id, branch_id=ent.branch_id,
                                                left_on=on, reason="moved_out"))
            if ent.liaison_instructor_id is not None:
                out.append(LiaisonInstructorWithdrawn(enterprise_id=ent.enterprise_id,
                                                      member_id=ent.liaison_instructor_id, withdrawn_on=on))
            out.append(EnterpriseMovedOut(enterprise_id=ent.enterprise_id, moved_out_on=on))
            return out
        case JoinBranch():
            ent = _in_park(state, command.enterprise_id)
            on = effective_date(command.effective_on, command.now)
            if not command.branch_active:
                raise ERRORS.error("branch.not_active", field="branch_id", branch_id=command.branch_id)
            if on < ent.moved_in_on:
                # The ledger must never show a tenant covered on a day it was not yet in the park.
                raise ERRORS.error("enterprise.joined_before_moving_in", field="effective_on",
                                   moved_in_on=ent.moved_in_on)
            if ent.branch_id is not None:
                raise ERRORS.error("enterprise.already_in_branch", field="branch_id", enterprise_id=ent.enterprise_id,
                                   branch_id=ent.branch_id)
            return [EnterpriseJoinedBranch(enterprise_id=ent.enterprise_id, branch_id=command.branch_id, joined_on=on)]
        case LeaveBranch():
            ent = _in_park(state, command.enterprise_id)
            on = effective_date(command.effective_on, command.now)
            if ent.branch_id is None:
                raise ERRORS.error("enterprise.not_in_branch", field="enterprise_id", enterprise_id=ent.enterprise_id)
            return [EnterpriseLeftBranch(enterprise_id=ent.enterprise_id, branch_id=ent.branch_id, left_on=on,
                                         reason="reorganized")]
        case AssignLiaisonInstructor():
            ent = _in_park(state, command.enterprise_id)
            on = effective_date(command.effective_on, command.now)
            if command.enterprise_member_count > 0:
                raise ERRORS.error("liaison.enterprise_has_members", field="enterprise_id",
                                   enterprise_id=ent.enterprise_id,
                                   enterprise_member_count=command.enterprise_member_count)
            if ent.branch_id is not None:
                raise ERRORS.error("liaison.enterprise_in_branch", field="enterprise_id",
                                   enterprise_id=ent.enterprise_id, branch_id=ent.branch_id)
            if ent.liaison_instructor_id is not None:
                raise ERRORS.error("liaison.already_assigned", field="member_id", enterprise_id=ent.enterprise_id,
                                   liaison_instructor_id=ent.liaison_instructor_id)
            if not command.instructor_in_park:
                raise NotFound("member.unknown", f"member {command.member_id} is not a member in the park",
                               detail_zh="指导员须为园区在册党员", field="member_id")
            if command.sent_by_branch_id is not None and not command.sender_is_neighbour:
                raise ERRORS.error("liaison.sender_not_neighbour", field="sent_by_branch_id",
                                   sent_by_branch_id=command.sent_by_branch_id)
            if command.sent_by_branch_id is None and command.general_branch_id is None:
                raise ERRORS.error("liaison.no_general_branch", field="sent_by_branch_id")
            general = command.general_branch_id if command.sent_by_branch_id is None else None
            return [LiaisonInstructorAssigned(enterprise_id=ent.enterprise_id, member_id=command.member_id,
                                              sent_by_branch_id=command.sent_by_branch_id, assigned_on=on,
                                              sent_by_general_branch_id=general)]
        case WithdrawLiaisonInstructor():
            ent = _in_park(state, command.enterprise_id)
            on = effective_date(command.effective_on, command.now)
            if ent.liaison_instructor_id is None:
                raise ERRORS.error("liaison.none", field="enterprise_id", enterprise_id=ent.enterprise_id)
            return [LiaisonInstructorWithdrawn(enterprise_id=ent.enterprise_id, member_id=ent.liaison_instructor_id,
                                               withdrawn_on=on)]
        case _:
            assert_never(command)


def evolve(state: EnterpriseState, event: EnterpriseEvent) -> EnterpriseState:
    match event:
        case EnterpriseMovedIn():
            return InPark(enterprise_id=event.enterprise_id, building_id=event.building_id,
                          moved_in_on=event.moved_in_on, floor=event.floor)
        case EnterpriseProfileUpdated() | EnterpriseRelocated():
            return msgspec.structs.replace(_as_in_park(state), building_id=event.building_id, floor=event.floor)
        case EnterpriseMovedOut():
            return MovedOut(enterprise_id=event.enterprise_id, moved_out_on=event.moved_out_on)
        case EnterpriseJoinedBranch():
            return msgspec.structs.replace(_as_in_park(state), branch_id=event.branch_id)
        case EnterpriseLeftBranch():
            return msgspec.structs.replace(_as_in_park(state), branch_id=None)
        case LiaisonInstructorAssigned():
            return msgspec.structs.replace(_as_in_park(state), liaison_instructor_id=event.member_id)
        case LiaisonInstructorWithdrawn():
            return msgspec.structs.replace(_as_in_park(state), liaison_instructor_id=None)
        case _:
            assert_never(event)


def _as_in_park(state: EnterpriseState) -> InPark:
    if not isinstance(state, InPark):
        raise ValueError("enterprise event for an enterprise not in the park")
    return state


decider: Decider[EnterpriseCommand, EnterpriseState, EnterpriseEvent] = Decider(
    initial=NoEnterprise(), decide=decide, evolve=evolve)
