"""Registrants' names and phones for reminders, kept sealed as the events carry them: the
catalogue's read model holds no phone, and a reminder is decided from the calendar, not an event."""

from __future__ import annotations

from typing import ClassVar

import asyncpg

from redpark_contracts.events_public import RegistrationConfirmed, RegistrationWaitlisted, registry
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection

SERVICE = "events-public"
NAME = "ep_notify_contacts"


class NotifyContactsProjection(Projection):
    name = NAME
    sources: ClassVar[tuple[str, ...]] = (SERVICE,)
    registries: ClassVar[dict[str, EventRegistry]] = {SERVICE: registry}
    tables: ClassVar[tuple[str, ...]] = ("ep_notify_contacts",)

    def wants(self, source: str, key: str) -> bool:
        return key in ("session.registration_confirmed", "session.registration_waitlisted") and super().wants(
            source, key)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        if isinstance(event, RegistrationConfirmed | RegistrationWaitlisted):
            await conn.execute(
                "INSERT INTO ep_notify_contacts (registration_id, registrant_id, name, phone) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (registration_id) DO NOTHING",
                event.registration_id, event.registrant_id, event.name, event.phone)
