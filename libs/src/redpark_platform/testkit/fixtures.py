"""pytest fixtures (registered as the `redpark` plugin): real servers, started by the test run.

One PostgreSQL and one NATS per test session, on free loopback ports in a temporary folder;
every test gets its own database, and its own bus prefix on the shared NATS (`bus_prefix`, taken
by `nats_url`), so streams of the same name in two tests never meet. Tests that stop and restart
NATS take their own server from `nats_factory`. Nothing here ever touches servers the machine
may already run.

    async def test_x(service_client):
        c = await service_client(create_app, roles=("park_admin",))
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from .. import bus
from ..clock import Clock
from ..credentials import with_user
from ..events import EventRegistry
from ..servers import LOOPBACK, NatsServer, PostgresServer, provision_database
from ..settings import Settings
from .contracts import ContractFeed, open_feed
from .services import ServiceClient, run_service, service_name_of, test_settings


@pytest.fixture(scope="session")
def redpark_pg() -> Iterator[PostgresServer]:
    # Not under pytest's temporary root: any other pytest session on the machine narrows that root
    # to mode 0700, and this server runs as its own system user, which then cannot reach its data
    # (a PANIC at its next checkpoint, and every later test's connection refused).
    folder = Path(tempfile.mkdtemp(prefix="redpark-test-pg-"))
    server = PostgresServer(folder / "pg", durable=os.environ.get("REDPARK_TEST_DURABLE") == "1")
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def redpark_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path_factory.mktemp("nats"), sync_always=False).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def bus_prefix() -> Iterator[str]:
    """This test's streams and subjects on the shared NATS: `t<12 hex>` (see `bus.use_prefix`)."""
    prefix = f"t{uuid.uuid4().hex[:12]}"
    bus.use_prefix(prefix)
    try:
        yield prefix
    finally:
        bus.use_prefix("")


@pytest.fixture
def nats_url(redpark_nats: NatsServer, bus_prefix: str) -> str:
    return redpark_nats.url


@pytest.fixture
def nats_factory(tmp_path: Path) -> Iterator[Callable[[], NatsServer]]:
    """Start dedicated NATS servers (for tests that stop, kill or restart them)."""
    started: list[NatsServer] = []

    def make() -> NatsServer:
        server = NatsServer(tmp_path / f"nats{len(started)}", sync_always=False).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def anew_database(redpark_pg: PostgresServer) -> Callable[[str], object]:
    """Create a fresh database and return its DSN: `dsn = await anew_database("org")`.

    As in production, the DSN is that of a login role owning this database alone (not the
    superuser's), with a SCRAM password: what works here works under `up`."""

    async def make(label: str = "t") -> str:
        name = f"{label}_{uuid.uuid4().hex[:12]}"
        password = secrets.token_urlsafe(18)
        await provision_database(redpark_pg.dsn(), name, password)
        return with_user(f"postgresql://{LOOPBACK}:{redpark_pg.port}/{name}", name, password)

    return make


@pytest.fixture
async def pg_dsn(anew_database: Callable[[str], object]) -> str:
    return await anew_database("t")  # type: ignore[misc,no-any-return]


@pytest.fixture
async def pg_pool(pg_dsn: str) -> AsyncIterator[object]:
    from ..db import create_pool, migrate

    pool = await create_pool(pg_dsn, min_size=1, max_size=40)
    await migrate(pool)
    try:
        yield pool
    finally:
        await pool.close()


@pytest.fixture
def settings_for(anew_database: Callable[[str], Awaitable[str]], nats_url: str, bus_prefix: str,
                 tmp_path: Path) -> Callable[..., Awaitable[Settings]]:
    """`settings = await settings_for("organization")`: a new database, the shared NATS under this
    test's prefix, a data folder of its own, the test JWT secret. Keywords override (e.g.
    `nats_url=nats_factory().url` for a test that kills NATS)."""

    async def make(service: str, **overrides: Any) -> Settings:
        label = service.replace("-", "_")
        options: dict[str, Any] = {"nats_url": nats_url, "bus_prefix": bus_prefix,
                                   "data_dir": tmp_path / label, **overrides}
        if "database_url" not in options:
            options["database_url"] = await anew_database(label)
        options["data_dir"].mkdir(parents=True, exist_ok=True)
        return test_settings(service, **options)

    return make


@pytest.fixture
async def service_client(settings_for: Callable[..., Awaitable[Settings]]
                         ) -> AsyncIterator[Callable[..., Awaitable[ServiceClient]]]:
    """`c = await service_client(create_app, roles=("park_admin",))`: the service's app with its
    lifespan started (stopped after the test) and a client with a token of `roles`. Pass
    `settings=` to start a second app on the same database, or `service=` when the app's package
    is not `redpark_<service>`, `clock=FrozenClock(...)` to set the runtime's now."""
    async with contextlib.AsyncExitStack() as stack:

        async def make(create_app: Callable[[Settings], Any], *, roles: Sequence[str] = (),
                       branch_id: str | None = None, service: str | None = None,
                       settings: Settings | None = None, clock: Clock | None = None,
                       **overrides: Any) -> ServiceClient:
            if settings is None:
                settings = await settings_for(service or service_name_of(create_app), **overrides)
            return await stack.enter_async_context(run_service(create_app, settings, roles, branch_id, clock))

        yield make


@pytest.fixture
async def contract_feed(anew_database: Callable[[str], Awaitable[str]], nats_url: str
                        ) -> AsyncIterator[Callable[[EventRegistry], Awaitable[ContractFeed]]]:
    """`feed = await contract_feed(other.registry)`: another service's events on the test's bus,
    from its published contract alone (see `redpark_platform.testkit.contracts`)."""
    feeds: list[ContractFeed] = []

    async def make(registry: EventRegistry) -> ContractFeed:
        feed = await open_feed(registry, await anew_database(registry.service.replace("-", "_") + "_feed"), nats_url)
        feeds.append(feed)
        return feed

    yield make
    for feed in reversed(feeds):
        await feed.close()


# Browser tests (Playwright driving the machine's Chromium); playwright is imported only when used.
from .browser import browser, new_page, screenshot  # noqa: E402,F401

# The notification stand-ins (SMS gateway, WeCom robot, SMTP) for notification tests.
from .notify import notify_standins  # noqa: E402,F401

# A receiving system for outbound-webhook tests.
from .webhooks import webhook_receiver  # noqa: E402,F401
