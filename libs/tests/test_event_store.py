"""Event store: optimistic concurrency, reading streams, and gap-free tailing under load."""

from __future__ import annotations

import asyncio
import random

import asyncpg
import msgspec
import pytest

from redpark_platform.events import Event, EventRegistry
from redpark_platform.personal import ERASED
from redpark_platform.store import ConcurrencyConflict, EventStore

registry = EventRegistry("testsvc")


@registry.register("counter", "incremented")
class Incremented(Event, frozen=True, kw_only=True):
    counter_id: str
    by: int


@registry.register("person", "registered", personal=("phone",), subject="person_id")
class PersonRegistered(Event, frozen=True, kw_only=True):
    person_id: str
    name: str
    phone: str


async def test_append_and_read_a_stream(pg_pool: asyncpg.Pool) -> None:
    store = EventStore(pg_pool, registry)
    r1 = await store.append("counter-1", [Incremented(counter_id="1", by=1)], expected_version=0)
    r2 = await store.append("counter-1", [Incremented(counter_id="1", by=2), Incremented(counter_id="1", by=3)],
                            expected_version=1)
    assert (r1.version, r2.version) == (1, 3)
    assert r2.position > r1.position
    read = await store.read_stream("counter-1")
    assert read.version == 3
    assert [e.event.by for e in read.events] == [1, 2, 3]
    assert [e.record.version for e in read.events] == [1, 2, 3]


async def test_a_stale_expected_version_is_a_conflict_and_appends_nothing(pg_pool: asyncpg.Pool) -> None:
    store = EventStore(pg_pool, registry)
    await store.append("counter-2", [Incremented(counter_id="2", by=1)], expected_version=0)
    with pytest.raises(ConcurrencyConflict):
        await store.append("counter-2", [Incremented(counter_id="2", by=9)], expected_version=0)
    with pytest.raises(ConcurrencyConflict):
        await store.append("counter-2", [Incremented(counter_id="2", by=9)], expected_version=5)
    read = await store.read_stream("counter-2")
    assert [e.event.by for e in read.events] == [1]


async def test_concurrent_appenders_to_one_stream_lose_nothing_and_never_duplicate_a_version(
    pg_pool: asyncpg.Pool,
) -> None:
    store = EventStore(pg_pool, registry)

    async def writer(n: int) -> int:
        conflicts = 0
        for _ in range(10):
            while True:
                version = (await store.read_stream("hot")).version
                try:
                    await store.append("hot", [Incremented(counter_id="hot", by=n)], expected_version=version)
                    break
                except ConcurrencyConflict:
                    conflicts += 1
        return conflicts

    conflicts = await asyncio.gather(*(writer(n) for n in range(8)))
    read = await store.read_stream("hot")
    assert read.version == 80
    assert [e.record.version for e in read.events] == list(range(1, 81))
    assert sum(conflicts) > 0  # the writers really did race


async def test_a_tailer_sees_every_event_exactly_once_in_position_order_under_concurrent_appends(
    pg_pool: asyncpg.Pool,
) -> None:
    """The known trap: a position drawn earlier can commit later than a higher one. The tailer
    must neither skip it nor see anything twice. Some transactions roll back (holes)."""
    store = EventStore(pg_pool, registry)
    writers, per_writer = 24, 60
    done = asyncio.Event()

    async def writer(w: int) -> list[int]:
        committed: list[int] = []
        for i in range(per_writer):
            async with pg_pool.acquire() as conn:
                tx = conn.transaction()
                await tx.start()
                res = await store.append(f"w{w}", [Incremented(counter_id=f"w{w}", by=i)], conn=conn)
                # Hold the transaction open a little, at random, so commit order != position order.
                await asyncio.sleep(random.random() * 0.01)
                if i % 17 == 5:
                    await tx.rollback()  # leaves a hole in the positions
                else:
                    await tx.commit()
                    committed.append(res.position)
            store._wake_readers()
        return committed

    seen: list[int] = []

    async def tailer() -> None:
        after = 0
        while True:
            finished = done.is_set()
            batch = await store.read_all(after, limit=50)
            for rec in batch:
                seen.append(rec.position)
                after = rec.position
            if finished and not batch:
                return
            if not batch:
                await asyncio.sleep(0.001)

    tail = asyncio.create_task(tailer())
    results = await asyncio.gather(*(writer(w) for w in range(writers)))
    done.set()
    await asyncio.wait_for(tail, 30)

    committed = sorted(p for r in results for p in r)
    assert len(committed) == writers * (per_writer - len([i for i in range(per_writer) if i % 17 == 5]))
    assert seen == committed  # exactly once each, in position order, none skipped


