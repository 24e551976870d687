"""What every area of enterprise-support's application layer shares."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from redpark_platform.runtime import ApplicationLayer

from .. import queries


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex[:16]


class SupportLayer(ApplicationLayer):
    async def _in_park(self, enterprise_id: str) -> bool:
        return await queries.in_park_since(self.pool, enterprise_id) is not None
