"""Outbound webhooks against a real receiver on loopback: signed, retried, parked, re-sent, visible."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import msgspec
import pytest
from cloudevents.http import from_json
from fastapi import FastAPI

from redpark_platform.events import Event, EventRegistry
from redpark_platform.outbound import Outbound, Topic
from redpark_platform.runtime import Runtime, ServiceSpec, create_service_app
from redpark_platform.settings import Settings
from redpark_platform.testkit import ServiceClient, eventually
from redpark_platform.testkit.webhooks import Receiver

registry = EventRegistry("hall")


@registry.register("room", "booked")
class RoomBooked(Event, frozen=True, kw_only=True):
    room_id: str
    purpose: str


@registry.register("room", "swept")
class RoomSwept(Event, frozen=True, kw_only=True):
    room_id: str


OUTBOUND = Outbound("hall", registry, [
    Topic(name="bookings", title="预约", event_types=("room.booked",),
          predicate=lambda e: getattr(e, "purpose", "") != "private"),
], max_attempts=3, backoff_base=0.05, backoff_cap=0.2, poll_interval=0.05, timeout=2.0)


@pytest.fixture
def receiver(webhook_receiver: Receiver) -> Receiver:
    return webhook_receiver


@pytest.fixture
async def hall(service_client: Callable[..., Awaitable[ServiceClient]]) -> tuple[httpx.AsyncClient, Runtime]:
    def create_app(settings: Settings) -> FastAPI:
        spec = ServiceSpec(name="hall", title="Hall", registry=registry, projections=[OUTBOUND.projection],
                           routers=[OUTBOUND.router], on_start=(OUTBOUND.start,), on_stop=(OUTBOUND.stop,))
        return create_service_app(spec, settings)

    c = await service_client(create_app, service="hall", roles=("park_admin",))
    return c, c.runtime


async def subscribe(c: httpx.AsyncClient, receiver: Receiver) -> dict[str, Any]:
    r = await c.post("/webhooks/outbound/subscriptions",
                     json={"system": "property", "url": receiver.url, "topics": ["bookings"]})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    assert body["secret"].startswith("whsec_")
    receiver.secret = body["secret"]
    return body


async def deliveries(c: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    r = await c.get("/webhooks/outbound/deliveries", params=params)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_a_matching_event_is_delivered_signed_as_the_cloudevent_of_the_bus(
        hall: tuple[httpx.AsyncClient, Runtime], receiver: Receiver) -> None:
    c, runtime = hall
    await subscribe(c, receiver)
    res = await runtime.store.append("room-1", [RoomSwept(room_id="1"), RoomBooked(room_id="1", purpose="private"),
                                                RoomBooked(room_id="1", purpose="党课")])
    done = await eventually(lambda: _delivered(c))
    assert len(done) == 1 and done[0]["event_type"] == "room.booked" and done[0]["attempts"] == 1
    headers, body = receiver.seen[0]
    assert headers["webhook-id"] == done[0]["delivery_id"]
    event = from_json(body)
    assert event["type"] == "redpark.hall.room.booked.v1" and event.data["purpose"] == "党课"
    # The swept room and the private booking never go out: once the outbound read model has passed
    # all three events it holds the one delivery, already made.
    assert await runtime.wait_for(OUTBOUND.projection.name, res.position, timeout=10)
    assert len(await deliveries(c)) == 1 and len(receiver.seen) == 1


async def _delivered(c: httpx.AsyncClient) -> list[dict[str, Any]]:
    return await deliveries(c, status="delivered")


async def test_failures_are_retried_with_every_attempt_visible(
        hall: tuple[httpx.AsyncClient, Runtime], receiver: Receiver) -> None:
    c, runtime = hall
    receiver.fail_first = 2
    await subscribe(c, receiver)
    await runtime.store.append("room-2", [RoomBooked(room_id="2", purpose="会议")])
    done = await eventually(lambda: _delivered(c))
    one = (await c.get(f"/webhooks/outbound/deliveries/{done[0]['delivery_id']}")).json()
    assert [a["status_code"] for a in one["attempt_log"]] == [503, 503, 204]
    assert len({h["webhook-id"] for h, _ in receiver.seen}) == 1  # the same id on every try


async def test_after_the_last_attempt_it_fails_and_an_operator_resends_it(
        hall: tuple[httpx.AsyncClient, Runtime], receiver: Receiver) -> None:
    c, runtime = hall
    receiver.fail_first = 3
    await subscribe(c, receiver)
    await runtime.store.append("room-3", [RoomBooked(room_id="3", purpose="学习")])
    failed = await eventually(lambda: deliveries(c, status="failed"))
    assert failed[0]["attempts"] == 3 and failed[0]["last_status"] == 503
    r = await c.post(f"/webhooks/outbound/deliveries/{failed[0]['delivery_id']}/resend")
    assert r.status_code == 200, r.text
    done = await eventually(lambda: _delivered(c))
    assert done[0]["attempts"] == 4 and len(receiver.seen) == 4


async def test_bad_subscriptions_are_refused_naming_the_field(hall: tuple[httpx.AsyncClient, Runtime]) -> None:
    c, _ = hall
    r = await c.post("/webhooks/outbound/subscriptions",
                     json={"system": "property", "url": "http://127.0.0.1:9/x", "topics": ["nope"]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "topics"
    r = await c.post("/webhooks/outbound/subscriptions",
                     json={"system": "property", "url": "ftp://x", "topics": ["bookings"]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "url"
    r = await c.get("/webhooks/outbound/topics")
    assert r.json()[0]["subjects"] == ["hall.room.booked"]
    listed = (await c.get("/webhooks/outbound/subscriptions")).json()
    assert listed == []


async def test_a_retried_subscription_with_the_same_idempotency_key_subscribes_once(
    hall: tuple[httpx.AsyncClient, Runtime], receiver: Receiver
) -> None:
    c, _runtime = hall
    body = {"system": "property", "url": receiver.url, "topics": ["bookings"]}
    key = {"Idempotency-Key": "subscribe-property-1"}
    first = await c.post("/webhooks/outbound/subscriptions", json=body, headers=key)
    again = await c.post("/webhooks/outbound/subscriptions", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json() == first.json()
    assert len((await c.get("/webhooks/outbound/subscriptions")).json()) == 1


class _Ping(msgspec.Struct, frozen=True, kw_only=True):
    n: int


async def test_inbound_and_outbound_deliveries_are_two_schemas_in_one_service_document() -> None:
    """Both used to be called DeliveryRow, so a service with both documented its inbound list with
    the outbound shape (schemathesis found responses that broke their own schema)."""
    from redpark_platform.inbox import InboundSystem, Inbox
    from redpark_platform.web.app import create_app as create_web_app

    inbox = Inbox([InboundSystem(name="ping", payload_type=_Ping, translator=lambda runtime: None)])
    app = create_web_app(service="hall", title="Hall", routers=[inbox.router, OUTBOUND.router], jwt_secret="x" * 40)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hall.test") as c:
        doc = (await c.get("/openapi.json")).json()

    def item_schema(path: str) -> str:
        page = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        items = doc["components"]["schemas"][page.rsplit("/", 1)[1]]["properties"]["items"]["items"]["$ref"]
        return str(items.rsplit("/", 1)[1])

    inbound, outbound = item_schema("/webhooks/deliveries"), item_schema("/webhooks/outbound/deliveries")
    assert inbound != outbound
    assert "webhook_id" in doc["components"]["schemas"][inbound]["properties"]
    assert "attempt_log" in doc["components"]["schemas"][outbound]["properties"]
