"""Reminders from the calendar: the evening before a session (18:00 park time), every party still
confirmed for it is texted the time, place and ticket (once: the key is the registration)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import asyncpg

from redpark_platform.calendar import PARK_TZ, day_start
from redpark_platform.notifications import Notice, Scheduled

from ..domain.ticket import format_ticket_code

REMINDER_AT = time(18)  # park time, the day before


async def sessions_tomorrow(conn: asyncpg.Connection, day: date, now: datetime) -> Sequence[tuple[str, Notice]]:
    tomorrow = day + timedelta(days=1)
    rows = await conn.fetch(
        "SELECT s.session_id, s.starts_at, s.place, a.title, r.registration_id, r.ticket_code, c.registrant_id,"
        " c.name, c.phone FROM ep_sessions s JOIN ep_activities a USING (activity_id)"
        " JOIN ep_registrations r ON r.session_id = s.session_id AND r.status = 'confirmed'"
        " JOIN ep_notify_contacts c ON c.registration_id = r.registration_id"
        " WHERE s.starts_at >= $1 AND s.starts_at < $2 ORDER BY s.starts_at, r.registration_id",
        day_start(tomorrow), day_start(tomorrow + timedelta(days=1)))
    return [(f"{r['session_id']}:{r['registration_id']}",
             Notice(template="ep.session_reminder", channel="sms", address=r["phone"], subject_id=r["registrant_id"],
                    personal=("name",),
                    params={"name": r["name"], "activity": r["title"], "place": r["place"],
                            "starts": r["starts_at"].astimezone(PARK_TZ).strftime("%Y-%m-%d %H:%M"),
                            "ticket": format_ticket_code(r["ticket_code"])}))
            for r in rows]


SESSION_REMINDER = Scheduled(name="ep.session_reminder", at=REMINDER_AT, find=sessions_tomorrow)

SCHEDULES = (SESSION_REMINDER,)
