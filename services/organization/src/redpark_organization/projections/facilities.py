"""Facilities read model: venues, their bookings (cancelled ones kept, flagged), budgets and spending."""

from __future__ import annotations

import asyncpg

from redpark_contracts.organization import registry
from redpark_contracts.organization_facilities import (
    BranchFundsBudgetSet,
    BranchFundsSpent,
    FundsBudgetSet,
    FundsSpent,
    VenueBooked,
    VenueBookingCancelled,
    VenueRegistered,
)
from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection

NAME = "org_facilities"
PARK = "park"  # the scope of the park's special fund in the budget tables

_BUDGET = ("INSERT INTO org_fac_budgets VALUES ($1, $2, $3, $4) ON CONFLICT (scope, year)"
           " DO UPDATE SET amount_fen = excluded.amount_fen, set_on = excluded.set_on")
_SPENT = "INSERT INTO org_fac_spending VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING"


class FacilitiesProjection(Projection):
    name = NAME
    sources = ("organization",)
    registries = {"organization": registry}
    tables = ("org_fac_venues", "org_fac_bookings", "org_fac_budgets", "org_fac_spending")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        match event:
            case VenueRegistered():
                await conn.execute("INSERT INTO org_fac_venues VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                                   event.venue_id, event.name, event.kind, event.group, event.location,
                                   event.bookable)
            case VenueBooked():
                await conn.execute(
                    "INSERT INTO org_fac_bookings (booking_id, venue_id, venue_name, starts_at, ends_at, purpose,"
                    " booked_by) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING", event.booking_id,
                    event.venue_id, event.venue_name, event.starts_at, event.ends_at, event.purpose, event.booked_by)
            case VenueBookingCancelled():
                await conn.execute("UPDATE org_fac_bookings SET cancelled = true, cancel_reason = $2"
                                   " WHERE booking_id = $1", event.booking_id, event.reason)
            case FundsBudgetSet():
                await conn.execute(_BUDGET, PARK, event.year, event.amount_fen, event.set_on)
            case BranchFundsBudgetSet():
                await conn.execute(_BUDGET, event.branch_id, event.year, event.amount_fen, event.set_on)
            case FundsSpent():
                await conn.execute(_SPENT, event.spending_id, PARK, event.year, event.amount_fen, event.spent_on,
                                   event.spent_for, event.target_id, event.note)
            case BranchFundsSpent():
                await conn.execute(_SPENT, event.spending_id, event.branch_id, event.year, event.amount_fen,
                                   event.spent_on, "branch", event.branch_id, event.note)
            case _:
                pass
