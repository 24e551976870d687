"""A reaction, not a read model: when the organization says an enterprise moved out, its contact
point (联系点) ends, recorded as `contact_point.released` (reason `enterprise moved out`) on the
contact point's own stream, so the ledger and every read model show when and why it ended.

Safe to run again (a redelivery, a rebuild): only a contact point assigned before the move-out
(by day, and by the instant each was recorded) is released, and one already released is left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

import asyncpg

from redpark_contracts import organization as org
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Reaction
from redpark_platform.runtime import Runtime

from ..domain import contact_point

NAME = "sup_contact_point_move_out"
REASON = "enterprise moved out"


def _recorded_after(recorded_at: datetime, moved_out_time: str) -> bool:
    try:
        moved_out_at = datetime.fromisoformat(moved_out_time)
    except ValueError:
        return False
    return recorded_at > moved_out_at


class ContactPointEndsOnMoveOut(Reaction):
    name = NAME
    sources = ("organization",)
    registries: ClassVar[Mapping[str, EventRegistry]] = {"organization": org.registry}

    def wants(self, source: str, key: str) -> bool:
        return key == "enterprise.moved_out"

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        if not isinstance(event, org.EnterpriseMovedOut):
            return
        runtime: Runtime = self.runtime
        stream = contact_point.stream_id(event.enterprise_id)
        read = await runtime.store.read_stream(stream)
        state = contact_point.decider.fold([e.event for e in read.events])
        if not isinstance(state, contact_point.HasContactPoint) or state.assigned_on > event.moved_out_on:
            return  # none, already released, or assigned for a later stay
        if _recorded_after(read.events[-1].record.recorded_at, meta.time):
            return  # assigned after the move-out was recorded (back in the park the same day): a later stay
        await runtime.execute(stream, contact_point.decider, contact_point.ReleaseContactPoint(
            enterprise_id=event.enterprise_id, reason=REASON, now=runtime.now(), effective_on=event.moved_out_on))
