"""Venues (阵地: 一所两平台三长廊四室、城市书房、显示图版和显示牌) and bookings of the bookable ones.

The venue is the aggregate: its registration and every booking of it share one stream, so "no two
live bookings of one venue overlap" is decided against all of them at once and two concurrent
bookings of the same hour cannot both land (the second re-decides on the version conflict).
Time ranges are half-open, [starts_at, ends_at): a booking may start when the previous one ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import assert_never

import msgspec

from redpark_contracts.organization_facilities import (
    VenueBooked,
    VenueBookingCancelled,
    VenueGroup,
    VenueKind,
    VenueRegistered,
)
from redpark_platform.decider import Decider, InvalidCommand

from .errors import ERRORS

MAX_BOOKING = timedelta(hours=24)
KIND_ZH = {"lecture_hall": "讲习所", "platform": "平台", "corridor": "长廊", "room": "室", "city_study": "城市书房",
           "display_board": "显示图版", "sign": "显示牌"}


def stream_id(venue_id: str) -> str:
    return f"venue-{venue_id}"


class RegisterVenue(msgspec.Struct, frozen=True, kw_only=True):
    venue_id: str
    name: str
    kind: VenueKind
    group: VenueGroup
    location: str
    bookable: bool


class BookVenue(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: str
    venue_id: str
    starts_at: datetime
    ends_at: datetime
    purpose: str
    booked_by: str
    now: datetime


class CancelBooking(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: str
    venue_id: str
    reason: str
    cancelled_by: str
    any_booking: bool = False  # park staff cancel any booking; others only their own
    now: datetime


VenueCommand = RegisterVenue | BookVenue | CancelBooking
VenueEvent = VenueRegistered | VenueBooked | VenueBookingCancelled


class NoVenue(msgspec.Struct, frozen=True, tag=True):
    pass


class Slot(msgspec.Struct, frozen=True):
    starts_at: datetime
    ends_at: datetime
    booked_by: str


class Venue(msgspec.Struct, frozen=True, tag=True):
    venue_id: str
    name: str
    bookable: bool
    live: dict[str, Slot] = {}  # booking id → its slot, cancelled ones dropped
    booking_ids: frozenset[str] = frozenset()


VenueState = NoVenue | Venue


def _aware(value: datetime, field: str) -> None:
    if value.tzinfo is None:
        raise InvalidCommand("time.naive", f"{field} must carry a time zone", detail_zh="时间必须带时区",
                             field=field)


def _book(c: BookVenue, s: VenueState) -> list[VenueEvent]:
    if not isinstance(s, Venue):
        raise ERRORS.error("venue.unknown", field="venue_id", venue_id=c.venue_id)
    if not s.bookable:
        raise ERRORS.error("venue.not_bookable", field="venue_id", name=s.name)
    _aware(c.starts_at, "starts_at")
    _aware(c.ends_at, "ends_at")
    if c.ends_at <= c.starts_at:
        raise ERRORS.error("booking.ends_before_start", field="ends_at")
    if c.ends_at - c.starts_at > MAX_BOOKING:
        raise ERRORS.error("booking.too_long", field="ends_at")
    if c.starts_at < c.now:
        raise ERRORS.error("booking.in_past", field="starts_at")
    if not c.purpose.strip():
        raise ERRORS.error("booking.purpose_missing", field="purpose")
    if c.booking_id in s.booking_ids:
        raise ERRORS.error("booking.exists", field="booking_id", booking_id=c.booking_id)
    clash = next((bid for bid, slot in sorted(s.live.items())
                  if slot.starts_at < c.ends_at and c.starts_at < slot.ends_at), None)
    if clash is not None:
        slot = s.live[clash]
        raise ERRORS.error("booking.overlaps", field="starts_at", name=s.name, starts_at=slot.starts_at.isoformat(),
                           ends_at=slot.ends_at.isoformat(), clash=clash)
    return [VenueBooked(booking_id=c.booking_id, venue_id=c.venue_id, venue_name=s.name, starts_at=c.starts_at,
                        ends_at=c.ends_at, purpose=c.purpose.strip(), booked_by=c.booked_by)]


def decide(command: VenueCommand, state: VenueState) -> list[VenueEvent]:
    match command:
        case RegisterVenue():
            if isinstance(state, Venue):
                raise ERRORS.error("venue.exists", field="venue_id", venue_id=command.venue_id)
            for field in ("venue_id", "name", "location"):
                if not str(getattr(command, field)).strip():
                    raise ERRORS.error("venue.field_missing", field=field, field_value=field)
            return [VenueRegistered(venue_id=command.venue_id, name=command.name.strip(), kind=command.kind,
                                    group=command.group, location=command.location.strip(),
                                    bookable=command.bookable)]
        case BookVenue():
            return _book(command, state)
        case CancelBooking():
            if not isinstance(state, Venue):
                raise ERRORS.error("venue.unknown", field="venue_id", venue_id=command.venue_id)
            slot = state.live.get(command.booking_id)
            if slot is None:
                raise ERRORS.error("booking.unknown", field="booking_id", booking_id=command.booking_id,
                                   venue_id=command.venue_id)
            if not command.any_booking and slot.booked_by != command.cancelled_by:
                raise ERRORS.error("booking.not_yours", field="booking_id", booking_id=command.booking_id)
            return [VenueBookingCancelled(booking_id=command.booking_id, venue_id=command.venue_id,
                                          reason=command.reason)]
        case _:
            assert_never(command)


def evolve(state: VenueState, event: VenueEvent) -> VenueState:
    match event:
        case VenueRegistered():
            return Venue(venue_id=event.venue_id, name=event.name, bookable=event.bookable)
        case VenueBooked():
            assert isinstance(state, Venue)
            return msgspec.structs.replace(state, live={**state.live, event.booking_id: Slot(
                                               event.starts_at, event.ends_at, event.booked_by)},
                                           booking_ids=state.booking_ids | {event.booking_id})
        case VenueBookingCancelled():
            assert isinstance(state, Venue)
            return msgspec.structs.replace(state, live={k: v for k, v in state.live.items()
                                                        if k != event.booking_id})
        case _:
            assert_never(event)


decider: Decider[VenueCommand, VenueState, VenueEvent] = Decider(initial=NoVenue, decide=decide, evolve=evolve)
