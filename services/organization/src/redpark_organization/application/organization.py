"""The application layer: gather the facts a command needs, run the decider, store the events.

Facts owned by another stream are read from that stream (strongly consistent at the moment of
the command). Counts over many streams (members of an enterprise or a branch, buildings of a
branch) come from the read models, which trail the store by milliseconds: a command racing
another command on a different stream may see the count before it. The rules that must never be
broken (one branch per member, building and enterprise; each month paid once; no stage skipped)
are all decided on their own stream and do not depend on those counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from redpark_contracts.organization import BranchKind, DevelopmentStage, GridPlan
from redpark_platform.runtime import ApplicationLayer
from redpark_platform.store import AppendResult

from ..domain import (
    branch,
    building,
    contact,
    development,
    dues,
    enterprise,
    general_branch,
    grid_plan,
    member,
    transfer_letter,
    zone,
)
from ..domain.grid import GridProposal, propose_grid
from ..queries import census as census_reads
from ..queries import park as park_reads
from ..queries import rosters as rosters_reads


@dataclass
class Organization(ApplicationLayer):
    """What the routes use, attached to the runtime by type."""

    # --- plumbing ---------------------------------------------------------------------------

    async def _branch_active(self, branch_id: str) -> bool:
        return isinstance(await self._state(branch.stream_id(branch_id), branch.decider), branch.ActiveBranch)

    async def _enterprise(self, enterprise_id: str) -> enterprise.EnterpriseState:
        state: enterprise.EnterpriseState = await self._state(enterprise.stream_id(enterprise_id), enterprise.decider)
        return state

    async def _member(self, member_id: str) -> member.MemberState:
        state: member.MemberState = await self._state(member.stream_id(member_id), member.decider)
        return state

    async def _enterprise_in_park(self, enterprise_id: str | None) -> bool:
        return enterprise_id is None or isinstance(await self._enterprise(enterprise_id), enterprise.InPark)

    # --- zones and buildings ----------------------------------------------------------------

    async def define_zone(self, zone_id: str, name: str, phase: int) -> AppendResult:
        return await self._execute(zone.stream_id(zone_id), zone.decider,
                                   zone.DefineZone(zone_id=zone_id, name=name, phase=phase, now=self.now()))

    async def register_building(self, building_id: str, zone_id: str, name: str, floors: int,
                                sequence_in_zone: int) -> AppendResult:
        zone_known = isinstance(await self._state(zone.stream_id(zone_id), zone.decider), zone.Zone)
        return await self._execute(building.stream_id(building_id), building.decider, building.RegisterBuilding(
            building_id=building_id, zone_id=zone_id, name=name, floors=floors, sequence_in_zone=sequence_in_zone,
            zone_known=zone_known, now=self.now()))

    async def assign_building(self, building_id: str, branch_id: str, on: date | None) -> AppendResult:
        return await self._execute(building.stream_id(building_id), building.decider, building.AssignBuilding(
            building_id=building_id, branch_id=branch_id, branch_active=await self._branch_active(branch_id),
            now=self.now(), effective_on=on))

    async def release_building(self, building_id: str, on: date | None) -> AppendResult:
        return await self._execute(building.stream_id(building_id), building.decider,
                                   building.ReleaseBuilding(building_id=building_id, now=self.now(), effective_on=on))

    async def appoint_building_instructor(self, building_id: str, member_id: str, on: date | None) -> AppendResult:
        state = await self._member(member_id)
        member_branch = state.branch_id if isinstance(state, member.InPark) else None
        return await self._execute(building.stream_id(building_id), building.decider,
                                   building.AppointBuildingInstructor(building_id=building_id, member_id=member_id,
                                                                      member_branch_id=member_branch, now=self.now(),
                                                                      effective_on=on))

    # --- enterprises --------------------------------------------------------------------------

    async def _building_floors(self, building_id: str) -> int | None:
        state = await self._state(building.stream_id(building_id), building.decider)
        return state.floors if isinstance(state, building.Building) else None

    async def move_in(self, *, enterprise_id: str, name: str, building_id: str, floor: int, headcount: int,
                      is_tech_enterprise: bool, legal_representative: str, on: date | None) -> AppendResult:
        return await self._execute(enterprise.stream_id(enterprise_id), enterprise.decider, enterprise.MoveIn(
            enterprise_id=enterprise_id, name=name, building_id=building_id, floor=floor, headcount=headcount,
            is_tech_enterprise=is_tech_enterprise, legal_representative=legal_representative,
            building_floors=await self._building_floors(building_id), now=self.now(), effective_on=on))

    async def update_enterprise(self, *, enterprise_id: str, name: str, building_id: str, floor: int,
                                headcount: int, is_tech_enterprise: bool, legal_representative: str,
                                on: date | None) -> AppendResult:
        return await self._execute(enterprise.stream_id(enterprise_id), enterprise.decider, enterprise.UpdateProfile(
            enterprise_id=enterprise_id, name=name, building_id=building_id, floor=floor, headcount=headcount,
            is_tech_enterprise=is_tech_enterprise, legal_representative=legal_representative,
            building_floors=await self._building_floors(building_id), now=self.now(), effective_on=on))

    async def move_out(self, enterprise_id: str, on: date | None) -> AppendResult:
        return await self._execute(enterprise.stream_id(enterprise_id), enterprise.decider,
                                   enterprise.MoveOut(enterprise_id=enterprise_id, now=self.now(), effective_on=on))

    async def organize_enterprise(self, enterprise_id: str, branch_id: str, on: date | None) -> AppendResult:
        return await self._execute(enterprise.stream_id(enterprise_id), enterprise.decider, enterprise.JoinBranch(
            enterprise_id=enterprise_id, branch_id=branch_id, branch_active=await self._branch_active(branch_id),
            now=self.now(), effective_on=on))

    async def assign_liaison(self, enterprise_id: str, member_id: str, sent_by_branch_id: str | None,
                             on: date | None) -> AppendResult:
        ent = await self._enterprise(enterprise_id)
        member_state = await self._member(member_id)
        neighbour = False
        if sent_by_branch_id is not None and isinstance(ent, enterprise.InPark):
            neighbour = (await self._branch_active(sent_by_branch_id) and await park_reads.branch_answers_near(
                self.runtime.pool, sent_by_branch_id, ent.building_id))
        return await self._execute(enterprise.stream_id(enterprise_id), enterprise.decider,
                                   enterprise.AssignLiaisonInstructor(
                                       enterprise_id=enterprise_id, member_id=member_id,
                                       sent_by_branch_id=sent_by_branch_id,
                                       enterprise_member_count=await rosters_reads.enterprise_member_count(
                                           self.runtime.pool, enterprise_id),
                                       instructor_in_park=isinstance(member_state, member.InPark),
                                       sender_is_neighbour=neighbour, now=self.now(), effective_on=on,
                                       general_branch_id=await self.general_branch_id()))

    # --- branches -------------------------------------------------------------------------------

    async def establish_branch(self, *, branch_id: str, name: str, kind: BranchKind,
                               enterprise_ids: Sequence[str], on: date | None) -> AppendResult:
        now = self.now()
        founding = []
        states: list[enterprise.EnterpriseState] = []
        for eid in enterprise_ids:
            state = await self._enterprise(eid)
            states.append(state)
            in_park = isinstance(state, enterprise.InPark)
            founding.append(branch.FoundingEnterprise(
                enterprise_id=eid, in_park=in_park,
                organized_in=state.branch_id if isinstance(state, enterprise.InPark) else None,
                full_members=await rosters_reads.enterprise_full_members(self.runtime.pool, eid)))
        establish = branch.EstablishBranch(branch_id=branch_id, name=name, kind=kind, enterprises=founding, now=now,
                                           effective_on=on)
        # The founding and every enterprise's joining are decided before any is stored, so a refusal
        # (by the branch's rules or by an enterprise's) leaves nothing behind, not a branch without
        # some of its enterprises.
        branch.decider.decide(establish, await self._state(branch.stream_id(branch_id), branch.decider))
        joins = [enterprise.JoinBranch(enterprise_id=eid, branch_id=branch_id, branch_active=True, now=now,
                                       effective_on=on) for eid in enterprise_ids]
        for join, state in zip(joins, states, strict=True):
            enterprise.decider.decide(join, state)
        result = await self._execute(branch.stream_id(branch_id), branch.decider, establish)
        for eid in enterprise_ids:
            result = await self.organize_enterprise(eid, branch_id, on)
        return result

    async def elect_committee(self, *, branch_id: str, secretary_id: str, deputy_secretary_id: str | None,
                              committee_member_ids: list[str], on: date | None) -> AppendResult:
        return await self._execute(branch.stream_id(branch_id), branch.decider, branch.ElectCommittee(
            branch_id=branch_id, secretary_id=secretary_id, deputy_secretary_id=deputy_secretary_id,
            committee_member_ids=committee_member_ids,
            full_member_ids=await rosters_reads.branch_full_member_ids(self.runtime.pool, branch_id),
            now=self.now(), effective_on=on))

    async def dissolve_branch(self, branch_id: str, reason: str, on: date | None) -> AppendResult:
        members, buildings, enterprises = await park_reads.branch_load(self.runtime.pool, branch_id)
        return await self._execute(branch.stream_id(branch_id), branch.decider, branch.DissolveBranch(
            branch_id=branch_id, reason=reason, member_count=members, buildings_assigned=buildings,
            enterprises_organized=enterprises, now=self.now(), effective_on=on))

    # --- the general branch ------------------------------------------------------------------

    async def general_branch_id(self) -> str | None:
        state = await self._state(general_branch.STREAM_ID, general_branch.decider)
        return state.general_branch_id if isinstance(state, general_branch.GeneralBranch) else None

    async def establish_general_branch(self, general_branch_id: str, name: str, on: date | None) -> AppendResult:
        return await self._execute(general_branch.STREAM_ID, general_branch.decider,
                                   general_branch.EstablishGeneralBranch(general_branch_id=general_branch_id,
                                                                         name=name, now=self.now(), effective_on=on))

    async def elect_general_branch_committee(self, *, secretary_id: str, deputy_secretary_id: str | None,
                                             committee_member_ids: list[str], on: date | None) -> AppendResult:
        return await self._execute(general_branch.STREAM_ID, general_branch.decider,
                                   general_branch.ElectGeneralBranchCommittee(
                                       secretary_id=secretary_id, deputy_secretary_id=deputy_secretary_id,
                                       committee_member_ids=committee_member_ids,
                                       full_member_ids=await rosters_reads.park_full_member_ids(self.runtime.pool),
                                       now=self.now(), effective_on=on))

    # --- members ----------------------------------------------------------------------------

    async def register_member(self, cmd: dict[str, Any]) -> AppendResult:
        return await self._execute(member.stream_id(cmd["member_id"]), member.decider, member.RegisterMember(
            **cmd, enterprise_in_park=await self._enterprise_in_park(cmd.get("enterprise_id")), now=self.now()))

    async def member_command(self, member_id: str, command: member.MemberCommand) -> AppendResult:
        return await self._execute(member.stream_id(member_id), member.decider, command)

    async def place_member(self, member_id: str, branch_id: str, on: date | None) -> AppendResult:
        """Join a branch, or move to it when already in another."""
        state = await self._member(member_id)
        active = await self._branch_active(branch_id)
        cmd: member.MemberCommand
        if isinstance(state, member.InPark) and state.branch_id is not None:
            cmd = member.MoveToBranch(member_id=member_id, branch_id=branch_id, branch_active=active, now=self.now(),
                                      effective_on=on)
        else:
            cmd = member.JoinBranch(member_id=member_id, branch_id=branch_id, branch_active=active, now=self.now(),
                                    effective_on=on)
        return await self.member_command(member_id, cmd)

    async def change_enterprise(self, member_id: str, enterprise_id: str | None, on: date | None) -> AppendResult:
        return await self.member_command(member_id, member.ChangeEnterprise(
            member_id=member_id, enterprise_id=enterprise_id,
            enterprise_in_park=await self._enterprise_in_park(enterprise_id), now=self.now(), effective_on=on))

    # --- dues -----------------------------------------------------------------------------------

    async def set_dues_rate(self, member_id: str, monthly_amount_fen: int, effective_from: str) -> AppendResult:
        known = isinstance(await self._member(member_id), member.InPark)
        return await self._execute(dues.stream_id(member_id), dues.decider, dues.SetDuesRate(
            member_id=member_id, monthly_amount_fen=monthly_amount_fen, effective_from=effective_from,
            member_known=known, now=self.now()))

    async def assess_dues(self, member_id: str, *, category: str, effective_from: str,
                          monthly_income_fen: int | None, monthly_amount_fen: int | None,
                          reason: str) -> AppendResult:
        known = isinstance(await self._member(member_id), member.InPark)
        return await self._execute(dues.stream_id(member_id), dues.decider, dues.AssessDues(
            member_id=member_id, category=category, effective_from=effective_from,
            monthly_income_fen=monthly_income_fen, monthly_amount_fen=monthly_amount_fen, reason=reason,
            member_known=known, now=self.now()))

    async def pay_dues_months(self, member_id: str, months: list[str], amount_fen: int,
                              on: date | None) -> AppendResult:
        return await self._execute(dues.stream_id(member_id), dues.decider, dues.PayDuesMonths(
            member_id=member_id, months=months, amount_fen=amount_fen, now=self.now(), effective_on=on))

    async def pay_dues(self, member_id: str, month: str, amount_fen: int, on: date | None) -> AppendResult:
        return await self._execute(dues.stream_id(member_id), dues.decider, dues.PayDues(
            member_id=member_id, month=month, amount_fen=amount_fen, now=self.now(), effective_on=on))

    # --- letters of transfer (组织关系介绍信) --------------------------------------------------------

    async def issue_transfer_letter(self, *, transfer_id: str, member_id: str, direction: str, letter_no: str,
                                    organization: str, valid_until: date, on: date | None) -> AppendResult:
        state = await self._member(member_id)
        # out: the park must hold the relationship to send it; in: the member must be in the census
        known = (isinstance(state, member.InPark) and state.relationship == "in_park" if direction == "out"
                 else isinstance(state, member.InPark))
        return await self._execute(transfer_letter.stream_id(transfer_id), transfer_letter.decider,
                                   transfer_letter.IssueLetter(
                                       transfer_id=transfer_id, member_id=member_id,
                                       direction="out" if direction == "out" else "in", letter_no=letter_no,
                                       organization=organization, valid_until=valid_until, member_known=known,
                                       now=self.now(), effective_on=on))

    async def record_return_slip(self, transfer_id: str, on: date | None) -> AppendResult:
        return await self._execute(transfer_letter.stream_id(transfer_id), transfer_letter.decider,
                                   transfer_letter.RecordReturnSlip(transfer_id=transfer_id, now=self.now(),
                                                                    effective_on=on))

    async def member_branch(self, member_id: str) -> str | None:
        state = await self._member(member_id)
        return state.branch_id if isinstance(state, member.InPark) else None

    # --- development ------------------------------------------------------------------------

    async def development_command(self, person_id: str, command: development.DevelopmentCommand) -> AppendResult:
        return await self._execute(development.stream_id(person_id), development.decider, command)

    async def advance_development(self, person_id: str, to_stage: DevelopmentStage, on: date | None) -> AppendResult:
        """Reaching `full` in development is the member's 转正 too, when the member is registered
        under the same id and still probationary; the member's own rules then decide it again."""
        now = self.now()
        advance = development.AdvanceStage(person_id=person_id, to_stage=to_stage, now=now, effective_on=on)
        state = await self._member(person_id)
        confirm: member.ConfirmFullMembership | None = None
        if to_stage == "full" and isinstance(state, member.InPark) and state.status == "probationary":
            # Both steps are decided before either is stored: when the member's own rules refuse the
            # 转正 (say its probation, counted from the member's record, is not over), the development
            # record is left as it was instead of half the change being applied.
            record = await self._state(development.stream_id(person_id), development.decider)
            reached = development.decider.decide(advance, record)[-1].reached_on
            confirm = member.ConfirmFullMembership(member_id=person_id, now=now, effective_on=reached)
            member.decider.decide(confirm, state)
        result = await self.development_command(person_id, advance)
        if confirm is not None:
            result = await self.member_command(person_id, confirm)
        return result

    async def set_quota(self, year: int, quota: int) -> AppendResult:
        return await self._execute(development.quota_stream_id(year), development.quota_decider,
                                   development.SetQuota(year=year, quota=quota, now=self.now()))

    # --- census contacts --------------------------------------------------------------------

    async def contact_command(self, person_id: str, build: Any) -> AppendResult:
        is_member = not isinstance(await self._member(person_id), member.NoMember)
        return await self._execute(contact.stream_id(person_id), contact.decider, build(is_member))

    # --- grid -------------------------------------------------------------------------------

    async def proposal(self) -> GridProposal:
        return propose_grid(await census_reads.census_snapshot(self.runtime.pool))

    async def adopt_grid_plan(self, plan_id: str, plan: GridPlan | None, adopted_by: str) -> AppendResult:
        proposed = (await self.proposal()).plan
        return await self._execute(grid_plan.stream_id(plan_id), grid_plan.decider, grid_plan.AdoptGridPlan(
            plan_id=plan_id, proposed=proposed, plan=plan if plan is not None else proposed, adopted_by=adopted_by,
            now=self.now()))
