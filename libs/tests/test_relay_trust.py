"""The relay checks what the stream tells it: a stream gone while it runs is refilled, and a tail it
did not write (not a CloudEvent, a forged `sequence`) neither stops it nor makes it skip events."""

from __future__ import annotations

import asyncio
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import nats

from redpark_platform.bus import stream_name, subject
from redpark_platform.events import RecordedEvent, to_cloudevent
from redpark_platform.projections import ProjectionRunner
from redpark_platform.relay import Relay
from redpark_platform.store import EventStore
from redpark_platform.testkit import eventually

sys.path.insert(0, str(Path(__file__).parent))
from relay_support import ThingHappened, registry, stream_contents  # noqa: E402
from test_projections import Totals, setup, totals  # noqa: E402
from test_relay import append_many, stream_count  # noqa: E402


async def _publish_raw(url: str, body: bytes, name: str = "relaytest.thing.happened") -> None:
    nc = await nats.connect(url)
    try:
        await nc.jetstream().publish(subject(name), body)
    finally:
        await nc.close()


async def test_a_stream_deleted_while_the_relay_runs_is_re_created_and_refilled(
    pg_pool: asyncpg.Pool, pg_dsn: str, nats_url: str
) -> None:
    store = EventStore(pg_pool, registry)
    relay = Relay(store, nats_url, dsn=pg_dsn, poll_interval=0.2)
    task = asyncio.create_task(relay.run())
    try:
        first = await append_many(store, 30, "d")
        await eventually(lambda: stream_count(nats_url), lambda n: n == 30)
        nc = await nats.connect(nats_url)
        await nc.jetstream().delete_stream(stream_name("relaytest"))
        await nc.close()
        # Idle: no publish fails, yet the relay notices the stream is gone and refills it.
        await eventually(lambda: stream_count(nats_url), lambda n: n == 30, timeout=20)
        later = await append_many(store, 10, "e")
        await eventually(lambda: stream_count(nats_url), lambda n: n == 40, timeout=20)
        assert not task.done()
    finally:
        relay.stop()
        await task
    assert [p for p, _, _ in await stream_contents(nats_url)] == first + later


async def test_a_stream_deleted_between_two_publishes_is_refilled_not_retried_for_ever(
    pg_pool: asyncpg.Pool, pg_dsn: str, nats_url: str
) -> None:
    store = EventStore(pg_pool, registry)
    # A long poll: only the failed publish can reveal the missing stream here.
    relay = Relay(store, nats_url, dsn=pg_dsn, poll_interval=3600, ack_timeout=1.0)
    task = asyncio.create_task(relay.run())
    try:
        first = await append_many(store, 20, "f")
        await eventually(lambda: stream_count(nats_url), lambda n: n == 20)
        nc = await nats.connect(nats_url)
        await nc.jetstream().delete_stream(stream_name("relaytest"))
        await nc.close()
        later = await append_many(store, 5, "g")
        await eventually(lambda: stream_count(nats_url), lambda n: n == 25, timeout=20)
    finally:
        relay.stop()
        await task
    assert [p for p, _, _ in await stream_contents(nats_url)] == first + later


async def test_a_message_that_is_not_a_cloudevent_on_a_service_subject_does_not_stop_the_relay(
    pg_pool: asyncpg.Pool, pg_dsn: str, nats_url: str
) -> None:
    store = EventStore(pg_pool, registry)
    relay = Relay(store, nats_url, dsn=pg_dsn)
    task = asyncio.create_task(relay.run())
    try:
        first = await append_many(store, 5, "h")
        await eventually(lambda: stream_count(nats_url), lambda n: n == 5)
        await _publish_raw(nats_url, b"\x00 not json at all")
        during = await append_many(store, 3, "i")
        await eventually(lambda: stream_count(nats_url), lambda n: n == 9)
    finally:
        relay.stop()
        await task
    # A restart meets the junk on the tail and goes on from the last event of ours before it.
    await _publish_raw(nats_url, b'{"specversion": "1.0"}')
    relay = Relay(store, nats_url, dsn=pg_dsn)
    task = asyncio.create_task(relay.run())
    try:
        after = await append_many(store, 4, "j")
        await eventually(lambda: stream_count(nats_url), lambda n: n == 14, timeout=20)
        assert relay.position == after[-1]
    finally:
        relay.stop()
        await task
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        bodies = [(await js.get_msg(stream_name("relaytest"), seq)).data for seq in range(1, 15)]
    finally:
        await nc.close()
    assert bodies[5] == b"\x00 not json at all" and bodies[9] == b'{"specversion": "1.0"}'
    assert sum(1 for b in bodies if b and b.startswith(b'{"specversion":"1.0"')) == len(first + during + after)


async def test_a_forged_sequence_on_the_tail_neither_hides_real_events_nor_makes_consumers_drop_them(
    pg_pool: asyncpg.Pool, pg_dsn: str, nats_url: str
) -> None:
    await setup(pg_pool)
    store = EventStore(pg_pool, registry)
    runner = ProjectionRunner(Totals(), pg_pool, nats_url, service="relaytest")
    relay = Relay(store, nats_url, dsn=pg_dsn)
    task = asyncio.create_task(relay.run())
    await runner.start()
    try:
        before = [(await store.append("a-1", [ThingHappened(thing_id="a", n=i)])).position for i in range(1, 6)]
        assert await runner.wait_for("relaytest", before[-1], timeout=10)
        relay.stop()
        await task
        # A message that looks like ours but claims position 10^12, as a forger would send it.
        forged = RecordedEvent(id=uuid.uuid4(), stream_id="x-1", version=1, position=10**12,
                               type="thing.happened", type_version=1, data=b'{"thing_id":"x","n":1000}',
                               recorded_at=datetime.now(UTC))
        await _publish_raw(nats_url, to_cloudevent(registry, forged))
        relay = Relay(store, nats_url, dsn=pg_dsn)
        task = asyncio.create_task(relay.run())
        after = [(await store.append("a-1", [ThingHappened(thing_id="a", n=i)])).position for i in range(6, 11)]
        await eventually(lambda: totals(pg_pool), lambda t: t.get("a") == (55, 10), timeout=20)
        # The checkpoint follows the stream, so read-your-writes is not fooled by the forged position.
        assert await runner.position("relaytest") == after[-1]
    finally:
        await runner.stop()
        relay.stop()
        await task
    positions = [p for p, _, _ in await stream_contents(nats_url)]
    assert positions == [*before, 10**12, *after]
