"""The servers the test run starts: a port taken by someone else between choosing it and binding it
is given up for another, never when the caller insisted on that port."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from redpark_platform import servers
from redpark_platform.servers import NatsServer, PostgresServer


@pytest.fixture
def taken_port() -> Iterator[int]:
    # Bound, not listening: nobody answers on it (a listener would answer the server's own
    # readiness probe), but no one else can bind it.
    with socket.socket() as holder:
        holder.bind((servers.LOOPBACK, 0))
        yield int(holder.getsockname()[1])


def test_a_nats_that_lost_its_chosen_port_starts_on_another(
        taken_port: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = servers.free_port
    offered = iter([taken_port])
    monkeypatch.setattr(servers, "free_port", lambda: next(offered, None) or real())
    server = NatsServer(tmp_path / "nats", sync_always=False).start()
    try:
        assert server.port != taken_port
        with socket.create_connection((servers.LOOPBACK, server.port), timeout=2):
            pass
    finally:
        server.stop()


def test_a_nats_asked_for_a_taken_port_fails_rather_than_moving(taken_port: int, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="exited"):
        NatsServer(tmp_path / "nats", port=taken_port, sync_always=False).start(timeout=10)


def test_a_postgres_data_folder_made_before_credentials_is_closed_and_handed_to_its_roles(tmp_path: Path) -> None:
    """A `.redpark` from before passwords (initdb --auth=trust, tables owned by the superuser):
    its next start asks everyone for a password, and the service's role takes over its tables."""
    import asyncio
    import subprocess

    import asyncpg

    folder = tmp_path / "pg"
    folder.mkdir()
    run_as = servers._as_postgres_user()
    if run_as:
        import os
        import pwd

        servers._open_up(folder)
        entry = pwd.getpwnam(servers.PG_SYSTEM_USER)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    subprocess.run([servers._pg_bin("initdb"), "-D", str(folder / "pgdata"), "--auth=trust", "--encoding=UTF8",
                    "--locale=C", "-U", "postgres"], check=True, stdout=subprocess.DEVNULL, **run_as)
    server = PostgresServer(folder, durable=False)
    try:
        server.start()

        async def check() -> None:
            for anyone in (f"postgresql://postgres@127.0.0.1:{server.port}/postgres",
                           f"postgresql://postgres:guess@127.0.0.1:{server.port}/postgres"):
                with pytest.raises(asyncpg.InvalidPasswordError):
                    await asyncpg.connect(anyone)
            admin = await asyncpg.connect(server.dsn())
            await admin.execute("CREATE DATABASE redpark_old")
            await admin.close()
            old = await asyncpg.connect(server.dsn("redpark_old"))  # as the superuser once made them
            await old.execute("CREATE TABLE kept (n serial PRIMARY KEY, word text);"
                              " INSERT INTO kept (word) VALUES ('旧');"
                              " CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42'")
            await old.close()

            own = await server.acreate_owned_database("redpark_old")
            conn = await asyncpg.connect(own)
            try:
                assert await conn.fetchval("SELECT current_user") == "redpark_old"
                await conn.execute("INSERT INTO kept (word) VALUES ('新'); ALTER TABLE kept ADD COLUMN at date")
                assert [r["word"] for r in await conn.fetch("SELECT word FROM kept ORDER BY n")] == ["旧", "新"]
                assert await conn.fetchval("SELECT answer()") == 42
            finally:
                await conn.close()

        asyncio.run(check())
        hba = (folder / "pgdata" / "pg_hba.conf").read_text().splitlines()
        assert not [line for line in hba if line.strip() and not line.startswith("#") and line.split()[-1] == "trust"]
    finally:
        server.stop()
