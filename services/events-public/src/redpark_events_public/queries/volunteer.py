"""Volunteer activities: the year's count per organizer against the assessment's target, every branch and
the general branch listed; and the organization's units and members, as its events told them."""

from __future__ import annotations

import math

import asyncpg

from redpark_contracts.events_public import (
    VolunteerActivityScheduled,
    VolunteerEvent,
    VolunteerHoursRecorded,
)

from ..domain.volunteer import DEFAULT_TARGET_PER_QUARTER, volunteer_year
from .views import OrganizerCount, VolunteerYearReport


async def unit_known(pool: asyncpg.Pool, unit_id: str) -> bool:
    """An established, not dissolved branch, or the general branch."""
    return bool(await pool.fetchval("SELECT active FROM ep_org_units WHERE unit_id = $1", unit_id))


async def member_known(pool: asyncpg.Pool, member_id: str) -> bool:
    """A member registered in the park and not transferred out."""
    return bool(await pool.fetchval("SELECT in_park FROM ep_org_members WHERE member_id = $1", member_id))


async def volunteer_year_report(pool: asyncpg.Pool, *, year: int, tz: str) -> VolunteerYearReport:
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
    # every active unit, including those that held nothing (a dissolved one appears when it held some)
    organizers = [
        r["unit_id"] for r in await pool.fetch("SELECT unit_id FROM ep_org_units WHERE active ORDER BY unit_id")
    ]
    per_quarter = await pool.fetchval("SELECT per_quarter FROM ep_volunteer_targets WHERE year = $1", year)
    per_quarter = DEFAULT_TARGET_PER_QUARTER if per_quarter is None else float(per_quarter)
    rows = volunteer_year(events, year=year, per_quarter=per_quarter, organizers=organizers, tz=tz)
    return VolunteerYearReport(
        year=year,
        per_quarter=per_quarter,
        minimum=math.ceil(per_quarter * 4),
        organizers=[
            OrganizerCount(
                organizer_branch_id=r.organizer_branch_id,
                held=r.held,
                held_by_quarter=r.held_by_quarter,
                minimum=r.minimum,
                met=r.met,
                volunteer_hours=r.volunteer_hours,
            )
            for r in rows
        ],
    )
