"""Open-base visits: outside party organizations book group visits within the day's capacity."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from redpark_contracts.events_public import (
    OpenBaseVisitConfirmed,
    OpenBaseVisitDeclined,
    OpenBaseVisitRequested,
)
from redpark_events_public.domain.open_base import (
    ConfirmOpenBaseVisit,
    DeclineOpenBaseVisit,
    RequestOpenBaseVisit,
    open_base_decider,
)
from redpark_platform.errors import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

spec = DeciderSpec(open_base_decider)
DAY = date(2026, 7, 1)
NOW = datetime(2026, 6, 20, 2, tzinfo=UTC)


def request(booking: str, size: int, **over: object) -> RequestOpenBaseVisit:
    fields: dict[str, object] = {
        "booking_id": booking,
        "day": DAY,
        "organization": "City Bureau Party Branch",
        "contact_id": f"c-{booking}",
        "contact_name": "Wang Fang",
        "contact_phone": "13800138000",
        "group_size": size,
        "daily_capacity": 60,
        "now": NOW,
    }
    fields.update(over)
    return RequestOpenBaseVisit(**fields)  # type: ignore[arg-type]


def requested(booking: str, size: int) -> OpenBaseVisitRequested:
    return OpenBaseVisitRequested(
        booking_id=booking,
        day=DAY,
        organization="City Bureau Party Branch",
        contact_id=f"c-{booking}",
        contact_name="Wang Fang",
        contact_phone="13800138000",
        group_size=size,
        requested_at=NOW,
    )


def declined(booking: str) -> OpenBaseVisitDeclined:
    return OpenBaseVisitDeclined(
        booking_id=booking, day=DAY, reason="Full", declined_by="officer", declined_at=NOW
    )


def test_a_group_visit_is_requested_within_the_days_capacity() -> None:
    spec.given([]).when(request("b1", 40)).then([requested("b1", 40)])


def test_a_request_beyond_the_days_capacity_is_refused_with_the_places_left() -> None:
    exc = (
        spec.given([requested("b1", 40)])
        .when(request("b2", 21))
        .then_raises(DomainError, code="open_base.day_full", field="group_size")
    )
    assert "20" in str(exc) and "20人" in exc.detail_zh  # type: ignore[attr-defined]
    spec.given([requested("b1", 40)]).when(request("b2", 20)).then([requested("b2", 20)])


def test_a_declined_request_gives_its_places_back() -> None:
    spec.given([requested("b1", 40), declined("b1")]).when(request("b2", 60)).then([requested("b2", 60)])


@pytest.mark.parametrize(
    ("over", "code", "field"),
    [
        ({"organization": " "}, "open_base.organization_required", "organization"),
        ({"contact_name": ""}, "open_base.contact_required", "contact_name"),
        ({"contact_phone": "1380013800"}, "phone.invalid", "contact_phone"),
        ({"group_size": 0}, "open_base.group_size_invalid", "group_size"),
    ],
)
def test_a_bad_request_is_refused_naming_the_field(over: dict[str, object], code: str, field: str) -> None:
    spec.given([]).when(request("b1", 10, **over)).then_raises(InvalidCommand, code=code, field=field)


def test_a_visit_is_booked_for_tomorrow_or_later_in_park_time() -> None:
    late_on_june_30_utc = datetime(2026, 6, 30, 16, 30, tzinfo=UTC)  # already July 1st in the park
    spec.given([]).when(request("b1", 10, now=late_on_june_30_utc)).then_raises(
        DomainError, code="open_base.day_not_in_future", field="day"
    )


def test_staff_confirm_or_decline_a_request_once() -> None:
    spec.given([requested("b1", 10)]).when(
        ConfirmOpenBaseVisit(booking_id="b1", day=DAY, by="officer", now=NOW)
    ).then([OpenBaseVisitConfirmed(booking_id="b1", day=DAY, confirmed_by="officer", confirmed_at=NOW)])
    spec.given([requested("b1", 10)]).when(
        DeclineOpenBaseVisit(booking_id="b1", day=DAY, reason=" Full ", by="officer", now=NOW)
    ).then([declined("b1")])
    spec.given([requested("b1", 10), declined("b1")]).when(
        ConfirmOpenBaseVisit(booking_id="b1", day=DAY, by="officer", now=NOW)
    ).then_raises(DomainError, code="open_base.already_decided")
    spec.given([requested("b1", 10)]).when(
        DeclineOpenBaseVisit(booking_id="b1", day=DAY, reason="", by="o", now=NOW)
    ).then_raises(InvalidCommand, code="open_base.reason_required", field="reason")
    spec.given([]).when(ConfirmOpenBaseVisit(booking_id="b1", day=DAY, by="o", now=NOW)).then_raises(
        NotFound, code="open_base.booking_not_found"
    )


def test_a_booking_is_received_once() -> None:
    spec.given([requested("b1", 10)]).when(request("b1", 10)).then_raises(
        DomainError, code="open_base.duplicate_booking"
    )
