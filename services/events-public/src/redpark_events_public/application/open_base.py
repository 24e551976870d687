"""Open-base visits: outside party organizations book a group visit; staff confirm or decline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from redpark_platform.runtime import Runtime
from redpark_platform.store import AppendResult

from ..domain.open_base import (
    ConfirmOpenBaseVisit,
    DeclineOpenBaseVisit,
    OpenBaseCommand,
    RequestOpenBaseVisit,
    open_base_decider,
    open_base_stream,
)
from ..domain.phone import normalise_phone


@dataclass
class OpenBase:
    runtime: Runtime
    daily_capacity: int

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
                daily_capacity=self.daily_capacity,
                now=self.runtime.now(),
            )
        )
        return booking_id, result

    async def confirm(self, booking_id: str, *, day: date, by: str) -> AppendResult:
        return await self._execute(
            ConfirmOpenBaseVisit(booking_id=booking_id, day=day, by=by, now=self.runtime.now())
        )

    async def decline(self, booking_id: str, *, day: date, reason: str, by: str) -> AppendResult:
        return await self._execute(
            DeclineOpenBaseVisit(booking_id=booking_id, day=day, reason=reason, by=by, now=self.runtime.now())
        )

    async def _execute(self, command: OpenBaseCommand) -> AppendResult:
        return await self.runtime.execute(open_base_stream(command.day), open_base_decider, command)
