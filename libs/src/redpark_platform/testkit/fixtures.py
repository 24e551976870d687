"""pytest fixtures (registered as the `redpark` plugin): real servers, started by the test run.

One PostgreSQL and one NATS per test session, on free loopback ports in a temporary folder;
every test gets its own database. Tests that stop and restart NATS take their own server from
`nats_factory`. Nothing here ever touches servers the machine may already run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from ..servers import NatsServer, PostgresServer


@pytest.fixture(scope="session")
def redpark_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    server = PostgresServer(tmp_path_factory.mktemp("pg"), durable=os.environ.get("REDPARK_TEST_DURABLE") == "1")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redpark_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path_factory.mktemp("nats"), sync_always=False).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def nats_url(redpark_nats: NatsServer) -> str:
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


async def _create_database(admin_dsn: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


@pytest.fixture
def anew_database(redpark_pg: PostgresServer) -> Callable[[str], object]:
    """Create a fresh database and return its DSN: `dsn = await anew_database("org")`."""

    async def make(label: str = "t") -> str:
        name = f"{label}_{uuid.uuid4().hex[:12]}"
        await _create_database(redpark_pg.dsn(), name)
        return redpark_pg.dsn(name)

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


# Browser tests (Playwright driving the machine's Chromium); playwright is imported only when used.
from .browser import browser, new_page, screenshot  # noqa: E402,F401

# A receiving system for outbound-webhook tests.
from .webhooks import webhook_receiver  # noqa: E402,F401
