"""The carnival's per-phone daily limit, across every session of the carnival."""

from __future__ import annotations

from datetime import UTC, date, datetime

from redpark_contracts.events_public import CarnivalQuotaReleased, CarnivalQuotaTaken
from redpark_events_public.domain.carnival_quota import (
    ReleaseCarnivalQuota,
    TakeCarnivalQuota,
    carnival_quota_decider,
)
from redpark_platform.calendar import park_date
from redpark_platform.errors import DomainError
from redpark_platform.testkit import DeciderSpec

spec = DeciderSpec(carnival_quota_decider)
NOW = datetime(2026, 5, 2, tzinfo=UTC)
DAY1, DAY2 = date(2026, 5, 10), date(2026, 5, 11)


def take(rid: str, day: date = DAY1, limit: int | None = 2) -> TakeCarnivalQuota:
    return TakeCarnivalQuota(
        carnival_id="c1",
        phone_hash="h",
        day=day,
        registration_id=rid,
        session_id=f"s-{rid}",
        daily_limit=limit,
        now=NOW,
    )


def taken(rid: str, day: date = DAY1) -> CarnivalQuotaTaken:
    return CarnivalQuotaTaken(
        carnival_id="c1", phone_hash="h", day=day, registration_id=rid, session_id=f"s-{rid}", taken_at=NOW
    )


def released(rid: str, day: date = DAY1) -> CarnivalQuotaReleased:
    return CarnivalQuotaReleased(
        carnival_id="c1", phone_hash="h", day=day, registration_id=rid, released_at=NOW
    )


def test_a_phone_takes_carnival_registrations_up_to_the_daily_limit() -> None:
    spec.given([]).when(take("r1")).then([taken("r1")])
    spec.given([taken("r1")]).when(take("r2")).then([taken("r2")])
    exc = (
        spec.given([taken("r1"), taken("r2")])
        .when(take("r3"))
        .then_raises(DomainError, code="registration.daily_limit_reached", field="phone")
    )
    assert "2026-05-10" in exc.detail_zh  # type: ignore[attr-defined]


def test_the_limit_is_per_carnival_day() -> None:
    spec.given([taken("r1"), taken("r2")]).when(take("r3", DAY2)).then([taken("r3", DAY2)])


def test_a_released_slot_can_be_taken_again() -> None:
    spec.given([taken("r1"), taken("r2"), released("r1")]).when(take("r3")).then([taken("r3")])


def test_no_limit_means_no_refusal() -> None:
    spec.given([taken("r1"), taken("r2")]).when(take("r3", limit=None)).then([taken("r3")])


def test_taking_and_releasing_are_idempotent_per_registration() -> None:
    spec.given([taken("r1")]).when(take("r1")).then([])
    spec.given([taken("r1")]).when(
        ReleaseCarnivalQuota(carnival_id="c1", phone_hash="h", registration_id="r1", now=NOW)
    ).then([released("r1")])
    spec.given([taken("r1"), released("r1")]).when(
        ReleaseCarnivalQuota(carnival_id="c1", phone_hash="h", registration_id="r1", now=NOW)
    ).then([])


def test_the_carnival_day_is_the_parks_day_not_utcs() -> None:
    assert park_date(datetime(2026, 5, 10, 17, 0, tzinfo=UTC)) == date(2026, 5, 11)  # 01:00 in Shanghai
    assert park_date(datetime(2026, 5, 10, 15, 59, tzinfo=UTC)) == date(2026, 5, 10)
