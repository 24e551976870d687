"""The service edge: a command answers `Accepted` with its position, a read after it waits for its
read models (read your own writes), and routes find the application layer by type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import msgspec
import pytest
from fastapi import APIRouter, FastAPI

from redpark_platform.decider import Decider
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection
from redpark_platform.runtime import ApplicationLayer, CannotWait, Runtime, ServiceSpec, create_service_app
from redpark_platform.settings import Settings
from redpark_platform.store import AppendResult
from redpark_platform.web.bodies import MsgspecResponse
from redpark_platform.web.edge import Accepted, ReadYourWrites, accepted, layer_of

registry = EventRegistry("edgetest")
elsewhere = EventRegistry("elsewhere")


@registry.register("shelf", "stocked")
class Stocked(Event, frozen=True, kw_only=True):
    shelf_id: str
    items: int
    at: datetime


class Stock(msgspec.Struct, frozen=True, kw_only=True):
    shelf_id: str
    items: int
    now: datetime


def decide(cmd: Stock, _state: int) -> list[Event]:
    return [Stocked(shelf_id=cmd.shelf_id, items=cmd.items, at=cmd.now)]


shelf = Decider(initial=0, decide=decide, evolve=lambda total, e: total + e.items)


class Shelves(Projection):
    name = "shelves"
    sources = ("edgetest",)
    registries = {"edgetest": registry}
    tables = ("shelves",)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        assert isinstance(event, Stocked)
        await conn.execute("INSERT INTO shelves VALUES ($1, $2) ON CONFLICT (shelf_id)"
                           " DO UPDATE SET items = shelves.items + excluded.items", event.shelf_id, event.items)


class Rumours(Projection):
    """Reads another service only: it can never show a write of this one."""

    name = "rumours"
    sources = ("elsewhere",)
    registries = {"elsewhere": elsewhere}

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        raise AssertionError("nothing is published to it")


@dataclass
class Shop(ApplicationLayer):
    async def stock(self, shelf_id: str, items: int) -> AppendResult:
        return await self._execute(f"shelf-{shelf_id}", shelf, Stock(shelf_id=shelf_id, items=items, now=self.now()))

    async def items(self, shelf_id: str) -> int:
        return int(await self.pool.fetchval("SELECT items FROM shelves WHERE shelf_id = $1", shelf_id) or 0)


ShopDep = layer_of(Shop)
router = APIRouter()


@router.post("/shelves/{shelf_id}", status_code=201)
async def stock(shelf_id: str, shop: ShopDep, items: int = 1) -> MsgspecResponse:
    return accepted(await shop.stock(shelf_id, items), shelf_id, status=201)


@router.get("/shelves/{shelf_id}")
async def read(shelf_id: str, shop: ShopDep, fresh: Annotated[bool, ReadYourWrites("shelves")]) -> MsgspecResponse:
    return MsgspecResponse({"items": await shop.items(shelf_id), "fresh": fresh})


@router.get("/rumours", dependencies=[ReadYourWrites("rumours")])
async def rumours() -> MsgspecResponse:
    return MsgspecResponse([])


async def attach(runtime: Runtime) -> None:
    Shop.attach(runtime)


def app_factory(tmp_path: Path) -> Callable[[Settings], FastAPI]:
    sql = tmp_path / "edge-sql"
    sql.mkdir(exist_ok=True)
    (sql / "0001_shelves.sql").write_text("CREATE TABLE shelves (shelf_id text PRIMARY KEY, items int NOT NULL);")

    def create_app(settings: Settings) -> FastAPI:
        spec = ServiceSpec(name="edgetest", title="Edge", registry=registry, migrations=sql,
                           projections=[Shelves(), Rumours()], routers=[router], on_start=(attach,))
        return create_service_app(spec, settings)

    return create_app


async def test_a_read_after_a_command_sees_it_and_the_layer_is_found_by_type(
        service_client: Callable[..., Any], tmp_path: Path) -> None:
    c = await service_client(app_factory(tmp_path), service="edgetest", roles=("park_admin",))
    last = None
    for n in (3, 4, 5):
        r = await c.post("/shelves/s1", params={"items": n})
        assert r.status_code == 201
        last = msgspec.convert(r.json(), Accepted)
        assert last.id == "s1" and last.position > 0
    assert last is not None
    # Right after the write, with its position: the read model has applied it.
    assert (await c.get("/shelves/s1", params={"after": last.position})).json() == {"items": 12, "fresh": True}
    assert c.runtime.layer(Shop) is c.runtime.layer(ApplicationLayer)
    assert c.runtime.extras == {}  # no string keys: a layer without extras_key lives in `layers` only


async def test_read_your_writes_on_a_read_model_of_other_services_is_a_wiring_error_not_a_silent_pass(
        service_client: Callable[..., Any], tmp_path: Path) -> None:
    c = await service_client(app_factory(tmp_path), service="edgetest", roles=("park_admin",))
    # A wiring mistake, shown on the first request (with or without `after`) as the bug it is.
    assert (await c.get("/rumours", params={"after": 1})).status_code == 500
    assert (await c.get("/rumours")).status_code == 500
    with pytest.raises(CannotWait):
        await c.runtime.wait_for("rumours", 1, strict=True)
    with pytest.raises(CannotWait, match="no projection"):
        await c.runtime.wait_for("nothing", 1)
    # Strict is the default now that every service waits only where it can.
    with pytest.raises(CannotWait):
        await c.runtime.wait_for("rumours", 1)


async def test_a_read_that_cannot_catch_up_in_time_says_so(service_client: Callable[..., Any], tmp_path: Path) -> None:
    c = await service_client(app_factory(tmp_path), service="edgetest", roles=("park_admin",))
    await c.runtime.runners["shelves"].stop()  # the read model stops moving: a write it will not reach in time
    written = (await c.post("/shelves/s2")).json()["position"]
    assert (await c.get("/shelves/s2", params={"after": written})).json()["fresh"] is False
    # A position the store never handed out is refused at once rather than waited for.
    far = await c.get("/shelves/s2", params={"after": written + 1000})
    assert far.status_code == 400 and far.json()["errors"][0]["field"] == "after"


def test_a_layer_not_attached_is_named() -> None:
    runtime = Runtime.__new__(Runtime)
    runtime.layers = {}
    runtime.spec = ServiceSpec(name="edgetest", title="Edge", registry=registry)
    with pytest.raises(LookupError, match="no Shop attached"):
        runtime.layer(Shop)
