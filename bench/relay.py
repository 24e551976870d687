"""Figure 2 — relay: events/s the `Relay` gets acknowledged by JetStream, draining a pre-filled store.

The store is filled first; each repetition deletes the stream, starts a fresh `Relay` (which finds
the stream empty and re-publishes everything, as after a lost stream) and times until the stream
holds every event. The baseline publishes the same CloudEvents bodies, with a `Nats-Msg-Id` each,
to a separate stream on the same server with nats-py `publish_async` and a bounded window of
un-acknowledged messages, then awaits the acks: the server's pipelined, fsynced publish rate.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import nats
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError
from redpark_platform.bus import DUPLICATE_WINDOW_S, stream_name
from redpark_platform.events import subject_for, to_cloudevent
from redpark_platform.relay import Relay
from redpark_platform.store import EventStore

from .figures import Figure, median, note, rate
from .rig import Rig, activity, registry_for

SERVICE = "benchrelay"
RAW_STREAM = "BENCHRAW"
RAW_WINDOW = 4096  # the relay's own client allows this many un-acknowledged publishes
FILL_BATCH = 500


async def fill(store: EventStore, count: int, start: int = 0, streams: int = 100) -> int:
    """Append `count` events in batches of up to FILL_BATCH; return the last position."""
    last = 0
    n = start
    while n < start + count:
        size = min(FILL_BATCH, start + count - n)
        result = await store.append(f"fill-{n // FILL_BATCH % streams}", [activity(n + i) for i in range(size)])
        last = result.position
        n += size
    return last


async def stream_messages(js: JetStreamContext, stream: str) -> int:
    try:
        return int((await js.stream_info(stream)).state.messages)
    except NotFoundError:
        return 0


async def wait_for_messages(js: JetStreamContext, stream: str, count: int, timeout: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while await stream_messages(js, stream) < count:
        if loop.time() > deadline:
            raise TimeoutError(f"stream {stream} did not reach {count} messages within {timeout}s")
        await asyncio.sleep(0.01)


async def _relay_once(store: EventStore, dsn: str, nats_url: str, js: JetStreamContext, count: int) -> float:
    with contextlib.suppress(NotFoundError):
        await js.delete_stream(stream_name(SERVICE))
    relay = Relay(store, nats_url, dsn=dsn)
    loop = asyncio.get_running_loop()
    started = loop.time()
    task = asyncio.create_task(relay.run())
    try:
        await wait_for_messages(js, stream_name(SERVICE), count, timeout=300)
        elapsed = loop.time() - started
    finally:
        relay.stop()
        await task
    return count / elapsed


async def _raw_once(nc: nats.NATS, messages: list[tuple[str, bytes]]) -> float:
    js = nc.jetstream(publish_async_max_pending=RAW_WINDOW)
    await js.purge_stream(RAW_STREAM)
    loop = asyncio.get_running_loop()
    started = loop.time()
    futures = [await js.publish_async(subject, body, headers={"Nats-Msg-Id": str(uuid.uuid4())})
               for subject, body in messages]
    await asyncio.gather(*futures)
    elapsed = loop.time() - started
    held = await stream_messages(js, RAW_STREAM)
    if held != len(messages):
        raise RuntimeError(f"raw stream holds {held} of {len(messages)} messages")
    return len(messages) / elapsed


async def raw_stream(js: JetStreamContext) -> None:
    """The baseline's stream: configured as the platform configures a service's stream."""
    with contextlib.suppress(NotFoundError):
        await js.delete_stream(RAW_STREAM)
    await js.add_stream(StreamConfig(
        name=RAW_STREAM, subjects=["benchraw.>"], retention=RetentionPolicy.LIMITS, storage=StorageType.FILE,
        discard=DiscardPolicy.OLD, duplicate_window=DUPLICATE_WINDOW_S, max_age=0))


async def run(rig: Rig, quick: bool) -> list[Figure]:
    count, reps = (10_000, 1) if quick else (50_000, 3)
    dsn = await rig.new_database("relay")
    pool = await rig.platform_pool(dsn)
    registry = registry_for(SERVICE)
    store = EventStore(pool, registry)
    nc = await nats.connect(rig.nats_url, name="bench-relay")
    try:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await fill(store, count)
        note(f"relay: {count} events in the store in {loop.time() - started:.1f}s")
        records = []
        while len(records) < count:
            records += await store.read_all(records[-1].position if records else 0, 5000)
        messages = [("benchraw." + subject_for(registry, r), to_cloudevent(registry, r)) for r in records]
        note(f"relay: message body {len(messages[0][1])} bytes")
        js = nc.jetstream()
        await raw_stream(js)
        platform, raw = [], []
        for _ in range(reps):
            platform.append(await _relay_once(store, dsn, rig.nats_url, js, count))
            raw.append(await _raw_once(nc, messages))
        note(f"relay: Relay {[round(x) for x in platform]} events/s,"
             f" raw publish_async (window {RAW_WINDOW}) {[round(x) for x in raw]} msgs/s")
        return [Figure("relay", "events_per_s", rate(median(platform)), "events/s", rate(median(raw)),
                       target=">= 0.5 of raw")]
    finally:
        await nc.close()
        await store.close()
        await pool.close()
