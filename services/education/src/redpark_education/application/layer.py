"""What every area of education's application layer shares beyond `ApplicationLayer` (its clock and
the park's today): the year's targets."""

from __future__ import annotations

from redpark_platform.runtime import ApplicationLayer

from ..domain import plan


class EducationLayer(ApplicationLayer):
    async def targets(self, year: int) -> plan.PlanTargets:
        state: plan.Plan = await self._state(plan.stream_id(year), plan.decider)
        return state.targets
