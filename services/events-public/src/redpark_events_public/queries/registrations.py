"""A session's registrations: a ticket as its holder sees it, and the staff's list (no names or phones)."""

from __future__ import annotations

import asyncpg

from ..domain.errors import ERRORS
from .catalogue import SESSION_COLUMNS, session_not_found, session_view
from .views import SessionRegistrations, StaffRegistration, TicketView


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
        raise ERRORS.error("ticket.not_found", field="ticket_code")
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
    row = await pool.fetchrow(f"SELECT {SESSION_COLUMNS} FROM ep_sessions WHERE session_id = $1", session_id)
    if row is None:
        raise session_not_found()
    regs = await pool.fetch(
        "SELECT registration_id, ticket_code, status, seats, adults, children, registered_at, checked_in_at,"
        " CASE WHEN status = 'waitlisted' THEN row_number() OVER (PARTITION BY status ORDER BY arrival) END AS waiting"
        " FROM ep_registrations WHERE session_id = $1 ORDER BY arrival",
        session_id,
    )
    return SessionRegistrations(
        session=session_view(row),
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


async def ticket_exists(pool: asyncpg.Pool, ticket_code: str) -> bool:
    """Whether any session has issued this code (the door tells "unknown" from "another session")."""
    found = await pool.fetchval("SELECT 1 FROM ep_registrations WHERE ticket_code = $1 LIMIT 1", ticket_code)
    return found is not None
