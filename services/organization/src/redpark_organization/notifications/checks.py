"""Reminders that come from the organization's rules, each an SMS found in the read models at 09:00
park time and keyed so nobody is told the same fact twice:

- 三会一课: a branch that has held no 支委会 this month by the 20th, to its secretary (key: month, branch);
- dues: a member owing three months or more up to last month, to the member (key: month, member:
  once a month while it lasts);
- rectification: an open one 7 days and 1 day before its deadline, to the branch's secretary (key:
  the rectification and 7 or 1; a service down on the day still tells on the next);
- transfer-in follow-ups pending over 30 days, to the secretary of the branch of the person's
  enterprise, else of the general branch (key: the follow-up: once).

A phone comes from `org_notify_contacts` (sealed); a secretary or member without one is not told."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import asyncpg

from redpark_platform.calendar import month_of
from redpark_platform.notifications import Notice, Scheduled

from ..queries.dues import dues_arrears

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

ARREARS_MONTHS = 3
RECTIFICATION_WARNINGS = (7, 1)  # days before the deadline
FOLLOWUP_WAITING_DAYS = 30


def _previous_month(day: date) -> str:
    return month_of(day.replace(day=1) - timedelta(days=1))


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


async def members_in_arrears(conn: asyncpg.Connection, day: date, now: datetime) -> Sequence[tuple[str, Notice]]:
    # Up to last month: this month's dues may still be paid in this month.
    owing = [m for branch in await dues_arrears(conn, _previous_month(day)) for m in branch.members
             if len(m.months) >= ARREARS_MONTHS]
    if not owing:
        return []
    rows = await conn.fetch("SELECT m.member_id, m.name, c.phone FROM org_members m"
                            " JOIN org_notify_contacts c USING (member_id) WHERE m.member_id = ANY($1) AND m.in_park",
                            [m.member_id for m in owing])
    contact = {r["member_id"]: r for r in rows}
    month = month_of(day)
    return [(f"{month}:{m.member_id}",
             Notice(template="org.dues_in_arrears", channel="sms", address=contact[m.member_id]["phone"],
                    subject_id=m.member_id, personal=("name",),
                    params={"name": contact[m.member_id]["name"], "months": str(len(m.months)),
                            "first": m.months[0], "last": m.months[-1], "amount": _yuan(m.amount_fen)}))
            for m in owing if m.member_id in contact]


async def rectifications_due(conn: asyncpg.Connection, day: date, now: datetime) -> Sequence[tuple[str, Notice]]:
    rows = await conn.fetch(
        "SELECT r.rectification_id, r.deadline, b.name, b.secretary_id, c.phone FROM org_gov_rectifications r"
        " JOIN org_branches b USING (branch_id) JOIN org_notify_contacts c ON c.member_id = b.secretary_id"
        " WHERE r.completed_on IS NULL AND r.deadline >= $1 AND r.deadline <= $2 ORDER BY r.deadline",
        day, day + timedelta(days=max(RECTIFICATION_WARNINGS)))
    out: list[tuple[str, Notice]] = []
    for r in rows:
        left = (r["deadline"] - day).days
        # The nearest warning not yet past: 7 days before (or fewer, when opened late), then 1.
        warning = min(w for w in RECTIFICATION_WARNINGS if left <= w)
        out.append((f"{r['rectification_id']}:{warning}",
                    Notice(template="org.rectification_due", channel="sms", address=r["phone"],
                           subject_id=r["secretary_id"],
                           params={"branch": r["name"], "deadline": r["deadline"].isoformat(), "days": str(left)})))
    return out


async def followups_waiting(conn: asyncpg.Connection, day: date, now: datetime) -> Sequence[tuple[str, Notice]]:
    rows = await conn.fetch(
        "SELECT f.followup_id, f.name, f.since, e.name AS enterprise, s.secretary_id, c.phone"
        " FROM org_transfer_followups f LEFT JOIN org_enterprises e ON e.enterprise_id = f.enterprise_id"
        " CROSS JOIN LATERAL (SELECT COALESCE("
        "   (SELECT b.secretary_id FROM org_branches b WHERE b.active"
        "    AND f.enterprise_id = ANY(b.founding_enterprise_ids) AND b.secretary_id IS NOT NULL"
        "    ORDER BY b.branch_id LIMIT 1),"
        "   (SELECT g.secretary_id FROM org_general_branch g LIMIT 1)) AS secretary_id) s"
        " JOIN org_notify_contacts c ON c.member_id = s.secretary_id"
        " WHERE f.status = 'pending' AND f.since <= $1 ORDER BY f.since, f.followup_id",
        day - timedelta(days=FOLLOWUP_WAITING_DAYS + 1))
    return [(r["followup_id"],
             Notice(template="org.transfer_followup_waiting", channel="sms", address=r["phone"],
                    subject_id=r["secretary_id"], personal=("person",),
                    params={"person": r["name"], "enterprise": r["enterprise"] or "", "since": r["since"].isoformat(),
                            "days": str((day - r["since"]).days)}))
            for r in rows]


DUES_IN_ARREARS = Scheduled(name="org.dues_in_arrears", at=REMINDER_AT, find=members_in_arrears)
RECTIFICATION_DUE = Scheduled(name="org.rectification_due", at=REMINDER_AT, find=rectifications_due)
FOLLOWUP_WAITING = Scheduled(name="org.transfer_followup_waiting", at=REMINDER_AT, find=followups_waiting)

SCHEDULES = (COMMITTEE_CADENCE, DUES_IN_ARREARS, RECTIFICATION_DUE, FOLLOWUP_WAITING)
