"""The test kit itself: a service under test on the shared NATS under its own bus prefix, a clock
the test sets, settings for a test, and the one bounded `eventually`."""

from __future__ import annotations

import asyncio
import getpass
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import msgspec
import nats
import pytest
from fastapi import APIRouter, Depends, FastAPI

from redpark_platform import bus
from redpark_platform.clock import FrozenClock
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection
from redpark_platform.runtime import RuntimeDep, ServiceSpec, create_service_app
from redpark_platform.servers import PostgresServer
from redpark_platform.settings import Settings
from redpark_platform.testkit import eventually
from redpark_platform.testkit.services import service_name_of
from redpark_platform.web.auth import Principal, optional_principal
from redpark_platform.web.bodies import MsgspecResponse

registry = EventRegistry("kittest")


@registry.register("tick", "noted")
class TickNoted(Event, frozen=True, kw_only=True):
    tick_id: str
    at: datetime


class Now(msgspec.Struct, frozen=True, kw_only=True):
    now: str
    today: str
    roles: list[str]


router = APIRouter()


@router.get("/now")
async def read_now(runtime: RuntimeDep, who: Annotated[Principal | None, Depends(optional_principal)]
                   ) -> MsgspecResponse:
    return MsgspecResponse(Now(now=runtime.now().isoformat(), today=runtime.today().isoformat(),
                               roles=list(who.roles) if who else []))


@router.post("/ticks/{tick_id}", status_code=201)
async def tick(tick_id: str, runtime: RuntimeDep) -> MsgspecResponse:
    res = await runtime.store.append(f"tick-{tick_id}", [TickNoted(tick_id=tick_id, at=runtime.now())])
    return MsgspecResponse({"position": res.position}, status_code=201)


# Another service, known here only by its contract: it publishes arrivals the kit service counts.
elsewhere = EventRegistry("kitsource")


@elsewhere.register("visitor", "arrived", personal=("name",), subject="visitor_id")
class VisitorArrived(Event, frozen=True, kw_only=True):
    visitor_id: str
    name: str


class Arrivals(Projection):
    name = "kit_arrivals"
    sources = ("kitsource",)
    registries = {"kitsource": elsewhere}
    tables = ("kit_arrivals",)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        assert isinstance(event, VisitorArrived)
        await conn.execute("CREATE TABLE IF NOT EXISTS kit_arrivals (visitor_id text PRIMARY KEY, name text)")
        await conn.execute("INSERT INTO kit_arrivals VALUES ($1, $2) ON CONFLICT DO NOTHING", event.visitor_id,
                           event.name)


def create_app(settings: Settings) -> FastAPI:
    spec = ServiceSpec(name="kittest", title="Kit", registry=registry, routers=[router], projections=[Arrivals()])
    return create_service_app(spec, settings)


async def test_a_service_client_starts_the_app_with_a_token_of_its_roles_and_the_tests_clock(
        service_client: Callable[..., Any]) -> None:
    clock = FrozenClock(datetime(2025, 3, 31, 15, 59, tzinfo=UTC))  # 23:59 in the park
    c = await service_client(create_app, service="kittest", roles=("park_admin",), clock=clock)
    body = (await c.get("/now")).json()
    assert body == {"now": "2025-03-31T23:59:00+08:00", "today": "2025-03-31", "roles": ["park_admin"]}
    clock.advance(minutes=1)
    assert (await c.get("/now")).json()["today"] == "2025-04-01"
    assert c.runtime.now() == clock.now()
    anonymous = await service_client(create_app, service="kittest", settings=c.settings)
    assert "authorization" not in anonymous.headers
    assert (await anonymous.get("/now")).json()["roles"] == []


async def test_settings_for_gives_a_database_of_its_own_the_shared_nats_and_the_tests_prefix(
        settings_for: Callable[..., Any], nats_url: str, bus_prefix: str) -> None:
    one = await settings_for("kittest")
    two = await settings_for("kittest")
    assert one.database_url != two.database_url
    assert one.nats_url == nats_url and one.bus_prefix == bus_prefix == bus.current_prefix()
    assert one.jwt.secret and one.data_dir.is_dir()
    assert (await settings_for("kittest", timezone="UTC")).timezone == "UTC"


