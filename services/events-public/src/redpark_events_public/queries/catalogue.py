"""The public catalogue: published activities and their sessions with seats left."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from redpark_contracts.events_public import RouteStop
from redpark_platform.errors import DomainError

from ..domain.errors import ERRORS
from .views import ActivityView, SessionView

SESSION_COLUMNS = (
    "session_id, activity_id, activity_kind, carnival_id, starts_at, ends_at, place, capacity, min_age, max_age,"
    " registration_opens_at, registration_closes_at, max_party_size, confirmed_seats, waitlisted_parties,"
    " checked_in_seats, no_show_seats"
)
_routes = msgspec.json.Decoder(list[RouteStop])


def session_view(row: asyncpg.Record) -> SessionView:
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


def session_not_found() -> DomainError:
    return ERRORS.error("session.not_found", field="session_id")


async def catalogue(pool: asyncpg.Pool) -> list[ActivityView]:
    activities = await pool.fetch(
        "SELECT * FROM ep_activities WHERE NOT withdrawn ORDER BY published_at, activity_id"
    )
    sessions = await pool.fetch(f"SELECT {SESSION_COLUMNS} FROM ep_sessions ORDER BY starts_at, session_id")
    by_activity: dict[str, list[SessionView]] = {}
    for row in sessions:
        by_activity.setdefault(row["activity_id"], []).append(session_view(row))
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
            proof_of_work=a["proof_of_work"],
            phone_verification=a["phone_verification"],
            sessions=by_activity.get(a["activity_id"], []),
        )
        for a in activities
    ]


async def session(pool: asyncpg.Pool, session_id: str) -> SessionView:
    row = await pool.fetchrow(f"SELECT {SESSION_COLUMNS} FROM ep_sessions WHERE session_id = $1", session_id)
    if row is None:
        raise session_not_found()
    return session_view(row)


async def published_activity(pool: asyncpg.Pool, activity_id: str) -> dict[str, Any] | None:
    """An activity still in the catalogue, as the public pages show it; None when unknown or withdrawn."""
    row = await pool.fetchrow(
        "SELECT activity_id, kind, title, summary, place, organizer, carnival_id, daily_limit_per_phone,"
        " proof_of_work, phone_verification FROM ep_activities WHERE activity_id = $1 AND NOT withdrawn",
        activity_id,
    )
    return dict(row) if row else None
