"""Rules: which events become which notifications.

A rule is a reaction (see `redpark_platform.projections.Reaction`): its runner hands it a batch of
events inside the transaction that records them as handled and moves the checkpoint, and every notice
it returns is queued in that same transaction (`outbox.enqueue`). A crash loses nothing and queues
nothing twice; a replay (rebuild) queues nothing new, since the outbox is unique per (event,
recipient, template).

    class RegistrationNotices(NotificationRule):
        name = "ep-notices"
        sources = ("events-public",)
        registries = {"events-public": registry}

        async def notices(self, conn, event, meta):
            match event:
                case RegistrationPromoted():
                    return [Notice(template="ep.promoted", channel="sms", address=event.phone,
                                   subject_id=event.registrant_id, params={"code": event.ticket_code})]
            return []
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Any, ClassVar

import asyncpg

from ..events import Event, IncomingEvent
from ..projections import Reaction
from .outbox import Notice, enqueue

EXTRAS_KEY = "notifications"


class NotificationRule(Reaction):
    tables: ClassVar[tuple[str, ...]] = ()  # the outbox is a log, never emptied by a rebuild
    # The service's `Notifications`, set when the rule is given to it.
    hub_factory: Any = None

    def attach(self, runtime: Any) -> None:
        super().attach(runtime)
        # Before any runner starts: a rule may handle its first event before the service's on_start.
        if self.hub_factory is not None:
            self.hub_factory.prepare(runtime)

    @abc.abstractmethod
    async def notices(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> Sequence[Notice]:
        """What to send for this event (may read the service's read models through `conn`)."""

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        wanted = await self.notices(conn, event, meta)
        if not wanted:
            return
        hub: Any = self.runtime.extras.get(EXTRAS_KEY)
        if hub is None:
            raise RuntimeError("notifications are not started on this runtime (add Notifications.start to on_start)")
        for notice in wanted:
            await enqueue(conn, notice, event_id=meta.id, catalogue=hub.catalogue, now=self.runtime.clock.now(),
                          max_attempts=hub.settings.max_attempts)
        hub.wake_soon()
