"""Open-base requests are bounded (issue 16, item 2), against the real service.

Before, `POST /open-base/visits` had no rate limit, a group could be 10,000 and a request held its
places until staff declined it: 365 anonymous requests blocked a year. These tests send exactly
those requests and check the answer and what is stored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from redpark_events_public.app import create_app
from redpark_events_public.domain.open_base import LAPSE_NOTICE
from redpark_platform.calendar import park_date
from redpark_platform.clock import FrozenClock
from redpark_platform.testkit import TEST_JWT_SECRET, ServiceClient, eventually
from redpark_platform.web import mint_token

NOW = datetime.now(UTC).replace(microsecond=0)
OFF = ""  # an empty limit switches it off: as if every request came from another address
PER_ADDRESS = "REDPARK_EVENTS_PUBLIC_RATE_OPEN_BASE_PER_ADDRESS"
PER_PHONE = "REDPARK_EVENTS_PUBLIC_RATE_OPEN_BASE_PER_PHONE"


def staff() -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'officer-1', ['events_officer'])}"}


def today() -> date:
    return park_date(NOW)


def visit(day: date, group_size: int = 60, phone: str = "13800138000", **over: Any) -> dict[str, Any]:
    return {"day": day.isoformat(), "organization": "某区机关第三党支部", "contact_name": "王芳",
            "contact_phone": phone, "group_size": group_size, **over}


async def start(service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
                **limits: str) -> tuple[ServiceClient, FrozenClock]:
    for variable, value in limits.items():
        monkeypatch.setenv(variable, value)
    clock = FrozenClock(NOW)
    return await service_client(create_app, clock=clock, log_level="WARNING"), clock


async def stored(client: ServiceClient, kind: str) -> int:
    count: int = await client.runtime.pool.fetchval("SELECT count(*) FROM events WHERE type = $1",
                                                     f"open_base_visit.{kind}")
    return count


async def day_view(client: ServiceClient, day: date) -> dict[str, Any]:
    r = await client.get(f"/staff/open-base/days/{day.isoformat()}", headers=staff())
    assert r.status_code == 200, r.text
    view: dict[str, Any] = r.json()
    return view


async def test_365_anonymous_requests_from_one_address_get_429_after_the_first_ten(
    service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The default limits: 10 requests an hour from one address, each answered at once."""
    client, _ = await start(service_client, monkeypatch)
    answers = [await client.post("/open-base/visits", json=visit(today() + timedelta(days=i), phone=f"1380000{i:04d}"))
               for i in range(1, 366)]
    codes = [a.status_code for a in answers]
    assert codes == [201] * 10 + [429] * 355
    refused = answers[10]
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "rate_limited.address" and int(refused.headers["Retry-After"]) >= 1
    assert await stored(client, "requested") == 10


