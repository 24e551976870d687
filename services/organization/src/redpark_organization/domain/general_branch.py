"""The general branch (党总支): exactly one per park, on its own stream, with its committee.

The park's branches sit under it; it sends liaison instructors to enterprises with no members
when no neighbouring branch does, and it is what may be upgraded to a party committee (党委)
once the park holds 100 members (`coverage.party_committee_readiness`). Its members, for the
election, are the park's full members whose relationship the park holds: `full_member_ids` comes
in the command, filled in by the application layer from the rosters.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_never

import msgspec

from redpark_contracts.organization import GeneralBranchCommitteeElected, GeneralBranchEstablished
from redpark_platform.calendar import effective_date, years_after
from redpark_platform.decider import Decider, InvalidCommand

from . import party_rules
from .branch import committee_elected
from .errors import ERRORS

# One stream for the park: a second establishment lands on the same stream and is refused there.
STREAM_ID = "general-branch"


class EstablishGeneralBranch(msgspec.Struct, frozen=True, kw_only=True):
    general_branch_id: str
    name: str
    now: datetime
    effective_on: date | None = None


class ElectGeneralBranchCommittee(msgspec.Struct, frozen=True, kw_only=True):
    secretary_id: str
    deputy_secretary_id: str | None = None
    committee_member_ids: list[str] = []
    full_member_ids: list[str]
    now: datetime
    effective_on: date | None = None


GeneralBranchCommand = EstablishGeneralBranch | ElectGeneralBranchCommittee
GeneralBranchEvent = GeneralBranchEstablished | GeneralBranchCommitteeElected


class NoGeneralBranch(msgspec.Struct, frozen=True, tag=True):
    pass


class GeneralBranch(msgspec.Struct, frozen=True, tag=True):
    general_branch_id: str
    established_on: date
    secretary_id: str | None = None


GeneralBranchState = NoGeneralBranch | GeneralBranch


def _establish(command: EstablishGeneralBranch, state: GeneralBranchState) -> list[GeneralBranchEvent]:
    if isinstance(state, GeneralBranch):
        raise ERRORS.error("general_branch.already_established", field="general_branch_id",
                           general_branch_id=state.general_branch_id)
    on = effective_date(command.effective_on, command.now)
    if not command.name.strip():
        raise ERRORS.error("general_branch.name_missing", field="name")
    return [GeneralBranchEstablished(general_branch_id=command.general_branch_id, name=command.name.strip(),
                                     established_on=on)]


def _elect(command: ElectGeneralBranchCommittee, state: GeneralBranchState) -> list[GeneralBranchEvent]:
    if not isinstance(state, GeneralBranch):
        raise ERRORS.error("general_branch.not_established", field="general_branch_id")
    on = effective_date(command.effective_on, command.now)
    if on < state.established_on:
        raise InvalidCommand("committee.before_branch", "the election cannot precede the general branch's founding",
                             detail_zh="选举日期不能早于党总支成立日期", field="effective_on")
    committee = committee_elected(unit=f"general branch {state.general_branch_id}",
                                  secretary_id=command.secretary_id,
                                  deputy_secretary_id=command.deputy_secretary_id,
                                  committee_member_ids=command.committee_member_ids,
                                  full_member_ids=command.full_member_ids)
    return [GeneralBranchCommitteeElected(
        general_branch_id=state.general_branch_id, secretary_id=command.secretary_id,
        deputy_secretary_id=command.deputy_secretary_id, committee_member_ids=committee, elected_on=on,
        term_ends_on=years_after(on, party_rules.COMMITTEE_TERM_YEARS))]


def decide(command: GeneralBranchCommand, state: GeneralBranchState) -> list[GeneralBranchEvent]:
    match command:
        case EstablishGeneralBranch():
            return _establish(command, state)
        case ElectGeneralBranchCommittee():
            return _elect(command, state)
        case _:
            assert_never(command)


def evolve(state: GeneralBranchState, event: GeneralBranchEvent) -> GeneralBranchState:
    match event:
        case GeneralBranchEstablished():
            return GeneralBranch(general_branch_id=event.general_branch_id, established_on=event.established_on)
        case GeneralBranchCommitteeElected():
            if not isinstance(state, GeneralBranch):
                raise ValueError("committee elected before the general branch was established")
            return msgspec.structs.replace(state, secretary_id=event.secretary_id)
        case _:
            assert_never(event)


decider: Decider[GeneralBranchCommand, GeneralBranchState, GeneralBranchEvent] = Decider(
    initial=NoGeneralBranch(), decide=decide, evolve=evolve)
