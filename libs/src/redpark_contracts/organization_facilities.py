"""Organization events: venues (阵地: 一所两平台三长廊四室), room bookings, and party-building funds (经费).

Registered on the organization service's one registry (`redpark_contracts.organization.registry`),
so subjects and CloudEvents types follow the same rules; kept in their own module so each area of
the service reads on its own.
"""

from __future__ import annotations

from redpark_contracts.organization import registry  # noqa: F401  (types below register on it)

from datetime import date, datetime
from typing import Literal

from redpark_platform.events import Event

VenueKind = Literal[
    "lecture_hall",  # 讲习所
    "platform",  # 平台
    "corridor",  # 长廊
    "room",  # 室
    "city_study",  # 城市书房
    "display_board",  # 显示图版
    "sign",  # 显示牌
]
VenueGroup = Literal["institute", "platforms", "corridors", "rooms", "other"]  # 一所 两平台 三长廊 四室
SpendingFor = Literal["venue", "activity"]

# --- venues and bookings (阵地) --------------------------------------------------------------------


@registry.register("venue", "registered")
class VenueRegistered(Event, frozen=True, kw_only=True):
    venue_id: str
    name: str
    kind: VenueKind
    group: VenueGroup
    location: str
    bookable: bool


@registry.register("venue", "booked")
class VenueBooked(Event, frozen=True, kw_only=True):
    """Pinned: published outbound to the property system."""

    booking_id: str
    venue_id: str
    venue_name: str
    starts_at: datetime
    ends_at: datetime
    purpose: str
    booked_by: str


@registry.register("venue", "booking_cancelled")
class VenueBookingCancelled(Event, frozen=True, kw_only=True):
    """Pinned: published outbound to the property system."""

    booking_id: str
    venue_id: str
    reason: str


# --- funds (经费): the park's special fund and each branch's own budget ---------------------------


@registry.register("funds", "budget_set")
class FundsBudgetSet(Event, frozen=True, kw_only=True):
    """党建专项资金 for the year, in fen."""

    year: int
    amount_fen: int
    set_on: date


@registry.register("funds", "spent")
class FundsSpent(Event, frozen=True, kw_only=True):
    spending_id: str
    year: int
    amount_fen: int
    spent_on: date
    spent_for: SpendingFor
    target_id: str  # the venue id or the activity's id/name
    note: str = ""


@registry.register("branch_funds", "budget_set")
class BranchFundsBudgetSet(Event, frozen=True, kw_only=True):
    """A branch's enterprise-funded budget for the year, in fen."""

    branch_id: str
    year: int
    amount_fen: int
    set_on: date


@registry.register("branch_funds", "spent")
class BranchFundsSpent(Event, frozen=True, kw_only=True):
    spending_id: str
    branch_id: str
    year: int
    amount_fen: int
    spent_on: date
    note: str = ""
