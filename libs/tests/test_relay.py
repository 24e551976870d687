"""The relay: every stored event reaches JetStream once, whatever NATS or the relay go through.

Each test has its own stream on the session's NATS (its bus prefix); the one that stops NATS has a
server of its own."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import asyncpg
import nats
from cloudevents.http import from_json
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from redpark_platform.bus import stream_name, subject
from redpark_platform.relay import Relay
from redpark_platform.store import EventStore
from redpark_platform.testkit import eventually

sys.path.insert(0, str(Path(__file__).parent))
from relay_support import ThingHappened, registry, stream_contents  # noqa: E402

HERE = Path(__file__).parent


async def append_many(store: EventStore, n: int, prefix: str = "t") -> list[int]:
    positions = []
    for i in range(n):
        res = await store.append(f"{prefix}-{i % 7}", [ThingHappened(thing_id=f"{prefix}{i}", n=i)])
        positions.append(res.position)
    return positions


async def stream_count(url: str) -> int:
    nc = await nats.connect(url)
    try:
        return (await nc.jetstream().stream_info(stream_name("relaytest"))).state.messages
    except Exception:  # noqa: BLE001 - the stream may not exist yet
        return -1
    finally:
        await nc.close()


async def test_published_messages_are_cloudevents_that_the_official_sdk_parses(
    pg_pool: asyncpg.Pool, pg_dsn: str, nats_url: str, bus_prefix: str
) -> None:
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        trace.set_tracer_provider(TracerProvider())
    store = EventStore(pg_pool, registry)
    relay = Relay(store, nats_url, dsn=pg_dsn)
    task = asyncio.create_task(relay.run())
    try:
        with trace.get_tracer("test").start_as_current_span("command") as span:
            res = await store.append("thing-1", [ThingHappened(thing_id="1", n=42)])
            trace_id = format(span.get_span_context().trace_id, "032x")
        nc = await nats.connect(nats_url)
        js = nc.jetstream()

        async def stream_made() -> bool:
            try:
                await js.stream_info(stream_name("relaytest"))
            except nats.js.errors.NotFoundError:
                return False  # the relay makes the stream as it starts, beside this test
            return True

        await eventually(stream_made)
        sub = await js.pull_subscribe(subject("relaytest.>"), stream=stream_name("relaytest"))
        msg = (await sub.fetch(1, timeout=10))[0]
        await nc.close()
    finally:
        relay.stop()
        await task
    event = from_json(msg.data)
    assert event["specversion"] == "1.0"
    assert event["type"] == "redpark.relaytest.thing.happened.v1"
    assert event["source"] == "/redpark/relaytest"
    assert event["subject"] == "thing-1"
    assert event["id"] == str(res.event_ids[0])
    assert event["sequence"] == str(res.position).zfill(20)
    assert event["datacontenttype"] == "application/json"
    assert event.data == {"thing_id": "1", "n": 42}
    # On the bus under the test's prefix; the envelope (type, source) never carries it.
    assert msg.subject == f"{bus_prefix}.relaytest.thing.happened"
    assert msg.headers["Nats-Msg-Id"] == str(res.event_ids[0])
    # The publish span continues the trace of the command that appended the event.
    assert msg.headers["traceparent"].split("-")[1] == trace_id


async def test_commands_succeed_while_nats_is_down_and_the_backlog_is_delivered_when_it_returns(
    pg_pool: asyncpg.Pool, pg_dsn: str, nats_factory
) -> None:  # type: ignore[no-untyped-def]
    server = nats_factory()
    store = EventStore(pg_pool, registry)
    relay = Relay(store, server.url, dsn=pg_dsn, ack_timeout=1.0)
    task = asyncio.create_task(relay.run())
    try:
        first = await append_many(store, 50, "a")
        await eventually(lambda: stream_count(server.url), lambda n: n == 50)
        server.stop()
        during = await append_many(store, 300, "b")  # every append succeeds with NATS down
        await asyncio.sleep(1.5)  # the relay tries, fails, backs off
        server.start()  # same port and data folder
        await eventually(lambda: stream_count(server.url), lambda n: n == 350, timeout=30)
    finally:
        relay.stop()
        await task
    contents = await stream_contents(server.url)
    positions = [p for p, _, _ in contents]
    assert sorted(positions) == first + during
    assert len(set(positions)) == 350  # nothing twice
    assert positions == sorted(positions)


async def test_a_relay_killed_mid_batch_and_restarted_loses_nothing_and_duplicates_nothing(
    pg_pool: asyncpg.Pool, pg_dsn: str, nats_url: str, bus_prefix: str, tmp_path: Path
) -> None:
    store = EventStore(pg_pool, registry)
    expected = await append_many(store, 3000, "k")

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, str(HERE / "relay_process.py"), pg_dsn, nats_url, str(HERE), bus_prefix],
            stdout=subprocess.DEVNULL, stderr=open(tmp_path / "relay.err", "ab"))

    proc = start()
    try:
        # Kill it with part of the backlog published, mid-way through its batches.
        await eventually(lambda: stream_count(nats_url), lambda n: n > 300, timeout=30)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        partial = await stream_count(nats_url)
        assert 0 < partial < 3000, partial
        proc = start()
        await eventually(lambda: stream_count(nats_url), lambda n: n == 3000, timeout=60)
        await asyncio.sleep(1.0)  # anything extra would have arrived by now
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    contents = await stream_contents(nats_url)
    assert [p for p, _, _ in contents] == expected
    assert len({i for _, i, _ in contents}) == 3000


async def test_a_stream_that_lost_its_tail_is_refilled_from_the_store(
    pg_pool: asyncpg.Pool, pg_dsn: str, nats_url: str
) -> None:
    store = EventStore(pg_pool, registry)
    expected = await append_many(store, 40, "r")
    relay = Relay(store, nats_url, dsn=pg_dsn)
    task = asyncio.create_task(relay.run())
    await eventually(lambda: stream_count(nats_url), lambda n: n == 40)
    relay.stop()
    await task
    nc = await nats.connect(nats_url)
    await nc.jetstream().delete_stream(stream_name("relaytest"))  # a re-created, empty stream
    await nc.close()
    relay = Relay(store, nats_url, dsn=pg_dsn)
    task = asyncio.create_task(relay.run())
    try:
        await eventually(lambda: stream_count(nats_url), lambda n: n == 40)
    finally:
        relay.stop()
        await task
    assert [p for p, _, _ in await stream_contents(nats_url)] == expected