async def test_events_go_to_the_tests_own_stream_and_subjects_on_the_shared_nats(
        service_client: Callable[..., Any], nats_url: str, bus_prefix: str) -> None:
    c = await service_client(create_app, service="kittest", roles=("park_admin",))
    assert (await c.post("/ticks/t1")).status_code == 201
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()

        async def messages() -> int:
            try:
                return int((await js.stream_info(f"{bus_prefix.upper()}_KITTEST")).state.messages)
            except nats.js.errors.NotFoundError:
                return 0  # the relay makes the stream with its first publish, a moment after the append

        assert await eventually(messages) == 1
        sub = await js.pull_subscribe(f"{bus_prefix}.kittest.>", stream=f"{bus_prefix.upper()}_KITTEST")
        msg = (await sub.fetch(1, timeout=5))[0]
        assert msg.subject == f"{bus_prefix}.kittest.tick.noted"
        # Another prefix (another test) makes a stream of the same service without meeting this one.
        bus.use_prefix("tother")
        try:
            name = await bus.ensure_stream(js, "kittest")
            assert name == "TOTHER_KITTEST" and (await js.stream_info(name)).state.messages == 0
            await js.delete_stream(name)
        finally:
            bus.use_prefix(bus_prefix)
    finally:
        await nc.close()


def test_a_bus_prefix_is_a_plain_token() -> None:
    with pytest.raises(ValueError):
        bus.use_prefix("a.b")
    with pytest.raises(ValueError):
        bus.use_prefix("A")
    assert bus.current_prefix() == ""  # no NATS asked for, no prefix: names are the production ones
    assert bus.stream_name("events-public") == "EVENTS_PUBLIC" and bus.subject("x.y") == "x.y"


def test_the_service_of_a_create_app_is_read_from_its_package() -> None:
    def create_app() -> None: ...

    create_app.__module__ = "redpark_enterprise_support.app"
    assert service_name_of(create_app) == "enterprise-support"  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        service_name_of(globals()["create_app"])


async def test_eventually_returns_the_first_value_that_holds_and_fails_with_the_last_one() -> None:
    seen: list[int] = []

    async def read() -> int:
        seen.append(len(seen))
        return seen[-1]

    assert await eventually(read, lambda n: n >= 3, interval=0.001) == 3
    with pytest.raises(AssertionError, match="last: 7"):
        await eventually(lambda: 7, lambda n: n > 7, timeout=0.05, interval=0.01)

    calls = 0

    def not_yet() -> bool:
        nonlocal calls
        calls += 1
        assert calls >= 3, "not yet"
        return True

    assert await eventually(not_yet, interval=0.001) is True
    with pytest.raises(AssertionError, match="still not"):
        await eventually(lambda: (_ for _ in ()).throw(AssertionError("still not")), timeout=0.05, interval=0.01)
    started = asyncio.get_running_loop().time()
    with pytest.raises(AssertionError):
        await eventually(lambda: False, timeout=0.2, interval=0.05)
    assert asyncio.get_running_loop().time() - started < 1.0  # bounded


async def test_a_contract_feed_stands_in_for_another_service_on_the_tests_bus(
        service_client: Callable[..., Any], contract_feed: Callable[..., Any]) -> None:
    c = await service_client(create_app, service="kittest", roles=("park_admin",))
    feed = await contract_feed(elsewhere)
    await feed.append("visitor-v1", [VisitorArrived(visitor_id="v1", name="王芳")])
    last = await feed.append("visitor-v2", [VisitorArrived(visitor_id="v2", name="李明")])
    assert await c.runtime.runners["kit_arrivals"].wait_for("kitsource", last.position, timeout=30)
    rows = await c.runtime.pool.fetch("SELECT visitor_id, name FROM kit_arrivals ORDER BY visitor_id")
    assert [r["visitor_id"] for r in rows] == ["v1", "v2"]
    assert feed.service == "kitsource" and last.position > 1


def test_the_session_postgres_lives_outside_pytests_temporary_root(redpark_pg: PostgresServer) -> None:
    # Another pytest session on the machine narrows pytest-of-<user> to 0700; the server runs as its
    # own system user, so under that root it would lose its data folder mid-run.
    pytest_root = Path(tempfile.gettempdir()) / f"pytest-of-{getpass.getuser()}"
    assert not redpark_pg.folder.resolve().is_relative_to(pytest_root.resolve())
