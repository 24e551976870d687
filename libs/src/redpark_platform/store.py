"""The event store: an append-only table per service database, with optimistic concurrency.

Appends never serialize behind a lock; readers that tail by global position ask the database for
a safe horizon (`EventStore.safe_horizon`), so no event that commits
late is ever skipped.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

import asyncpg
import msgspec
from opentelemetry import trace
from opentelemetry.propagate import inject

from .actor import current_actor
from .errors import ConcurrencyConflict, DomainError, ErrorKind
from .events import Event, EventRegistry, RecordedEvent, new_event_id
from .log_context import note_position
from .masking import ERASED
from .personal import Vault, open_personal, seal_with

log = logging.getLogger("redpark.store")

NOTIFY_CHANNEL = "redpark_events"
NOTIFY_COALESCE_S = 0.002
ANY_VERSION = None
NO_STREAM = 0

_tracer = trace.get_tracer("redpark.store")


MAX_EVENT_BYTES = 256 * 1024


class EventTooLarge(DomainError):
    kind: ClassVar[ErrorKind] = "too_large"


class AppendResult(msgspec.Struct, frozen=True, kw_only=True):
    stream_id: str
    version: int  # stream version after the append
    position: int  # global position of the last appended event (0 when nothing was appended)
    event_ids: list[uuid.UUID]
    events: list[Any] = []  # the events appended, as given


class LoadedEvent(msgspec.Struct, frozen=True, kw_only=True):
    event: Any
    record: RecordedEvent


class StreamRead(msgspec.Struct, frozen=True, kw_only=True):
    stream_id: str
    version: int
    events: list[LoadedEvent]


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    inject(carrier)
    return carrier.get("traceparent")


_COLUMNS = ("position, id, stream_id, version, type, type_version, data::text AS data, recorded_at, traceparent,"
            " actor")


def _record(row: asyncpg.Record) -> RecordedEvent:
    return RecordedEvent(
        id=row["id"], stream_id=row["stream_id"], version=row["version"], position=row["position"],
        type=row["type"], type_version=row["type_version"], data=row["data"].encode(),
        recorded_at=row["recorded_at"], traceparent=row["traceparent"], actor=row["actor"],
    )


class EventStore:
    def __init__(self, pool: asyncpg.Pool, registry: EventRegistry, vault: Vault | None = None) -> None:
        self.pool = pool
        self.registry = registry
        self.vault = vault or Vault()
        self._notify_wanted = asyncio.Event()
        self._notifier: asyncio.Task[None] | None = None
        self._horizon_warned_at = -1e9
        # Told the stream categories of every append (the service's metrics count them).
        self.on_append: Callable[[Mapping[str, int]], None] | None = None

    # --- writing ----------------------------------------------------------------------------

    async def append(
        self,
        stream_id: str,
        events: Sequence[Event],
        *,
        expected_version: int | None = ANY_VERSION,
        recorded_at: datetime | None = None,
        conn: asyncpg.Connection | None = None,
    ) -> AppendResult:
        """Append atomically. `expected_version`: None = any, 0 = new stream, n = at n.

        Pass `conn` to append inside a transaction the caller holds (e.g. with an inbox row).
        """
        if not events:
            version = await (conn or self.pool).fetchval(
                "SELECT version FROM streams WHERE stream_id = $1", stream_id) or 0
            if expected_version is not None and version != expected_version:
                raise ConcurrencyConflict(stream_id, expected_version)
            return AppendResult(stream_id=stream_id, version=version, position=0, event_ids=[])
        categories = Counter(self.registry.type_of(e).aggregate for e in events)
        # The stream's category, never its id: an id may embed a phone's hash or a ticket code.
        with _tracer.start_as_current_span("eventstore.append", attributes={
            "redpark.stream_category": ",".join(sorted(categories)), "redpark.events": len(events),
        }):
            if conn is None and not any(e.personal_fields for e in events):
                # redpark_append is one statement, atomic on its own: no BEGIN/COMMIT round trips.
                async with self.pool.acquire() as c:
                    result = await self._append(c, stream_id, events, expected_version, recorded_at)
            elif conn is None:
                # Keys for sealing and the events commit together.
                async with self.pool.acquire() as c, c.transaction():
                    result = await self._append(c, stream_id, events, expected_version, recorded_at)
            else:
                result = await self._append(conn, stream_id, events, expected_version, recorded_at)
        self._wake_readers()
        note_position(result.position)
        if self.on_append is not None:
            self.on_append(categories)
        return result

    async def _append(
        self, conn: asyncpg.Connection, stream_id: str, events: Sequence[Event],
        expected_version: int | None, recorded_at: datetime | None,
    ) -> AppendResult:
        reg = self.registry
        types = [reg.type_of(e) for e in events]
        ids = [new_event_id() for _ in events]
        payloads = await self._seal(conn, events)
        try:
            rows = await conn.fetch(
                "SELECT out_position, out_version FROM redpark_append($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                stream_id, -1 if expected_version is None else expected_version, ids,
                [t.key for t in types], [t.version for t in types], payloads,
                current_traceparent(), recorded_at or datetime.now(UTC), current_actor(),
            )
        except asyncpg.PostgresError as exc:
            if getattr(exc, "sqlstate", None) == "R0409":
                raise ConcurrencyConflict(stream_id, expected_version) from None
            if isinstance(exc, asyncpg.UniqueViolationError):
                raise ConcurrencyConflict(stream_id, expected_version) from None
            raise
        return AppendResult(
            stream_id=stream_id, version=rows[-1]["out_version"], position=rows[-1]["out_position"],
            event_ids=ids, events=list(events),
        )

    async def _seal(self, conn: asyncpg.Connection, events: Sequence[Event]) -> list[str]:
        subjects = [getattr(e, e.personal_subject) for e in events if e.personal_fields]
        keys = await self.vault.keys_for_sealing(conn, subjects) if subjects else {}
        out: list[str] = []
        for e in events:
            if e.personal_fields:
                subject = getattr(e, e.personal_subject)
                key = keys.get(subject)  # none: the person was erased, and nothing of theirs is kept again
                changes = {
                    f: seal_with(key, subject, v) if key is not None else ERASED
                    for f in e.personal_fields
                    if isinstance(v := getattr(e, f), str)  # sealed whatever it looks like
                }
                e = msgspec.structs.replace(e, **changes)
            data = self.registry.encode(e)
            if len(data) > MAX_EVENT_BYTES:
                # NATS refuses messages over its max_payload (1 MiB): an event that can never be
                # published would hold up every event after it in the relay.
                raise EventTooLarge(
                    "event.too_large", f"{type(e).__name__} is {len(data)} bytes; at most {MAX_EVENT_BYTES}",
                    detail_zh="内容过长，请精简后再提交", status=413)
            out.append(data.decode())
        return out

    # --- reading ----------------------------------------------------------------------------

    async def read_stream(self, stream_id: str, *, conn: asyncpg.Connection | None = None) -> StreamRead:
        db = conn or self.pool
        rows = await db.fetch(
            f"SELECT {_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY version", stream_id)
        records = [_record(r) for r in rows]
        events = await self.decode_all(records, conn=db)
        version = records[-1].version if records else 0
        return StreamRead(
            stream_id=stream_id, version=version,
            events=[LoadedEvent(event=e, record=r) for e, r in zip(events, records, strict=True)],
        )

    async def decode_all(self, records: Sequence[RecordedEvent], *, conn: Any = None) -> list[Event]:
        """Decode stored events (upcasting old versions) and open their personal fields."""
        decoded = [self.registry.decode(r.type, r.type_version, r.data) for r in records]
        return await open_personal(conn or self.pool, decoded, vault=self.vault)

    async def safe_horizon(self, conn: Any = None, max_wait: float = 2.0, *, after: int = -1) -> int | None:
        """Highest position that can be read without skipping one that commits later.

        In this order, each statement with a fresh snapshot: the sequence's value L; a fence, a
        new transaction id F (redpark_fence_xid), newer than every id assigned before; then,
        until true, "oldest running transaction id >= F". Every transaction holding a position
        <= L took its id before drawing it (see redpark_append), hence before L was read, hence
        its id is < F; once the oldest running id is >= F they have all ended, and every position
        <= L is committed or gone for good. Returns `after` at once when nothing new was drawn,
        and None if a long transaction keeps the horizon closed for `max_wait` seconds.
        """
        db = conn or self.pool
        row = await db.fetchrow("SELECT last_value, is_called FROM event_position_seq")
        if not row["is_called"]:
            return 0
        last = int(row["last_value"])
        if last <= after:
            return after  # nothing new: no fence needed (it would cost a transaction id)
        fence = await db.fetchval("SELECT redpark_fence_xid()::text")
        deadline = asyncio.get_running_loop().time() + max_wait
        delay = 0.0002
        while not await db.fetchval(
            "SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::text::xid8", fence
        ):
            if asyncio.get_running_loop().time() > deadline:
                return None
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.01)
        return last

    async def read_all(self, after: int, limit: int = 1000, *, conn: Any = None) -> list[RecordedEvent]:
        """Events after `after`, in position order, never skipping one that commits late."""
        db = conn or self.pool
        horizon = await self.safe_horizon(db, after=after)
        if horizon is None:
            # Some transaction in this PostgreSQL cluster (any database) has been open for seconds
            # with an id: nothing after it can be read safely until it ends.
            now = asyncio.get_running_loop().time()
            if now - self._horizon_warned_at > 10:
                self._horizon_warned_at = now
                log.warning("event store %s: read horizon held closed by a long-running transaction "
                            "in this PostgreSQL cluster; tailing readers wait", self.registry.service)
            return []
        if not horizon or horizon <= after:
            return []
        rows = await db.fetch(
            f"SELECT {_COLUMNS} FROM events WHERE position > $1 AND position <= $2 "
            "ORDER BY position LIMIT $3", after, horizon, limit)
        return [_record(r) for r in rows]

    async def position_ceiling(self) -> int:
        """No event has a position above this, now or in flight: the sequence's last value (one
        row, no scan). A position beyond it is one this store has not handed out."""
        row = await self.pool.fetchrow("SELECT last_value, is_called FROM event_position_seq")
        return int(row["last_value"]) if row["is_called"] else 0

    async def last_position(self) -> int:
        return int(await self.pool.fetchval("SELECT coalesce(max(position), 0) FROM events"))

    async def forget_person(self, subject_id: str) -> None:
        await self.vault.forget(self.pool, subject_id)

    # --- waking readers ---------------------------------------------------------------------

    def _wake_readers(self) -> None:
        # NOTIFY inside the append transaction would serialize every commit behind the
        # notification queue lock; a separate, coalesced NOTIFY after commit does not.
        self._notify_wanted.set()
        if self._notifier is None or self._notifier.done():
            self._notifier = asyncio.get_running_loop().create_task(self._notify_loop())

    async def _notify_loop(self) -> None:
        while self._notify_wanted.is_set():
            # Gather the appends of the next moment into one wake-up: under load a NOTIFY per
            # append would cost the writers a connection and a commit each.
            await asyncio.sleep(NOTIFY_COALESCE_S)
            self._notify_wanted.clear()
            try:
                # A NOTIFY commits like a write; it need not wait for a disk flush.
                await self.pool.execute(
                    f"BEGIN; SET LOCAL synchronous_commit TO off; NOTIFY {NOTIFY_CHANNEL}; COMMIT")
            except (asyncpg.PostgresError, OSError, asyncpg.InterfaceError):
                return  # readers also poll; a lost wake-up only delays them

    async def close(self) -> None:
        if self._notifier is not None:
            await asyncio.gather(self._notifier, return_exceptions=True)


def erased_marker() -> str:
    return ERASED
