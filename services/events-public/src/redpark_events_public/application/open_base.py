"""Open-base visits: outside party organizations request (public), staff confirm or decline, and
requests nobody confirmed in time lapse (the runtime's housekeeping calls `lapse_overdue`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from redpark_platform.runtime import Runtime
from redpark_platform.store import AppendResult

from ..domain.open_base import (
    ConfirmOpenBaseVisit,
    DeclineOpenBaseVisit,
    LapseOpenBaseVisits,
    OpenBaseCommand,
    RequestOpenBaseVisit,
    open_base_decider,
    open_base_stream,
)
from ..domain.phone import normalise_phone
from ..queries import open_base as open_base_queries
from .settings import OpenBaseLimits


@dataclass
class OpenBase:
    runtime: Runtime
    limits: OpenBaseLimits

    async def request_visit(
        self, *, day: date, organization: str, contact_name: str, contact_phone: str, group_size: int
    ) -> tuple[str, AppendResult]:
        booking_id = str(uuid.uuid4())
        result = await self._execute(
            RequestOpenBaseVisit(
                booking_id=booking_id,
                day=day,
                organization=organization,
                contact_id=str(uuid.uuid4()),
                contact_name=contact_name,
                contact_phone=normalise_phone(contact_phone, field="contact_phone"),
                group_size=group_size,
                daily_capacity=self.limits.daily_capacity,
                max_group_size=self.limits.max_group_size,
                max_days_ahead=self.limits.max_days_ahead,
                hold_for=self.limits.hold_for,
                now=self.runtime.now(),
            )
        )
        return booking_id, result

    async def confirm(self, booking_id: str, *, day: date, by: str) -> AppendResult:
        return await self._execute(ConfirmOpenBaseVisit(
            booking_id=booking_id, day=day, by=by, hold_for=self.limits.hold_for, now=self.runtime.now()))

    async def decline(self, booking_id: str, *, day: date, reason: str, by: str) -> AppendResult:
        return await self._execute(DeclineOpenBaseVisit(
            booking_id=booking_id, day=day, reason=reason, by=by, hold_for=self.limits.hold_for,
            now=self.runtime.now()))

    async def lapse_overdue(self) -> int:
        """Append the lapse of every request whose hold ran out; returns how many lapsed.

        The read model names the days to look at; the decider, on the day's own stream, decides
        which requests lapse, so a read model behind by a moment only delays a lapse to the next
        round, and two processes doing this at once lapse each request once."""
        now = self.runtime.now()
        lapsed = 0
        for day in await open_base_queries.days_with_requests_before(self.runtime.pool, now - self.limits.hold_for):
            result = await self._execute(LapseOpenBaseVisits(day=day, hold_for=self.limits.hold_for, now=now))
            lapsed += len(result.event_ids)
        return lapsed

    async def _execute(self, command: OpenBaseCommand) -> AppendResult:
        return await self.runtime.execute(open_base_stream(command.day), open_base_decider, command)
