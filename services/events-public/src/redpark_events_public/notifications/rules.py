"""Registrations become SMS: confirmed (ticket and link), waitlisted (position), promoted (ticket);
and an open-base visit's contact is told when staff confirm or decline it, or when it lapses.

The phone and name arrive sealed in the event and are queued sealed (the worker opens them when it
sends); the activity's title, time and place come from this service's catalogue read model. An
open-base decision carries no contact: the contact is in the booking's `requested` event, read from
the day's own stream (it is always there before a decision on it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar
from urllib.parse import quote

import asyncpg

from redpark_contracts.events_public import (
    OpenBaseVisitConfirmed,
    OpenBaseVisitDeclined,
    OpenBaseVisitLapsed,
    OpenBaseVisitRequested,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
    registry,
)
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.notifications import Notice, NotificationRule, hub_of

from ..domain.open_base import open_base_stream
from ..domain.ticket import format_ticket_code

SERVICE = "events-public"


def ticket_link(public_url: str, session_id: str, ticket_code: str) -> str:
    """The ticket page behind the gateway; absolute when the park's public address is set."""
    path = f"/{SERVICE}/ui/public/sessions/{quote(session_id)}/tickets/{format_ticket_code(ticket_code)}"
    return public_url.rstrip("/") + path


class RegistrationNotices(NotificationRule):
    name = "ep-notices"
    sources: ClassVar[tuple[str, ...]] = (SERVICE,)
    registries: ClassVar[dict[str, EventRegistry]] = {SERVICE: registry}
    wanted: ClassVar[frozenset[str]] = frozenset(
        {"session.registration_confirmed", "session.registration_waitlisted", "session.registration_promoted",
         "open_base_visit.confirmed", "open_base_visit.declined", "open_base_visit.lapsed"})

    def wants(self, source: str, key: str) -> bool:
        return key in self.wanted and super().wants(source, key)

    async def _session(self, conn: asyncpg.Connection, session_id: str) -> dict[str, str]:
        row = await conn.fetchrow(
            "SELECT a.title, s.starts_at, s.place FROM ep_sessions s JOIN ep_activities a USING (activity_id)"
            " WHERE s.session_id = $1", session_id)
        if row is None:  # the catalogue has not seen the session yet: say what we know
            return {"activity": "活动", "starts": "", "place": ""}
        starts: datetime = row["starts_at"]
        local = starts.astimezone(self.runtime.settings.zone)
        return {"activity": row["title"], "starts": local.strftime("%Y-%m-%d %H:%M"), "place": row["place"]}

    async def notices(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> Sequence[Notice]:
        match event:
            case RegistrationConfirmed() | RegistrationPromoted():
                hub = hub_of(self.runtime)
                public_url = hub.settings.public_url if hub is not None else ""
                template = ("ep.registration_confirmed" if isinstance(event, RegistrationConfirmed)
                            else "ep.registration_promoted")
                params = {**await self._session(conn, event.session_id), "name": event.name,
                          "ticket": format_ticket_code(event.ticket_code),
                          "link": ticket_link(public_url, event.session_id, event.ticket_code)}
            case RegistrationWaitlisted():
                template = "ep.registration_waitlisted"
                params = {**await self._session(conn, event.session_id), "name": event.name,
                          "position": str(event.position)}
            case OpenBaseVisitConfirmed() | OpenBaseVisitDeclined() | OpenBaseVisitLapsed():
                return await self._open_base(conn, event)
            case _:
                return []
        return [Notice(template=template, channel="sms", address=event.phone, subject_id=event.registrant_id,
                       params=params, personal=("name",))]

    async def _open_base(self, conn: asyncpg.Connection,
                         event: OpenBaseVisitConfirmed | OpenBaseVisitDeclined | OpenBaseVisitLapsed) -> list[Notice]:
        day = await self.runtime.store.read_stream(open_base_stream(event.day), conn=conn)
        request = next((e.event for e in day.events if isinstance(e.event, OpenBaseVisitRequested)
                        and e.event.booking_id == event.booking_id), None)
        if request is None:  # not in its day's stream: nobody to tell
            return []
        params = {"name": request.contact_name, "organization": request.organization,
                  "day": event.day.isoformat(), "people": str(request.group_size)}
        match event:
            case OpenBaseVisitConfirmed():
                template = "ep.open_base_confirmed"
            case OpenBaseVisitDeclined():
                template, params = "ep.open_base_declined", {**params, "reason": event.reason}
            case OpenBaseVisitLapsed():
                template = "ep.open_base_lapsed"
        return [Notice(template=template, channel="sms", address=request.contact_phone,
                       subject_id=request.contact_id, params=params, personal=("name",))]
