"""The open-base read model: group visit bookings per day, without the contact's personal data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import asyncpg

from redpark_contracts.events_public import (
    OpenBaseVisitConfirmed,
    OpenBaseVisitDeclined,
    OpenBaseVisitLapsed,
    OpenBaseVisitRequested,
    registry,
)
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection

SERVICE = "events-public"


class OpenBaseProjection(Projection):
    name = "events_public_open_base"
    sources = (SERVICE,)
    registries: ClassVar[Mapping[str, EventRegistry]] = {SERVICE: registry}
    tables = ("ep_open_base_visits",)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case OpenBaseVisitRequested():
                await conn.execute(
                    "INSERT INTO ep_open_base_visits (booking_id, day, organization, group_size, status, requested_at)"
                    " VALUES ($1,$2,$3,$4,'requested',$5) ON CONFLICT (booking_id) DO NOTHING",
                    event.booking_id,
                    event.day,
                    event.organization,
                    event.group_size,
                    event.requested_at,
                )
            case OpenBaseVisitConfirmed():
                await conn.execute(
                    "UPDATE ep_open_base_visits SET status = 'confirmed', decided_at = $2, decided_by = $3"
                    " WHERE booking_id = $1",
                    event.booking_id,
                    event.confirmed_at,
                    event.confirmed_by,
                )
            case OpenBaseVisitDeclined():
                await conn.execute(
                    "UPDATE ep_open_base_visits SET status = 'declined', decided_at = $2, decided_by = $3, reason = $4"
                    " WHERE booking_id = $1",
                    event.booking_id,
                    event.declined_at,
                    event.declined_by,
                    event.reason,
                )
            case OpenBaseVisitLapsed():
                # Staff see why the request is gone: the notice the contact is sent.
                await conn.execute(
                    "UPDATE ep_open_base_visits SET status = 'lapsed', decided_at = $2, reason = $3"
                    " WHERE booking_id = $1 AND status = 'requested'",
                    event.booking_id,
                    event.lapsed_at,
                    event.notice,
                )
            case _:
                pass  # other aggregates' events
