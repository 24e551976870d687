"""Branch (党支部): established for one enterprise (独立支部) or several units (联合支部), its
committee, and its dissolution.

The branch's stream owns its own life; who belongs to it lives on the members' and enterprises'
streams (so a member or an enterprise is never in two branches). Facts from other streams come
in the command, filled in by the application layer:
- `enterprises` (EstablishBranch): for each enterprise it is formed for, whether it is still in
  the park and how many full members with their relationship in the park work there;
- `full_member_ids` (ElectCommittee): full members of this branch now;
- `member_count`, `buildings_assigned`, `enterprises_organized` (DissolveBranch): what still hangs
  on the branch.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization import BranchCommitteeElected, BranchDissolved, BranchEstablished, BranchKind
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from . import party_rules
from .park_calendar import effective_date, years_after


def stream_id(branch_id: str) -> str:
    return f"branch-{branch_id}"


class FoundingEnterprise(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    in_park: bool
    full_members: int


class EstablishBranch(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    name: str
    kind: BranchKind
    enterprises: list[FoundingEnterprise]
    now: datetime
    effective_on: date | None = None


class ElectCommittee(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    secretary_id: str
    deputy_secretary_id: str | None = None
    committee_member_ids: list[str] = []
    full_member_ids: list[str]
    now: datetime
    effective_on: date | None = None


class DissolveBranch(msgspec.Struct, frozen=True, kw_only=True):
    branch_id: str
    reason: str
    member_count: int
    buildings_assigned: int
    enterprises_organized: int
    now: datetime
    effective_on: date | None = None


BranchCommand = EstablishBranch | ElectCommittee | DissolveBranch
BranchEvent = BranchEstablished | BranchCommitteeElected | BranchDissolved


class NoBranch(msgspec.Struct, frozen=True, tag=True):
    pass


class ActiveBranch(msgspec.Struct, frozen=True, tag=True):
    branch_id: str
    kind: BranchKind
    established_on: date
    secretary_id: str | None = None


class DissolvedBranch(msgspec.Struct, frozen=True, tag=True):
    branch_id: str
    dissolved_on: date


BranchState = NoBranch | ActiveBranch | DissolvedBranch


def _active(state: BranchState, branch_id: str) -> ActiveBranch:
    match state:
        case ActiveBranch():
            return state
        case NoBranch():
            raise NotFound("branch.unknown", f"branch {branch_id} was never established", detail_zh="支部不存在",
                           field="branch_id")
        case DissolvedBranch():
            raise DomainError("branch.dissolved", f"branch {branch_id} was dissolved on {state.dissolved_on}",
                              detail_zh="该支部已撤销", field="branch_id")
        case _:
            assert_never(state)


def _establish(command: EstablishBranch, state: BranchState) -> list[BranchEvent]:
    if not isinstance(state, NoBranch):
        raise DomainError("branch.already_established", f"branch {command.branch_id} already exists",
                          detail_zh="该支部已存在", field="branch_id")
    on = effective_date(command.effective_on, command.now)
    if not command.name.strip():
        raise InvalidCommand("branch.name_missing", "a branch needs a name", detail_zh="支部名称不能为空", field="name")
    ids = [e.enterprise_id for e in command.enterprises]
    if len(set(ids)) != len(ids):
        raise InvalidCommand("branch.enterprise_listed_twice", "an enterprise is listed twice",
                             detail_zh="企业重复", field="enterprises")
    if command.kind == "enterprise" and len(ids) != 1:
        raise InvalidCommand("branch.enterprise_branch_needs_one_enterprise",
                             "an enterprise branch (独立支部) is formed for exactly one enterprise",
                             detail_zh="独立支部只对应一家企业", field="enterprises")
    if command.kind == "joint" and not ids:
        raise InvalidCommand("branch.joint_branch_needs_enterprises",
                             "a joint branch is formed for the enterprises it will organize",
                             detail_zh="联合支部须列明所覆盖的企业", field="enterprises")
    gone = [e.enterprise_id for e in command.enterprises if not e.in_park]
    if gone:
        raise DomainError("branch.enterprise_not_in_park",
                          f"enterprise(s) {', '.join(gone)} are not in the park (moved out or never moved in)",
                          detail_zh="不能为已迁出或未入驻的企业建立支部", field="enterprises")
    full = sum(e.full_members for e in command.enterprises)
    if full < party_rules.FULL_MEMBERS_FOR_BRANCH:
        hint = "" if command.kind == "joint" else "; join neighbours in a joint branch instead"
        raise DomainError("branch.too_few_full_members",
                          f"a branch needs at least {party_rules.FULL_MEMBERS_FOR_BRANCH} full members, found {full}{hint}",
                          detail_zh="正式党员3人以上方可成立党支部；不足3人的应与邻近单位成立联合党支部",
                          field="enterprises")
    return [BranchEstablished(branch_id=command.branch_id, name=command.name.strip(), kind=command.kind,
                              enterprise_ids=ids, full_members_at_founding=full, established_on=on)]


def committee_elected(*, unit: str, secretary_id: str, deputy_secretary_id: str | None,
                      committee_member_ids: list[str], full_member_ids: list[str]) -> list[str]:
    """The rules of an election, shared by a branch and the general branch (`unit` names it in the
    refusal): officers are full members of the unit; 7+ full members elect a committee of 3 to 7
    holding the officers, fewer elect a secretary (and a deputy if needed) only. Returns the
    committee as elected (empty below 7)."""
    full = set(full_member_ids)
    officers = [("secretary_id", secretary_id)]
    if deputy_secretary_id is not None:
        if deputy_secretary_id == secretary_id:
            raise InvalidCommand("committee.deputy_is_secretary", "the deputy secretary cannot be the secretary",
                                 detail_zh="副书记与书记不能为同一人", field="deputy_secretary_id")
        officers.append(("deputy_secretary_id", deputy_secretary_id))
    for field, member_id in officers:
        if member_id not in full:
            raise DomainError("committee.not_full_member_of_branch",
                              f"{member_id} is not a full member of {unit}",
                              detail_zh="书记、副书记和委员须为本组织正式党员", field=field)
    if len(full) < party_rules.FULL_MEMBERS_FOR_COMMITTEE:
        if committee_member_ids:
            raise InvalidCommand("committee.not_allowed_below_seven",
                                 f"a unit with fewer than {party_rules.FULL_MEMBERS_FOR_COMMITTEE} full members"
                                 " elects a secretary (and a deputy if needed), not a committee",
                                 detail_zh="正式党员不足7人的只设书记，必要时设副书记，不设委员会",
                                 field="committee_member_ids")
        return []
    committee = list(dict.fromkeys(committee_member_ids))
    outsiders = [m for m in committee if m not in full]
    if outsiders:
        raise DomainError("committee.not_full_member_of_branch",
                          f"{', '.join(outsiders)} are not full members of {unit}",
                          detail_zh="书记、副书记和委员须为本组织正式党员", field="committee_member_ids")
    if any(m not in committee for _, m in officers):
        raise InvalidCommand("committee.officer_not_in_committee",
                             "the secretary and deputy secretary sit on the committee",
                             detail_zh="书记、副书记应为委员会成员", field="committee_member_ids")
    if not party_rules.COMMITTEE_MIN_SIZE <= len(committee) <= party_rules.COMMITTEE_MAX_SIZE:
        raise InvalidCommand("committee.size",
                             f"a committee has {party_rules.COMMITTEE_MIN_SIZE} to"
                             f" {party_rules.COMMITTEE_MAX_SIZE} members, got {len(committee)}",
                             detail_zh="委员会由3至5人组成，一般不超过7人", field="committee_member_ids")
    return committee


def _elect(command: ElectCommittee, state: BranchState) -> list[BranchEvent]:
    branch = _active(state, command.branch_id)
    on = effective_date(command.effective_on, command.now)
    if on < branch.established_on:
        raise InvalidCommand("committee.before_branch", "the election cannot precede the branch's establishment",
                             detail_zh="选举日期不能早于支部成立日期", field="effective_on")
    committee = committee_elected(unit=f"branch {command.branch_id}", secretary_id=command.secretary_id,
                                  deputy_secretary_id=command.deputy_secretary_id,
                                  committee_member_ids=command.committee_member_ids,
                                  full_member_ids=command.full_member_ids)
    return [BranchCommitteeElected(
        branch_id=command.branch_id, secretary_id=command.secretary_id,
        deputy_secretary_id=command.deputy_secretary_id, committee_member_ids=committee, elected_on=on,
        term_ends_on=years_after(on, party_rules.COMMITTEE_TERM_YEARS),
    )]


def _dissolve(command: DissolveBranch, state: BranchState) -> list[BranchEvent]:
    branch = _active(state, command.branch_id)
    on = effective_date(command.effective_on, command.now)
    if on < branch.established_on:
        raise InvalidCommand("branch.dissolved_before_established", "dissolution cannot precede establishment",
                             detail_zh="撤销日期不能早于成立日期", field="effective_on")
    left = {"members": command.member_count, "buildings": command.buildings_assigned,
            "enterprises": command.enterprises_organized}
    if any(left.values()):
        # Dissolving with people or buildings still attached would leave them silently uncovered.
        what = ", ".join(f"{n} {k}" for k, n in left.items() if n)
        raise DomainError("branch.not_empty", f"branch {command.branch_id} still has {what}; move them first",
                          detail_zh="支部仍有党员、楼栋或企业，须先转出后方可撤销", field="branch_id")
    return [BranchDissolved(branch_id=command.branch_id, dissolved_on=on, reason=command.reason)]


def decide(command: BranchCommand, state: BranchState) -> list[BranchEvent]:
    match command:
        case EstablishBranch():
            return _establish(command, state)
        case ElectCommittee():
            return _elect(command, state)
        case DissolveBranch():
            return _dissolve(command, state)
        case _:
            assert_never(command)


def evolve(state: BranchState, event: BranchEvent) -> BranchState:
    match event:
        case BranchEstablished():
            return ActiveBranch(branch_id=event.branch_id, kind=event.kind, established_on=event.established_on)
        case BranchCommitteeElected():
            if not isinstance(state, ActiveBranch):
                raise ValueError("committee elected for a branch that is not active")
            return msgspec.structs.replace(state, secretary_id=event.secretary_id)
        case BranchDissolved():
            return DissolvedBranch(branch_id=event.branch_id, dissolved_on=event.dissolved_on)
        case _:
            assert_never(event)


decider: Decider[BranchCommand, BranchState, BranchEvent] = Decider(initial=NoBranch(), decide=decide, evolve=evolve)
