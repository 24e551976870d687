"""Facilities' application layer, attached to the runtime by type: the venue registry (阵地),
bookings of the bookable rooms, the park's special fund and the branches' own budgets (经费). The
reads over them are `queries.facilities`.

A booking is decided on its venue's stream (no double booking); a spending entry on its budget's
stream (no overspending). Whether a branch is active comes from the branch's own stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from redpark_contracts.organization_facilities import SpendingFor, VenueGroup, VenueKind
from redpark_platform.calendar import park_date
from redpark_platform.runtime import ApplicationLayer
from redpark_platform.store import AppendResult

from ..domain import branch, funds, venue


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

