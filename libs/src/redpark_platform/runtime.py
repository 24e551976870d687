"""The composition every service shares: pool, migrations, store, relay, projections, HTTP app.

A service's `app.py` builds a `ServiceSpec` and calls `create_service_app(spec)`; that is its
composition root. Everything starts in the app's lifespan, never at import time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

import asyncpg
from fastapi import APIRouter, Depends, FastAPI, Request

from .bus import use_prefix
from .calendar import park_date
from .clock import Clock, SystemClock
from .db import create_pool, migrate
from .decider import Decider, run_decider
from .errors import DomainError
from .events import EventRegistry
from .figures import sample
from .projections import Projection, ProjectionRunner, Reaction, reaction_transaction
from .relay import Relay
from .settings import Settings
from .store import AppendResult, EventStore
from .web.idempotency import purge_expired
from .web.proof_of_work import purge_spent

log = logging.getLogger("redpark.runtime")
# Housekeeping is about days-old rows: every ten minutes is plenty and costs nothing.
HOUSEKEEPING_INTERVAL_S = 600.0

C = TypeVar("C")
S = TypeVar("S")
E = TypeVar("E")
L = TypeVar("L")


class CannotWait(LookupError):
    """Read-your-writes asked of a read model that can never show this service's writes (it does
    not read this service's events): waiting would prove nothing, so it is a wiring mistake."""


@dataclass
class ServiceSpec:
    name: str
    title: str
    registry: EventRegistry
    migrations: Path | None = None
    projections: Sequence[Projection] = ()
    routers: Sequence[APIRouter] = ()
    # Extra start/stop work of the service (e.g. per-session writers), run after the runtime is up.
    on_start: Sequence[Callable[[Runtime], Awaitable[None]]] = ()
    on_stop: Sequence[Callable[[Runtime], Awaitable[None]]] = ()
    # The service's own periodic chores, run with the runtime's housekeeping (by its clock).
    housekeeping: Sequence[Callable[[Runtime], Awaitable[None]]] = ()
    version: str = "0.1.0"
    # For a service that knows the public by phone only: the ids of the people a phone names, so
    # `POST /privacy/erasures` can be given a phone (see redpark_platform.privacy).
    phone_lookup: Callable[[Runtime, str], Awaitable[list[str]]] | None = None


