"""The servers the test run starts: a port taken by someone else between choosing it and binding it
is given up for another, never when the caller insisted on that port."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from redpark_platform import servers
from redpark_platform.servers import NatsServer


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
