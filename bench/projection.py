"""Figure 3 — projection: end-to-end lag (append commit -> read-model row visible) at a steady
offered load, and the projection's throughput draining a backlog.

Platform pipeline, all in one process as a service runs it (`redpark_platform.runtime`):
`EventStore.append` -> NOTIFY -> `Relay` -> JetStream (fsync always) -> `ProjectionRunner` (durable
pull consumer) -> `ActivityLog.handle_batch` rows + dedup positions + checkpoint, one transaction.

Raw baseline pipeline, same servers, same row, no platform: `js.publish` (awaited ack, fsync
always) -> durable pull consumer `fetch` -> one transaction with `executemany` INSERT -> ack.
Its lag is measured from the publish call, so it lacks the outbox hop the platform adds by design
(commit first, then publish); the ratio shows what that hop and the runner cost.

Lag is measured without polling: the handler (and the raw consumer) calls `pg_notify` inside its
transaction, so the notification arrives when the rows commit; a watcher connection LISTENs and
timestamps it. Appends are offered open-loop on a fixed schedule (not waiting for the previous
one), so a slow pipeline shows as lag, not as a lower offered rate.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg
import nats
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import NotFoundError
from redpark_platform.bus import DUPLICATE_WINDOW_S, stream_name
from redpark_platform.events import EventRegistry, RecordedEvent, to_cloudevent
from redpark_platform.projections import ProjectionRunner
from redpark_platform.relay import Relay
from redpark_platform.store import EventStore

from .figures import Figure, ms, note, percentile, rate
from .readmodel import INSERT_SQL, ActivityLog, create_table, raw_decoder, row
from .relay import fill, wait_for_messages
from .rig import Rig, activity, registry_for

SERVICE = "benchlag"
RAW_STREAM = "BENCHRAWLAG"
RAW_TABLE = "raw_activity_log"
RATE = 500.0
WARMUP_S = 1.0
BATCH = 256  # the runner's default batch; the raw consumer fetches the same
# nats-py's fetch, once its pull request lingers (the consumer is caught up), returns only when the
# batch is full or the timeout ends: under light load the timeout, not the work, sets the lag.
SHORT_FETCH_TIMEOUT = 0.1


class Watcher:
    """Timestamps commit notifications carrying the highest position made visible."""

    def __init__(self) -> None:
        self.seen: list[tuple[float, int]] = []
        self.high = 0
        self.reached = asyncio.Event()
        self.goal = 0

    def __call__(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        now = time.perf_counter()
        position = int(payload)
        if position > self.high:
            self.high = position
            self.seen.append((now, position))
            if self.goal and position >= self.goal:
                self.reached.set()

    async def wait_for(self, position: int, timeout: float = 60) -> None:
        self.goal = position
        self.reached.clear()
        if self.high < position:
            await asyncio.wait_for(self.reached.wait(), timeout)

    def visible_at(self, position: int) -> float:
        """When `position` became visible: the first notification at or beyond it."""
        highs = [p for _, p in self.seen]
        i = bisect.bisect_left(highs, position)
        return self.seen[i][0]


async def _paced(count: int, offer: Callable[[int], Awaitable[None]]) -> float:
    """Offer `count` items at RATE per second, open loop; return the achieved offered rate."""
    tasks: set[asyncio.Task[None]] = set()
    start = time.perf_counter()
    for k in range(count):
        delay = start + k / RATE - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(offer(k))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    offered = count / (time.perf_counter() - start)
    if tasks:
        await asyncio.gather(*tasks)
    return offered


def _lags(starts: dict[int, float], watcher: Watcher, skip_before: float) -> list[float]:
    return [max(0.0, watcher.visible_at(key) - at) for key, at in starts.items() if at >= skip_before]


async def _platform_lag(store: EventStore, runner: ProjectionRunner, watcher: Watcher, seconds: float,
                        ) -> tuple[list[float], float]:
    committed: dict[int, float] = {}

    async def offer(k: int) -> None:
        result = await store.append(f"lag-{k % 64}", [activity(k)])
        committed[result.position] = time.perf_counter()

    count = int(RATE * seconds)
    begin = time.perf_counter()
    offered = await _paced(count, offer)
    await watcher.wait_for(max(committed))
    return _lags(committed, watcher, begin + WARMUP_S), offered


async def _raw_consume(js: JetStreamContext, pool: asyncpg.Pool, durable: str, stop: asyncio.Event,
                       notify: str | None, goal: int = 0, progress: list[int] | None = None) -> None:
    sub = await js.pull_subscribe(
        "benchrawlag.>", durable=durable, stream=RAW_STREAM,
        config=ConsumerConfig(durable_name=durable, ack_policy=AckPolicy.EXPLICIT,
                              deliver_policy=DeliverPolicy.ALL, ack_wait=30, max_ack_pending=1024))
    insert = INSERT_SQL.format(table=RAW_TABLE)
    done = 0
    while not stop.is_set():
        try:
            msgs = await sub.fetch(BATCH, timeout=1.0)
        except NatsTimeoutError:
            continue
        rows = []
        for msg in msgs:
            env = raw_decoder.decode(msg.data)
            rows.append(row(env.data, env.id, int(env.sequence), env.time))
        async with pool.acquire() as conn, conn.transaction():
            await conn.executemany(insert, rows)
            if notify:
                await conn.execute("SELECT pg_notify($1, $2)", notify, str(rows[-1][7]))
        for msg in msgs:
            await msg.ack()
        done += len(msgs)
        if progress is not None:
            progress.append(done)
        if goal and done >= goal:
            return
    await sub.unsubscribe()


async def _raw_lag(nc: nats.NATS, pool: asyncpg.Pool, watcher: Watcher, seconds: float,
                   body_of: Callable[[int], bytes]) -> list[float]:
    js = nc.jetstream()
    stop = asyncio.Event()
    consumer = asyncio.create_task(_raw_consume(js, pool, "rawlag", stop, "bench_raw_applied"))
    published: dict[int, float] = {}

    async def offer(k: int) -> None:
        at = time.perf_counter()
        await js.publish("benchrawlag.activity.recorded", body_of(k + 1),
                         headers={"Nats-Msg-Id": str(uuid.uuid4())})
        published[k + 1] = at

    count = int(RATE * seconds)
    begin = time.perf_counter()
    await _paced(count, offer)
    try:
        await watcher.wait_for(count)
    finally:
        stop.set()
        consumer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await consumer
    return _lags(published, watcher, begin + WARMUP_S)


async def _wait_checkpoint(runner: ProjectionRunner, source: str, position: int, timeout: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while await runner.position(source) < position:
        if loop.time() > deadline:
            raise TimeoutError(f"projection did not reach {position} within {timeout}s")
        await asyncio.sleep(0.01)


async def raw_stream(js: JetStreamContext) -> None:
    with contextlib.suppress(NotFoundError):
        await js.delete_stream(RAW_STREAM)
    await js.add_stream(StreamConfig(
        name=RAW_STREAM, subjects=["benchrawlag.>"], retention=RetentionPolicy.LIMITS, storage=StorageType.FILE,
        discard=DiscardPolicy.OLD, duplicate_window=DUPLICATE_WINDOW_S, max_age=0))


def _summary(name: str, lags: list[float]) -> str:
    return (f"{name}: n={len(lags)} p50={ms(percentile(lags, 50))}ms p90={ms(percentile(lags, 90))}ms"
            f" p99={ms(percentile(lags, 99))}ms max={ms(max(lags))}ms")


async def _platform_variant(store: EventStore, registry: EventRegistry, view_pool: asyncpg.Pool,
                            listener: asyncpg.Connection, nats_url: str, label: str, seconds: float,
                            **tuning: float) -> tuple[list[float], ActivityLog]:
    """Lag of one runner configuration, on its own consumer, read-model table and channel."""
    table, channel = f"activity_log_{label}", f"bench_applied_{label}"
    await create_table(view_pool, table)
    projection = ActivityLog(f"bench_activity_log_{label}", registry, notify_channel=channel, table=table)
    runner = ProjectionRunner(projection, view_pool, nats_url, service="benchview", **tuning)  # type: ignore[arg-type]
    watcher = Watcher()
    await listener.add_listener(channel, watcher)
    await runner.start()
    try:
        # Warm up (stream, consumer, prepared statements; a later variant also catches up with
        # the events of the earlier ones) before the clock runs.
        warm = await store.append("warm", [activity(0)])
        await watcher.wait_for(warm.position, timeout=120)
        lags, offered = await _platform_lag(store, runner, watcher, seconds)
    finally:
        await runner.stop()
        await listener.remove_listener(channel, watcher)
    settings = ", ".join(f"{k}={v}" for k, v in tuning.items()) or "defaults"
    note(f"projection: offered {offered:.0f} appends/s for {seconds:.0f}s; runner {settings}")
    note("projection: " + _summary(f"platform lag ({settings})", lags))
    return lags, projection


async def run(rig: Rig, quick: bool) -> list[Figure]:
    seconds, backlog = (5.0, 5_000) if quick else (20.0, 20_000)
    registry = registry_for(SERVICE)
    store_dsn = await rig.new_database("lagstore")
    view_dsn = await rig.new_database("lagview")
    store_pool = await rig.platform_pool(store_dsn)
    view_pool = await rig.platform_pool(view_dsn)
    store = EventStore(store_pool, registry)
    await create_table(view_pool, RAW_TABLE)
    listener = await asyncpg.connect(view_dsn)
    nc = await nats.connect(rig.nats_url, name="bench-projection")
    js = nc.jetstream()
    relay = Relay(store, rig.nats_url, dsn=store_dsn)
    relay_task = asyncio.create_task(relay.run())
    try:
        lags, projection = await _platform_variant(store, registry, view_pool, listener, rig.nats_url,
                                                   "default", seconds)
        short_lags, _ = await _platform_variant(store, registry, view_pool, listener, rig.nats_url,
                                                "short_fetch", seconds, fetch_timeout=SHORT_FETCH_TIMEOUT)

        await raw_stream(js)
        sample = (await store.read_all(0, 1))[0]

        def body_of(n: int) -> bytes:
            return to_cloudevent(registry, RecordedEvent(
                id=uuid.uuid4(), stream_id=sample.stream_id, version=n, position=n, type=sample.type,
                type_version=sample.type_version, data=sample.data, recorded_at=sample.recorded_at))

        raw_watch = Watcher()
        await listener.add_listener("bench_raw_applied", raw_watch)
        raw_lags = await _raw_lag(nc, view_pool, raw_watch, seconds, body_of)
        note("projection: " + _summary("raw lag", raw_lags))

        # Throughput: a backlog relayed onto the stream while the runner is stopped, then drained
        # by the runner with its defaults.
        done = await store.last_position()
        last = await fill(store, backlog, start=10_000_000)
        await wait_for_messages(js, stream_name(SERVICE), last, timeout=300)
        drain = ProjectionRunner(projection, view_pool, rig.nats_url, service="benchview")
        started = time.perf_counter()
        await drain.start()
        try:
            await _wait_checkpoint(drain, SERVICE, last, timeout=300)
            platform_rate = (last - done) / (time.perf_counter() - started)
        finally:
            await drain.stop()

        await js.purge_stream(RAW_STREAM)
        pub = nc.jetstream(publish_async_max_pending=4096)
        futures = [await pub.publish_async("benchrawlag.activity.recorded", body_of(n),
                                           headers={"Nats-Msg-Id": str(uuid.uuid4())})
                   for n in range(1, backlog + 1)]
        await asyncio.gather(*futures)
        started = time.perf_counter()
        await _raw_consume(js, view_pool, "rawdrain", asyncio.Event(), None, goal=backlog)
        raw_rate = backlog / (time.perf_counter() - started)
        note(f"projection: drain {last - done} events at {platform_rate:.0f}/s (runner defaults),"
             f" raw fetch+executemany+ack {raw_rate:.0f}/s")
        short = f"{int(SHORT_FETCH_TIMEOUT * 1000)}ms"
        return [
            Figure("projection", "lag_p50_ms", ms(percentile(lags, 50)), "ms", ms(percentile(raw_lags, 50))),
            Figure("projection", "lag_p99_ms", ms(percentile(lags, 99)), "ms", ms(percentile(raw_lags, 99)),
                   target="< 100 ms"),
            Figure("projection", f"lag_p50_ms_fetch_timeout_{short}", ms(percentile(short_lags, 50)), "ms",
                   ms(percentile(raw_lags, 50))),
            Figure("projection", f"lag_p99_ms_fetch_timeout_{short}", ms(percentile(short_lags, 99)), "ms",
                   ms(percentile(raw_lags, 99)), target="< 100 ms"),
            Figure("projection", "throughput_events_per_s", rate(platform_rate), "events/s", rate(raw_rate)),
        ]
    finally:
        relay.stop()
        await relay_task
        await nc.close()
        await listener.close()
        await store.close()
        await store_pool.close()
        await view_pool.close()