@dataclass
class Runtime:
    spec: ServiceSpec
    settings: Settings
    pool: asyncpg.Pool
    store: EventStore
    relay: Relay
    runners: dict[str, ProjectionRunner]
    extras: dict[str, Any] = field(default_factory=dict)
    # The service's application layers by type (see `layer`): what the routes call.
    layers: dict[type, Any] = field(default_factory=dict)
    # What "now" is: the system's, or a test's FrozenClock (see redpark_platform.clock).
    clock: Clock = field(default_factory=SystemClock)
    _relay_task: asyncio.Task[None] | None = None
    _housekeeping_task: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, spec: ServiceSpec, settings: Settings, clock: Clock | None = None) -> Runtime:
        if settings.bus_prefix is not None:
            use_prefix(settings.bus_prefix)
        pool = await create_pool(settings.database_url, max_size=20)
        try:
            folders = [spec.migrations] if spec.migrations else []
            await migrate(pool, *folders, prefix=spec.name)
        except BaseException:
            await pool.close()
            raise
        store = EventStore(pool, spec.registry)
        relay = Relay(store, settings.nats_url, dsn=settings.database_url, stream_replicas=settings.stream_replicas)
        runners = {
            p.name: ProjectionRunner(p, pool, settings.nats_url, service=spec.name,
                                     stream_replicas=settings.stream_replicas)
            for p in spec.projections
        }
        return cls(spec=spec, settings=settings, pool=pool, store=store, relay=relay, runners=runners,
                   clock=clock or SystemClock())

    async def start(self) -> None:
        for projection in self.spec.projections:
            if isinstance(projection, Reaction):
                projection.attach(self)
        self._relay_task = asyncio.create_task(self.relay.run(), name=f"relay-{self.spec.name}")
        for runner in self.runners.values():
            await runner.start()
        for hook in self.spec.on_start:
            await hook(self)
        self._housekeeping_task = asyncio.create_task(self._housekeeping(), name=f"housekeeping-{self.spec.name}")

    async def housekeep(self) -> None:
        """Periodic chores that keep tables from growing without bound; by the runtime's clock, so a
        test that advances its clock sees what a day later looks like."""
        await purge_expired(self.pool, self.clock.now())
        await purge_spent(self.pool, self.clock.now())
        for chore in self.spec.housekeeping:
            await chore(self)

    async def _housekeeping(self) -> None:
        while True:
            try:
                await self.housekeep()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - a chore that fails now is tried again next round
                log.warning("housekeeping failed: %s", type(exc).__name__)
            await asyncio.sleep(HOUSEKEEPING_INTERVAL_S)

    async def close(self) -> None:
        if self._housekeeping_task is not None:
            self._housekeeping_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._housekeeping_task
        for hook in self.spec.on_stop:
            with contextlib.suppress(Exception):
                await hook(self)
        for runner in self.runners.values():
            await runner.stop()
        self.relay.stop()
        if self._relay_task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._relay_task, 10)
        await self.store.close()
        await self.pool.close()

    async def execute(self, stream_id: str, decider: Decider[C, S, E], command: C) -> AppendResult:
        conn = reaction_transaction.get()
        if conn is None:
            return await run_decider(self.store, stream_id, decider, command)
        # Issued by a reaction: in its transaction, so it commits with the reaction's checkpoint.
        return await run_decider(self.store, stream_id, decider, command, conn=conn)

    def now(self) -> datetime:
        """The park's clock: this instant (from `clock`) in the park's time zone (`Settings.timezone`).
        Commands carry it as `now`, so the domain reads the park's date from the data it is given."""
        return self.clock.now().astimezone(self.settings.zone)

    def today(self) -> date:
        """Today in the park."""
        return park_date(self.now())

    async def state(self, stream_id: str, decider: Decider[Any, S, Any]) -> S:
        """A stream's current state: its events folded by `decider` (strongly consistent)."""
        read = await self.store.read_stream(stream_id)
        return decider.fold([e.event for e in read.events])

    async def wait_for(self, projection: str, position: int | None, timeout: float = 2.0, *,
                       strict: bool = True) -> bool:
        """Read-your-writes for the service's own events (bounded; False when it timed out).

        A read model of other services' events can never show this one's writes: asking it raises
        `CannotWait` (wait for a position of its source instead). `strict=False` answers True at
        once there; no service uses it any more."""
        runner = self.runners.get(projection)
        if runner is None:
            raise CannotWait(f"{self.spec.name} has no projection {projection!r}")
        if self.spec.name not in runner.projection.sources:
            if strict:
                raise CannotWait(f"projection {projection!r} does not read {self.spec.name}'s events, so it cannot "
                                 "show a write of this service; wait for a position of its sources instead")
            return True
        if not position:
            return True
        if await runner.position(self.spec.name) >= position:
            return True
        if position > await self.store.position_ceiling():
            # Waiting for a position the store never handed out would hold a pooled connection
            # polling for the whole bound: a client's typo, or a way to tie the pool up.
            raise DomainError("read.after_in_future", f"after={position} is beyond the last position this "
                              "service has handed out", detail_zh="参数 after 超出了已有的位置", field="after",
                              status=400)
        return await runner.wait_for(self.spec.name, position, timeout)

    async def wait_for_all(self, projections: Sequence[str], position: int | None, timeout: float = 2.0, *,
                           strict: bool = True) -> bool:
        """`wait_for` on several read models at once, within one bound (not one bound each)."""
        done = await asyncio.gather(*(self.wait_for(name, position, timeout, strict=strict) for name in projections))
        return all(done)

    def add_layer(self, layer: object) -> None:
        self.layers[type(layer)] = layer

    def layer(self, kind: type[L]) -> L:
        """The application layer of type `kind` (or a subclass of it), as attached at start."""
        found = self.layers.get(kind)
        if found is None:
            found = next((layer for layer in self.layers.values() if isinstance(layer, kind)), None)
        if found is None:
            raise LookupError(f"no {kind.__name__} attached to the {self.spec.name} runtime; attach it in on_start")
        return found

    async def check_postgres(self) -> tuple[str, bool, str]:
        await self.pool.fetchval("SELECT 1")
        return ("postgresql", True, "ok")

    async def check_nats(self) -> tuple[str, bool, str]:
        nc = self.relay._nc
        ok = nc is not None and nc.is_connected
        return ("nats", ok, "connected" if ok else "not connected; events wait in the store")

    async def check_projections(self) -> tuple[str, bool, str]:
        """Each projection's lag in messages, the read models waiting for an upgrade and the dead
        letters not yet replayed (figures for operators; they never block readiness: the service
        answers, only those read models are behind)."""
        parts = []
        for runner in self.runners.values():
            lag = await runner.lag()
            parts.append(f"{lag['projection']} pending={lag['pending']}")
            parts += [f"{runner.durable} waiting for an upgrade: {p.describe()}" for p in runner.parked.values()]
        open_letters = await self.pool.fetchval(
            "SELECT count(*) FROM projection_dead_letters WHERE replayed_at IS NULL")
        if open_letters:
            parts.append(f"dead letters: {open_letters} (GET /ops/dead-letters)")
        return ("projections", True, "; ".join(parts) or "none")


