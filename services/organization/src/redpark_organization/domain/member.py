"""Member (党员): registration in the census, transfers in and out, the branch a member belongs
to, and the probationary → full step.

The member's stream records the member's branch, so "a member in two branches" is refused here.
Facts from other streams come in the command, filled in by the application layer:
- `enterprise_in_park` (RegisterMember, ChangeEnterprise): the named enterprise is in the park;
- `branch_active` (JoinBranch, MoveToBranch): the branch is established and not dissolved.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization import (
    MemberContactUpdated,
    MemberEnterpriseChanged,
    MemberJoinedBranch,
    MemberLeftBranch,
    MemberRegistered,
    MemberStatus,
    MemberStatusChanged,
    MemberTransferredIn,
    MemberTransferredOut,
    Relationship,
)
from redpark_platform.calendar import effective_date, park_date, years_after
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from . import party_rules
from .errors import ERRORS

# 18-character resident identity number (GB 11643): 17 digits and a check character.
_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")


def stream_id(member_id: str) -> str:
    return f"member-{member_id}"


class RegisterMember(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    name: str
    enterprise_id: str | None
    enterprise_in_park: bool
    status: MemberStatus
    joined_party_on: date
    relationship: Relationship
    relationship_held_by: str = ""
    phone: str
    id_number: str
    now: datetime
    effective_on: date | None = None


class UpdateMemberContact(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    phone: str
    now: datetime


class ChangeEnterprise(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    enterprise_id: str | None
    enterprise_in_park: bool
    now: datetime
    effective_on: date | None = None


class TransferIn(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    from_organization: str
    now: datetime
    effective_on: date | None = None


class TransferOut(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    to_organization: str
    now: datetime
    effective_on: date | None = None


class JoinBranch(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    branch_id: str
    branch_active: bool
    now: datetime
    effective_on: date | None = None


class MoveToBranch(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    branch_id: str
    branch_active: bool
    now: datetime
    effective_on: date | None = None


class ConfirmFullMembership(msgspec.Struct, frozen=True, kw_only=True):
    """预备党员转正."""

    member_id: str
    now: datetime
    effective_on: date | None = None


MemberCommand = (
    RegisterMember | UpdateMemberContact | ChangeEnterprise | TransferIn | TransferOut | JoinBranch | MoveToBranch
    | ConfirmFullMembership
)
MemberEvent = (
    MemberRegistered | MemberContactUpdated | MemberEnterpriseChanged | MemberTransferredIn | MemberTransferredOut
    | MemberJoinedBranch | MemberLeftBranch | MemberStatusChanged
)


class NoMember(msgspec.Struct, frozen=True, tag=True):
    pass


class InPark(msgspec.Struct, frozen=True, tag=True):
    member_id: str
    status: MemberStatus
    joined_party_on: date
    relationship: Relationship
    enterprise_id: str | None = None
    branch_id: str | None = None


class TransferredOut(msgspec.Struct, frozen=True, tag=True):
    member_id: str
    status: MemberStatus
    joined_party_on: date
    transferred_on: date


MemberState = NoMember | InPark | TransferredOut


def _known(state: MemberState, member_id: str) -> InPark | TransferredOut:
    if isinstance(state, NoMember):
        raise NotFound("member.unknown", f"member {member_id} is not registered", detail_zh="党员不存在",
                       field="member_id")
    return state


def _in_park(state: MemberState, member_id: str) -> InPark:
    known = _known(state, member_id)
    if isinstance(known, TransferredOut):
        raise ERRORS.error("member.transferred_out", field="member_id", member_id=member_id,
                           transferred_on=known.transferred_on)
    return known


def _enterprise_must_be_in_park(enterprise_id: str | None, in_park: bool) -> None:
    if enterprise_id is not None and not in_park:
        raise ERRORS.error("enterprise.not_in_park", field="enterprise_id", enterprise_id=enterprise_id)


def _register(command: RegisterMember, state: MemberState) -> list[MemberEvent]:
    if not isinstance(state, NoMember):
        raise ERRORS.error("member.already_registered", field="member_id", member_id=command.member_id)
    on = effective_date(command.effective_on, command.now)
    if not command.name.strip():
        raise ERRORS.error("member.name_missing", field="name")
    if command.joined_party_on > park_date(command.now):
        raise ERRORS.error("member.joined_party_in_future", field="joined_party_on")
    if not _ID_NUMBER.match(command.id_number.strip().upper()):
        # The value itself stays out of the message: it is personal data and messages reach logs.
        raise ERRORS.error("member.id_number_malformed", field="id_number")
    if command.relationship == "elsewhere" and not command.relationship_held_by.strip():
        raise ERRORS.error("member.relationship_holder_missing", field="relationship_held_by")
    _enterprise_must_be_in_park(command.enterprise_id, command.enterprise_in_park)
    return [MemberRegistered(
        member_id=command.member_id, name=command.name.strip(), enterprise_id=command.enterprise_id,
        status=command.status, joined_party_on=command.joined_party_on, relationship=command.relationship,
        relationship_held_by=command.relationship_held_by.strip() if command.relationship == "elsewhere" else "",
        phone=command.phone.strip(), id_number=command.id_number.strip().upper(), registered_on=on,
    )]


def _transfer_in(command: TransferIn, state: MemberState) -> list[MemberEvent]:
    known = _known(state, command.member_id)
    on = effective_date(command.effective_on, command.now)
    if isinstance(known, InPark) and known.relationship == "in_park":
        raise ERRORS.error("member.relationship_already_in_park", field="member_id", member_id=command.member_id)
    if not command.from_organization.strip():
        raise InvalidCommand("transfer.organization_missing", "name the organization the relationship comes from",
                             detail_zh="须注明转出单位", field="from_organization")
    return [MemberTransferredIn(member_id=command.member_id, from_organization=command.from_organization.strip(),
                                transferred_on=on)]


def _transfer_out(command: TransferOut, state: MemberState) -> list[MemberEvent]:
    member = _in_park(state, command.member_id)
    on = effective_date(command.effective_on, command.now)
    if member.relationship != "in_park":
        raise ERRORS.error("member.relationship_not_in_park", field="member_id", member_id=command.member_id)
    if not command.to_organization.strip():
        raise InvalidCommand("transfer.organization_missing", "name the organization the relationship goes to",
                             detail_zh="须注明转入单位", field="to_organization")
    out: list[MemberEvent] = []
    if member.branch_id is not None:
        out.append(MemberLeftBranch(member_id=member.member_id, branch_id=member.branch_id, left_on=on,
                                    reason="transferred_out"))
    out.append(MemberTransferredOut(member_id=member.member_id, to_organization=command.to_organization.strip(),
                                    transferred_on=on))
    return out


def decide(command: MemberCommand, state: MemberState) -> list[MemberEvent]:
    match command:
        case RegisterMember():
            return _register(command, state)
        case UpdateMemberContact():
            member = _in_park(state, command.member_id)
            return [MemberContactUpdated(member_id=member.member_id, phone=command.phone.strip())]
        case ChangeEnterprise():
            member = _in_park(state, command.member_id)
            on = effective_date(command.effective_on, command.now)
            _enterprise_must_be_in_park(command.enterprise_id, command.enterprise_in_park)
            if member.enterprise_id == command.enterprise_id:
                return []
            return [MemberEnterpriseChanged(member_id=member.member_id, enterprise_id=command.enterprise_id,
                                            changed_on=on)]
        case TransferIn():
            return _transfer_in(command, state)
        case TransferOut():
            return _transfer_out(command, state)
        case JoinBranch():
            member = _in_park(state, command.member_id)
            on = effective_date(command.effective_on, command.now)
            if member.branch_id is not None:
                raise DomainError("member.already_in_branch",
                                  f"member {member.member_id} already belongs to branch {member.branch_id};"
                                  " a member belongs to one branch: move instead",
                                  detail_zh="党员只能编入一个党支部，该党员已在其他支部", field="branch_id")
            if not command.branch_active:
                raise ERRORS.error("branch.not_active", field="branch_id", branch_id=command.branch_id)
            return [MemberJoinedBranch(member_id=member.member_id, branch_id=command.branch_id, joined_on=on)]
        case MoveToBranch():
            member = _in_park(state, command.member_id)
            on = effective_date(command.effective_on, command.now)
            if member.branch_id is None:
                raise ERRORS.error("member.not_in_branch", field="member_id", member_id=member.member_id)
            if member.branch_id == command.branch_id:
                raise DomainError("member.already_in_branch", f"member {member.member_id} is already in that branch",
                                  detail_zh="该党员已在此支部", field="branch_id")
            if not command.branch_active:
                raise ERRORS.error("branch.not_active", field="branch_id", branch_id=command.branch_id)
            return [
                MemberLeftBranch(member_id=member.member_id, branch_id=member.branch_id, left_on=on, reason="moved"),
                MemberJoinedBranch(member_id=member.member_id, branch_id=command.branch_id, joined_on=on),
            ]
        case ConfirmFullMembership():
            member = _in_park(state, command.member_id)
            on = effective_date(command.effective_on, command.now)
            if member.status == "full":
                raise ERRORS.error("member.already_full", field="member_id", member_id=member.member_id)
            probation_ends = years_after(member.joined_party_on, party_rules.PROBATION_YEARS)
            if on < probation_ends:
                raise ERRORS.error("member.probation_not_over", field="effective_on",
                                   probation_ends=probation_ends.isoformat())
            return [MemberStatusChanged(member_id=member.member_id, from_status="probationary", to_status="full",
                                        effective_on=on)]
        case _:
            assert_never(command)


def evolve(state: MemberState, event: MemberEvent) -> MemberState:
    match event:
        case MemberRegistered():
            return InPark(member_id=event.member_id, status=event.status, joined_party_on=event.joined_party_on,
                          relationship=event.relationship, enterprise_id=event.enterprise_id)
        case MemberContactUpdated():
            return state
        case MemberEnterpriseChanged():
            return msgspec.structs.replace(_as_in_park(state), enterprise_id=event.enterprise_id)
        case MemberTransferredIn():
            if isinstance(state, TransferredOut):
                # Coming back: the earlier employer and branch are not assumed to still apply.
                return InPark(member_id=state.member_id, status=state.status, joined_party_on=state.joined_party_on,
                              relationship="in_park")
            return msgspec.structs.replace(_as_in_park(state), relationship="in_park")
        case MemberTransferredOut():
            member = _as_in_park(state)
            return TransferredOut(member_id=member.member_id, status=member.status,
                                  joined_party_on=member.joined_party_on, transferred_on=event.transferred_on)
        case MemberJoinedBranch():
            return msgspec.structs.replace(_as_in_park(state), branch_id=event.branch_id)
        case MemberLeftBranch():
            return msgspec.structs.replace(_as_in_park(state), branch_id=None)
        case MemberStatusChanged():
            return msgspec.structs.replace(_as_in_park(state), status=event.to_status)
        case _:
            assert_never(event)


def _as_in_park(state: MemberState) -> InPark:
    if not isinstance(state, InPark):
        raise ValueError("member event for a member not in the park")
    return state


decider: Decider[MemberCommand, MemberState, MemberEvent] = Decider(initial=NoMember(), decide=decide, evolve=evolve)
