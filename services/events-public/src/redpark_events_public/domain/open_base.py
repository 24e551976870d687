"""Open-base visits (开放式党组织生活基地): outside party organizations book a group visit.

The base receives a set number of visitors a day (configuration, passed in with the request).
A request holds its places from the moment it is made until staff decline it, so confirming a
request can never overbook the day; one stream per day makes that check exact.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, assert_never

import msgspec

from redpark_contracts.events_public import (
    OpenBaseEvent,
    OpenBaseVisitConfirmed,
    OpenBaseVisitDeclined,
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
    now: datetime  # the runtime's now, in the park's zone: its date is the park's today


class ConfirmOpenBaseVisit(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: str
    day: date
    by: str
    now: datetime


class DeclineOpenBaseVisit(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: str
    day: date
    reason: str
    by: str
    now: datetime


OpenBaseCommand = RequestOpenBaseVisit | ConfirmOpenBaseVisit | DeclineOpenBaseVisit
BookingStatus = Literal["requested", "confirmed", "declined"]


class Booking(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: str
    group_size: int
    status: BookingStatus


class OpenBaseDay(msgspec.Struct, frozen=True, kw_only=True):
    bookings: dict[str, Booking] = {}

    @property
    def held(self) -> int:
        return sum(b.group_size for b in self.bookings.values() if b.status != "declined")


def open_base_stream(day: date) -> str:
    return f"open-base-{day.isoformat()}"


def decide_open_base(command: OpenBaseCommand, state: OpenBaseDay) -> list[OpenBaseEvent]:
    match command:
        case RequestOpenBaseVisit():
            return [_request(command, state)]
        case ConfirmOpenBaseVisit():
            _pending(command.booking_id, state)
            return [
                OpenBaseVisitConfirmed(
                    booking_id=command.booking_id,
                    day=command.day,
                    confirmed_by=command.by,
                    confirmed_at=command.now,
                )
            ]
        case DeclineOpenBaseVisit():
            _pending(command.booking_id, state)
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
    if c.day <= park_date(c.now):
        raise ERRORS.error("open_base.day_not_in_future", field="day")
    left = c.daily_capacity - state.held
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


def _pending(booking_id: str, state: OpenBaseDay) -> Booking:
    booking = state.bookings.get(booking_id)
    if booking is None:
        raise ERRORS.error("open_base.booking_not_found", field="booking_id")
    if booking.status != "requested":
        raise ERRORS.error("open_base.already_decided", field="booking_id", status=booking.status)
    return booking


def evolve_open_base(state: OpenBaseDay, event: OpenBaseEvent) -> OpenBaseDay:
    match event:
        case OpenBaseVisitRequested():
            b = Booking(booking_id=event.booking_id, group_size=event.group_size, status="requested")
        case OpenBaseVisitConfirmed():
            b = msgspec.structs.replace(state.bookings[event.booking_id], status="confirmed")
        case OpenBaseVisitDeclined():
            b = msgspec.structs.replace(state.bookings[event.booking_id], status="declined")
        case _:
            assert_never(event)
    return OpenBaseDay(bookings={**state.bookings, b.booking_id: b})


open_base_decider: Decider[OpenBaseCommand, OpenBaseDay, OpenBaseEvent] = Decider(
    initial=OpenBaseDay, decide=decide_open_base, evolve=evolve_open_base
)
