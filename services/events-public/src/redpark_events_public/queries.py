"""Reads of the read models (tables written only by the modules in `projections/`)."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec
from redpark_contracts.events_public import (
    RouteStop,
    VolunteerActivityScheduled,
    VolunteerEvent,
    VolunteerHoursRecorded,
)
from redpark_platform.decider import NotFound

from .api.bodies import (
    ActivityView,
    OpenBaseDayView,
    OpenBaseVisitView,
    OrganizerCount,
    SessionRegistrations,
    SessionView,
    StaffRegistration,
    TicketView,
    VolunteerYearReport,
)
from .domain.volunteer import volunteer_year

_SESSION_COLUMNS = (
    "session_id, activity_id, activity_kind, carnival_id, starts_at, ends_at, place, capacity, min_age, max_age,"
    " registration_opens_at, registration_closes_at, max_party_size, confirmed_seats, waitlisted_parties,"
    " checked_in_seats, no_show_seats"
)
_routes = msgspec.json.Decoder(list[RouteStop])


def _session(row: asyncpg.Record) -> SessionView:
    return SessionView(
        session_id=row["session_id"],
        activity_id=row["activity_id"],
        activity_kind=row["activity_kind"],
        carnival_id=row["carnival_id"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        place=row["place"],
        capacity=row["capacity"],
        free_seats=row["capacity"] - row["confirmed_seats"],
        waitlisted_parties=row["waitlisted_parties"],
        min_age=row["min_age"],
        max_age=row["max_age"],
        registration_opens_at=row["registration_opens_at"],
        registration_closes_at=row["registration_closes_at"],
        max_party_size=row["max_party_size"],
    )


def session_not_found() -> NotFound:
    return NotFound("session.not_found", "No such session.", detail_zh="场次不存在。", field="session_id")


async def catalogue(pool: asyncpg.Pool) -> list[ActivityView]:
    activities = await pool.fetch(
        "SELECT * FROM ep_activities WHERE NOT withdrawn ORDER BY published_at, activity_id"
    )
    sessions = await pool.fetch(f"SELECT {_SESSION_COLUMNS} FROM ep_sessions ORDER BY starts_at, session_id")
    by_activity: dict[str, list[SessionView]] = {}
    for row in sessions:
        by_activity.setdefault(row["activity_id"], []).append(_session(row))
    return [
        ActivityView(
            activity_id=a["activity_id"],
            kind=a["kind"],
            title=a["title"],
            summary=a["summary"],
            place=a["place"],
            organizer=a["organizer"],
            carnival_id=a["carnival_id"],
            route=_routes.decode(a["route"]),
            daily_limit_per_phone=a["daily_limit_per_phone"],
            sessions=by_activity.get(a["activity_id"], []),
        )
        for a in activities
    ]


async def session(pool: asyncpg.Pool, session_id: str) -> SessionView:
    row = await pool.fetchrow(f"SELECT {_SESSION_COLUMNS} FROM ep_sessions WHERE session_id = $1", session_id)
    if row is None:
        raise session_not_found()
    return _session(row)


async def ticket(pool: asyncpg.Pool, session_id: str, ticket_code: str) -> TicketView:
    row = await pool.fetchrow(
        "SELECT r.ticket_code, r.status, r.seats, r.checked_in_at, s.starts_at, s.place,"
        " CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*) FROM ep_registrations w"
        "   WHERE w.session_id = r.session_id AND w.status = 'waitlisted' AND w.arrival <= r.arrival) END AS waiting"
        " FROM ep_registrations r JOIN ep_sessions s USING (session_id)"
        " WHERE r.session_id = $1 AND r.ticket_code = $2",
        session_id,
        ticket_code,
    )
    if row is None:
        raise NotFound(
            "ticket.not_found",
            "No such ticket for this session.",
            detail_zh="该场次没有此票号。",
            field="ticket_code",
        )
    return TicketView(
        session_id=session_id,
        ticket_code=row["ticket_code"],
        status=row["status"],
        seats=row["seats"],
        waitlist_position=row["waiting"],
        checked_in=row["checked_in_at"] is not None,
        starts_at=row["starts_at"],
        place=row["place"],
    )


async def session_registrations(pool: asyncpg.Pool, session_id: str) -> SessionRegistrations:
    row = await pool.fetchrow(f"SELECT {_SESSION_COLUMNS} FROM ep_sessions WHERE session_id = $1", session_id)
    if row is None:
        raise session_not_found()
    regs = await pool.fetch(
        "SELECT registration_id, ticket_code, status, seats, adults, children, registered_at, checked_in_at,"
        " CASE WHEN status = 'waitlisted' THEN row_number() OVER (PARTITION BY status ORDER BY arrival) END AS waiting"
        " FROM ep_registrations WHERE session_id = $1 ORDER BY arrival",
        session_id,
    )
    return SessionRegistrations(
        session=_session(row),
        checked_in_seats=row["checked_in_seats"],
        no_show_seats=row["no_show_seats"],
        registrations=[
            StaffRegistration(
                registration_id=r["registration_id"],
                ticket_code=r["ticket_code"],
                status=r["status"],
                seats=r["seats"],
                adults=r["adults"],
                children=r["children"],
                waitlist_position=r["waiting"],
                registered_at=r["registered_at"],
                checked_in_at=r["checked_in_at"],
            )
            for r in regs
        ],
    )


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


async def open_base_day(pool: asyncpg.Pool, day: date, daily_capacity: int) -> OpenBaseDayView:
    rows = await pool.fetch("SELECT * FROM ep_open_base_visits WHERE day = $1 ORDER BY requested_at", day)
    visits = [
        OpenBaseVisitView(
            booking_id=r["booking_id"],
            day=r["day"],
            organization=r["organization"],
            group_size=r["group_size"],
            status=r["status"],
            reason=r["reason"],
        )
        for r in rows
    ]
    return OpenBaseDayView(
        day=day,
        daily_capacity=daily_capacity,
        held=sum(v.group_size for v in visits if v.status != "declined"),
        visits=visits,
    )