async def test_365_requests_as_if_from_365_addresses_reach_60_days_and_hold_them_72_hours_only(
    service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, clock = await start(service_client, monkeypatch, **{PER_ADDRESS: OFF, PER_PHONE: OFF})
    answers = [await client.post("/open-base/visits", json=visit(today() + timedelta(days=i), phone=f"1380000{i:04d}"))
               for i in range(1, 366)]
    assert [a.status_code for a in answers] == [201] * 60 + [422] * 305
    far = answers[60].json()
    assert far["code"] == "open_base.day_too_far" and far["errors"][0]["field"] == "day"
    assert "60" in far["detail_zh"]
    assert await stored(client, "requested") == 60
    # A group is 60 at most, so even a requested day keeps room for another visit.
    tenth = today() + timedelta(days=10)
    assert (await day_view(client, tenth))["held"] == 60

    last = answers[59].json()["position"]
    await client.runtime.wait_for("events_public_open_base", last)
    clock.advance(hours=72)
    await client.runtime.housekeep()
    assert await stored(client, "lapsed") == 60
    view = await eventually(lambda: day_view(client, tenth), lambda v: v["visits"][0]["status"] == "lapsed")
    assert view["held"] == 0 and view["visits"][0]["reason"] == LAPSE_NOTICE
    whole_day = await client.post("/open-base/visits", json=visit(tenth, group_size=60, phone="13900139000"))
    assert whole_day.status_code == 201, whole_day.text


async def test_a_group_of_ten_thousand_is_a_422_naming_the_group_size_and_stores_nothing(
    service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, _ = await start(service_client, monkeypatch)
    day = today() + timedelta(days=10)
    r = await client.post("/open-base/visits", json=visit(day, group_size=10_000))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "open_base.group_too_large" and r.json()["errors"][0]["field"] == "group_size"
    assert "60" in r.json()["detail"]
    assert await stored(client, "requested") == 0
    assert (await day_view(client, day))["visits"] == []


async def test_a_day_two_years_ahead_is_a_422_naming_the_day_and_stores_nothing(
    service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, _ = await start(service_client, monkeypatch)
    day = today() + timedelta(days=730)
    r = await client.post("/open-base/visits", json=visit(day, group_size=30))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "open_base.day_too_far" and r.json()["errors"][0]["field"] == "day"
    assert await stored(client, "requested") == 0


async def test_a_fourth_request_for_one_contact_phone_in_a_day_is_a_429_naming_the_phone(
    service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, _ = await start(service_client, monkeypatch, **{PER_ADDRESS: OFF})
    answers = [await client.post("/open-base/visits", json=visit(today() + timedelta(days=i), group_size=5,
                                                                 phone="138 0013 8000"))
               for i in range(1, 5)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    problem = answers[3].json()
    assert problem["code"] == "rate_limited.contact_phone" and problem["errors"][0]["field"] == "contact_phone"
    assert "13800138000" not in answers[3].text
    assert await stored(client, "requested") == 3


async def test_an_unconfirmed_request_frees_the_day_after_its_hold_and_lapses_with_an_event(
    service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, clock = await start(service_client, monkeypatch)
    day = today() + timedelta(days=20)
    first = await client.post("/open-base/visits", json=visit(day, group_size=60, phone="13800138001"))
    clock.advance(seconds=1)  # the staff page lists a day's requests in the order they came
    second = await client.post("/open-base/visits", json=visit(day, group_size=40, phone="13800138002"))
    assert (first.status_code, second.status_code) == (201, 201)
    confirmed = await client.post(f"/staff/open-base/visits/{second.json()['booking_id']}/confirmation",
                                  json={"day": day.isoformat()}, headers=staff())
    assert confirmed.status_code == 200, confirmed.text
    full = await client.post("/open-base/visits", json=visit(day, group_size=1, phone="13800138003"))
    assert full.status_code == 409 and full.json()["code"] == "open_base.day_full"

    clock.advance(hours=71, minutes=59)
    still_full = await client.post("/open-base/visits", json=visit(day, group_size=1, phone="13800138003"))
    assert still_full.status_code == 409
    clock.advance(minutes=1)
    # Past its hold the request holds nothing at once, before housekeeping stores its lapse.
    freed = await client.post("/open-base/visits", json=visit(day, group_size=60, phone="13800138004"))
    assert freed.status_code == 201, freed.text
    late = await client.post(f"/staff/open-base/visits/{first.json()['booking_id']}/confirmation",
                             json={"day": day.isoformat()}, headers=staff())
    assert late.status_code == 409 and late.json()["code"] == "open_base.lapsed"

    await client.runtime.wait_for("events_public_open_base", freed.json()["position"])
    await client.runtime.housekeep()
    [event] = [e.event for e in (await client.runtime.store.read_stream(f"open-base-{day.isoformat()}")).events
               if type(e.event).__name__ == "OpenBaseVisitLapsed"]
    assert event.booking_id == first.json()["booking_id"] and event.reason == "not_confirmed_in_time"
    assert event.held_until == NOW + timedelta(hours=72) and event.notice == LAPSE_NOTICE
    view = await eventually(lambda: day_view(client, day),
                            lambda v: [x["status"] for x in v["visits"]] == ["lapsed", "confirmed", "requested"])
    assert view["held"] == 100
    # Housekeeping again finds nothing more to lapse.
    await client.runtime.housekeep()
    assert await stored(client, "lapsed") == 1
