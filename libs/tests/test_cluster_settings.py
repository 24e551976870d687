"""The settings of a service on clustered servers, as the Kubernetes manifests (deploy/kubernetes/)
give them: the relay makes its stream with `Settings.stream_replicas` servers keeping it; given
every seed of a NATS cluster, or several PostgreSQL hosts with `target_session_attrs=read-write`,
a service reaches whichever answers (and, for PostgreSQL, takes writes).

The NATS cluster is three real nats-server processes with JetStream, routed to each other on
loopback, as the official chart runs them.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import nats
import pytest
from nats.js.errors import NotFoundError

from redpark_platform.bus import connect, nats_servers, stream_name
from redpark_platform.db import create_pool
from redpark_platform.relay import Relay
from redpark_platform.servers import LOOPBACK, _stop, _wait_for_port, free_port, nats_server_binary
from redpark_platform.settings import Settings, SettingsError
from redpark_platform.store import EventStore
from redpark_platform.testkit import eventually

sys.path.insert(0, str(Path(__file__).parent))
from relay_support import ThingHappened, registry  # noqa: E402

REQUIRED = {"REDPARK_NATS_URL": "nats://127.0.0.1:4222", "REDPARK_RELAYTEST_DATABASE_URL": "postgresql://x/y"}


def test_stream_replicas_default_to_one_server() -> None:
    assert Settings.from_env("relaytest", REQUIRED).stream_replicas == 1
    assert Settings.from_env("relaytest", {**REQUIRED, "REDPARK_STREAM_REPLICAS": "3"}).stream_replicas == 3


@pytest.mark.parametrize("value", ["0", "6", "three", "-1"])
def test_stream_replicas_out_of_range_are_refused_by_name(value: str) -> None:
    with pytest.raises(SettingsError, match="REDPARK_STREAM_REPLICAS"):
        Settings.from_env("relaytest", {**REQUIRED, "REDPARK_STREAM_REPLICAS": value})


def test_every_seed_of_a_comma_separated_url_is_a_server() -> None:
    seeds = "nats://u:p@a:4222, nats://u:p@b:4222,nats://u:p@c:4222"
    assert nats_servers(seeds) == ["nats://u:p@a:4222", "nats://u:p@b:4222", "nats://u:p@c:4222"]


@pytest.fixture()
def nats_cluster(tmp_path: Path) -> Iterator[list[str]]:
    """Three JetStream servers routed into one cluster; their client URLs."""
    clients = [free_port() for _ in range(3)]
    routes = [free_port() for _ in range(3)]
    route_urls = ", ".join(f"nats://{LOOPBACK}:{port}" for port in routes)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for n, (client, route) in enumerate(zip(clients, routes, strict=True)):
            folder = tmp_path / f"n{n}"
            folder.mkdir()
            (folder / "nats.conf").write_text(
                f"server_name: n{n}\nlisten: {LOOPBACK}:{client}\n"
                f"jetstream {{\n  store_dir: {str(folder / 'js')!r}\n}}\n"
                f"cluster {{\n  name: redpark\n  listen: {LOOPBACK}:{route}\n  routes: [{route_urls}]\n}}\n")
            procs.append(subprocess.Popen(
                [nats_server_binary(), "-c", str(folder / "nats.conf"), "-l", str(folder / "nats.log")],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True))
        for n, (client, proc) in enumerate(zip(clients, procs, strict=True)):
            _wait_for_port(client, proc, 60, tmp_path / f"n{n}" / "nats.log")
        yield [f"nats://{LOOPBACK}:{port}" for port in clients]
    finally:
        for proc in procs:
            _stop(proc, 15)


async def _jetstream_ready(url: str) -> bool:
    # Until the three have elected a meta leader, JetStream answers "unavailable".
    nc = await nats.connect(url)
    try:
        await nc.jetstream().account_info()
        return True
    except Exception:  # noqa: BLE001 - not ready yet
        return False
    finally:
        await nc.close()


async def test_the_relay_makes_its_stream_with_the_configured_replicas_on_a_cluster(
    nats_cluster: list[str], pg_pool: asyncpg.Pool, pg_dsn: str, bus_prefix: str,
) -> None:
    await eventually(lambda: _jetstream_ready(nats_cluster[0]), timeout=90)
    store = EventStore(pg_pool, registry)
    await store.append("thing-1", [ThingHappened(thing_id="1", n=1)])
    # The first seed is a port nobody listens on: the client goes on to the next.
    dead_seed = f"nats://{LOOPBACK}:{free_port()}"
    relay = Relay(store, ",".join([dead_seed, *nats_cluster]), dsn=pg_dsn, stream_replicas=3)
    task = asyncio.create_task(relay.run())
    nc = await connect(",".join([dead_seed, *nats_cluster]), "test-reader")
    try:
        js = nc.jetstream()

        async def stream_state() -> tuple[int, int, int] | None:
            try:
                info = await js.stream_info(stream_name("relaytest"))
            except NotFoundError:
                return None  # the relay makes the stream as it starts, beside this test
            followers = len(info.cluster.replicas or []) if info.cluster else 0
            return info.config.num_replicas or 0, followers, info.state.messages

        state = await eventually(stream_state, lambda s: s is not None and s[1:] == (2, 1), timeout=90)
        assert state == (3, 2, 1)  # one leader and two followers keep the one event
    finally:
        await nc.close()
        relay.stop()
        await task


async def test_by_default_the_relay_keeps_its_stream_on_one_server(
    nats_url: str, pg_pool: asyncpg.Pool, pg_dsn: str, bus_prefix: str,
) -> None:
    store = EventStore(pg_pool, registry)
    relay = Relay(store, nats_url, dsn=pg_dsn)
    task = asyncio.create_task(relay.run())
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()

        async def replicas() -> int | None:
            try:
                return (await js.stream_info(stream_name("relaytest"))).config.num_replicas
            except NotFoundError:
                return None

        assert await eventually(replicas, lambda r: r is not None, timeout=30) == 1
    finally:
        await nc.close()
        relay.stop()
        await task


async def test_a_multi_host_database_url_reaches_the_host_that_takes_writes(pg_dsn: str) -> None:
    parts = urlsplit(pg_dsn)
    user_info, host = parts.netloc.rsplit("@", 1)
    # The first host is a port nobody listens on, as a primary that is gone.
    hosts = f"{LOOPBACK}:{free_port()},{host}"
    dsn = urlunsplit(parts._replace(netloc=f"{user_info}@{hosts}", query="target_session_attrs=read-write"))
    pool = await create_pool(dsn, min_size=1, max_size=1)
    try:
        assert await pool.fetchval("SELECT pg_is_in_recovery()") is False
        await pool.execute("CREATE TABLE written (n int)")
        await pool.execute("INSERT INTO written VALUES (1)")
        assert await pool.fetchval("SELECT count(*) FROM written") == 1
    finally:
        await pool.close()
