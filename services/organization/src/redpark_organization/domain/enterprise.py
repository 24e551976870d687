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
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from .park_calendar import effective_date


def stream_id(enterprise_id: str) -> str:
    return f"enterprise-{enterprise_id}"


class MoveIn(msgspec.Struct, frozen=True, kw_only=True):
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


class UpdateProfile(msgspec.Struct, frozen=True, kw_only=True):
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
    MoveIn | UpdateProfile | Relocate | MoveOut | JoinBranch | LeaveBranch | AssignLiaisonInstructor | WithdrawLiaisonInstructor
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
            raise NotFound("enterprise.unknown", f"enterprise {enterprise_id} never moved in",
                           detail_zh="企业不存在", field="enterprise_id")
        case MovedOut():
            raise DomainError("enterprise.moved_out", f"enterprise {enterprise_id} moved out on {state.moved_out_on}",
                              detail_zh="该企业已迁出园区", field="enterprise_id")
        case _:
            assert_never(state)


def _check_profile(command: MoveIn | UpdateProfile | Relocate) -> None:
    if not isinstance(command, Relocate) and not command.name.strip():
        raise InvalidCommand("enterprise.name_missing", "an enterprise needs a name", detail_zh="企业名称不能为空",
                             field="name")
    if command.building_floors is None:
        raise NotFound("building.unknown", f"building {command.building_id} is not registered",
                       detail_zh="楼栋不存在", field="building_id")
    if not 1 <= command.floor <= command.building_floors:
        raise InvalidCommand("enterprise.floor_out_of_range",
                             f"floor {command.floor} is not in building {command.building_id}"
                             f" (floors 1 to {command.building_floors})",
                             detail_zh="楼层超出该楼栋范围", field="floor")
    if not isinstance(command, Relocate) and command.headcount < 0:
        raise InvalidCommand("enterprise.headcount_negative", "headcount cannot be negative",
                             detail_zh="员工人数不能为负", field="headcount")


