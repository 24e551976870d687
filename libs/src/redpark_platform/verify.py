"""Read models checked against their rebuild: `verify_read_models` and `python -m redpark_platform.verify`.

For each read model of a service (not the reactions: they issue commands), in ONE repeatable-read
transaction of its database that is rolled back at the end:

- the read model's checkpoint per source is read; that snapshot is also what the live tables show;
- a shadow of every table it declares (`Projection.tables`) is created as a temporary table of the
  same name and shape; temporary tables come first in PostgreSQL's search path, so the projection's
  own `handle_batch` writes them, unchanged: no second implementation of any projection;
- its source streams are read from their start up to the checkpoint, skipping what the live model
  skipped too (duplicates, types it does not want, dead letters not replayed), and applied;
- each shadow is compared with its live table: rows missing from the live table, extra in it, and
  rows whose key is in both but whose values differ. Columns filled by the database itself (a
  serial, an identity, a `now()` default) are left out of the comparison: a rebuild draws new ones.

Nothing the rebuild writes survives the rollback, even if a handler touched a table beyond its own.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import json
import os
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
from nats import errors as nats_errors
from nats.aio.client import Client as NATS
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from .bus import connect, service_subjects, stream_name
from .credentials import PASSWORDS_FILE, TOOLS, PasswordFile, with_user
from .events import Event, IncomingEvent, parse_cloudevent
from .projections import Projection, Reaction, apply_events, wanted

_FETCH = 500


class TableReport(msgspec.Struct, frozen=True, kw_only=True):
    service: str
    projection: str
    table: str
    live_rows: int
    rebuilt_rows: int
    missing: int = 0  # in the rebuild, not in the live table
    extra: int = 0  # in the live table, not in the rebuild
    differing: int = 0  # the same key in both, other values
    compared_columns: list[str] = []

    @property
    def equal(self) -> bool:
        return self.missing == self.extra == self.differing == 0

    def line(self) -> str:
        head = f"{self.service:<20} {self.projection:<28} {self.table:<32}"
        if self.equal:
            return f"{head} equal ({self.live_rows} rows)"
        return (f"{head} DIFFERS: {self.missing} missing, {self.extra} extra, {self.differing} differing"
                f" (live {self.live_rows} rows, rebuilt {self.rebuilt_rows})")


class VerifyReport(msgspec.Struct, kw_only=True):
    tables: list[TableReport] = []
    # Events the rebuild could not apply, read models it could not rebuild: each makes it unequal.
    problems: list[str] = []

    @property
    def equal(self) -> bool:
        return not self.problems and all(t.equal for t in self.tables)

    def lines(self) -> list[str]:
        return [t.line() for t in self.tables] + [f"PROBLEM: {p}" for p in self.problems]


async def verify_read_models(projections: Sequence[Projection], database_url: str, nats_url: str, *,
                             service: str = "") -> VerifyReport:
    """Rebuild each read model into shadow tables and compare them with the live ones."""
    report = VerifyReport()
    nc = await connect(nats_url, f"verify-{service or 'service'}", reconnect_attempts=3)
    try:
        for projection in projections:
            if isinstance(projection, Reaction) or not projection.tables:
                continue
            conn = await asyncpg.connect(database_url)
            try:
                await _verify_one(conn, nc, projection, service, report)
            except Exception as exc:  # noqa: BLE001 - reported, and the other read models still checked
                report.problems.append(f"{service} {projection.name}: not verified ({type(exc).__name__}: {exc})")
            finally:
                await conn.close()
    finally:
        await nc.close()
    return report


async def _verify_one(conn: asyncpg.Connection, nc: NATS, projection: Projection, service: str,
                      report: VerifyReport) -> None:
    tx = conn.transaction(isolation="repeatable_read")
    await tx.start()
    try:
        checkpoints = {r["source"]: r for r in await conn.fetch(
            "SELECT source, position, stream_sequence FROM projection_checkpoints WHERE projection = $1",
            projection.name)}
        set_aside = {(r["source"], r["position"]) for r in await conn.fetch(
            "SELECT source, position FROM projection_dead_letters"
            " WHERE projection = $1 AND position IS NOT NULL AND replayed_at IS NULL", projection.name)}
        live = {table: await _qualified(conn, table) for table in projection.tables}
        for table, qualified in live.items():
            await conn.execute(f"CREATE TEMP TABLE {_ident(table)} (LIKE {qualified} INCLUDING ALL) ON COMMIT DROP")
        for source in projection.sources:
            await _rebuild_source(conn, nc, projection, source, checkpoints.get(source), set_aside, service, report)
        for table, qualified in live.items():
            report.tables.append(await _compare(conn, service, projection.name, table, qualified))
    finally:
        await tx.rollback()


async def _qualified(conn: asyncpg.Connection, table: str) -> str:
    row = await conn.fetchrow(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.oid = to_regclass($1)", table)
    if row is None:
        raise LookupError(f"table {table} does not exist")
    return f"{_ident(row['nspname'])}.{_ident(row['relname'])}"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def _rebuild_source(conn: asyncpg.Connection, nc: NATS, projection: Projection, source: str,
                          checkpoint: asyncpg.Record | None, set_aside: set[tuple[str, int]], service: str,
                          report: VerifyReport) -> None:
    if checkpoint is None:
        return  # the live model applied nothing of this source yet; neither does the rebuild
    js = nc.jetstream()
    stream = stream_name(source)
    try:
        info = await js.stream_info(stream)
    except NotFoundError:
        report.problems.append(f"{service} {projection.name}: stream {stream} is missing")
        return
    # Up to the checkpoint's place on the stream when it still holds that event there, else the
    # whole stream up to the checkpoint's position.
    last_seq = int(info.state.last_seq or 0)
    upto_seq, upto_position = last_seq, int(checkpoint["position"])
    if checkpoint["stream_sequence"]:
        upto_seq = min(last_seq, int(checkpoint["stream_sequence"]))
    if not info.state.messages or upto_seq < int(info.state.first_seq or 1):
        return
    sub = await js.pull_subscribe(
        service_subjects(source), stream=stream,
        config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE,
                              inactive_threshold=60.0, max_ack_pending=-1))
    seen: set[int] = set()
    batch: list[tuple[Event, IncomingEvent]] = []
    try:
        done = False
        while not done:
            try:
                msgs = await sub.fetch(_FETCH, timeout=2.0)
            except TimeoutError:  # nats-py raises its subclass
                break
            for msg in msgs:
                seq = int(msg.metadata.sequence.stream)
                if seq > upto_seq:
                    done = True
                    break
                try:
                    ev = parse_cloudevent(msg.data)
                except (ValueError, msgspec.MsgspecError):
                    continue  # the live model dead-lettered it
                if ev.sequence in seen or (source, ev.sequence) in set_aside:
                    continue
                if not checkpoint["stream_sequence"] and ev.sequence > upto_position:
                    continue
                seen.add(ev.sequence)
                if not wanted(projection, source, ev.key):
                    continue
                if not projection.understands(source, ev.key, ev.version):
                    done = True  # the live model waits here for an upgrade too
                    break
                batch.append((ev.decode(projection.registries[source]), ev))
                if len(batch) >= _FETCH:
                    await _apply(conn, projection, batch, service, report)
                    batch = []
                if seq >= upto_seq:
                    done = True
                    break
        await _apply(conn, projection, batch, service, report)
    finally:
        with contextlib.suppress(Exception):
            await sub.unsubscribe()


async def _apply(conn: asyncpg.Connection, projection: Projection, batch: list[tuple[Event, IncomingEvent]],
                 service: str, report: VerifyReport) -> None:
    if not batch:
        return
    try:
        async with conn.transaction():  # a savepoint: a failing batch is retried one by one
            await apply_events(projection, conn, service, batch)
        return
    except Exception:  # noqa: BLE001
        pass
    for item in batch:
        try:
            async with conn.transaction():
                await apply_events(projection, conn, service, [item])
        except Exception as exc:  # noqa: BLE001 - the live model would have dead-lettered it
            report.problems.append(f"{service} {projection.name}: event at position {item[1].sequence} "
                                   f"failed in the rebuild ({type(exc).__name__})")


async def _compare(conn: asyncpg.Connection, service: str, projection: str, table: str,
                   qualified: str) -> TableReport:
    columns = await conn.fetch(
        "SELECT a.attname, a.attidentity <> '' AS identity, pg_get_expr(d.adbin, d.adrelid) AS fill"
        " FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        " WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum", qualified)
    compared = [c["attname"] for c in columns if not c["identity"] and not _database_filled(c["fill"])]
    keys = [r["attname"] for r in await conn.fetch(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
        " WHERE i.indrelid = $1::regclass AND i.indisprimary", qualified)]
    keys = [k for k in keys if k in compared]
    shadow = f"pg_temp.{_ident(table)}"
    cols = ", ".join(f"{_ident(c)}::text" for c in compared) or "1"
    live_rows = await conn.fetchval(f"SELECT count(*) FROM {qualified}")
    rebuilt_rows = await conn.fetchval(f"SELECT count(*) FROM {shadow}")
    only_rebuilt = await conn.fetchval(
        f"SELECT count(*) FROM (SELECT {cols} FROM {shadow} EXCEPT ALL SELECT {cols} FROM {qualified}) x")
    only_live = await conn.fetchval(
        f"SELECT count(*) FROM (SELECT {cols} FROM {qualified} EXCEPT ALL SELECT {cols} FROM {shadow}) x")
    differing = 0
    if keys:
        on = " AND ".join(f"s.{_ident(k)} = l.{_ident(k)}" for k in keys)
        rest = [c for c in compared if c not in keys] or keys
        left = ", ".join(f"s.{_ident(c)}::text" for c in rest)
        right = ", ".join(f"l.{_ident(c)}::text" for c in rest)
        differing = await conn.fetchval(
            f"SELECT count(*) FROM {shadow} s JOIN {qualified} l ON {on} WHERE ({left}, NULL) IS DISTINCT FROM"
            f" ({right}, NULL)")
    return TableReport(service=service, projection=projection, table=table, live_rows=live_rows,
                       rebuilt_rows=rebuilt_rows, missing=only_rebuilt - differing, extra=only_live - differing,
                       differing=differing, compared_columns=compared)


def _database_filled(default: str | None) -> bool:
    if not default:
        return False
    fill = default.lower()
    return "nextval(" in fill or "now()" in fill or "current_timestamp" in fill or "clock_timestamp()" in fill


# --- against a running platform ----------------------------------------------------------------


def _package_of(folder: Path) -> str:
    meta = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    package = meta.get("tool", {}).get("redpark", {}).get("package")
    return str(package or "redpark_" + folder.name.replace("-", "_"))


def _database_url(service: str, state: dict[str, Any], data: Path) -> str:
    env_key = f"REDPARK_{service.upper().replace('-', '_')}_DATABASE_URL"
    if os.environ.get(env_key):
        return os.environ[env_key]
    given = (state.get("database_urls") or {}).get(service)
    if given:
        return str(given)
    base = state.get("postgres_dsn")
    if not base:
        raise LookupError(f"no database URL for {service}: set {env_key}")
    # run.json holds addresses only: the service's own role and its password come from the data
    # folder, so verify reads with exactly the rights the service has, never the superuser's.
    database = f"redpark_{service.replace('-', '_')}"
    url = f"{str(base).rsplit('/', 1)[0]}/{database}"
    password = PasswordFile(data / "postgres" / PASSWORDS_FILE).known(database)
    return with_user(url, database, password) if password else url


def _nats_url(state: dict[str, Any], data: Path) -> str:
    """The tools' user (reads every stream, publishes nothing) when `up` made the users."""
    if os.environ.get("REDPARK_NATS_URL"):
        return os.environ["REDPARK_NATS_URL"]
    password = PasswordFile(data / "nats" / PASSWORDS_FILE).known(TOOLS)
    return with_user(state["nats_url"], TOOLS, password) if password else str(state["nats_url"])


