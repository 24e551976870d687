"""Members' volunteer and tech-poverty-relief activities: schedule, sign up, withdraw, hours.

Whether an organizer or a member exists comes from the organization's events (the read model
`events_public_org_directory`), filled into the command here; the decider refuses the unknown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from redpark_contracts.events_public import VolunteerKind
from redpark_platform.runtime import Runtime
from redpark_platform.store import AppendResult

from ..domain.volunteer import (
    RecordVolunteerHours,
    ScheduleVolunteerActivity,
    SignUpVolunteer,
    VolunteerActivity,
    VolunteerCommand,
    WithdrawVolunteer,
    volunteer_decider,
    volunteer_stream,
)
from ..queries import volunteer as queries


@dataclass
class Volunteering:
    runtime: Runtime

    async def organizer_of(self, activity_id: str) -> str | None:
        """The branch that organizes the activity (None when there is no such activity): the edge
        lets a branch secretary manage only their own branch's activities."""
        state = await self.runtime.state(volunteer_stream(activity_id), volunteer_decider)
        return state.plan.organizer_branch_id if isinstance(state, VolunteerActivity) else None

    async def schedule(
        self,
        *,
        activity_id: str,
        kind: VolunteerKind,
        title: str,
        organizer_branch_id: str,
        place: str,
        starts_at: datetime,
        ends_at: datetime,
        volunteer_slots: int | None,
    ) -> AppendResult:
        return await self._execute(
            ScheduleVolunteerActivity(
                activity_id=activity_id,
                kind=kind,
                title=title,
                organizer_branch_id=organizer_branch_id,
                place=place,
                starts_at=starts_at,
                ends_at=ends_at,
                volunteer_slots=volunteer_slots,
                organizer_known=await queries.unit_known(self.runtime.pool, organizer_branch_id),
                now=self.runtime.now(),
            )
        )

    async def sign_up(self, activity_id: str, member_id: str) -> AppendResult:
        return await self._execute(
            SignUpVolunteer(
                activity_id=activity_id,
                member_id=member_id,
                member_known=await queries.member_known(self.runtime.pool, member_id),
                now=self.runtime.now(),
            )
        )

    async def withdraw(self, activity_id: str, member_id: str) -> AppendResult:
        return await self._execute(
            WithdrawVolunteer(activity_id=activity_id, member_id=member_id, now=self.runtime.now())
        )

    async def record_hours(self, activity_id: str, member_id: str, *, hours: float, by: str) -> AppendResult:
        return await self._execute(
            RecordVolunteerHours(
                activity_id=activity_id,
                member_id=member_id,
                hours=hours,
                recorded_by=by,
                now=self.runtime.now(),
            )
        )

    async def _execute(self, command: VolunteerCommand) -> AppendResult:
        return await self.runtime.execute(volunteer_stream(command.activity_id), volunteer_decider, command)
