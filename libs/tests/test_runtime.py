"""A whole (tiny) service on the shared runtime: command -> event -> relay -> projection -> query,
with read-your-writes and one trace from the HTTP request to the projection."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import asyncpg
import httpx
import msgspec
import pytest
from fastapi import APIRouter, FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from redpark_platform.clock import FrozenClock
from redpark_platform.decider import Decider, DomainError
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection, Reaction
from redpark_platform.runtime import RuntimeDep, ServiceSpec, create_service_app
from redpark_platform.servers import PostgresServer
from redpark_platform.settings import Settings
from redpark_platform.testkit import ServiceClient, eventually
from redpark_platform.testkit.services import run_service
from redpark_platform.web.bodies import Body, MsgspecResponse, response_schema
from redpark_platform.web.idempotency import Idempotent

registry = EventRegistry("tally")


@registry.register("tally", "counted")
class Counted(Event, frozen=True, kw_only=True):
    tally_id: str
    by: int
    at: datetime


class Count(msgspec.Struct, frozen=True, kw_only=True):
    by: int


class CountCommand(msgspec.Struct, frozen=True, kw_only=True):
    tally_id: str
    by: int
    now: datetime


def decide(cmd: CountCommand, total: int) -> list[Event]:
    if cmd.by <= 0:
        raise DomainError("tally.not_positive", "count by a positive number", detail_zh="必须为正数", field="by")
    return [Counted(tally_id=cmd.tally_id, by=cmd.by, at=cmd.now)]


def evolve(total: int, event: Event) -> int:
    assert isinstance(event, Counted)
    return total + event.by


tally = Decider(initial=0, decide=decide, evolve=evolve)


class Totals(Projection):
    name = "tally_totals"
    sources = ("tally",)
    registries = {"tally": registry}
    tables = ("tally_totals",)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        assert isinstance(event, Counted)
        await conn.execute(
            "INSERT INTO tally_totals VALUES ($1, $2) ON CONFLICT (tally_id)"
            " DO UPDATE SET total = tally_totals.total + excluded.total", event.tally_id, event.by)


class Accepted(msgspec.Struct, frozen=True, kw_only=True):
    position: int


class Total(msgspec.Struct, frozen=True, kw_only=True):
    tally_id: str
    total: int
    fresh: bool


router = APIRouter()


@router.post("/tallies/{tally_id}/counts", status_code=201, responses=response_schema(Accepted, status=201))
async def count(tally_id: str, body: Annotated[Count, Body(Count)], runtime: RuntimeDep) -> MsgspecResponse:
    res = await runtime.execute(f"tally-{tally_id}", tally,
                                CountCommand(tally_id=tally_id, by=body.by, now=datetime.now(UTC)))
    return MsgspecResponse(Accepted(position=res.position), status_code=201)


@router.get("/tallies/{tally_id}", responses=response_schema(Total))
async def read(tally_id: str, runtime: RuntimeDep, after: int = 0) -> MsgspecResponse:
    fresh = await runtime.wait_for("tally_totals", after, timeout=5)
    total = await runtime.pool.fetchval("SELECT total FROM tally_totals WHERE tally_id = $1", tally_id) or 0
    return MsgspecResponse(Total(tally_id=tally_id, total=total, fresh=fresh))


def tally_service(folder: Path, routes: APIRouter, *extra: Projection) -> Callable[[Settings], FastAPI]:
    """The tally service with `routes`, its read model's table created by its own migration."""
    migrations = folder / "sql"
    migrations.mkdir(exist_ok=True)
    (migrations / "0001_totals.sql").write_text(
        "CREATE TABLE tally_totals (tally_id text PRIMARY KEY, total bigint NOT NULL);")

    def create_app(settings: Settings) -> FastAPI:
        spec = ServiceSpec(name="tally", title="Tally", registry=registry, migrations=migrations,
                           projections=[Totals(), *extra], routers=[routes])
        return create_service_app(spec, settings)

    return create_app


