"""What every area of education's application layer shares: the park's today, the year's targets."""

from __future__ import annotations

from datetime import date

from redpark_platform.runtime import ApplicationLayer

from ..domain import plan
from ..domain.park_calendar import park_date


class EducationLayer(ApplicationLayer):
    def today(self) -> date:
        return park_date(self.now())

    async def targets(self, year: int) -> plan.PlanTargets:
        state: plan.Plan = await self._state(plan.stream_id(year), plan.decider)
        return state.targets
