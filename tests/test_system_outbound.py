"""The property system subscribes to what it needs from us: venue bookings (organization) and the
environment and property feedback enterprises raise (enterprise support), as signed webhooks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cloudevents.http import from_json

from redpark_enterprise_support.app import create_app as create_support_app
from redpark_organization.app import create_app as create_org_app
from redpark_platform.servers import NatsServer
from redpark_platform.settings import JwtSource, Settings
from redpark_platform.testkit.webhooks import Receiver
from redpark_platform.web import mint_token

SECRET = "s" * 32
ADMIN = {"Authorization": f"Bearer {mint_token(SECRET, 'admin', ['park_admin'], None)}"}


def _settings(service: str, nats: str, dsn: str, folder: Path) -> Settings:
    folder.mkdir(parents=True, exist_ok=True)
    return Settings(service=service, nats_url=nats, database_url=dsn, timezone="Asia/Shanghai", data_dir=folder,
                    jwt=JwtSource(secret=SECRET, key_file=folder / "k"), log_level="INFO")


@pytest.fixture
async def park(anew_database: Callable[[str], Any], nats_factory: Callable[[], NatsServer],
               tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    nats = nats_factory().url
    org_app = create_org_app(_settings("organization", nats, await anew_database("orgout"), tmp_path / "org"))
    sup_app = create_support_app(_settings("enterprise-support", nats, await anew_database("supout"), tmp_path / "sup"))
    async with org_app.router.lifespan_context(org_app), sup_app.router.lifespan_context(sup_app), \
            httpx.AsyncClient(transport=httpx.ASGITransport(app=org_app), base_url="http://org", headers=ADMIN) as org, \
            httpx.AsyncClient(transport=httpx.ASGITransport(app=sup_app), base_url="http://sup", headers=ADMIN) as sup:
        yield org, sup


async def ok(response: Awaitable[httpx.Response], status: int = 200) -> Any:
    r = await response
    assert r.status_code == status, r.text
    return r.json()


async def eventually(read: Callable[[], Awaitable[Any]], check: Callable[[Any], bool], timeout: float = 20) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await read()
        if check(value):
            return value
        assert asyncio.get_running_loop().time() < deadline, f"never became true; last: {value!r}"
        await asyncio.sleep(0.05)


async def test_the_property_system_hears_of_bookings_and_park_feedback_and_nothing_else(
        park: tuple[httpx.AsyncClient, httpx.AsyncClient], webhook_receiver: Receiver) -> None:
    org, sup = park
    topics = (await ok(org.get("/webhooks/outbound/topics")))
    assert topics[0]["subjects"] == ["organization.venue.booked", "organization.venue.booking_cancelled"]
    sub = await ok(org.post("/webhooks/outbound/subscriptions", json={
        "system": "property", "url": webhook_receiver.url, "topics": ["venue_bookings"]}), 201)
    webhook_receiver.secret = sub["secret"]
    # the same receiver for support: it may be given the same secret
    await ok(sup.post("/webhooks/outbound/subscriptions", json={
        "system": "property", "url": webhook_receiver.url, "topics": ["property_feedback"],
        "secret": sub["secret"]}), 201)

    await ok(org.post("/venues", json={"venue_id": "hall", "name": "新时代“三新”讲习所", "kind": "lecture_hall",
                                       "group": "institute", "location": "一号楼三楼多功能厅", "bookable": True}), 201)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    await ok(org.post("/venues/hall/bookings", json={"starts_at": start.isoformat(),
                                                     "ends_at": (start + timedelta(hours=2)).isoformat(),
                                                     "purpose": "季度大党课", "booking_id": "b1"}), 201)

    await ok(org.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(org.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 9,
                                          "sequence_in_zone": 1}), 201)
    await ok(org.post("/enterprises", json={
        "enterprise_id": "e1", "name": "企业e1", "building_id": "a1", "floor": 1, "headcount": 30,
        "is_tech_enterprise": True, "legal_representative": "张三",
        "effective_on": (date.today() - timedelta(days=30)).isoformat()}), 201)
    await eventually(lambda: ok(sup.get("/enterprises")), lambda body: body["total"] == 1)
    for need_id, category in (("n1", "talent"), ("n2", "property")):
        await ok(sup.post("/needs", json={"need_id": need_id, "enterprise_id": "e1", "category": category,
                                          "urgency": "normal", "description": "电梯经常故障" if category == "property"
                                          else "急需工程师", "raised_by_name": "李经理"}), 201)

    await eventually(lambda: asyncio.sleep(0, len(webhook_receiver.seen)), lambda n: n >= 2)
    await asyncio.sleep(0.5)  # the talent need never goes out
    events = sorted((from_json(body) for _, body in webhook_receiver.seen), key=lambda e: e["type"])
    assert [e["type"] for e in events] == ["redpark.enterprise-support.need.raised.v1",
                                           "redpark.organization.venue.booked.v1"]
    assert events[0].data["category"] == "property" and events[1].data["purpose"] == "季度大党课"
    delivered = await ok(org.get("/webhooks/outbound/deliveries", params={"status": "delivered"}))
    assert delivered["total"] == 1 and delivered["items"][0]["attempts"] == 1
