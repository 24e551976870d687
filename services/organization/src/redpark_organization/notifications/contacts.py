"""Members' phones for notifications, kept sealed as the events carry them (no read model of the
organization holds a phone in clear)."""

from __future__ import annotations

from typing import ClassVar

import asyncpg

from redpark_contracts.organization import MemberContactUpdated, MemberRegistered, registry
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection

NAME = "org_notify_contacts"


class NotifyContactsProjection(Projection):
    name = NAME
    sources: ClassVar[tuple[str, ...]] = ("organization",)
    registries: ClassVar[dict[str, EventRegistry]] = {"organization": registry}
    tables: ClassVar[tuple[str, ...]] = ("org_notify_contacts",)

    def wants(self, source: str, key: str) -> bool:
        return key in ("member.registered", "member.contact_updated") and super().wants(source, key)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        if isinstance(event, MemberRegistered | MemberContactUpdated):
            await conn.execute(
                "INSERT INTO org_notify_contacts (member_id, phone) VALUES ($1, $2)"
                " ON CONFLICT (member_id) DO UPDATE SET phone = $2", event.member_id, event.phone)


async def secretary_phone(conn: asyncpg.Connection, member_id: str) -> str | None:
    phone: str | None = await conn.fetchval("SELECT phone FROM org_notify_contacts WHERE member_id = $1", member_id)
    return phone
