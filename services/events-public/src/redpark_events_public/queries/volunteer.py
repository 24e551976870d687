"""Volunteer activities: the year's count per organizer against the plan's minimum."""

from __future__ import annotations

import asyncpg

from redpark_contracts.events_public import (
    VolunteerActivityScheduled,
    VolunteerEvent,
    VolunteerHoursRecorded,
)

from ..domain.volunteer import volunteer_year
from .views import OrganizerCount, VolunteerYearReport


async def volunteer_year_report(
    pool: asyncpg.Pool, *, year: int, minimum: int, tz: str
) -> VolunteerYearReport:
    """The rule is `domain.volunteer.volunteer_year`; this only feeds it what the read model holds."""
    plans = await pool.fetch("SELECT * FROM ep_volunteer_activities")
    hours = await pool.fetch(
        "SELECT activity_id, member_id, hours, recorded_by, recorded_at FROM ep_volunteers"
        " WHERE hours IS NOT NULL"
    )
    events: list[VolunteerEvent] = [
        VolunteerActivityScheduled(
            activity_id=p["activity_id"],
            kind=p["kind"],
            title=p["title"],
            organizer_branch_id=p["organizer_branch_id"],
            place=p["place"],
            starts_at=p["starts_at"],
            ends_at=p["ends_at"],
            volunteer_slots=p["volunteer_slots"],
            scheduled_at=p["scheduled_at"],
        )
        for p in plans
    ]
    events += [
        VolunteerHoursRecorded(
            activity_id=h["activity_id"],
            member_id=h["member_id"],
            hours=h["hours"],
            recorded_by=h["recorded_by"],
            recorded_at=h["recorded_at"],
        )
        for h in hours
    ]
    rows = volunteer_year(events, year=year, minimum=minimum, tz=tz)
    return VolunteerYearReport(
        year=year,
        minimum=minimum,
        organizers=[
            OrganizerCount(
                organizer_branch_id=r.organizer_branch_id,
                held=r.held,
                minimum=r.minimum,
                met=r.met,
                volunteer_hours=r.volunteer_hours,
            )
            for r in rows
        ],
    )
