"""The application layer of pending transfer-in follow-ups: opens one
when enterprise-support tells of a declared party member hired in the park, and closes one when
staff resolve (the person is now a member of the census) or dismiss it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from redpark_platform.runtime import ApplicationLayer
from redpark_platform.store import AppendResult

from ..domain import followup, member


@dataclass
class Followups(ApplicationLayer):
    async def open(self, *, followup_id: str, enterprise_id: str, name: str, relationship_held_by: str,
                   since: date) -> AppendResult:
        return await self.runtime.execute(followup.stream_id(followup_id), followup.decider, followup.OpenFollowup(
            followup_id=followup_id, enterprise_id=enterprise_id, name=name,
            relationship_held_by=relationship_held_by, since=since, now=self.now()))

    async def resolve(self, followup_id: str, member_id: str, on: date | None) -> AppendResult:
        read = await self.runtime.store.read_stream(member.stream_id(member_id))
        state = member.decider.fold([e.event for e in read.events])
        return await self.runtime.execute(followup.stream_id(followup_id), followup.decider, followup.ResolveFollowup(
            followup_id=followup_id, member_id=member_id, member_in_park=isinstance(state, member.InPark),
            now=self.now(), effective_on=on))

    async def dismiss(self, followup_id: str, reason: str, on: date | None) -> AppendResult:
        return await self.runtime.execute(followup.stream_id(followup_id), followup.decider, followup.DismissFollowup(
            followup_id=followup_id, reason=reason, now=self.now(), effective_on=on))
