"""Idempotency-Key: a retry replays the first response, a reused key with another body is refused,
a duplicate in flight is refused, and the effect happens once."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import msgspec

sys.path.insert(0, str(Path(__file__).parent))
from web_support import EXAMPLE, SECRET, Orders, client, make_app  # noqa: E402

from redpark_platform.web.auth import mint_token  # noqa: E402

GOOD = msgspec.to_builtins(EXAMPLE)


def orders_app(pool: Any) -> tuple[Orders, Any]:
    orders = Orders()
    app = make_app(orders.router)
    app.state.pool = pool
    return orders, app


async def test_a_retry_with_the_same_key_replays_the_first_response(pg_pool: Any) -> None:
    orders, app = orders_app(pg_pool)
    async with client(app) as c:
        first = await c.post("/orders", json=GOOD, headers={"Idempotency-Key": "k-1"})
        again = await c.post("/orders", json=GOOD, headers={"Idempotency-Key": "k-1"})
        other = await c.post("/orders", json=GOOD, headers={"Idempotency-Key": "k-2"})
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    assert again.headers["location"] == first.headers["location"] == "/orders/o-1"
    assert other.status_code == 201 and other.json()["booking_id"] == "o-2"
    assert orders.created == 2


async def test_the_same_key_with_a_different_body_is_refused(pg_pool: Any) -> None:
    orders, app = orders_app(pg_pool)
    async with client(app) as c:
        await c.post("/orders", json=GOOD, headers={"Idempotency-Key": "k-1"})
        r = await c.post("/orders", json={**GOOD, "tour_id": "tour-2"}, headers={"Idempotency-Key": "k-1"})
    assert r.status_code == 422
    assert r.json()["code"] == "idempotency.key_reused"
    assert r.json()["errors"][0]["field"] == "header.Idempotency-Key"
    assert orders.created == 1


async def test_a_duplicate_while_the_first_is_in_flight_is_409_and_the_effect_happens_once(pg_pool: Any) -> None:
    orders, app = orders_app(pg_pool)
    orders.gate = asyncio.Event()
    async with client(app) as c:
        first = asyncio.create_task(c.post("/orders", json=GOOD, headers={"Idempotency-Key": "k-9"}))
        while await pg_pool.fetchval("SELECT count(*) FROM idempotency_keys") == 0:
            await asyncio.sleep(0.01)
        duplicate = await c.post("/orders", json=GOOD, headers={"Idempotency-Key": "k-9"})
        orders.gate.set()
        done = await first
        replay = await c.post("/orders", json=GOOD, headers={"Idempotency-Key": "k-9"})
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "idempotency.in_flight"
    assert done.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true" and replay.json() == done.json()
    assert orders.created == 1


async def test_many_concurrent_retries_cause_one_effect(pg_pool: Any) -> None:
    orders, app = orders_app(pg_pool)
    async with client(app) as c:
        results = await asyncio.gather(*(c.post("/orders", json=GOOD, headers={"Idempotency-Key": "k-c"})
                                         for _ in range(12)))
    assert orders.created == 1
    assert {r.status_code for r in results} <= {201, 409}
    assert sum(1 for r in results if r.status_code == 201 and "idempotent-replayed" not in r.headers) == 1


async def test_keys_are_scoped_to_the_caller(pg_pool: Any) -> None:
    orders, app = orders_app(pg_pool)
    alice = {"Authorization": f"Bearer {mint_token(SECRET, 'alice', ['events_officer'])}", "Idempotency-Key": "k"}
    bob = {"Authorization": f"Bearer {mint_token(SECRET, 'bob', ['events_officer'])}", "Idempotency-Key": "k"}
    async with client(app) as c:
        a = await c.post("/orders", json=GOOD, headers=alice)
        b = await c.post("/orders", json=GOOD, headers=bob)
    assert a.json()["booking_id"] == "o-1" and b.json()["booking_id"] == "o-2"
    assert "idempotent-replayed" not in b.headers
    scopes = await pg_pool.fetch("SELECT scope, endpoint FROM idempotency_keys ORDER BY scope")
    assert [(r["scope"], r["endpoint"]) for r in scopes] == [("sub:alice", "POST /orders"), ("sub:bob", "POST /orders")]


async def test_a_crashed_request_releases_its_key_and_without_a_key_nothing_is_stored(pg_pool: Any) -> None:
    orders, app = orders_app(pg_pool)
    async with client(app) as c:
        crashed = await c.post("/orders/explode", json=GOOD, headers={"Idempotency-Key": "k-x"})
        retried = await c.post("/orders/explode", json=GOOD, headers={"Idempotency-Key": "k-x"})
        plain = await c.post("/orders", json=GOOD)
        bad_key = await c.post("/orders", json=GOOD, headers={"Idempotency-Key": "x" * 300})
    assert crashed.status_code == 500 and retried.status_code == 500
    assert "idempotent-replayed" not in retried.headers
    assert orders.created == 3  # the crash ran twice: a failed request never blocks its retry
    assert plain.status_code == 201
    assert bad_key.status_code == 400 and bad_key.json()["errors"][0]["field"] == "header.Idempotency-Key"
    assert await pg_pool.fetchval("SELECT count(*) FROM idempotency_keys") == 0