async def test_the_naive_tail_would_have_skipped(pg_pool: asyncpg.Pool) -> None:
    """Show the trap is real on this database: a higher position commits while a lower one is open."""
    store = EventStore(pg_pool, registry)
    async with pg_pool.acquire() as slow:
        tx = slow.transaction()
        await tx.start()
        low = await store.append("slow", [Incremented(counter_id="s", by=1)], conn=slow)
        high = await store.append("fast", [Incremented(counter_id="f", by=1)])
        assert high.position > low.position
        naive = await pg_pool.fetch("SELECT position FROM events WHERE position > 0 ORDER BY position")
        assert [r["position"] for r in naive] == [high.position]  # a naive reader would move past `low`
        safe = await store.read_all(0)
        assert safe == []  # the safe horizon holds back until the open transaction ends
        await tx.commit()
    assert [r.position for r in await store.read_all(0)] == [low.position, high.position]


async def test_personal_fields_are_sealed_at_rest_and_erased_when_the_person_is_forgotten(
    pg_pool: asyncpg.Pool,
) -> None:
    store = EventStore(pg_pool, registry)
    await store.append("person-7", [PersonRegistered(person_id="p7", name="张三", phone="13800138000")])
    raw = await pg_pool.fetchval("SELECT data::text FROM events WHERE stream_id = 'person-7'")
    assert "13800138000" not in raw and "sealed:v1:" in raw
    loaded = (await store.read_stream("person-7")).events[0].event
    assert loaded.phone == "13800138000" and loaded.name == "张三"
    await store.forget_person("p7")
    assert (await store.read_stream("person-7")).events[0].event.phone == ERASED
    # A later event naming the erased person (a rule still running for them) keeps nothing of theirs.
    await store.append("person-7", [PersonRegistered(person_id="p7", name="张三", phone="13900000000")])
    assert "13900000000" not in str(await pg_pool.fetch("SELECT data::text FROM events"))
    assert [e.event.phone for e in (await store.read_stream("person-7")).events] == [ERASED, ERASED]
    assert await pg_pool.fetchval("SELECT count(*) FROM personal_keys WHERE subject_id = 'p7'") == 0


def test_an_old_event_version_is_upcast_on_load() -> None:
    reg = EventRegistry("upcast")

    @reg.register("member", "registered", version=2)
    class MemberRegistered(Event, frozen=True, kw_only=True):
        member_id: str
        full_name: str
        joined_on: str = ""

    @reg.upcaster("member", "registered", from_version=1)
    def _v1_to_v2(old: dict) -> dict:
        return {"member_id": old["member_id"], "full_name": old["name"]}

    old = msgspec.json.encode({"member_id": "m1", "name": "李四"})
    assert reg.decode("member.registered", 1, old) == MemberRegistered(member_id="m1", full_name="李四")


async def test_an_event_too_large_for_the_bus_is_refused_before_it_is_stored(pg_pool: asyncpg.Pool) -> None:
    """It could never be published, and the relay publishes in order: it would hold up the rest."""
    from redpark_platform.store import EventTooLarge

    store = EventStore(pg_pool, registry)
    with pytest.raises(EventTooLarge):
        await store.append("big-1", [PersonRegistered(person_id="p9", name="长" * 200_000, phone="13800138000")])
    assert await pg_pool.fetchval("SELECT count(*) FROM events") == 0


async def test_erasure_and_a_concurrent_append_for_the_same_person_never_leave_a_readable_new_key(
    pg_pool: asyncpg.Pool,
) -> None:
    """Review finding: a key re-created after an erasure kept new data readable and broke old reads."""
    store = EventStore(pg_pool, registry)
    await store.append("person-r", [PersonRegistered(person_id="pr", name="王五", phone="13800000001")])

    async def again() -> None:
        await store.append("person-r", [PersonRegistered(person_id="pr", name="王五", phone="13800000002")])

    await asyncio.gather(*(again() for _ in range(5)), store.forget_person("pr"), *(again() for _ in range(5)))
    assert await pg_pool.fetchval("SELECT count(*) FROM personal_keys WHERE subject_id = 'pr'") == 0
    phones = [e.event.phone for e in (await store.read_stream("person-r")).events]
    assert set(phones) == {ERASED}
