"""PostgreSQL pools and migrations: the platform's SQL first, then the service's own."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import asyncpg

PLATFORM_SQL = resources.files("redpark_platform") / "sql"


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Skip asyncpg's reset query on release: it costs a round trip on every pooled query, and
    nothing here leaves session state behind (no session advisory locks, no SET, LISTEN only on
    dedicated connections)."""


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 20) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(dsn, min_size=min_size, max_size=max_size, reset=_keep_session)
    assert pool is not None
    return pool


def _sql_files(folder: object) -> list[tuple[str, str]]:
    entries = sorted((p for p in folder.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name)  # type: ignore[attr-defined]
    return [(p.name, p.read_text(encoding="utf-8")) for p in entries]


async def migrate(pool: asyncpg.Pool, *folders: Path | object, prefix: str = "service") -> list[str]:
    """Apply the platform's migrations and then those in `folders`, each once, in name order.

    A transaction-scoped advisory lock lets several processes of one service start together.
    """
    applied: list[str] = []
    plan = [("platform", name, sql) for name, sql in _sql_files(PLATFORM_SQL)]
    for folder in folders:
        plan += [(prefix, name, sql) for name, sql in _sql_files(folder)]
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(7201)")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " scope text, name text, applied_at timestamptz NOT NULL DEFAULT now(),"
            " PRIMARY KEY (scope, name))")
        done = {(r["scope"], r["name"]) for r in await conn.fetch("SELECT scope, name FROM schema_migrations")}
        for scope, name, sql in plan:
            if (scope, name) in done:
                continue
            await conn.execute(sql)
            await conn.execute("INSERT INTO schema_migrations (scope, name) VALUES ($1, $2)", scope, name)
            applied.append(f"{scope}/{name}")
    return applied
