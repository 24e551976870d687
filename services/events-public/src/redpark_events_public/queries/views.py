"""What the read models answer: the shapes the queries return and the edges send as they are.

Here rather than beside the API's request bodies, so that `queries/` depends on nothing above it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec

from redpark_contracts.events_public import RouteStop


class SessionView(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    activity_id: str
    activity_kind: str
    carnival_id: str | None = None
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int
    free_seats: int
    waitlisted_parties: int
    min_age: int | None = None
    max_age: int | None = None
    registration_opens_at: datetime
    registration_closes_at: datetime
    max_party_size: int


class ActivityView(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: str
    kind: str
    title: str
    summary: str
    place: str
    organizer: str
    carnival_id: str | None = None
    route: list[RouteStop] = []
    daily_limit_per_phone: int | None = None
    # What a registration for its sessions must bring: `proof_of_work` (solve
    # `GET /proof-of-work/challenge`), `phone_code` (sent by `POST /sessions/{id}/phone-codes`).
    proof_of_work: bool = False
    phone_verification: bool = False
    sessions: list[SessionView] = []


class TicketView(msgspec.Struct, frozen=True, kw_only=True):
    """A ticket as its holder sees it: no name, no phone."""

    session_id: str
    ticket_code: str
    status: Literal["confirmed", "waitlisted", "cancelled"]
    seats: int
    waitlist_position: int | None = None
    checked_in: bool
    starts_at: datetime
    place: str


class StaffRegistration(msgspec.Struct, frozen=True, kw_only=True):
    registration_id: str
    ticket_code: str
    status: str
    seats: int
    adults: int
    children: int
    waitlist_position: int | None = None
    registered_at: datetime
    checked_in_at: datetime | None = None


class SessionRegistrations(msgspec.Struct, frozen=True, kw_only=True):
    session: SessionView
    checked_in_seats: int
    no_show_seats: int | None = None
    registrations: list[StaffRegistration]


class OrganizerCount(msgspec.Struct, frozen=True, kw_only=True):
    organizer_branch_id: str
    held: int
    held_by_quarter: list[int]  # Q1..Q4, by the activity's start in the park
    minimum: int
    met: bool
    volunteer_hours: float


class VolunteerYearReport(msgspec.Struct, frozen=True, kw_only=True):
    """Volunteer and tech-poverty-relief activities held per organizer in a year, against the assessment's
    target: `per_quarter` (the year's assessment rules, else their default 1), `minimum` four quarters of it.
    Every active branch and the general branch is listed."""

    year: int
    per_quarter: float
    minimum: int
    organizers: list[OrganizerCount]


class OpenBaseVisitView(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: str
    day: date
    organization: str
    group_size: int
    status: Literal["requested", "confirmed", "declined", "lapsed"]
    reason: str | None = None  # why it was declined, or the lapse's notice
    requested_at: datetime
    decided_at: datetime | None = None  # confirmed, declined or lapsed at
    # A request holds its places until then (unless confirmed first); None once decided.
    holds_until: datetime | None = None


class OpenBaseDayView(msgspec.Struct, frozen=True, kw_only=True):
    day: date
    daily_capacity: int
    held: int  # confirmed + requested still within their hold
    visits: list[OpenBaseVisitView]


class OpenBaseDaySummary(msgspec.Struct, frozen=True, kw_only=True):
    """A day as the staff's open-base list shows it: its bookings by status and what they hold."""

    day: OpenBaseDayView
    requested: int  # still within their hold: waiting for staff
    confirmed: int
    declined: int
    lapsed: int  # lapsed, or past their hold and waiting for housekeeping to store the lapse
    first_hold_ends: datetime | None  # the earliest a waiting request lapses


class SessionCounts(msgspec.Struct, frozen=True, kw_only=True):
    """The live figures the staff's session pages poll."""

    session_id: str
    capacity: int
    confirmed: int  # seats
    waitlisted: int  # parties
    checked_in: int  # seats
