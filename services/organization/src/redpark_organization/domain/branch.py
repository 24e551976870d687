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
from redpark_platform.calendar import effective_date, years_after
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from . import party_rules
from .errors import ERRORS


def stream_id(branch_id: str) -> str:
    return f"branch-{branch_id}"


class FoundingEnterprise(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: str
    in_park: bool
    full_members: int
    organized_in: str | None = None  # the branch the enterprise already belongs to, if any


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
            raise ERRORS.error("branch.dissolved", field="branch_id", branch_id=branch_id,
                               dissolved_on=state.dissolved_on)
        case _:
            assert_never(state)


def _establish(command: EstablishBranch, state: BranchState) -> list[BranchEvent]:
    # Before every other rule: an enterprise belongs to one branch, whatever else is wrong.
    for founding in command.enterprises:
        if founding.organized_in is not None:
            raise ERRORS.error("enterprise.already_in_branch", field="enterprise_ids",
                               enterprise_id=founding.enterprise_id, branch_id=founding.organized_in)
    if not isinstance(state, NoBranch):
        raise ERRORS.error("branch.already_established", field="branch_id", branch_id=command.branch_id)
    on = effective_date(command.effective_on, command.now)
    if not command.name.strip():
        raise ERRORS.error("branch.name_missing", field="name")
    ids = [e.enterprise_id for e in command.enterprises]
    if len(set(ids)) != len(ids):
        raise ERRORS.error("branch.enterprise_listed_twice", field="enterprises")
    if command.kind == "enterprise" and len(ids) != 1:
        raise ERRORS.error("branch.enterprise_branch_needs_one_enterprise", field="enterprises")
    if command.kind == "joint" and not ids:
        raise ERRORS.error("branch.joint_branch_needs_enterprises", field="enterprises")
    gone = [e.enterprise_id for e in command.enterprises if not e.in_park]
    if gone:
        raise ERRORS.error("branch.enterprise_not_in_park", field="enterprises", value=', '.join(gone))
    full = sum(e.full_members for e in command.enterprises)
    if full < party_rules.FULL_MEMBERS_FOR_BRANCH:
        hint = "" if command.kind == "joint" else "; join neighbours in a joint branch instead"
        raise ERRORS.error("branch.too_few_full_members", field="enterprises",
                           FULL_MEMBERS_FOR_BRANCH=party_rules.FULL_MEMBERS_FOR_BRANCH, full=full, hint=hint)
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
            raise ERRORS.error("committee.deputy_is_secretary", field="deputy_secretary_id")
        officers.append(("deputy_secretary_id", deputy_secretary_id))
    for field, member_id in officers:
        if member_id not in full:
            raise DomainError("committee.not_full_member_of_branch",
                              f"{member_id} is not a full member of {unit}",
                              detail_zh="书记、副书记和委员须为本组织正式党员", field=field)
    if len(full) < party_rules.FULL_MEMBERS_FOR_COMMITTEE:
        if committee_member_ids:
            raise ERRORS.error("committee.not_allowed_below_seven", field="committee_member_ids",
                               FULL_MEMBERS_FOR_COMMITTEE=party_rules.FULL_MEMBERS_FOR_COMMITTEE)
        return []
    committee = list(dict.fromkeys(committee_member_ids))
    outsiders = [m for m in committee if m not in full]
    if outsiders:
        raise DomainError("committee.not_full_member_of_branch",
                          f"{', '.join(outsiders)} are not full members of {unit}",
                          detail_zh="书记、副书记和委员须为本组织正式党员", field="committee_member_ids")
    if any(m not in committee for _, m in officers):
        raise ERRORS.error("committee.officer_not_in_committee", field="committee_member_ids")
    if not party_rules.COMMITTEE_MIN_SIZE <= len(committee) <= party_rules.COMMITTEE_MAX_SIZE:
        raise ERRORS.error("committee.size", field="committee_member_ids",
                           COMMITTEE_MIN_SIZE=party_rules.COMMITTEE_MIN_SIZE,
                           COMMITTEE_MAX_SIZE=party_rules.COMMITTEE_MAX_SIZE, value=len(committee))
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
        raise ERRORS.error("branch.dissolved_before_established", field="effective_on")
    left = {"members": command.member_count, "buildings": command.buildings_assigned,
            "enterprises": command.enterprises_organized}
    if any(left.values()):
        # Dissolving with people or buildings still attached would leave them silently uncovered.
        what = ", ".join(f"{n} {k}" for k, n in left.items() if n)
        raise ERRORS.error("branch.not_empty", field="branch_id", branch_id=command.branch_id, what=what)
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
