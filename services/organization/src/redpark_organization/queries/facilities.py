"""Facilities' reads: the venue registry, bookings (per venue or per park day), the budgets with what
is spent and what remains, and the spending entries."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

import msgspec

from redpark_contracts.organization_facilities import VenueGroup, VenueKind

from ..projections.facilities import PARK
from . import Db


class VenueLine(msgspec.Struct, frozen=True, kw_only=True):
    venue_id: str
    name: str
    kind: VenueKind
    group: VenueGroup
    location: str
    bookable: bool


class BookingLine(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: str
    venue_id: str
    venue_name: str
    starts_at: datetime
    ends_at: datetime
    purpose: str
    booked_by: str
    cancelled: bool
    cancel_reason: str | None


class BudgetLine(msgspec.Struct, frozen=True, kw_only=True):
    """A budget of a year: the park's special fund (scope 'park') or a branch's own."""

    scope: str
    scope_name: str
    year: int
    budget_fen: int
    spent_fen: int
    remaining_fen: int


class SpendingLine(msgspec.Struct, frozen=True, kw_only=True):
    spending_id: str
    scope: str
    year: int
    amount_fen: int
    spent_on: date
    spent_for: str
    target_id: str
    note: str


_BUDGETS = """
SELECT b.scope, CASE WHEN b.scope = 'park' THEN '党建专项资金' ELSE coalesce(br.name, b.scope) END AS scope_name,
       b.year, b.amount_fen AS budget_fen,
       coalesce((SELECT sum(amount_fen) FROM org_fac_spending s WHERE s.scope = b.scope AND s.year = b.year), 0)::bigint
         AS spent_fen
FROM org_fac_budgets b LEFT JOIN org_branches br ON br.branch_id = b.scope
WHERE b.year = $1 AND ($2::text IS NULL OR b.scope = $2) AND ($3 OR b.scope <> 'park')
ORDER BY b.scope = 'park' DESC, b.scope
"""


async def venues(db: Db, *, kind: str | None = None, bookable: bool | None = None) -> list[VenueLine]:
    rows = await db.fetch(
        "SELECT venue_id, name, kind, venue_group AS group, location, bookable FROM org_fac_venues"
        " WHERE ($1::text IS NULL OR kind = $1) AND ($2::boolean IS NULL OR bookable = $2)"
        " ORDER BY venue_group, venue_id", kind, bookable)
    return [VenueLine(**dict(r)) for r in rows]


async def bookings(db: Db, zone: tzinfo, *, venue_id: str | None, day: date | None,
                   include_cancelled: bool) -> list[BookingLine]:
    """Bookings by start; `day` keeps those touching that calendar day of the park."""
    start = end = None
    if day is not None:
        start = datetime(day.year, day.month, day.day, tzinfo=zone)
        end = start + timedelta(days=1)
    rows = await db.fetch(
        "SELECT booking_id, venue_id, venue_name, starts_at, ends_at, purpose, booked_by, cancelled,"
        " cancel_reason FROM org_fac_bookings WHERE ($1::text IS NULL OR venue_id = $1)"
        " AND ($2::timestamptz IS NULL OR (starts_at < $3 AND ends_at > $2)) AND ($4 OR NOT cancelled)"
        " ORDER BY starts_at, venue_id, booking_id", venue_id, start, end, include_cancelled)
    zone = zone
    return [BookingLine(**{**dict(r), "starts_at": r["starts_at"].astimezone(zone),
                           "ends_at": r["ends_at"].astimezone(zone)}) for r in rows]


async def budgets(db: Db, year: int, scope: str | None, *, include_park: bool = True) -> list[BudgetLine]:
    rows = await db.fetch(_BUDGETS, year, scope, include_park)
    return [BudgetLine(**dict(r), remaining_fen=int(r["budget_fen"]) - int(r["spent_fen"])) for r in rows]


async def spending(db: Db, year: int, scope: str = PARK) -> list[SpendingLine]:
    rows = await db.fetch(
        "SELECT spending_id, scope, year, amount_fen, spent_on, spent_for, target_id, note FROM org_fac_spending"
        " WHERE year = $1 AND scope = $2 ORDER BY spent_on, spending_id", year, scope)
    return [SpendingLine(**dict(r)) for r in rows]

