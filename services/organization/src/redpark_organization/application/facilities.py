"""Facilities' application layer, kept in `runtime.extras["facilities"]`: the venue registry (阵地),
bookings of the bookable rooms, the park's special fund and the branches' own budgets (经费), and
the reads over them.

A booking is decided on its venue's stream (no double booking); a spending entry on its budget's
stream (no overspending). Whether a branch is active comes from the branch's own stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import msgspec

from redpark_contracts.organization_facilities import SpendingFor, VenueGroup, VenueKind
from redpark_platform.runtime import ApplicationLayer, Runtime
from redpark_platform.store import AppendResult

from ..domain import branch, funds, venue
from ..domain.park_calendar import park_date
from ..projections.facilities import PARK

EXTRA_KEY = "facilities"


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


@dataclass
class Facilities(ApplicationLayer):

    def today(self) -> date:
        return park_date(self.now())

    # --- venues and bookings -----------------------------------------------------------------------

    async def register_venue(self, *, venue_id: str, name: str, kind: VenueKind, group: VenueGroup, location: str,
                             bookable: bool) -> AppendResult:
        return await self.runtime.execute(venue.stream_id(venue_id), venue.decider, venue.RegisterVenue(
            venue_id=venue_id, name=name, kind=kind, group=group, location=location, bookable=bookable))

    async def book(self, *, booking_id: str, venue_id: str, starts_at: datetime, ends_at: datetime, purpose: str,
                   by: str) -> AppendResult:
        return await self.runtime.execute(venue.stream_id(venue_id), venue.decider, venue.BookVenue(
            booking_id=booking_id, venue_id=venue_id, starts_at=starts_at, ends_at=ends_at, purpose=purpose,
            booked_by=by, now=self.now()))

    async def cancel_booking(self, *, venue_id: str, booking_id: str, reason: str, by: str,
                             any_booking: bool) -> AppendResult:
        return await self.runtime.execute(venue.stream_id(venue_id), venue.decider, venue.CancelBooking(
            booking_id=booking_id, venue_id=venue_id, reason=reason, cancelled_by=by, any_booking=any_booking,
            now=self.now()))

    async def venues(self, *, kind: str | None = None, bookable: bool | None = None) -> list[VenueLine]:
        rows = await self.pool.fetch(
            "SELECT venue_id, name, kind, venue_group AS group, location, bookable FROM org_fac_venues"
            " WHERE ($1::text IS NULL OR kind = $1) AND ($2::boolean IS NULL OR bookable = $2)"
            " ORDER BY venue_group, venue_id", kind, bookable)
        return [VenueLine(**dict(r)) for r in rows]

    async def bookings(self, *, venue_id: str | None, day: date | None, include_cancelled: bool) -> list[BookingLine]:
        """Bookings by start; `day` keeps those touching that calendar day of the park."""
        start = end = None
        if day is not None:
            start = datetime(day.year, day.month, day.day, tzinfo=self.runtime.settings.zone)
            end = start + timedelta(days=1)
        rows = await self.pool.fetch(
            "SELECT booking_id, venue_id, venue_name, starts_at, ends_at, purpose, booked_by, cancelled,"
            " cancel_reason FROM org_fac_bookings WHERE ($1::text IS NULL OR venue_id = $1)"
            " AND ($2::timestamptz IS NULL OR (starts_at < $3 AND ends_at > $2)) AND ($4 OR NOT cancelled)"
            " ORDER BY starts_at, venue_id, booking_id", venue_id, start, end, include_cancelled)
        zone = self.runtime.settings.zone
        return [BookingLine(**{**dict(r), "starts_at": r["starts_at"].astimezone(zone),
                               "ends_at": r["ends_at"].astimezone(zone)}) for r in rows]

    # --- funds ---------------------------------------------------------------------------------------

    async def _branch_active(self, branch_id: str) -> bool:
        read = await self.runtime.store.read_stream(branch.stream_id(branch_id))
        return isinstance(branch.decider.fold([e.event for e in read.events]), branch.ActiveBranch)

    async def set_budget(self, *, year: int, amount_fen: int, branch_id: str | None,
                         effective_on: date | None) -> AppendResult:
        stream = funds.stream_id(year) if branch_id is None else funds.branch_stream_id(branch_id, year)
        active = True if branch_id is None else await self._branch_active(branch_id)
        return await self.runtime.execute(stream, funds.decider, funds.SetBudget(
            year=year, amount_fen=amount_fen, branch_id=branch_id, branch_active=active, now=self.now(),
            effective_on=effective_on))

    async def spend(self, *, spending_id: str, year: int, amount_fen: int, note: str, spent_for: SpendingFor,
                    target_id: str, branch_id: str | None, effective_on: date | None) -> AppendResult:
        stream = funds.stream_id(year) if branch_id is None else funds.branch_stream_id(branch_id, year)
        return await self.runtime.execute(stream, funds.decider, funds.Spend(
            spending_id=spending_id, year=year, amount_fen=amount_fen, note=note, spent_for=spent_for,
            target_id=target_id, branch_id=branch_id, now=self.now(), effective_on=effective_on))

    async def budgets(self, year: int, scope: str | None, *, include_park: bool = True) -> list[BudgetLine]:
        rows = await self.pool.fetch(_BUDGETS, year, scope, include_park)
        return [BudgetLine(**dict(r), remaining_fen=int(r["budget_fen"]) - int(r["spent_fen"])) for r in rows]

    async def spending(self, year: int, scope: str = PARK) -> list[SpendingLine]:
        rows = await self.pool.fetch(
            "SELECT spending_id, scope, year, amount_fen, spent_on, spent_for, target_id, note FROM org_fac_spending"
            " WHERE year = $1 AND scope = $2 ORDER BY spent_on, spending_id", year, scope)
        return [SpendingLine(**dict(r)) for r in rows]


async def attach(runtime: Runtime) -> None:
    runtime.extras[EXTRA_KEY] = Facilities(runtime=runtime)
