"""Reads of enterprises' needs (诉求)."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from redpark_platform.web.paging import Page, PageRequest

from .paging import paged


class NeedRow(msgspec.Struct, frozen=True, kw_only=True):
    need_id: str
    enterprise_id: str
    category: str
    urgency: str
    description: str
    raised_by_name: str
    raised_on: date
    due_on: date
    status: str
    assignee: str | None
    accepted_on: date | None
    last_note: str | None
    finished_on: date | None
    resolution: str | None
    close_reason: str | None
    age_days: int
    overdue: bool


async def needs(pool: asyncpg.Pool, today: date, *, open_only: bool = False, overdue_only: bool = False,
                paging: PageRequest | None = None) -> Page[NeedRow]:
    """Needs with their age (days since raised, up to today or the day they were finished);
    overdue = still open past the due day. Oldest first: the ageing list."""
    return await paged(
        pool, "SELECT need_id, enterprise_id, category, urgency, description, raised_by_name, raised_on, due_on,"
        " status, assignee, accepted_on, last_note, finished_on, resolution, close_reason,"
        " (coalesce(finished_on, $1::date) - raised_on) AS age_days,"
        " (status IN ('raised', 'accepted') AND $1::date > due_on) AS overdue FROM sup_needs"
        " WHERE ($2 = false OR status IN ('raised', 'accepted'))"
        " AND ($3 = false OR (status IN ('raised', 'accepted') AND $1::date > due_on))"
        " ORDER BY raised_on, need_id", (today, open_only, overdue_only), paging, lambda r: NeedRow(**dict(r)))
