"""Projection runner: exactly-once effect, dead letters, rebuild, lag, read-your-writes."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import asyncpg
import nats
import pytest

from redpark_platform.bus import dead_letter_stream_name, stream_name, subject
from redpark_platform.events import Event, IncomingEvent, RecordedEvent, to_cloudevent
from redpark_platform.projections import Projection, ProjectionRunner
from redpark_platform.relay import Relay
from redpark_platform.store import EventStore
from redpark_platform.testkit import eventually

sys.path.insert(0, str(Path(__file__).parent))
from relay_support import ThingHappened, registry  # noqa: E402


class Totals(Projection):
    """Deliberately NOT idempotent (it adds): a duplicate applied twice would show in the totals."""

    name = "thing_totals"
    sources = ("relaytest",)
    registries = {"relaytest": registry}
    tables = ("thing_totals",)
    poison: set[int] = set()  # values of n that make the handler fail

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        assert isinstance(event, ThingHappened)
        if event.n in self.poison:
            raise ValueError(f"cannot handle n={event.n}")
        await conn.execute(
            "INSERT INTO thing_totals (thing_id, total, count) VALUES ($1, $2, 1)"
            " ON CONFLICT (thing_id) DO UPDATE SET total = thing_totals.total + excluded.total,"
            " count = thing_totals.count + 1", event.thing_id[:1], event.n)


async def setup(pool: asyncpg.Pool) -> None:
    await pool.execute("CREATE TABLE thing_totals (thing_id text PRIMARY KEY, total bigint, count int)")


async def totals(pool: asyncpg.Pool) -> dict[str, tuple[int, int]]:
    return {r["thing_id"]: (r["total"], r["count"]) for r in await pool.fetch("SELECT * FROM thing_totals")}


@contextlib.asynccontextmanager
async def running_world(pg_pool: asyncpg.Pool, pg_dsn: str, nats_url: str
                        ) -> AsyncIterator[tuple[EventStore, Callable[..., ProjectionRunner]]]:
    await setup(pg_pool)
    store = EventStore(pg_pool, registry)
    relay = Relay(store, nats_url, dsn=pg_dsn)
    relay_task = asyncio.create_task(relay.run())
    runners: list[ProjectionRunner] = []

    def runner(**kw: object) -> ProjectionRunner:
        r = ProjectionRunner(Totals(), pg_pool, nats_url, service="relaytest", **kw)  # type: ignore[arg-type]
        runners.append(r)
        return r

    try:
        yield store, runner
    finally:
        for r in runners:
            await r.stop()
        relay.stop()
        await relay_task


@pytest.fixture
async def world(pg_pool: asyncpg.Pool, pg_dsn: str, nats_url: str):  # type: ignore[no-untyped-def]
    """On the session's NATS under the test's bus prefix."""
    async with running_world(pg_pool, pg_dsn, nats_url) as (store, runner):
        yield store, nats_url, runner


@pytest.fixture
async def world_with_own_nats(pg_pool: asyncpg.Pool, pg_dsn: str, nats_factory):  # type: ignore[no-untyped-def]
    """For the test that kills NATS: a server of its own."""
    server = nats_factory()
    async with running_world(pg_pool, pg_dsn, server.url) as (store, runner):
        yield store, server, runner


async def test_events_flow_into_the_read_model_and_read_your_writes_waits_for_them(world, pg_pool) -> None:  # type: ignore[no-untyped-def]
    store, _server, runner = world
    proj = runner()
    await proj.start()
    last = None
    for i in range(1, 101):
        last = await store.append(f"a-{i % 3}", [ThingHappened(thing_id="a", n=i)])
    assert await proj.wait_for("relaytest", last.position, timeout=10)
    assert (await totals(pg_pool))["a"] == (5050, 100)
    assert await proj.position("relaytest") == last.position
    # The server counts a message pending until its ack arrives, which trails the checkpoint's commit.
    lag = await eventually(proj.lag, lambda figures: figures["pending"] == {"relaytest": 0}, timeout=10)
    assert lag["pending"] == {"relaytest": 0}
    # A position nobody produced yet is not waited for beyond the bound.
    assert not await proj.wait_for("relaytest", last.position + 1000, timeout=0.2)


async def test_a_re_sent_event_outside_the_duplicate_window_changes_nothing(world, pg_pool) -> None:  # type: ignore[no-untyped-def]
    store, url, runner = world
    proj = runner()
    await proj.start()
    res = await store.append("b-1", [ThingHappened(thing_id="b", n=7)])
    assert await proj.wait_for("relaytest", res.position, timeout=10)
    # The same event published again under a new Nats-Msg-Id, as after a long outage.
    stored = await pg_pool.fetchrow("SELECT * FROM events WHERE position = $1", res.position)
    rec = RecordedEvent(id=stored["id"], stream_id=stored["stream_id"], version=stored["version"],
                        position=stored["position"], type=stored["type"], type_version=stored["type_version"],
                        data=stored["data"].encode(), recorded_at=stored["recorded_at"])
    nc = await nats.connect(url)
    for k in range(3):
        await nc.jetstream().publish(subject("relaytest.thing.happened"), to_cloudevent(registry, rec),
                                     headers={"Nats-Msg-Id": f"resend-{k}"})
    await nc.close()
    res2 = await store.append("b-1", [ThingHappened(thing_id="b", n=1)])
    assert await proj.wait_for("relaytest", res2.position, timeout=10)
    await asyncio.sleep(0.3)
    assert (await totals(pg_pool))["b"] == (8, 2)
    assert proj.stats.duplicates == 3


async def test_a_poison_message_is_dead_lettered_after_n_tries_and_the_rest_flow_on(world, pg_pool) -> None:  # type: ignore[no-untyped-def]
    store, url, runner = world
    Totals.poison = {13}
    try:
        proj = runner(max_deliver=3, batch_size=10)
        await proj.start()
        for i in range(1, 31):
            last = await store.append("c-1", [ThingHappened(thing_id="c", n=i)])
        assert await proj.wait_for("relaytest", last.position, timeout=20)
        await eventually(lambda: _dead(pg_pool), timeout=20)
    finally:
        Totals.poison = set()
    assert (await totals(pg_pool))["c"] == (sum(range(1, 31)) - 13, 29)
    row = await pg_pool.fetchrow("SELECT * FROM projection_dead_letters")
    assert row["deliveries"] == 3 and "n=13" in row["error"] and row["type"] == "thing.happened"
    nc = await nats.connect(url)
    info = await nc.jetstream().stream_info(dead_letter_stream_name())
    await nc.close()
    assert info.state.messages == 1


async def _dead(pool: asyncpg.Pool) -> bool:
    return bool(await pool.fetchval("SELECT count(*) FROM projection_dead_letters"))


async def test_after_a_nats_restart_and_a_runner_restart_the_read_model_equals_its_rebuild(  # type: ignore[no-untyped-def]
        world_with_own_nats, pg_pool) -> None:
    store, server, runner = world_with_own_nats
    proj = runner(batch_size=50)
    await proj.start()
    for i in range(200):
        await store.append(f"d-{i % 5}", [ThingHappened(thing_id="d", n=i)])
    server.kill()  # a crash, not a clean shutdown
    for i in range(200, 300):
        await store.append(f"e-{i % 5}", [ThingHappened(thing_id="e", n=i)])
    await proj.stop()  # the service goes down too
    server.start()
    proj = runner(batch_size=50)
    await proj.start()
    last = await store.append("e-0", [ThingHappened(thing_id="e", n=1000)])
    assert await proj.wait_for("relaytest", last.position, timeout=30)
    before = await totals(pg_pool)
    assert before == {"d": (sum(range(200)), 200), "e": (sum(range(200, 300)) + 1000, 101)}
    await proj.rebuild()
    assert await proj.wait_for("relaytest", last.position, timeout=30)
    assert await totals(pg_pool) == before


async def test_a_database_outage_longer_than_the_retries_dead_letters_nothing_and_loses_nothing(
    nats_url: str, tmp_path: Path
) -> None:
    """Failures of the database are not the event's fault: they never count toward dead-lettering."""
    from redpark_platform.db import create_pool, migrate
    from redpark_platform.servers import PostgresServer

    pg = PostgresServer(tmp_path / "own-pg", durable=False).start()
    try:
        pool = await create_pool(pg.dsn(), max_size=5)
        await migrate(pool)
        await setup(pool)
        store = EventStore(pool, registry)
        relay = Relay(store, nats_url, dsn=pg.dsn())
        relay_task = asyncio.create_task(relay.run())
        for i in range(1, 21):
            last = await store.append("f-1", [ThingHappened(thing_id="f", n=i)])
        nc = await nats.connect(nats_url)
        await eventually(lambda: _stream_has(nc, 20))
        relay.stop()
        await relay_task
        pg.stop()  # the database goes away with 20 events waiting on the stream
        runner = ProjectionRunner(Totals(), pool, nats_url, service="relaytest", max_deliver=3)
        await runner.start()
        await asyncio.sleep(6)  # many more naks than max_deliver
        pg.start()
        assert await runner.wait_for("relaytest", last.position, timeout=30)
        assert (await totals(pool))["f"] == (210, 20)
        assert await pool.fetchval("SELECT count(*) FROM projection_dead_letters") == 0
        assert runner.stats.dead_lettered == 0
        await runner.stop()
        await nc.close()
        await pool.close()
    finally:
        pg.stop()


async def _stream_has(nc, n: int) -> bool:  # type: ignore[no-untyped-def]
    try:
        return (await nc.jetstream().stream_info(stream_name("relaytest"))).state.messages >= n
    except Exception:  # noqa: BLE001 - not created yet
        return False


async def test_an_idle_runner_whose_consumer_vanished_subscribes_anew(world, pg_pool) -> None:  # type: ignore[no-untyped-def]
    store, url, runner = world
    proj = runner(idle_wait=1.0, heartbeat=0.2)
    await proj.start()
    first = await store.append("h-1", [ThingHappened(thing_id="h", n=1)])
    assert await proj.wait_for("relaytest", first.position, timeout=10)
    await asyncio.sleep(0.3)  # idle now: a long pull with heartbeats is waiting
    nc = await nats.connect(url)
    await nc.jetstream().delete_consumer(stream_name("relaytest"), proj.durable)
    await nc.close()
    second = await store.append("h-1", [ThingHappened(thing_id="h", n=2)])
    assert await proj.wait_for("relaytest", second.position, timeout=15)
    assert (await totals(pg_pool))["h"] == (3, 2)
