"""The catalogue: publishing activities, and what sessions need to know of their activity."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from redpark_contracts.events_public import ActivityKind, RouteStop
from redpark_platform.runtime import Runtime
from redpark_platform.store import AppendResult

from ..domain.catalogue import (
    Activity,
    PublishActivity,
    SetRegistrationChecks,
    activity_decider,
    activity_stream,
)
from ..domain.errors import ERRORS

# How long a process trusts what it read of an activity's registration checks. Under a rush every
# registration needs them; a switch staff flip reaches every process within this time (at once in
# the process that flipped it).
CHECKS_FRESH_FOR_S = 5.0


@dataclass
class Catalogue:
    runtime: Runtime
    # A published activity's daily limit never changes (no event changes it), so one read per
    # carnival and process is enough: under a rush it saves a query per registration.
    _carnival_limits: dict[str, int | None] = dataclasses.field(default_factory=dict)
    _checks: dict[str, tuple[float, Activity]] = dataclasses.field(default_factory=dict)

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
        proof_of_work: bool | None = None,
        phone_verification: bool = False,
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
            proof_of_work=proof_of_work,
            phone_verification=phone_verification,
            now=self.runtime.now(),
        )
        return await self.runtime.execute(activity_stream(activity_id), activity_decider, command)

    async def set_registration_checks(self, activity_id: str, *, proof_of_work: bool, phone_verification: bool,
                                      by: str) -> AppendResult:
        command = SetRegistrationChecks(activity_id=activity_id, proof_of_work=proof_of_work,
                                        phone_verification=phone_verification, by=by, now=self.runtime.now())
        result = await self.runtime.execute(activity_stream(activity_id), activity_decider, command)
        self._checks.pop(activity_id, None)
        return result

    async def registration_checks(self, activity_id: str) -> Activity:
        """The activity as registrations need it (its switches), read at most every few seconds."""
        cached = self._checks.get(activity_id)
        if cached is not None and time.monotonic() - cached[0] < CHECKS_FRESH_FOR_S:
            return cached[1]
        activity = await self.activity(activity_id)
        self._checks[activity_id] = (time.monotonic(), activity)
        return activity

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
