"""Figure 1 — append: events/s through `EventStore.append` vs raw autocommit INSERT commits/s.

Each writer appends single-event batches to its own streams with the exact expected version (the
decider path: optimistic concurrency is always checked). The baseline is the same number of
connections each committing one INSERT of a row of the same size into a plain table: what the
durable PostgreSQL can commit at that concurrency, with nothing of the platform in the way.
Platform and raw runs alternate so a checkpoint or background flush hits both alike.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import asyncpg
from redpark_platform.store import EventStore

from .figures import Figure, median, note, rate
from .rig import Rig, activity, registry_for

RAW_TABLE = """
CREATE TABLE raw_rows (
    position     bigserial PRIMARY KEY,
    id           uuid NOT NULL UNIQUE,
    stream_id    text NOT NULL,
    version      bigint NOT NULL,
    type         text NOT NULL,
    data         jsonb NOT NULL,
    recorded_at  timestamptz NOT NULL
)"""
RAW_INSERT = ("INSERT INTO raw_rows (id, stream_id, version, type, data, recorded_at)"
              " VALUES ($1, $2, $3, $4, $5::jsonb, $6)")
STREAMS_PER_WRITER = 16


async def _platform(store: EventStore, writers: int, seconds: float, tag: str) -> float:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds

    async def writer(w: int) -> int:
        versions = [0] * STREAMS_PER_WRITER
        done = 0
        while loop.time() < deadline:
            k = done % STREAMS_PER_WRITER
            result = await store.append(f"{tag}-w{w}-s{k}", [activity(done)], expected_version=versions[k])
            versions[k] = result.version
            done += 1
        return done

    started = loop.time()
    counts = await asyncio.gather(*(writer(w) for w in range(writers)))
    return sum(counts) / (loop.time() - started)


async def _raw(pool: asyncpg.Pool, writers: int, seconds: float, payload: str) -> float:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds

    async def writer(w: int) -> int:
        done = 0
        async with pool.acquire() as conn:
            while loop.time() < deadline:
                await conn.execute(RAW_INSERT, uuid.uuid4(), f"raw-w{w}-s{done % STREAMS_PER_WRITER}", done,
                                   "activity.recorded", payload, datetime.now(UTC))
                done += 1
        return done

    started = loop.time()
    counts = await asyncio.gather(*(writer(w) for w in range(writers)))
    return sum(counts) / (loop.time() - started)


async def run(rig: Rig, quick: bool) -> list[Figure]:
    seconds, reps = (1.5, 1) if quick else (3.0, 3)
    dsn = await rig.new_database("append")
    pool = await rig.platform_pool(dsn, size=24)
    registry = registry_for("benchappend")
    store = EventStore(pool, registry)
    payload = registry.encode(activity(0)).decode()
    try:
        await pool.execute(RAW_TABLE)
        # Warm both paths (prepared statements, pool connections, the function's plan).
        await _platform(store, 16, 0.5, "warm")
        await _raw(pool, 16, 0.5, payload)
        figures: list[Figure] = []
        for writers in (1, 16):
            platform, raw = [], []
            for rep in range(reps):
                platform.append(await _platform(store, writers, seconds, f"r{rep}n{writers}"))
                raw.append(await _raw(pool, writers, seconds, payload))
            note(f"append, {writers} writer(s): platform {[round(x) for x in platform]} events/s,"
                 f" raw INSERT {[round(x) for x in raw]} commits/s")
            label = "1_writer" if writers == 1 else f"{writers}_writers"
            figures.append(Figure(
                "append", f"events_per_s_{label}", rate(median(platform)), "events/s", rate(median(raw)),
                target=">= 0.5 of raw" if writers == 16 else None))
        return figures
    finally:
        await store.close()
        await pool.close()
