"""The volunteer read model: activities, who signed up, and hours recorded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import asyncpg

from redpark_contracts.events_public import (
    VolunteerActivityScheduled,
    VolunteerHoursRecorded,
    VolunteerSignedUp,
    VolunteerSignUpWithdrawn,
    registry,
)
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection

SERVICE = "events-public"


class VolunteerProjection(Projection):
    name = "events_public_volunteer"
    sources = (SERVICE,)
    registries: ClassVar[Mapping[str, EventRegistry]] = {SERVICE: registry}
    tables = ("ep_volunteer_activities", "ep_volunteers")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case VolunteerActivityScheduled():
                await conn.execute(
                    "INSERT INTO ep_volunteer_activities (activity_id, kind, title, organizer_branch_id, place,"
                    " starts_at, ends_at, volunteer_slots, scheduled_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)"
                    " ON CONFLICT (activity_id) DO NOTHING",
                    event.activity_id,
                    event.kind,
                    event.title,
                    event.organizer_branch_id,
                    event.place,
                    event.starts_at,
                    event.ends_at,
                    event.volunteer_slots,
                    event.scheduled_at,
                )
            case VolunteerSignedUp():
                await conn.execute(
                    "INSERT INTO ep_volunteers (activity_id, member_id, signed_up_at) VALUES ($1,$2,$3)"
                    " ON CONFLICT (activity_id, member_id) DO UPDATE SET withdrawn = false,"
                    " signed_up_at = excluded.signed_up_at",
                    event.activity_id,
                    event.member_id,
                    event.signed_up_at,
                )
            case VolunteerSignUpWithdrawn():
                await conn.execute(
                    "UPDATE ep_volunteers SET withdrawn = true WHERE activity_id = $1 AND member_id = $2",
                    event.activity_id,
                    event.member_id,
                )
            case VolunteerHoursRecorded():
                await conn.execute(
                    "UPDATE ep_volunteers SET hours = $3, recorded_by = $4, recorded_at = $5"
                    " WHERE activity_id = $1 AND member_id = $2",
                    event.activity_id,
                    event.member_id,
                    event.hours,
                    event.recorded_by,
                    event.recorded_at,
                )
            case _:
                pass  # other aggregates' events
