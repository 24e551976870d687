"""Open-base visits (开放式党组织生活基地): outside party organizations book a group visit.

The base receives a set number of visitors a day (configuration, passed in with the request).
A request holds its places from the moment it is made until staff decline it or its hold runs out,
so confirming a request can never overbook the day; one stream per day makes that check exact.

Requests come from anyone, without a sign-in, so each is bounded (the limits come in with the
command, from the service's settings): a group of at most `max_group_size`, a day at most
`max_days_ahead` days ahead, and places held for `hold_for` only. A request staff have not confirmed
by then holds nothing, whether or not its `lapsed` event is stored yet (the service's housekeeping
appends it, `LapseOpenBaseVisits`), so an anonymous caller cannot keep a day full for long.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal, assert_never

import msgspec

from redpark_contracts.events_public import (
    OpenBaseEvent,
    OpenBaseVisitConfirmed,
    OpenBaseVisitDeclined,
    OpenBaseVisitLapsed,
    OpenBaseVisitRequested,
)
from redpark_platform.calendar import park_date
from redpark_platform.decider import Decider

from .errors import ERRORS
from .phone import is_mobile


class RequestOpenBaseVisit(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: str
    day: date
    organization: str
    contact_id: str  # minted per booking: the subject of the contact's personal data
    contact_name: str
    contact_phone: str  # normalised
    group_size: int
    daily_capacity: int
    max_group_size: int
    max_days_ahead: int
    hold_for: timedelta  # how long an unconfirmed request holds its places
    now: datetime  # the runtime's now, in the park's zone: its date is the park's today


class ConfirmOpenBaseVisit(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: str
    day: date
    by: str
    hold_for: timedelta
    now: datetime


class DeclineOpenBaseVisit(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: str
    day: date
    reason: str
    by: str
    hold_for: timedelta
    now: datetime


class LapseOpenBaseVisits(msgspec.Struct, frozen=True, kw_only=True):
    """Record the lapse of every request of the day whose hold ran out by `now` (none: no events)."""

    day: date
    hold_for: timedelta
    now: datetime


OpenBaseCommand = RequestOpenBaseVisit | ConfirmOpenBaseVisit | DeclineOpenBaseVisit | LapseOpenBaseVisits
BookingStatus = Literal["requested", "confirmed", "declined", "lapsed"]
LAPSE_NOTICE = ("您的开放式党组织生活基地参观预约未在规定时间内得到确认，已自动失效，名额已释放；"
                "如仍需参观，请重新预约。")
LAPSE_NOTICE_EN = ("Your open-base visit request was not confirmed in time and has lapsed; its places are free "
                   "again. Please book again if you still wish to visit.")


class Booking(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: str
    group_size: int
    status: BookingStatus
    requested_at: datetime

    def holds(self, now: datetime, hold_for: timedelta) -> bool:
        """Whether its places count against the day at `now`: confirmed, or requested and in time."""
        return self.status == "confirmed" or (self.status == "requested" and not self.overdue(now, hold_for))

    def overdue(self, now: datetime, hold_for: timedelta) -> bool:
        return self.status == "requested" and now >= self.requested_at + hold_for


class OpenBaseDay(msgspec.Struct, frozen=True, kw_only=True):
    bookings: dict[str, Booking] = {}

    def held(self, now: datetime, hold_for: timedelta) -> int:
        return sum(b.group_size for b in self.bookings.values() if b.holds(now, hold_for))


def open_base_stream(day: date) -> str:
    return f"open-base-{day.isoformat()}"


def decide_open_base(command: OpenBaseCommand, state: OpenBaseDay) -> list[OpenBaseEvent]:
    match command:
        case RequestOpenBaseVisit():
            return [_request(command, state)]
        case ConfirmOpenBaseVisit():
            _pending(command.booking_id, state, command.now, command.hold_for)
            return [
                OpenBaseVisitConfirmed(
                    booking_id=command.booking_id,
                    day=command.day,
                    confirmed_by=command.by,
                    confirmed_at=command.now,
                )
            ]
        case DeclineOpenBaseVisit():
            _pending(command.booking_id, state, command.now, command.hold_for)
            if not command.reason.strip():
                raise ERRORS.error("open_base.reason_required", field="reason")
            return [
                OpenBaseVisitDeclined(
                    booking_id=command.booking_id,
                    day=command.day,
                    reason=command.reason.strip(),
                    declined_by=command.by,
                    declined_at=command.now,
                )
            ]
        case LapseOpenBaseVisits():
            return [
                OpenBaseVisitLapsed(
                    booking_id=b.booking_id,
                    day=command.day,
                    group_size=b.group_size,
                    reason="not_confirmed_in_time",
                    notice=LAPSE_NOTICE,
                    notice_en=LAPSE_NOTICE_EN,
                    held_until=b.requested_at + command.hold_for,
                    lapsed_at=command.now,
                )
                for b in state.bookings.values()
                if b.overdue(command.now, command.hold_for)
            ]
        case _:
            assert_never(command)


def _request(c: RequestOpenBaseVisit, state: OpenBaseDay) -> OpenBaseVisitRequested:
    if c.booking_id in state.bookings:
        raise ERRORS.error("open_base.duplicate_booking", field="booking_id")
    if not c.organization.strip():
        raise ERRORS.error("open_base.organization_required", field="organization")
    if not c.contact_name.strip():
        raise ERRORS.error("open_base.contact_required", field="contact_name")
    if not is_mobile(c.contact_phone):
        raise ERRORS.error("phone.invalid", field="contact_phone")
    if c.group_size < 1:
        raise ERRORS.error("open_base.group_size_invalid", field="group_size")
    if c.group_size > c.max_group_size:
        raise ERRORS.error("open_base.group_too_large", field="group_size", value=c.max_group_size)
    today = park_date(c.now)
    if c.day <= today:
        raise ERRORS.error("open_base.day_not_in_future", field="day")
    if c.day > today + timedelta(days=c.max_days_ahead):
        raise ERRORS.error("open_base.day_too_far", field="day", value=c.max_days_ahead)
    left = c.daily_capacity - state.held(c.now, c.hold_for)
    if c.group_size > left:
        raise ERRORS.error("open_base.day_full", field="group_size", value=max(left, 0), day=c.day)
    return OpenBaseVisitRequested(
        booking_id=c.booking_id,
        day=c.day,
        organization=c.organization.strip(),
        contact_id=c.contact_id,
        contact_name=c.contact_name.strip(),
        contact_phone=c.contact_phone,
        group_size=c.group_size,
        requested_at=c.now,
    )


def _pending(booking_id: str, state: OpenBaseDay, now: datetime, hold_for: timedelta) -> Booking:
    booking = state.bookings.get(booking_id)
    if booking is None:
        raise ERRORS.error("open_base.booking_not_found", field="booking_id")
    # Its places may already be someone else's: confirming it now could overbook the day.
    if booking.status == "lapsed" or booking.overdue(now, hold_for):
        raise ERRORS.error("open_base.lapsed", field="booking_id")
    if booking.status != "requested":
        raise ERRORS.error("open_base.already_decided", field="booking_id", status=booking.status)
    return booking


def evolve_open_base(state: OpenBaseDay, event: OpenBaseEvent) -> OpenBaseDay:
    match event:
        case OpenBaseVisitRequested():
            b = Booking(booking_id=event.booking_id, group_size=event.group_size, status="requested",
                        requested_at=event.requested_at)
        case OpenBaseVisitConfirmed():
            b = msgspec.structs.replace(state.bookings[event.booking_id], status="confirmed")
        case OpenBaseVisitDeclined():
            b = msgspec.structs.replace(state.bookings[event.booking_id], status="declined")
        case OpenBaseVisitLapsed():
            b = msgspec.structs.replace(state.bookings[event.booking_id], status="lapsed")
        case _:
            assert_never(event)
    return OpenBaseDay(bookings={**state.bookings, b.booking_id: b})


open_base_decider: Decider[OpenBaseCommand, OpenBaseDay, OpenBaseEvent] = Decider(
    initial=OpenBaseDay, decide=decide_open_base, evolve=evolve_open_base
)
