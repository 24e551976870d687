"""Open-base visits: outside party organizations book group visits within the day's capacity."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import msgspec
import pytest

from redpark_contracts.events_public import (
    OpenBaseVisitConfirmed,
    OpenBaseVisitDeclined,
    OpenBaseVisitLapsed,
    OpenBaseVisitRequested,
)
from redpark_events_public.domain.open_base import (
    LAPSE_NOTICE,
    LAPSE_NOTICE_EN,
    ConfirmOpenBaseVisit,
    DeclineOpenBaseVisit,
    LapseOpenBaseVisits,
    RequestOpenBaseVisit,
    open_base_decider,
)
from redpark_platform.errors import DomainError, InvalidCommand, NotFound
from redpark_platform.testkit import DeciderSpec

spec = DeciderSpec(open_base_decider)
DAY = date(2026, 7, 1)
NOW = datetime(2026, 6, 20, 2, tzinfo=UTC)
HOLD = timedelta(hours=72)


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
        "max_group_size": 60,
        "max_days_ahead": 60,
        "hold_for": HOLD,
        "now": NOW,
    }
    fields.update(over)
    return RequestOpenBaseVisit(**fields)  # type: ignore[arg-type]


def requested(booking: str, size: int, at: datetime = NOW) -> OpenBaseVisitRequested:
    return OpenBaseVisitRequested(
        booking_id=booking,
        day=DAY,
        organization="City Bureau Party Branch",
        contact_id=f"c-{booking}",
        contact_name="Wang Fang",
        contact_phone="13800138000",
        group_size=size,
        requested_at=at,
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
        ConfirmOpenBaseVisit(booking_id="b1", day=DAY, by="officer", hold_for=HOLD, now=NOW)
    ).then([OpenBaseVisitConfirmed(booking_id="b1", day=DAY, confirmed_by="officer", confirmed_at=NOW)])
    spec.given([requested("b1", 10)]).when(
        DeclineOpenBaseVisit(booking_id="b1", day=DAY, reason=" Full ", by="officer", hold_for=HOLD, now=NOW)
    ).then([declined("b1")])
    spec.given([requested("b1", 10), declined("b1")]).when(
        ConfirmOpenBaseVisit(booking_id="b1", day=DAY, by="officer", hold_for=HOLD, now=NOW)
    ).then_raises(DomainError, code="open_base.already_decided")
    spec.given([requested("b1", 10)]).when(
        DeclineOpenBaseVisit(booking_id="b1", day=DAY, reason="", by="o", hold_for=HOLD, now=NOW)
    ).then_raises(InvalidCommand, code="open_base.reason_required", field="reason")
    spec.given([]).when(ConfirmOpenBaseVisit(booking_id="b1", day=DAY, by="o", hold_for=HOLD, now=NOW)).then_raises(
        NotFound, code="open_base.booking_not_found"
    )


def test_a_booking_is_received_once() -> None:
    spec.given([requested("b1", 10)]).when(request("b1", 10)).then_raises(
        DomainError, code="open_base.duplicate_booking"
    )


# --- the bounds of an anonymous request (issue 16, item 2) ---------------------------------------


def test_a_group_larger_than_the_limit_is_refused_naming_the_group_size() -> None:
    exc = spec.given([]).when(request("b1", 10_000)).then_raises(
        InvalidCommand, code="open_base.group_too_large", field="group_size")
    assert "60" in exc.detail_zh  # type: ignore[attr-defined]
    spec.given([]).when(request("b1", 60)).then([requested("b1", 60)])
    spec.given([]).when(request("b1", 61)).then_raises(InvalidCommand, code="open_base.group_too_large")


def test_a_day_further_ahead_than_the_limit_is_refused_naming_the_day() -> None:
    today_in_the_park = date(2026, 6, 20)
    last = today_in_the_park + timedelta(days=60)
    spec.given([]).when(request("b1", 10, day=last)).then([
        msgspec.structs.replace(requested("b1", 10), day=last)])
    spec.given([]).when(request("b1", 10, day=last + timedelta(days=1))).then_raises(
        InvalidCommand, code="open_base.day_too_far", field="day")
    two_years_ahead = date(2028, 6, 20)
    spec.given([]).when(request("b1", 10, day=two_years_ahead)).then_raises(
        InvalidCommand, code="open_base.day_too_far", field="day")


def test_an_unconfirmed_request_holds_its_places_only_until_its_hold_runs_out() -> None:
    full_day = [requested("b1", 60)]
    just_before = NOW + HOLD - timedelta(seconds=1)
    spec.given(full_day).when(request("b2", 1, now=just_before)).then_raises(
        DomainError, code="open_base.day_full", field="group_size")
    # At the end of its hold it holds nothing, even before its lapse is stored.
    at_end = NOW + HOLD
    spec.given(full_day).when(request("b2", 60, now=at_end)).then([requested("b2", 60, at=at_end)])


def test_a_confirmed_request_holds_its_places_for_good() -> None:
    confirmed = OpenBaseVisitConfirmed(booking_id="b1", day=DAY, confirmed_by="officer", confirmed_at=NOW)
    later = NOW + HOLD * 3
    spec.given([requested("b1", 60), confirmed]).when(request("b2", 1, now=later)).then_raises(
        DomainError, code="open_base.day_full")
    spec.given([requested("b1", 60), confirmed]).when(
        LapseOpenBaseVisits(day=DAY, hold_for=HOLD, now=later)).then([])


def lapsed(booking: str, size: int, at: datetime) -> OpenBaseVisitLapsed:
    return OpenBaseVisitLapsed(booking_id=booking, day=DAY, group_size=size, reason="not_confirmed_in_time",
                               notice=LAPSE_NOTICE, notice_en=LAPSE_NOTICE_EN, held_until=NOW + HOLD, lapsed_at=at)


def test_requests_past_their_hold_lapse_with_a_notice_and_only_once() -> None:
    later = NOW + HOLD + timedelta(minutes=10)
    recent = requested("b3", 5, at=NOW + timedelta(hours=1))
    given = [requested("b1", 10), requested("b2", 20), recent, declined("b1")]
    # b1 was declined, b3 is still within its hold: only b2 lapses.
    spec.given(given).when(LapseOpenBaseVisits(day=DAY, hold_for=HOLD, now=later)).then([lapsed("b2", 20, later)])
    spec.given([*given, lapsed("b2", 20, later)]).when(
        LapseOpenBaseVisits(day=DAY, hold_for=HOLD, now=later)).then([])
    assert "失效" in LAPSE_NOTICE and "lapsed" in LAPSE_NOTICE_EN


def test_a_request_past_its_hold_can_no_longer_be_confirmed_or_declined() -> None:
    later = NOW + HOLD
    for given in ([requested("b1", 10)], [requested("b1", 10), lapsed("b1", 10, later)]):
        spec.given(given).when(ConfirmOpenBaseVisit(booking_id="b1", day=DAY, by="o", hold_for=HOLD, now=later)
                               ).then_raises(DomainError, code="open_base.lapsed", field="booking_id")
        spec.given(given).when(DeclineOpenBaseVisit(booking_id="b1", day=DAY, reason="x", by="o", hold_for=HOLD,
                                                    now=later)).then_raises(DomainError, code="open_base.lapsed")


def test_a_lapsed_request_gives_its_places_back() -> None:
    later = NOW + HOLD
    spec.given([requested("b1", 60), lapsed("b1", 60, later)]).when(request("b2", 60, now=later)).then(
        [requested("b2", 60, at=later)])
