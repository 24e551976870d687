"""A read model applies each stream's events in stream order, whatever happens to its runner.

A runner killed with messages fetched but not acknowledged used to leave them with its durable
consumer: JetStream handed them back only after ack_wait (30 s), behind newer events, so the
read model applied position n+1 before n and stayed wrong. Here a runner process is SIGKILLed at
random moments under a random load, restarted each time, and the read model must never see an
event after a later one, must apply each event once, and must equal its rebuild.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import asyncpg

from redpark_platform.projections import ProjectionRunner
from redpark_platform.relay import Relay
from redpark_platform.store import EventStore

sys.path.insert(0, str(Path(__file__).parent))
from order_support import TABLES_SQL, LatestThing  # noqa: E402
from relay_support import ThingHappened, registry  # noqa: E402

HERE = Path(__file__).parent


async def snapshot(pool: asyncpg.Pool) -> dict[str, tuple[int, int]]:
    return {r["thing_id"]: (r["n"], r["applied"]) for r in await pool.fetch("SELECT * FROM thing_latest")}


async def checkpoint(pool: asyncpg.Pool) -> int:
    return await pool.fetchval(
        "SELECT coalesce(max(position), 0) FROM projection_checkpoints WHERE projection = 'thing_latest'")


async def until(predicate, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_a_runner_killed_at_random_under_load_applies_every_event_once_and_in_order(
    pg_pool: asyncpg.Pool, pg_dsn: str, nats_factory, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    nats_url = nats_factory().url
    await pg_pool.execute(TABLES_SQL)
    store = EventStore(pg_pool, registry)
    relay = Relay(store, nats_url, dsn=pg_dsn)
    relay_task = asyncio.create_task(relay.run())
    appended: list[int] = []

    async def load() -> None:
        for i in range(1500):
            thing = f"thing-{rng.randrange(8)}"
            result = await store.append(thing, [ThingHappened(thing_id=thing, n=i)])
            appended.append(result.position)
            if rng.random() < 0.05:
                await asyncio.sleep(rng.uniform(0.01, 0.1))

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, str(HERE / "projection_process.py"), pg_dsn, nats_url, str(HERE)],
            stdout=subprocess.DEVNULL, stderr=open(tmp_path / "runner.err", "ab"))

    kills = 0
    loader = asyncio.create_task(load())
    proc = start()
    try:
        while not loader.done() or kills < 4:
            await asyncio.sleep(rng.uniform(0.3, 1.2))
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            kills += 1
            proc = start()
        await loader
        # Well inside the 30 s ack wait: the events the killed runners held must not be needed.
        await until(lambda: _caught_up(pg_pool, appended[-1]), timeout=20)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        relay.stop()
        await relay_task

    assert await pg_pool.fetch("SELECT * FROM thing_out_of_order") == [], f"seed {seed}"
    live = await snapshot(pg_pool)
    assert sum(applied for _n, applied in live.values()) == len(appended), f"seed {seed}"

    rebuilt = ProjectionRunner(LatestThing(), pg_pool, nats_url, service="relaytest", batch_size=500)
    await rebuilt.rebuild()
    try:
        await until(lambda: _caught_up(pg_pool, appended[-1]), timeout=30)
    finally:
        await rebuilt.stop()
    assert await snapshot(pg_pool) == live, f"seed {seed}"
    assert kills >= 4


async def _caught_up(pool: asyncpg.Pool, position: int) -> bool:
    return await checkpoint(pool) >= position