def decide(command: EnterpriseCommand, state: EnterpriseState) -> list[EnterpriseEvent]:
    match command:
        case MoveIn():
            if isinstance(state, InPark):
                raise DomainError("enterprise.already_in_park", f"enterprise {command.enterprise_id} is already in the park",
                                  detail_zh="该企业已入驻", field="enterprise_id")
            _check_profile(command)
            on = effective_date(command.effective_on, command.now)
            if isinstance(state, MovedOut) and on < state.moved_out_on:
                raise InvalidCommand("enterprise.moved_in_before_moving_out",
                                     f"it moved out on {state.moved_out_on}; moving back in must be later",
                                     detail_zh="重新入驻日期不能早于迁出日期", field="effective_on")
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
                raise DomainError("enterprise.relocation_unchanged",
                                  f"enterprise {ent.enterprise_id} is already on floor {command.floor}"
                                  f" of building {command.building_id}",
                                  detail_zh="企业已在该楼栋楼层", field="floor")
            if on < ent.moved_in_on:
                raise InvalidCommand("enterprise.relocated_before_moving_in",
                                     f"it moved in on {ent.moved_in_on}; it cannot move earlier",
                                     detail_zh="搬迁日期不能早于入驻日期", field="effective_on")
            return [EnterpriseRelocated(enterprise_id=ent.enterprise_id, building_id=command.building_id,
                                        floor=command.floor, relocated_on=on)]
        case MoveOut():
            ent = _in_park(state, command.enterprise_id)
            on = effective_date(command.effective_on, command.now)
            if on < ent.moved_in_on:
                raise InvalidCommand("enterprise.moved_out_before_moving_in",
                                     f"it moved in on {ent.moved_in_on}; it cannot move out earlier",
                                     detail_zh="迁出日期不能早于入驻日期", field="effective_on")
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
                raise DomainError("branch.not_active", f"branch {command.branch_id} is not an active branch",
                                  detail_zh="支部不存在或已撤销", field="branch_id")
            if on < ent.moved_in_on:
                # The ledger must never show a tenant covered on a day it was not yet in the park.
                raise InvalidCommand("enterprise.joined_before_moving_in",
                                     f"it moved in on {ent.moved_in_on}; it cannot join a branch earlier",
                                     detail_zh="纳入支部的日期不能早于入驻日期", field="effective_on")
            if ent.branch_id is not None:
                raise DomainError("enterprise.already_in_branch",
                                  f"enterprise {ent.enterprise_id} is already organized in branch {ent.branch_id}",
                                  detail_zh="该企业已纳入其他支部", field="branch_id")
            return [EnterpriseJoinedBranch(enterprise_id=ent.enterprise_id, branch_id=command.branch_id, joined_on=on)]
        case LeaveBranch():
            ent = _in_park(state, command.enterprise_id)
            on = effective_date(command.effective_on, command.now)
            if ent.branch_id is None:
                raise DomainError("enterprise.not_in_branch", f"enterprise {ent.enterprise_id} is in no branch",
                                  detail_zh="该企业未纳入任何支部", field="enterprise_id")
            return [EnterpriseLeftBranch(enterprise_id=ent.enterprise_id, branch_id=ent.branch_id, left_on=on,
                                         reason="reorganized")]
        case AssignLiaisonInstructor():
            ent = _in_park(state, command.enterprise_id)
            on = effective_date(command.effective_on, command.now)
            if command.enterprise_member_count > 0:
                raise DomainError("liaison.enterprise_has_members",
                                  f"enterprise {ent.enterprise_id} has {command.enterprise_member_count} member(s);"
                                  " liaison instructors are for enterprises with none",
                                  detail_zh="该企业已有党员，应纳入支部而非派指导员", field="enterprise_id")
            if ent.branch_id is not None:
                raise DomainError("liaison.enterprise_in_branch",
                                  f"enterprise {ent.enterprise_id} is already covered by branch {ent.branch_id}",
                                  detail_zh="该企业已纳入支部", field="enterprise_id")
            if ent.liaison_instructor_id is not None:
                raise DomainError("liaison.already_assigned",
                                  f"enterprise {ent.enterprise_id} already has liaison instructor"
                                  f" {ent.liaison_instructor_id}",
                                  detail_zh="该企业已有指导员", field="member_id")
            if not command.instructor_in_park:
                raise NotFound("member.unknown", f"member {command.member_id} is not a member in the park",
                               detail_zh="指导员须为园区在册党员", field="member_id")
            if command.sent_by_branch_id is not None and not command.sender_is_neighbour:
                raise DomainError("liaison.sender_not_neighbour",
                                  f"branch {command.sent_by_branch_id} does not answer for the enterprise's building"
                                  " or a neighbouring one; the general branch or a neighbouring branch sends",
                                  detail_zh="指导员须由党总支或相邻支部派出", field="sent_by_branch_id")
            if command.sent_by_branch_id is None and command.general_branch_id is None:
                raise DomainError("liaison.no_general_branch",
                                  "no branch sends the instructor and the park has no general branch yet",
                                  detail_zh="尚未成立党总支，须由相邻支部派出指导员", field="sent_by_branch_id")
            general = command.general_branch_id if command.sent_by_branch_id is None else None
            return [LiaisonInstructorAssigned(enterprise_id=ent.enterprise_id, member_id=command.member_id,
                                              sent_by_branch_id=command.sent_by_branch_id, assigned_on=on,
                                              sent_by_general_branch_id=general)]
        case WithdrawLiaisonInstructor():
            ent = _in_park(state, command.enterprise_id)
            on = effective_date(command.effective_on, command.now)
            if ent.liaison_instructor_id is None:
                raise DomainError("liaison.none", f"enterprise {ent.enterprise_id} has no liaison instructor",
                                  detail_zh="该企业没有指导员", field="enterprise_id")
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
