"""Venues: no double booking on one venue, cancellation frees the time; funds: no overspending."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from redpark_contracts.organization_facilities import (
    BranchFundsBudgetSet,
    BranchFundsSpent,
    FundsBudgetSet,
    FundsSpent,
    VenueBooked,
    VenueBookingCancelled,
    VenueRegistered,
)
from redpark_organization.domain import funds, venue
from redpark_organization.domain.funds import SetBudget, Spend
from redpark_organization.domain.venue import BookVenue, CancelBooking, RegisterVenue
from redpark_platform.decider import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit.gwt import DeciderSpec

venues = DeciderSpec(venue.decider)
budgets = DeciderSpec(funds.decider)
SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=SH)
T14 = datetime(2026, 3, 2, 14, 0, tzinfo=SH)
HALL = VenueRegistered(venue_id="hall", name="讲习所", kind="lecture_hall", group="institute",
                       location="一号楼三楼多功能厅", bookable=True)


def book(booking_id: str, start: datetime, hours: int = 2, **more: object) -> BookVenue:
    fields: dict[str, object] = {"booking_id": booking_id, "venue_id": "hall", "starts_at": start,
                                 "ends_at": start + timedelta(hours=hours), "purpose": "主题党日",
                                 "booked_by": "sec", "now": NOW}
    fields.update(more)
    return BookVenue(**fields)  # type: ignore[arg-type]


def booked(booking_id: str, start: datetime, hours: int = 2) -> VenueBooked:
    return VenueBooked(booking_id=booking_id, venue_id="hall", venue_name="讲习所", starts_at=start,
                       ends_at=start + timedelta(hours=hours), purpose="主题党日", booked_by="sec")


def test_a_venue_is_registered_once() -> None:
    cmd = RegisterVenue(venue_id="hall", name="讲习所", kind="lecture_hall", group="institute",
                        location="一号楼三楼多功能厅", bookable=True)
    venues.given([]).when(cmd).then([HALL])
    venues.given([HALL]).when(cmd).then_raises(DomainError, code="venue.exists", field="venue_id")


def test_a_free_slot_is_booked_and_back_to_back_bookings_do_not_clash() -> None:
    venues.given([HALL]).when(book("b1", T14)).then([booked("b1", T14)])
    venues.given([HALL, booked("b1", T14)]).when(book("b2", T14 + timedelta(hours=2))).then(
        [booked("b2", T14 + timedelta(hours=2))])


def test_an_overlapping_booking_of_the_venue_is_refused() -> None:
    venues.given([HALL, booked("b1", T14)]).when(book("b2", T14 + timedelta(hours=1))).then_raises(
        DomainError, code="booking.overlaps", field="starts_at")
    venues.given([HALL, booked("b1", T14)]).when(book("b2", T14 - timedelta(hours=1), hours=5)).then_raises(
        DomainError, code="booking.overlaps")


def cancel(by: str = "sec", any_booking: bool = False) -> CancelBooking:
    return CancelBooking(booking_id="b1", venue_id="hall", reason="改期", cancelled_by=by, any_booking=any_booking,
                         now=NOW)


def test_a_cancelled_booking_frees_its_time() -> None:
    cancelled = VenueBookingCancelled(booking_id="b1", venue_id="hall", reason="改期")
    venues.given([HALL, booked("b1", T14)]).when(cancel()).then([cancelled])
    venues.given([HALL, booked("b1", T14), cancelled]).when(book("b2", T14)).then([booked("b2", T14)])
    venues.given([HALL, booked("b1", T14), cancelled]).when(cancel()).then_raises(NotFound, code="booking.unknown")


def test_only_the_booker_or_park_staff_cancel_a_booking() -> None:
    venues.given([HALL, booked("b1", T14)]).when(cancel("other")).then_raises(DomainError, code="booking.not_yours",
                                                                              field="booking_id")
    venues.given([HALL, booked("b1", T14)]).when(cancel("admin", any_booking=True)).then(
        [VenueBookingCancelled(booking_id="b1", venue_id="hall", reason="改期")])


def test_bad_time_ranges_and_unbookable_or_unknown_venues_are_refused() -> None:
    venues.given([HALL]).when(book("b1", T14, hours=0)).then_raises(InvalidCommand, field="ends_at")
    venues.given([HALL]).when(book("b1", NOW - timedelta(days=1))).then_raises(InvalidCommand, field="starts_at")
    venues.given([HALL]).when(book("b1", T14, starts_at=T14.replace(tzinfo=None))).then_raises(
        InvalidCommand, code="time.naive")
    venues.given([]).when(book("b1", T14)).then_raises(NotFound, code="venue.unknown")
    corridor = VenueRegistered(venue_id="hall", name="长廊", kind="corridor", group="corridors", location="南门",
                               bookable=False)
    venues.given([corridor]).when(book("b1", T14)).then_raises(DomainError, code="venue.not_bookable")


# --- funds ---------------------------------------------------------------------------------------------

BUDGET = FundsBudgetSet(year=2026, amount_fen=100_000, set_on=date(2026, 1, 5))


def spend(spending_id: str, amount: int, **more: object) -> Spend:
    fields: dict[str, object] = {"spending_id": spending_id, "year": 2026, "amount_fen": amount,
                                 "spent_for": "venue", "target_id": "hall", "now": NOW,
                                 "effective_on": date(2026, 2, 1)}
    fields.update(more)
    return Spend(**fields)  # type: ignore[arg-type]


def spent(spending_id: str, amount: int) -> FundsSpent:
    return FundsSpent(spending_id=spending_id, year=2026, amount_fen=amount, spent_on=date(2026, 2, 1),
                      spent_for="venue", target_id="hall")


def test_spending_within_the_balance_is_recorded_up_to_the_last_fen() -> None:
    budgets.given([BUDGET, spent("s1", 60_000)]).when(spend("s2", 40_000)).then([spent("s2", 40_000)])


def test_spending_beyond_the_balance_is_refused() -> None:
    budgets.given([BUDGET, spent("s1", 60_000)]).when(spend("s2", 40_001)).then_raises(
        DomainError, code="funds.overspent", field="amount_fen")


def test_no_spending_without_a_budget_nor_of_non_positive_amounts() -> None:
    budgets.given([]).when(spend("s1", 1)).then_raises(DomainError, code="funds.no_budget")
    budgets.given([BUDGET]).when(spend("s1", 0)).then_raises(InvalidCommand, field="amount_fen")
    budgets.given([BUDGET]).when(spend("s1", 5, effective_on=date(2025, 12, 31))).then_raises(
        InvalidCommand, code="funds.wrong_year")


def test_a_budget_is_revised_but_never_below_what_is_spent() -> None:
    budgets.given([BUDGET, spent("s1", 60_000)]).when(SetBudget(year=2026, amount_fen=50_000, now=NOW)).then_raises(
        DomainError, code="funds.budget_below_spent")
    budgets.given([BUDGET]).when(SetBudget(year=2026, amount_fen=80_000, now=NOW)).then(
        [FundsBudgetSet(year=2026, amount_fen=80_000, set_on=date(2026, 3, 1))])


def test_a_branchs_own_budget_keeps_its_own_balance() -> None:
    set_ = BranchFundsBudgetSet(branch_id="br1", year=2026, amount_fen=1_000, set_on=date(2026, 1, 5))
    budgets.given([]).when(SetBudget(year=2026, amount_fen=1_000, branch_id="br1", now=NOW,
                                     effective_on=date(2026, 1, 5))).then([set_])
    budgets.given([]).when(SetBudget(year=2026, amount_fen=1_000, branch_id="br9", branch_active=False,
                                     now=NOW)).then_raises(DomainError, code="funds.branch_not_active")
    budgets.given([set_]).when(spend("s1", 1_000, branch_id="br1")).then(
        [BranchFundsSpent(spending_id="s1", branch_id="br1", year=2026, amount_fen=1_000,
                          spent_on=date(2026, 2, 1))])
    budgets.given([set_]).when(spend("s1", 1_001, branch_id="br1")).then_raises(DomainError, code="funds.overspent")
