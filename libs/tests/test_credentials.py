"""Credentials on the bus and in the database: each service may do its own work and nothing else.

Real servers with their users and roles, as `up` runs them: a service's NATS user publishing on
another service's subject is refused by the server, and a service's database role cannot even
connect to another service's database.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import nats
import pytest
from nats.aio.client import Client as NATS
from nats.js.api import ConsumerConfig

from redpark_platform import bus
from redpark_platform.credentials import redacted, service_permissions, tools_permissions, with_user
from redpark_platform.projections import ProjectionRunner
from redpark_platform.relay import Relay
from redpark_platform.servers import NatsServer, PostgresServer
from redpark_platform.store import EventStore
from redpark_platform.testkit import eventually

sys.path.insert(0, str(Path(__file__).parent))
from relay_support import ThingHappened, registry  # noqa: E402
from test_projections import Totals, setup, totals  # noqa: E402

PRODUCER = "relaytest"  # the service of relay_support's events
CONSUMER = "reader"  # a service whose read model follows the producer's stream


@pytest.fixture
def guarded_nats(tmp_path: Path) -> Iterator[NatsServer]:
    """A NATS with a user per service, as `up` starts it (no bus prefix: production names)."""
    bus.use_prefix("")
    server = NatsServer(tmp_path / "nats", sync_always=False, users={
        PRODUCER: service_permissions(PRODUCER, [PRODUCER]),
        CONSUMER: service_permissions(CONSUMER, [PRODUCER]),
        "tools": tools_permissions(),
    }).start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.asynccontextmanager
async def connected_as(server: NatsServer, user: str) -> AsyncIterator[tuple[NATS, list[str]]]:
    """A client of `user` and the errors the server sent it (permission violations arrive so)."""
    errors: list[str] = []

    async def collect(error: Exception) -> None:
        errors.append(str(error).lower())

    nc = await nats.connect(server.url_for(user), error_cb=collect, inbox_prefix=bus.inbox_prefix(user),
                            allow_reconnect=False)
    try:
        yield nc, errors
    finally:
        await nc.close()


async def stream_messages(server: NatsServer, service: str) -> int:
    nc = await nats.connect(server.url)  # the admin
    try:
        return (await nc.jetstream().stream_info(bus.stream_name(service))).state.messages
    finally:
        await nc.close()


async def test_a_services_nats_user_cannot_publish_on_another_services_subject(guarded_nats: NatsServer) -> None:
    async with connected_as(guarded_nats, CONSUMER) as (nc, _):
        await bus.ensure_stream(nc.jetstream(), CONSUMER)  # its own stream: allowed
    async with connected_as(guarded_nats, PRODUCER) as (nc, errors):
        js = nc.jetstream()
        await bus.ensure_stream(js, PRODUCER)
        assert (await js.publish(f"{PRODUCER}.thing.happened", b"{}")).seq == 1  # its own subject: allowed

        forged = f"{CONSUMER}.anything.happened"
        with pytest.raises(nats.errors.TimeoutError):  # the server drops it: no stream ever acknowledges
            await js.publish(forged, b"{}", timeout=1)
        await nc.publish(forged, b"{}")
        await nc.flush()
        await eventually(lambda: any(f'permissions violation for publish to "{forged}"' in e for e in errors))
        # Nor may it touch the other service's stream through the JetStream API.
        with pytest.raises(nats.errors.TimeoutError):
            await js.delete_stream(bus.stream_name(CONSUMER))
        await eventually(lambda: any("$js.api.stream.delete.reader" in e for e in errors))
    assert await stream_messages(guarded_nats, CONSUMER) == 0
    assert await stream_messages(guarded_nats, PRODUCER) == 1


async def test_a_service_reads_only_the_streams_it_consumes_and_only_its_own_replies(
        guarded_nats: NatsServer) -> None:
    async with connected_as(guarded_nats, CONSUMER) as (nc, _):
        await bus.ensure_stream(nc.jetstream(), CONSUMER)
    async with connected_as(guarded_nats, PRODUCER) as (nc, errors):
        js = nc.jetstream()
        # The producer reads no stream of the consumer's: it cannot make a consumer on it...
        with pytest.raises(nats.errors.TimeoutError):
            await js.add_consumer(bus.stream_name(CONSUMER), ConsumerConfig(durable_name="spy"), timeout=1)
        # ...nor listen where the consumer's replies arrive, nor on the consumer's subjects.
        await nc.subscribe(f"{bus.inbox_prefix(CONSUMER)}.>")
        await nc.subscribe(f"{CONSUMER}.>")
        await nc.flush()
        await eventually(lambda: sum("permissions violation for subscription" in e for e in errors) == 2)


async def test_a_relay_and_a_projection_do_their_work_with_their_own_users(
        guarded_nats: NatsServer, pg_pool: asyncpg.Pool, pg_dsn: str) -> None:
    """The relay publishes and runs its stream as the producer; the read model of another service
    creates, reads and acknowledges its consumer as that service, and may dead-letter as itself."""
    await setup(pg_pool)
    store = EventStore(pg_pool, registry)
    relay = Relay(store, guarded_nats.url_for(PRODUCER), dsn=pg_dsn)
    relay_task = asyncio.create_task(relay.run())
    runner = ProjectionRunner(Totals(), pg_pool, guarded_nats.url_for(CONSUMER), service=CONSUMER)
    await runner.start()
    try:
        for i in range(1, 21):
            last = await store.append(f"g-{i % 2}", [ThingHappened(thing_id="g", n=i)])
        assert await runner.wait_for(PRODUCER, last.position, timeout=20)
        assert (await totals(pg_pool))["g"] == (sum(range(1, 21)), 20)
    finally:
        await runner.stop()
        relay.stop()
        await relay_task
    async with connected_as(guarded_nats, CONSUMER) as (nc, errors):
        js = nc.jetstream()
        await bus.ensure_dead_letter_stream(js)
        assert (await js.publish(f"deadletter.{CONSUMER}.thing_totals", b"{}")).seq == 1
        with pytest.raises(nats.errors.TimeoutError):  # not in another service's name
            await js.publish(f"deadletter.{PRODUCER}.thing_totals", b"{}", timeout=1)
    async with connected_as(guarded_nats, "tools") as (nc, errors):  # tools read, never write
        assert (await nc.jetstream().stream_info(bus.stream_name(PRODUCER))).state.messages == 20
        await nc.publish(f"{PRODUCER}.thing.happened", b"{}")
        await nc.flush()
        await eventually(lambda: any("permissions violation for publish" in e for e in errors))


async def test_no_one_reaches_nats_without_a_password(guarded_nats: NatsServer) -> None:
    for url in (guarded_nats.address, with_user(guarded_nats.address, PRODUCER, "guessed")):
        with pytest.raises(nats.errors.Error, match="Authorization Violation"):
            await nats.connect(url, allow_reconnect=False, max_reconnect_attempts=0, connect_timeout=2)
    assert "***" in redacted(guarded_nats.url) and guarded_nats.passwords.get("admin") not in redacted(guarded_nats.url)


async def test_a_services_database_role_cannot_reach_another_services_database(
        redpark_pg: PostgresServer, anew_database) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = await anew_database("mine"), await anew_database("theirs")
    conn = await asyncpg.connect(theirs)
    await conn.execute("CREATE TABLE keys (person text, key bytea); INSERT INTO keys VALUES ('p1', '\\x01')")
    assert not await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    await conn.close()

    my_role = mine.split("://", 1)[1].split(":", 1)[0]
    their_database = theirs.rsplit("/", 1)[1]
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="CONNECT"):
        await asyncpg.connect(mine.rsplit("/", 1)[0] + "/" + their_database)
    # And no password, no entry, whoever one claims to be: PostgreSQL trusts no one.
    for who in (my_role, "postgres"):
        with pytest.raises(asyncpg.InvalidPasswordError):
            await asyncpg.connect(f"postgresql://{who}:wrong@127.0.0.1:{redpark_pg.port}/{their_database}")
