"""Commands of enterprises' needs (诉求): raised, accepted, worked, resolved."""

from __future__ import annotations

from datetime import date

from redpark_contracts.enterprise_support import (
    NeedCategory,
    Urgency,
)
from redpark_platform.clock import new_id
from redpark_platform.store import AppendResult

from ..domain import (
    need,
)
from .layer import SupportLayer


class NeedCommands(SupportLayer):
    async def raise_need(self, *, need_id: str, enterprise_id: str, category: NeedCategory, urgency: Urgency,
                         description: str, raised_by_name: str, raised_by_phone: str, on: date | None) -> AppendResult:
        return await self._execute(need.stream_id(need_id), need.decider, need.RaiseNeed(
            need_id=need_id, enterprise_id=enterprise_id, category=category, urgency=urgency, description=description,
            raised_by_id=new_id(), raised_by_name=raised_by_name, raised_by_phone=raised_by_phone,
            enterprise_in_park=await self._in_park(enterprise_id), now=self.now(), effective_on=on))

    async def need_command(self, need_id: str, command: need.NeedCommand) -> AppendResult:
        return await self._execute(need.stream_id(need_id), need.decider, command)

    async def need_contact_phone(self, need_id: str) -> str | None:
        """The phone of whoever raised the need, opened from the store (sealed there; 已删除 once
        the person is forgotten); None when the need does not exist."""
        read = await self.runtime.store.read_stream(need.stream_id(need_id))
        for rec in read.events:
            if isinstance(rec.event, need.NeedRaised):
                phone: str = rec.event.raised_by_phone
                return phone
        return None
