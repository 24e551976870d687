"""Governance's application layer, attached to the runtime by type: the rulebook, inspections
and rectifications, the branches' meetings. The reads over them (overdue inspections and
rectifications, missing meetings, the branch record books) are `queries.governance`.

Facts a command needs come from the streams that own them (is the branch active, was an attendee on
the branch's roster on the day: each attendee's member stream), so a refusal never rests on a read
model that trails the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from redpark_contracts.organization_governance import MeetingKind
from redpark_platform.calendar import park_date
from redpark_platform.clock import new_id
from redpark_platform.decider import InvalidCommand
from redpark_platform.runtime import ApplicationLayer
from redpark_platform.store import AppendResult

from ..domain import branch, general_branch, inspection, member, rulebook
from ..domain import branch_meeting as meetings


@dataclass
class Governance(ApplicationLayer):
    def today(self) -> date:
        return park_date(self.now())

    async def _branch_active(self, branch_id: str) -> bool:
        return isinstance(await self._state(branch.stream_id(branch_id), branch.decider), branch.ActiveBranch)

    async def _holder_exists(self, holder_id: str) -> bool:
        if rulebook.holder_kind(holder_id) == "general":
            state = await self._state(general_branch.STREAM_ID, general_branch.decider)
            return isinstance(state, general_branch.GeneralBranch)
        return await self._branch_active(holder_id)

    # --- commands -----------------------------------------------------------------------------

    async def define_rule(self, holder_id: str, rule_key: str, title: str, text: str,
                          on: date | None) -> AppendResult:
        return await self.runtime.execute(
            rulebook.stream_id(holder_id, rule_key), rulebook.decider, rulebook.DefineRule(
            holder_id=holder_id, rule_key=rule_key, title=title, text=text,
            holder_exists=await self._holder_exists(holder_id), now=self.now(), effective_on=on))

    async def post_rule(self, holder_id: str, rule_key: str, on: date | None) -> AppendResult:
        return await self.runtime.execute(rulebook.stream_id(holder_id, rule_key), rulebook.decider, rulebook.PostRule(
            holder_id=holder_id, rule_key=rule_key, now=self.now(), effective_on=on))

    async def unpost_rule(self, holder_id: str, rule_key: str, on: date | None) -> AppendResult:
        return await self.runtime.execute(rulebook.stream_id(holder_id, rule_key), rulebook.decider,
                                          rulebook.UnpostRule(holder_id=holder_id, rule_key=rule_key, now=self.now(),
                                                              effective_on=on))

    async def record_inspection(self, *, inspection_id: str, branch_id: str, inspected_on: date, passed: bool,
                                findings: str, rectification_deadline: date | None, by: str) -> AppendResult:
        return await self.runtime.execute(inspection.stream_id(branch_id), inspection.decider,
                                          inspection.RecordInspection(
                                              inspection_id=inspection_id, branch_id=branch_id,
                                              inspected_on=inspected_on, passed=passed, findings=findings,
                                              rectification_id=new_id(),
                                              rectification_deadline=rectification_deadline,
                                              branch_active=await self._branch_active(branch_id), recorded_by=by,
                                              now=self.now()))

    async def complete_rectification(self, branch_id: str, rectification_id: str, on: date | None) -> AppendResult:
        return await self.runtime.execute(inspection.stream_id(branch_id), inspection.decider,
                                          inspection.CompleteRectification(branch_id=branch_id,
                                                                           rectification_id=rectification_id,
                                                                           now=self.now(), effective_on=on))

    async def hold_meeting(self, *, meeting_id: str, branch_id: str, kind: MeetingKind, held_on: date, topic: str,
                           attendee_ids: list[str], minutes: str, by: str) -> AppendResult:
        if len(attendee_ids) > 500:
            raise InvalidCommand("meeting.too_many_attendees", "at most 500 attendees per meeting",
                                 detail_zh="参会人员过多", field="attendee_ids")
        general = branch_id == meetings.GENERAL
        on_roster = set()
        for member_id in set(attendee_ids):
            events = [e.event for e in (await self.runtime.store.read_stream(member.stream_id(member_id))).events]
            if (meetings.relationship_in_park_on(events, held_on) if general
                    else meetings.on_roster(events, branch_id, held_on)):
                on_roster.add(member_id)
        return await self.runtime.execute(meetings.stream_id(meeting_id), meetings.decider, meetings.HoldMeeting(
            meeting_id=meeting_id, branch_id=branch_id, kind=kind, held_on=held_on, topic=topic,
            attendee_ids=attendee_ids, minutes=minutes, on_roster_ids=frozenset(on_roster),
            branch_active=await self._holder_exists(branch_id), recorded_by=by, now=self.now()))