@dataclass
class ApplicationLayer:
    """Base of a service's application layer (what its routes call), kept on the runtime by
    `attach` (found with `runtime.layer(cls)`, or `web.edge.layer_of(cls)` in a route; also in
    `runtime.extras[extras_key]` while services migrate): the clock, stream states and command
    execution every layer needs, written once."""

    runtime: Runtime
    extras_key: ClassVar[str] = ""

    @classmethod
    def attach(cls, runtime: Runtime) -> Any:
        app = cls(runtime=runtime)
        runtime.add_layer(app)
        if cls.extras_key:
            runtime.extras[cls.extras_key] = app
        return app

    @property
    def pool(self) -> asyncpg.Pool:
        return self.runtime.pool

    def now(self) -> datetime:
        return self.runtime.now()

    def today(self) -> date:
        return self.runtime.today()

    async def _state(self, stream_id: str, decider: Decider[Any, Any, Any]) -> Any:
        return await self.runtime.state(stream_id, decider)

    async def _execute(self, stream_id: str, decider: Decider[Any, Any, Any], command: Any) -> AppendResult:
        return await self.runtime.execute(stream_id, decider, command)


async def get_runtime(request: Request) -> Runtime:
    # async on purpose: FastAPI runs a plain def dependency in a worker thread, a hop per request.
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def create_service_app(spec: ServiceSpec, settings: Settings | None = None) -> FastAPI:
    from .web.app import create_app

    cfg = settings or Settings.from_env(spec.name)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A test may set `app.state.clock` before the app starts (the test kit's service_client does).
        runtime = await Runtime.open(spec, cfg, getattr(app.state, "clock", None))
        app.state.runtime = runtime
        app.state.pool = runtime.pool
        app.state.settings = cfg
        metrics = app.state.metrics
        runtime.store.on_append = metrics.appended
        metrics.sample_with(lambda: sample(runtime))
        try:
            await runtime.start()
            yield
        finally:
            metrics.sample_with(None)
            await runtime.close()

    def check(name: str) -> Callable[[], Awaitable[tuple[str, bool, str]]]:
        async def run() -> tuple[str, bool, str]:
            runtime: Runtime | None = getattr(app.state, "runtime", None)
            if runtime is None:
                return (name, False, "starting")
            result: tuple[str, bool, str] = await getattr(runtime, f"check_{name}")()
            return result

        run.__name__ = name
        return run

    from .ops import router as ops_router  # the operators' routes every service shares
    from .privacy import router as privacy_router

    app = create_app(
        service=spec.name, title=spec.title, version=spec.version,
        routers=[*spec.routers, ops_router(), privacy_router()],
        lifespan=lifespan,
        ready_checks=[check("postgres"), check("nats"), check("projections")],
    )
    app.state.spec = spec  # what tools read without starting the service (e.g. `verify`)
    return app
