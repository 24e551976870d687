"""Reminders that come from the rules of 三会一课: a branch that has held no 支委会 this month by the
20th gets an SMS to its secretary (once a month: the key is the month and the branch)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

import asyncpg

from redpark_platform.calendar import month_of
from redpark_platform.notifications import Notice, Scheduled

COMMITTEE_REMINDER_DAY = 20
REMINDER_AT = time(9)  # park time


async def branches_without_committee_meeting(conn: asyncpg.Connection, day: date,
                                             now: datetime) -> Sequence[tuple[str, Notice]]:
    month = month_of(day)
    rows = await conn.fetch(
        "SELECT b.branch_id, b.name, b.secretary_id, c.phone FROM org_branches b"
        " JOIN org_notify_contacts c ON c.member_id = b.secretary_id"
        " WHERE b.active AND NOT EXISTS (SELECT 1 FROM org_gov_meetings m WHERE m.branch_id = b.branch_id"
        "  AND m.kind = 'committee_meeting' AND m.held_on >= $1 AND m.held_on <= $2)"
        " ORDER BY b.branch_id", day.replace(day=1), day)
    return [(f"{month}:{r['branch_id']}",
             Notice(template="org.committee_meeting_missing", channel="sms", address=r["phone"],
                    subject_id=r["secretary_id"], params={"branch": r["name"], "month": month}))
            for r in rows]


COMMITTEE_CADENCE = Scheduled(
    name="org.committee_meeting_missing", at=REMINDER_AT, find=branches_without_committee_meeting,
    # From the 20th to the month's end: a service down on the 20th still reminds, once (the key).
    on=lambda day: day.day >= COMMITTEE_REMINDER_DAY)

SCHEDULES = (COMMITTEE_CADENCE,)
