"""What every area of enterprise-support's application layer shares."""

from __future__ import annotations

from redpark_platform.runtime import ApplicationLayer

from .. import queries


class SupportLayer(ApplicationLayer):
    async def _in_park(self, enterprise_id: str) -> bool:
        return await queries.in_park_since(self.pool, enterprise_id) is not None
