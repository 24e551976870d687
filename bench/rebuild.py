"""Figure 4 — rebuild: events/s replaying a stream into a read model with `ProjectionRunner.rebuild`.

100,000 events are appended and relayed onto the stream first. `rebuild()` then drops the
consumer, truncates the read model and its applied positions, and replays from the start; the
clock stops when the checkpoint reaches the last position (and the row count is checked). The
read model is `ActivityLog`: `executemany` of one row per event, a realistic handler. Measured
with the runner's default batch (256) and with a larger batch set through its constructor.
The baseline is `copy_records_to_table` of the same 100,000 rows into a twin table: PostgreSQL's
bulk load rate, the ceiling for any replay into this table.
"""

from __future__ import annotations

import asyncio
import time

import asyncpg
import nats
from redpark_platform.bus import stream_name
from redpark_platform.projections import ProjectionRunner
from redpark_platform.relay import Relay
from redpark_platform.store import EventStore

from .figures import Figure, median, note, rate
from .readmodel import ActivityLog, create_table
from .relay import fill, wait_for_messages
from .rig import Rig, registry_for

SERVICE = "benchrebuild"
TUNED_BATCH = 1000
COLUMNS = ["event_id", "member_id", "branch_id", "kind", "title", "points", "month", "position", "recorded_at"]


async def _rebuild(projection: ActivityLog, pool: asyncpg.Pool, nats_url: str, last: int, count: int,
                   **tuning: int) -> float:
    runner = ProjectionRunner(projection, pool, nats_url, service="benchview", **tuning)  # type: ignore[arg-type]
    loop = asyncio.get_running_loop()
    try:
        started = loop.time()
        await runner.rebuild()
        deadline = started + 600
        while await runner.position(SERVICE) < last:
            if loop.time() > deadline:
                raise TimeoutError("rebuild did not finish within 600s")
            await asyncio.sleep(0.01)
        elapsed = loop.time() - started
    finally:
        await runner.stop()
    rows = await pool.fetchval("SELECT count(*) FROM activity_log")
    if rows != count:
        raise RuntimeError(f"rebuild left {rows} rows, expected {count}")
    return count / elapsed


async def _copy(pool: asyncpg.Pool, rows: list[tuple[object, ...]]) -> float:
    async with pool.acquire() as conn:
        await conn.execute("TRUNCATE raw_activity_copy")
        started = time.perf_counter()
        await conn.copy_records_to_table("raw_activity_copy", records=rows, columns=COLUMNS)
        return len(rows) / (time.perf_counter() - started)


async def run(rig: Rig, quick: bool) -> list[Figure]:
    count = 20_000 if quick else 100_000
    registry = registry_for(SERVICE)
    store_dsn = await rig.new_database("rebuildstore")
    view_dsn = await rig.new_database("rebuildview")
    store_pool = await rig.platform_pool(store_dsn)
    view_pool = await rig.platform_pool(view_dsn)
    store = EventStore(store_pool, registry)
    nc = await nats.connect(rig.nats_url, name="bench-rebuild")
    relay = Relay(store, rig.nats_url, dsn=store_dsn)
    relay_task = asyncio.create_task(relay.run())
    try:
        await create_table(view_pool, "activity_log")
        await create_table(view_pool, "raw_activity_copy")
        started = time.perf_counter()
        last = await fill(store, count)
        await wait_for_messages(nc.jetstream(), stream_name(SERVICE), count, timeout=600)
        note(f"rebuild: {count} events stored and relayed in {time.perf_counter() - started:.1f}s")
        relay.stop()
        await relay_task

        projection = ActivityLog("bench_rebuild", registry)
        default = await _rebuild(projection, view_pool, rig.nats_url, last, count)
        tuned = await _rebuild(projection, view_pool, rig.nats_url, last, count, batch_size=TUNED_BATCH)
        note(f"rebuild: runner default batch {default:.0f} events/s, batch_size={TUNED_BATCH} {tuned:.0f} events/s")

        rows = [(r["event_id"], r["member_id"], r["branch_id"], r["kind"], r["title"], r["points"], r["month"],
                 r["position"], r["recorded_at"]) for r in await view_pool.fetch("SELECT * FROM activity_log")]
        copies = [await _copy(view_pool, rows) for _ in range(1 if quick else 3)]
        note(f"rebuild: raw COPY {[round(x) for x in copies]} rows/s")
        baseline = rate(median(copies))
        return [
            Figure("rebuild", f"events_per_s_batch_{TUNED_BATCH}", rate(tuned), "events/s", baseline,
                   target=">= 0.15 of raw COPY"),
            Figure("rebuild", "events_per_s_default_batch", rate(default), "events/s", baseline),
        ]
    finally:
        relay.stop()
        await relay_task
        await nc.close()
        await store.close()
        await store_pool.close()
        await view_pool.close()
