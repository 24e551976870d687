"""Commands of the four quarterlies (四个一)."""

from __future__ import annotations

from datetime import date

from redpark_contracts.enterprise_support import (
    QuarterlyKind,
)
from redpark_platform.store import AppendResult

from .. import queries
from ..domain import (
    quarterly,
)
from .layer import SupportLayer


class QuarterlyCommands(SupportLayer):
    async def plan_quarterly(self, kind: QuarterlyKind, quarter: str, title: str) -> AppendResult:
        return await self._execute(quarterly.stream_id(kind, quarter), quarterly.decider, quarterly.PlanQuarterly(
            kind=kind, quarter=quarter, title=title, now=self.now()))

    async def hold_quarterly(self, *, kind: QuarterlyKind, quarter: str, title: str,
                             participant_enterprise_ids: list[str], outcomes: str, on: date | None) -> AppendResult:
        return await self._execute(quarterly.stream_id(kind, quarter), quarterly.decider, quarterly.HoldQuarterly(
            kind=kind, quarter=quarter, title=title, participant_enterprise_ids=participant_enterprise_ids,
            participants_in_park=await queries.in_park_among(self.pool, participant_enterprise_ids),
            outcomes=outcomes, now=self.now(), held_on=on))
