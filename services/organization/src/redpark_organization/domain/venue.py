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
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

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
        raise NotFound("venue.unknown", f"no venue {c.venue_id}", detail_zh="阵地不存在", field="venue_id")
    if not s.bookable:
        raise DomainError("venue.not_bookable", f"{s.name} is not a bookable room",
                          detail_zh=f"{s.name}不可预约", field="venue_id")
    _aware(c.starts_at, "starts_at")
    _aware(c.ends_at, "ends_at")
    if c.ends_at <= c.starts_at:
        raise InvalidCommand("booking.ends_before_start", "ends_at must be after starts_at",
                             detail_zh="结束时间须晚于开始时间", field="ends_at")
    if c.ends_at - c.starts_at > MAX_BOOKING:
        raise InvalidCommand("booking.too_long", "a booking lasts at most 24 hours",
                             detail_zh="单次预约不超过24小时", field="ends_at")
    if c.starts_at < c.now:
        raise InvalidCommand("booking.in_past", "a booking cannot start in the past",
                             detail_zh="不能预约过去的时间", field="starts_at")
    if not c.purpose.strip():
        raise InvalidCommand("booking.purpose_missing", "the purpose is required", detail_zh="请填写用途",
                             field="purpose")
    if c.booking_id in s.booking_ids:
        raise DomainError("booking.exists", f"booking {c.booking_id} exists", detail_zh="预约编号已存在",
                          field="booking_id")
    clash = next((bid for bid, slot in sorted(s.live.items())
                  if slot.starts_at < c.ends_at and c.starts_at < slot.ends_at), None)
    if clash is not None:
        slot = s.live[clash]
        raise DomainError("booking.overlaps", f"{s.name} is booked from {slot.starts_at.isoformat()} to "
                          f"{slot.ends_at.isoformat()} (booking {clash})",
                          detail_zh=f"{s.name}该时段已被预约", field="starts_at")
    return [VenueBooked(booking_id=c.booking_id, venue_id=c.venue_id, venue_name=s.name, starts_at=c.starts_at,
                        ends_at=c.ends_at, purpose=c.purpose.strip(), booked_by=c.booked_by)]


def decide(command: VenueCommand, state: VenueState) -> list[VenueEvent]:
    match command:
        case RegisterVenue():
            if isinstance(state, Venue):
                raise DomainError("venue.exists", f"venue {command.venue_id} is registered",
                                  detail_zh="阵地已登记", field="venue_id")
            for field in ("venue_id", "name", "location"):
                if not str(getattr(command, field)).strip():
                    raise InvalidCommand("venue.field_missing", f"{field} is required", detail_zh="请填写完整",
                                         field=field)
            return [VenueRegistered(venue_id=command.venue_id, name=command.name.strip(), kind=command.kind,
                                    group=command.group, location=command.location.strip(),
                                    bookable=command.bookable)]
        case BookVenue():
            return _book(command, state)
        case CancelBooking():
            if not isinstance(state, Venue):
                raise NotFound("venue.unknown", f"no venue {command.venue_id}", detail_zh="阵地不存在",
                               field="venue_id")
            slot = state.live.get(command.booking_id)
            if slot is None:
                raise NotFound("booking.unknown", f"no live booking {command.booking_id} of {command.venue_id}",
                               detail_zh="预约不存在或已取消", field="booking_id")
            if not command.any_booking and slot.booked_by != command.cancelled_by:
                raise DomainError("booking.not_yours", f"booking {command.booking_id} was made by someone else",
                                  detail_zh="只能取消本人的预约", field="booking_id", status=403)
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
