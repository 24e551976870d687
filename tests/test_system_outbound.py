"""The property system subscribes to what it needs from us: venue bookings (organization) and the
environment and property feedback enterprises raise (enterprise support), as signed webhooks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from cloudevents.http import from_json
from redpark_enterprise_support.app import create_app as create_support_app
from redpark_organization.app import create_app as create_org_app
from redpark_platform.testkit import ServiceClient, eventually
from redpark_platform.testkit.webhooks import Receiver


@pytest.fixture
async def park(service_client: Callable[..., Awaitable[ServiceClient]]) -> tuple[ServiceClient, ServiceClient]:
    return (await service_client(create_org_app, roles=("park_admin",)),
            await service_client(create_support_app, roles=("park_admin",)))


async def ok(response: Awaitable[httpx.Response], status: int = 200) -> Any:
    r = await response
    assert r.status_code == status, r.text
    return r.json()


async def test_the_property_system_hears_of_bookings_and_park_feedback_and_nothing_else(
        park: tuple[ServiceClient, ServiceClient], webhook_receiver: Receiver) -> None:
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
        raised = await ok(sup.post("/needs", json={"need_id": need_id, "enterprise_id": "e1", "category": category,
                                          "urgency": "normal", "description": "电梯经常故障" if category == "property"
                                          else "急需工程师", "raised_by_name": "李经理"}), 201)

    await eventually(lambda: len(webhook_receiver.seen), lambda n: n >= 2)
    # The talent need never goes out: once support's outbound read model has passed both needs, it
    # holds the one delivery of the property need, already made.
    assert await sup.runtime.wait_for("enterprise-support-outbound", raised["position"], timeout=30)
    sup_deliveries = await ok(sup.get("/webhooks/outbound/deliveries"))
    assert [d["event_type"] for d in sup_deliveries["items"]] == ["need.raised"], sup_deliveries
    assert len(webhook_receiver.seen) == 2
    events = sorted((from_json(body) for _, body in webhook_receiver.seen), key=lambda e: e["type"])
    assert [e["type"] for e in events] == ["redpark.enterprise-support.need.raised.v1",
                                           "redpark.organization.venue.booked.v1"]
    assert events[0].data["category"] == "property" and events[1].data["purpose"] == "季度大党课"
    delivered = await ok(org.get("/webhooks/outbound/deliveries", params={"status": "delivered"}))
    assert delivered["total"] == 1 and delivered["items"][0]["attempts"] == 1
