"""The catalogue read model: activities, sessions with their seat counts, and registrations
(ticket, status, seats; never a name or a phone)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import asyncpg
import msgspec

from redpark_contracts.events_public import (
    ActivityPublished,
    ActivityRegistrationChecksSet,
    ActivityWithdrawn,
    CheckedIn,
    NoShowsCounted,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
    SessionScheduled,
    registry,
)
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection

from ..domain.catalogue import proof_of_work_by_default

SERVICE = "events-public"


class CatalogueProjection(Projection):
    name = "events_public_catalogue"
    sources = (SERVICE,)
    registries: ClassVar[Mapping[str, EventRegistry]] = {SERVICE: registry}
    tables = ("ep_activities", "ep_sessions", "ep_registrations")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case ActivityPublished():
                await conn.execute(
                    "INSERT INTO ep_activities (activity_id, kind, title, summary, place, organizer, carnival_id,"
                    " route, daily_limit_per_phone, published_at, proof_of_work, phone_verification)"
                    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9,$10,$11,$12) ON CONFLICT (activity_id) DO NOTHING",
                    event.activity_id,
                    event.kind,
                    event.title,
                    event.summary,
                    event.place,
                    event.organizer,
                    event.carnival_id,
                    msgspec.json.encode(event.route).decode(),
                    event.daily_limit_per_phone,
                    event.published_at,
                    proof_of_work_by_default(event.kind) if event.proof_of_work is None else event.proof_of_work,
                    event.phone_verification,
                )
            case ActivityRegistrationChecksSet():
                await conn.execute(
                    "UPDATE ep_activities SET proof_of_work = $2, phone_verification = $3 WHERE activity_id = $1",
                    event.activity_id,
                    event.proof_of_work,
                    event.phone_verification,
                )
            case ActivityWithdrawn():
                await conn.execute(
                    "UPDATE ep_activities SET withdrawn = true WHERE activity_id = $1", event.activity_id
                )
            case SessionScheduled():
                await conn.execute(
                    "INSERT INTO ep_sessions (session_id, activity_id, activity_kind, carnival_id, starts_at, ends_at,"
                    " place, capacity, min_age, max_age, registration_opens_at, registration_closes_at,"
                    " max_party_size) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)"
                    " ON CONFLICT (session_id) DO NOTHING",
                    event.session_id,
                    event.activity_id,
                    event.activity_kind,
                    event.carnival_id,
                    event.starts_at,
                    event.ends_at,
                    event.place,
                    event.capacity,
                    event.min_age,
                    event.max_age,
                    event.registration_opens_at,
                    event.registration_closes_at,
                    event.max_party_size,
                )
            case RegistrationConfirmed() | RegistrationWaitlisted():
                waiting = isinstance(event, RegistrationWaitlisted)
                await conn.execute(
                    "INSERT INTO ep_registrations (registration_id, session_id, ticket_code, status, seats, adults,"
                    " children, arrival, registered_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
                    event.registration_id,
                    event.session_id,
                    event.ticket_code,
                    "waitlisted" if waiting else "confirmed",
                    event.seats,
                    event.adults,
                    len(event.children_ages),
                    meta.sequence,
                    event.registered_at,
                )
                await conn.execute(
                    "UPDATE ep_sessions SET confirmed_seats = confirmed_seats + $2,"
                    " waitlisted_parties = waitlisted_parties + $3 WHERE session_id = $1",
                    event.session_id,
                    0 if waiting else event.seats,
                    1 if waiting else 0,
                )
            case RegistrationCancelled():
                await conn.execute(
                    "UPDATE ep_registrations SET status = 'cancelled', cancelled_at = $2 WHERE registration_id = $1",
                    event.registration_id,
                    event.cancelled_at,
                )
                confirmed = event.was == "confirmed"
                await conn.execute(
                    "UPDATE ep_sessions SET confirmed_seats = confirmed_seats - $2,"
                    " waitlisted_parties = waitlisted_parties - $3 WHERE session_id = $1",
                    event.session_id,
                    event.seats if confirmed else 0,
                    0 if confirmed else 1,
                )
            case RegistrationPromoted():
                await conn.execute(
                    "UPDATE ep_registrations SET status = 'confirmed', promoted_at = $2 WHERE registration_id = $1",
                    event.registration_id,
                    event.promoted_at,
                )
                await conn.execute(
                    "UPDATE ep_sessions SET confirmed_seats = confirmed_seats + $2,"
                    " waitlisted_parties = waitlisted_parties - 1 WHERE session_id = $1",
                    event.session_id,
                    event.seats,
                )
            case CheckedIn():
                await conn.execute(
                    "UPDATE ep_registrations SET checked_in_at = $2 WHERE registration_id = $1",
                    event.registration_id,
                    event.checked_in_at,
                )
                await conn.execute(
                    "UPDATE ep_sessions SET checked_in_seats = checked_in_seats + $2 WHERE session_id = $1",
                    event.session_id,
                    event.seats,
                )
            case NoShowsCounted():
                await conn.execute(
                    "UPDATE ep_sessions SET no_show_seats = $2 WHERE session_id = $1",
                    event.session_id,
                    event.no_show_seats,
                )
            case _:
                pass  # volunteer, open-base and quota events are not part of the catalogue
