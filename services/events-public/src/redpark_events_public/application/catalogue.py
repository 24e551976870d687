"""The catalogue: publishing activities, and what sessions need to know of their activity."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from redpark_contracts.events_public import ActivityKind, RouteStop
from redpark_platform.runtime import Runtime
from redpark_platform.store import AppendResult

from ..domain.catalogue import Activity, PublishActivity, activity_decider, activity_stream
from ..domain.errors import ERRORS


@dataclass
class Catalogue:
    runtime: Runtime
    # A published activity's daily limit never changes (no event changes it), so one read per
    # carnival and process is enough: under a rush it saves a query per registration.
    _carnival_limits: dict[str, int | None] = dataclasses.field(default_factory=dict)

    async def activity(self, activity_id: str, *, field: str = "activity_id") -> Activity:
        state = await self.runtime.state(activity_stream(activity_id), activity_decider)
        if not isinstance(state, Activity):
            raise ERRORS.error("activity.not_found", field=field)
        return state

    async def publish(
        self,
        *,
        activity_id: str,
        kind: ActivityKind,
        title: str,
        summary: str,
        place: str,
        organizer: str,
        carnival_id: str | None,
        route: list[RouteStop],
        daily_limit_per_phone: int | None,
    ) -> AppendResult:
        if carnival_id:
            carnival = await self.activity(carnival_id, field="carnival_id")
            if carnival.kind != "science_carnival":
                raise ERRORS.error("activity.not_a_carnival", field="carnival_id")
        command = PublishActivity(
            activity_id=activity_id,
            kind=kind,
            title=title,
            summary=summary,
            place=place,
            organizer=organizer,
            carnival_id=carnival_id,
            route=list(route),
            daily_limit_per_phone=daily_limit_per_phone,
            now=self.runtime.now(),
        )
        return await self.runtime.execute(activity_stream(activity_id), activity_decider, command)

    async def open_activity(self, activity_id: str) -> Activity:
        """An activity that takes new sessions: published and not withdrawn."""
        activity = await self.activity(activity_id)
        if activity.withdrawn:
            raise ERRORS.error("activity.withdrawn", field="activity_id")
        return activity

    async def carnival_daily_limit(self, carnival_id: str) -> int | None:
        if carnival_id not in self._carnival_limits:
            carnival = await self.runtime.state(activity_stream(carnival_id), activity_decider)
            if not isinstance(carnival, Activity):
                return None
            self._carnival_limits[carnival_id] = carnival.daily_limit_per_phone
        return self._carnival_limits[carnival_id]
