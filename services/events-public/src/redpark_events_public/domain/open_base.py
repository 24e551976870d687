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
from redpark_platform.decider import Decider, DomainError, InvalidCommand, NotFound

from .park_time import PARK_TZ, park_day
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
    now: datetime
    tz: str = PARK_TZ


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
                raise InvalidCommand(
                    "open_base.reason_required",
                    "Say why the visit is declined.",
                    detail_zh="请填写婉拒参观的原因。",
                    field="reason",
                )
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
        raise DomainError(
            "open_base.duplicate_booking",
            "This booking was already received.",
            detail_zh="该预约已提交，请勿重复提交。",
            field="booking_id",
        )
    if not c.organization.strip():
        raise InvalidCommand(
            "open_base.organization_required",
            "Name the visiting party organization.",
            detail_zh="请填写来访党组织名称。",
            field="organization",
        )
    if not c.contact_name.strip():
        raise InvalidCommand(
            "open_base.contact_required",
            "Name a contact person.",
            detail_zh="请填写联系人姓名。",
            field="contact_name",
        )
    if not is_mobile(c.contact_phone):
        raise InvalidCommand(
            "phone.invalid",
            "Enter a mainland China mobile number: 11 digits starting with 13 to 19.",
            detail_zh="请输入有效的中国大陆手机号码（11位，以13至19开头）。",
            field="contact_phone",
        )
    if c.group_size < 1:
        raise InvalidCommand(
            "open_base.group_size_invalid",
            "A group has at least one visitor.",
            detail_zh="来访人数至少为1人。",
            field="group_size",
        )
    if c.day <= park_day(c.now, c.tz):
        raise DomainError(
            "open_base.day_not_in_future",
            "Book a visit for tomorrow or later.",
            detail_zh="请预约明天及以后的日期。",
            field="day",
            status=422,
        )
    left = c.daily_capacity - state.held
    if c.group_size > left:
        raise DomainError(
            "open_base.day_full",
            f"The base can receive {max(left, 0)} more visitor(s) on {c.day}.",
            detail_zh=f"{c.day}基地剩余可接待名额为{max(left, 0)}人。",
            field="group_size",
        )
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
        raise NotFound(
            "open_base.booking_not_found",
            "No such booking on this day.",
            detail_zh="该日期没有此预约。",
            field="booking_id",
        )
    if booking.status != "requested":
        raise DomainError(
            "open_base.already_decided",
            f"This booking was already {booking.status}.",
            detail_zh="该预约已处理（已确认或已婉拒）。",
            field="booking_id",
        )
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