async def verify_platform(run_file: Path, services_root: Path, only: Sequence[str] = ()) -> VerifyReport:
    """`verify_read_models` for every service `up` runs (names and servers from its run.json)."""
    from .settings import Settings

    state = json.loads(run_file.read_text(encoding="utf-8"))
    nats_url = _nats_url(state, run_file.parent)
    report = VerifyReport()
    for service in sorted(state.get("services") or {}):
        if only and service not in only:
            continue
        folder = services_root / service
        database_url = _database_url(service, state, run_file.parent)
        os.environ.setdefault(f"REDPARK_{service.upper().replace('-', '_')}_DATABASE_URL", database_url)
        os.environ.setdefault("REDPARK_NATS_URL", nats_url)
        module = importlib.import_module(f"{_package_of(folder)}.app")
        # Built, not started: the app factory composes the service's ServiceSpec and keeps it.
        app = module.create_app(Settings.from_env(service))
        spec = app.state.spec
        part = await verify_read_models(spec.projections, database_url, nats_url, service=service)
        report.tables += part.tables
        report.problems += part.problems
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="redpark verify", description=(
        "Rebuild every read model of the running platform into shadow tables and compare them with the "
        "live ones, table by table. Exit code 0 when all are equal, 1 otherwise."))
    parser.add_argument("--data", default=".redpark", help="the data folder `up` runs with (holds run.json)")
    parser.add_argument("--services", default="", help="comma-separated service names (default: all)")
    args = parser.parse_args(argv)
    run_file = Path(args.data) / "run.json"
    if not run_file.exists():
        print(f"redpark verify: no {run_file}; is the platform running (`up`)?", file=sys.stderr)
        return 2
    services_root = Path(__file__).resolve().parents[3] / "services"
    if not services_root.is_dir():
        services_root = Path.cwd() / "services"
    only = [s for s in args.services.split(",") if s]
    try:
        report = asyncio.run(verify_platform(run_file, services_root, only))
    except (OSError, nats_errors.Error, asyncpg.PostgresError) as exc:
        # Unreachable servers or refused credentials: say so, not a traceback or a hang.
        print(f"redpark verify: cannot reach the platform's servers ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    differing = sum(1 for t in report.tables if not t.equal)
    print(f"verify: {len(report.tables)} tables, {differing} differing, {len(report.problems)} problems: "
          + ("every read model equals its rebuild" if report.equal else "NOT EQUAL"))
    return 0 if report.equal else 1


if __name__ == "__main__":
    sys.exit(main())