@pytest.fixture
async def client(service_client: Callable[..., Awaitable[ServiceClient]], tmp_path: Path) -> ServiceClient:
    return await service_client(tally_service(tmp_path, router), service="tally")


async def test_a_command_returns_its_position_and_a_query_after_it_sees_the_write(client: httpx.AsyncClient) -> None:
    positions = []
    for by in (3, 4, 5):
        r = await client.post("/tallies/x/counts", json={"by": by})
        assert r.status_code == 201, r.text
        positions.append(r.json()["position"])
    assert positions == sorted(positions)
    r = await client.get("/tallies/x", params={"after": positions[-1]})
    assert r.json() == {"tally_id": "x", "total": 12, "fresh": True}


async def test_a_refused_command_is_problem_json_naming_the_field_and_stores_nothing(
    client: httpx.AsyncClient,
) -> None:
    r = await client.post("/tallies/y/counts", json={"by": -1})
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "tally.not_positive" and body["detail_zh"] == "必须为正数"
    assert [e["field"] for e in body["errors"]] == ["by"]
    r = await client.post("/tallies/y/counts", json={"by": "many"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["by"]
    ok = await client.post("/tallies/y/counts", json={"by": 2})
    r = await client.get("/tallies/y", params={"after": ok.json()["position"]})
    assert r.json()["total"] == 2


async def test_a_command_while_the_database_restarts_is_a_503_to_retry_not_a_500(
        tmp_path: Path, settings_for: Callable[..., Awaitable[Settings]]) -> None:
    # Found by the fault suite (tests/faults): a fast shutdown of PostgreSQL answered registrations 500.
    pg = await asyncio.to_thread(PostgresServer(tmp_path / "pg", durable=False).start)
    try:
        dsn = await asyncio.to_thread(pg.create_owned_database, "tally")
        settings = await settings_for("tally", database_url=dsn)
        async with run_service(tally_service(tmp_path, router), settings) as client:
            assert (await client.post("/tallies/t/counts", json={"by": 1})).status_code == 201
            await asyncio.to_thread(pg.stop)
            down = await client.post("/tallies/t/counts", json={"by": 2})
            assert down.status_code == 503, down.text
            assert down.headers["content-type"].startswith("application/problem+json")
            assert down.json()["code"] == "service.unavailable" and down.headers["Retry-After"] == "2"
            await asyncio.to_thread(pg.start)
            back = await eventually(lambda: client.post("/tallies/t/counts", json={"by": 3}),
                                    lambda r: r.status_code != 503)
            assert back.status_code == 201, back.text
            total = await eventually(lambda: client.get("/tallies/t", params={"after": back.json()["position"]}),
                                     lambda r: r.json()["fresh"])
            assert total.json()["total"] == 4  # the refused count of 2 was never stored
    finally:
        await asyncio.to_thread(pg.stop)


async def test_readiness_reports_postgres_nats_and_projection_lag(client: httpx.AsyncClient) -> None:
    import asyncio

    r = await client.get("/readyz")
    for _ in range(100):  # NATS connects in the background; commands never wait for it
        if r.status_code == 200 and "'tally': 0" in r.text:  # consumer created, nothing pending
            break
        if r.status_code == 503:
            assert r.headers["content-type"].startswith("application/problem+json")
        await asyncio.sleep(0.1)
        r = await client.get("/readyz")
    assert r.status_code == 200, r.text
    checks = {c["name"]: c for c in r.json()["checks"]}
    assert set(checks) == {"postgresql", "nats", "projections"}
    assert all(c["ok"] for c in checks.values())
    assert "tally_totals pending={'tally': 0}" in checks["projections"]["detail"]
    assert (await client.get("/healthz")).status_code == 200


async def test_one_trace_runs_from_the_http_request_through_append_publish_and_projection(
    client: httpx.AsyncClient,
) -> None:
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    r = await client.post("/tallies/z/counts", json={"by": 1},
                          headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"})
    await client.get("/tallies/z", params={"after": r.json()["position"]})
    spans = {s.name: format(s.context.trace_id, "032x") for s in exporter.get_finished_spans()}
    exporter.shutdown()
    assert spans["eventstore.append"] == trace_id
    assert spans["relay.publish"] == trace_id
    assert spans["projection.tally_totals"] == trace_id


async def test_idempotency_keys_are_kept_a_day_then_purged_by_the_runtimes_housekeeping(
    service_client: Callable[..., Awaitable[ServiceClient]], tmp_path: Path
) -> None:
    """A retry within a day replays the first answer; after a day the key is gone from the table
    (it used to be kept for ever) and the same key acts afresh."""
    clock = FrozenClock(datetime.now(UTC))
    client = await service_client(tally_service(tmp_path, idempotent_router), service="tally", clock=clock)
    runtime = client.runtime
    key = {"Idempotency-Key": "count-once"}
    first = await client.post("/tallies/y/counts", json={"by": 2}, headers=key)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers

    clock.advance(hours=23)
    await runtime.housekeep()
    assert await runtime.pool.fetchval("SELECT count(*) FROM idempotency_keys") == 1
    retried = await client.post("/tallies/y/counts", json={"by": 2}, headers=key)
    assert retried.headers.get("Idempotent-Replayed") == "true" and retried.json() == first.json()

    clock.advance(hours=2)
    await runtime.housekeep()
    assert await runtime.pool.fetchval("SELECT count(*) FROM idempotency_keys") == 0
    again = await client.post("/tallies/y/counts", json={"by": 2}, headers=key)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert again.json()["position"] > first.json()["position"]


idempotent_router = APIRouter()
idempotent_router.add_api_route("/tallies/{tally_id}/counts", count, methods=["POST"], status_code=201,
                                dependencies=[Idempotent], responses=response_schema(Accepted, status=201))


async def test_an_after_beyond_the_stores_last_position_is_a_400_at_once(client: httpx.AsyncClient) -> None:
    """`after=10^15` used to make each read poll for the whole bound through the pool commands need."""
    r = await client.post("/tallies/z/counts", json={"by": 1})
    position = r.json()["position"]
    assert (await client.get("/tallies/z", params={"after": position})).json()["fresh"] is True
    far = await client.get("/tallies/z", params={"after": 10**15})
    assert far.status_code == 400, far.text
    assert far.json()["code"] == "read.after_in_future" and far.json()["errors"][0]["field"] == "after"


class EchoSevens(Reaction):
    """Answers every count by 7 with a count by 1 on the echo stream; fails once after issuing it."""

    name = "tally_echo"
    sources = ("tally",)
    registries = {"tally": registry}
    failures_left = 1

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        assert isinstance(event, Counted)
        if event.by != 7 or event.tally_id == "echo":
            return
        await self.runtime.execute("tally-echo", tally, CountCommand(tally_id="echo", by=1, now=datetime.now(UTC)))
        if EchoSevens.failures_left:
            EchoSevens.failures_left -= 1
            raise RuntimeError("the reaction fails after its command, before its checkpoint")


async def test_a_reactions_command_commits_with_its_checkpoint_or_not_at_all(
    service_client: Callable[..., Awaitable[ServiceClient]], tmp_path: Path
) -> None:
    """Before, the command committed on its own: the failed attempt left an echo behind and the
    retry added a second one (a non-idempotent answer applied twice)."""
    EchoSevens.failures_left = 1
    client = await service_client(tally_service(tmp_path, router, EchoSevens()), service="tally")
    counted = (await client.post("/tallies/x/counts", json={"by": 7})).json()["position"]
    runner = client.runtime.runners["tally_echo"]
    await eventually(lambda: runner.position("tally"), lambda p: p >= counted, timeout=20)
    echoes = (await client.runtime.store.read_stream("tally-echo")).events
    assert EchoSevens.failures_left == 0  # it did fail once
    assert [e.event.by for e in echoes] == [1]
