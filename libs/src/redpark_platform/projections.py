"""Projections: read models fed from JetStream, with exactly-once effect.

A projection is a durable pull consumer per source stream plus a handler that writes tables in
the consuming service's database. The handler's writes, the (source, position) of every applied
event and the checkpoint commit in ONE transaction, so a redelivery, a re-send after JetStream's
duplicate window, or a refilled stream changes nothing. A message that keeps failing goes to a
dead-letter subject (and table) after `max_deliver` attempts; the rest flow on.

An event of a type or version this code cannot read (its producer was upgraded first) is not
skipped: the read model waits at it, its checkpoint just before it, until a process with code that
knows the type starts and applies it in its place (`parked`, shown in `/readyz`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import msgspec
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import FetchTimeoutError, NotFoundError
from opentelemetry import trace
from opentelemetry.propagate import extract

from .bus import connect_with_retry, dead_letter_subject, ensure_dead_letter_stream, service_subjects, stream_name
from .events import Event, IncomingEvent, parse_cloudevent
from .log_context import about_position
from .projection_base import (
    Parked as Parked,
)
from .projection_base import (
    Projection as Projection,
)
from .projection_base import (
    Reaction as Reaction,
)
from .projection_base import (
    ReplayRefused as ReplayRefused,
)
from .projection_base import (
    WaitForUpgrade as WaitForUpgrade,
)
from .projection_base import (
    apply_events as apply_events,
)
from .projection_base import (
    blank_person as blank_person,
)
from .projection_base import (
    reaction_transaction as reaction_transaction,
)
from .projection_base import (
    wanted as wanted,
)
from .projection_failures import DatabaseUnavailable, NoHeartbeat, RetryFromCheckpoint, transient
from .projection_failures import reason as failure_reason

log = logging.getLogger("redpark.projections")
_tracer = trace.get_tracer("redpark.projections")


@dataclass
class ProjectionStats:
    applied: int = 0
    duplicates: int = 0
    skipped: int = 0
    dead_lettered: int = 0
    last_applied_at: float = 0.0
    lags_ms: list[float] = field(default_factory=list)


class ProjectionRunner:
    """Runs one projection: a consumer task per source stream."""

    def __init__(
        self,
        projection: Projection,
        pool: asyncpg.Pool,
        nats_url: str,
        *,
        service: str,
        batch_size: int = 256,
        max_deliver: int = 5,
        ack_wait: float = 30.0,
        # Short: nats-py may hold a partly filled fetch until this runs out (measured: p99 lag
        # 309 ms at 1.0 s vs 76 ms at 0.1 s, 500 events/s).
        fetch_timeout: float = 0.1,
        # When a fetch found nothing, the next one waits this long for one message, with the
        # server's idle heartbeat every `heartbeat` seconds: silence means the server or the
        # consumer is gone, and the subscription is made anew.
        idle_wait: float = 5.0,
        heartbeat: float = 1.0,
        stream_replicas: int = 1,  # of the dead-letter stream, as many as the relay's streams
    ) -> None:
        self.projection = projection
        self.pool = pool
        self.nats_url = nats_url
        self.service = service  # the consuming service (for dead-letter subjects)
        self.batch_size = batch_size
        self.max_deliver = max_deliver
        self.ack_wait = ack_wait
        self.fetch_timeout = fetch_timeout
        self.idle_wait = idle_wait
        self.heartbeat = heartbeat
        self.stream_replicas = stream_replicas
        self.stats = ProjectionStats()
        self.parked: dict[str, Parked] = {}
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._nc: NATS | None = None
        self._resubscribe = asyncio.Event()
        self._connecting = asyncio.Lock()
        self._failures: dict[tuple[str, int], int] = {}

    async def _reconnected(self) -> None:
        # After a server restart the consumer may be gone; re-create it (idempotent).
        self._resubscribe.set()

    @property
    def durable(self) -> str:
        return self.projection.name

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        self._stop.clear()
        self.parked = {}
        self._tasks = [asyncio.create_task(self._consume(source), name=f"{self.durable}:{source}")
                       for source in self.projection.sources]

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        if self._nc is not None:
            with contextlib.suppress(Exception):
                await self._nc.close()
            self._nc = None

    async def _connection(self) -> NATS:
        async with self._connecting:  # one client per runner, however many sources ask at once
            return await self._connect_once()

    async def _connect_once(self) -> NATS:
        if self._nc is None or self._nc.is_closed:
            self._nc = await connect_with_retry(
                self.nats_url, f"projection-{self.durable}", self._stop, on_reconnect=self._reconnected)
        return self._nc

    async def rebuild(self) -> None:
        """Drop the read model and its positions, then replay every source stream from the start."""
        await self.stop()
        nc = await self._connection()
        js = nc.jetstream()
        for source in self.projection.sources:
            with contextlib.suppress(NotFoundError):
                await js.delete_consumer(stream_name(source), self.durable)
        async with self.pool.acquire() as conn, conn.transaction():
            await self.projection.reset(conn)
            await conn.execute("DELETE FROM projection_processed WHERE projection = $1", self.durable)
            await conn.execute("DELETE FROM projection_checkpoints WHERE projection = $1", self.durable)
        await self.start()

    # --- consuming --------------------------------------------------------------------------

    async def _subscribe(self, js: JetStreamContext, source: str) -> JetStreamContext.PullSubscription:
        """A consumer that starts right after the checkpoint, made afresh each time.

        A durable consumer left by a crashed process still holds the messages that process had
        fetched and not acknowledged; JetStream would hand them back only after `ack_wait`,
        behind newer ones, and the read model would apply events out of order. Re-creating the
        consumer at the checkpoint makes the stream's own order the order of application.
        """
        stream = stream_name(source)
        with contextlib.suppress(NotFoundError):
            await js.delete_consumer(stream, self.durable)
        start = await self._resume_point(js, source)
        policy = {"deliver_policy": DeliverPolicy.ALL} if start is None else {
            "deliver_policy": DeliverPolicy.BY_START_SEQUENCE, "opt_start_seq": start}
        return await js.pull_subscribe(
            service_subjects(source),
            durable=self.durable,
            stream=stream,
            config=ConsumerConfig(
                durable_name=self.durable,
                ack_policy=AckPolicy.EXPLICIT,
                ack_wait=self.ack_wait,
                # Unlimited: the server would otherwise drop a message silently after N deliveries
                # (e.g. all spent during a database outage); dead-lettering is decided in _failed.
                max_deliver=-1,
                max_ack_pending=max(self.batch_size * 4, 1024),
                **policy,
            ),
        )

    async def _resume_point(self, js: JetStreamContext, source: str) -> int | None:
        """The stream sequence after the checkpoint, or None to read the stream from its start.

        The checkpoint's stream sequence is trusted only while the stream still holds our event
        there: a stream deleted and refilled from the store numbers its messages anew, and then
        the whole stream is read again (what was applied is skipped as a duplicate)."""
        try:
            row = await self.pool.fetchrow(
                "SELECT position, stream_sequence FROM projection_checkpoints"
                " WHERE projection = $1 AND source = $2", self.durable, source)
        except Exception as exc:
            if transient(exc):
                raise DatabaseUnavailable(exc) from exc
            raise
        if row is None or row["stream_sequence"] is None:
            return None
        try:
            there = await js.get_msg(stream_name(source), row["stream_sequence"])
            if parse_cloudevent(there.data or b"").sequence == row["position"]:
                return int(row["stream_sequence"]) + 1
        except NotFoundError:
            pass
        except (ValueError, msgspec.MsgspecError):
            # Not an event: trusted if it is the unreadable message we dead-lettered there, so a
            # new consumer does not bring it (and a second dead letter) back.
            if await self.pool.fetchval(
                    "SELECT 1 FROM projection_dead_letters WHERE projection = $1 AND source = $2"
                    " AND stream_sequence = $3 AND position IS NULL AND body = $4",
                    self.durable, source, row["stream_sequence"], there.data or b""):
                return int(row["stream_sequence"]) + 1
        log.warning("projection %s/%s: the stream no longer holds position %d at its recorded place;"
                    " reading it from the start", self.durable, source, row["position"])
        return None

    async def _consume(self, source: str) -> None:
        sub: JetStreamContext.PullSubscription | None = None
        # The next batch is fetched while the current one is applied: the database works on one
        # core while this process decodes messages on the other.
        ahead: asyncio.Task[list[Msg]] | None = None
        idle = False  # the last fetch found nothing: wait for the next message with heartbeats
        try:
            while not self._stop.is_set():
                try:
                    if self._resubscribe.is_set():
                        self._resubscribe.clear()
                        ahead = await _discard(ahead)
                        sub = None
                    if sub is None:
                        nc = await self._connection()
                        js = nc.jetstream()
                        await ensure_dead_letter_stream(js, self.stream_replicas)
                        sub = await self._subscribe(js, source)
                    if ahead is None:
                        ahead = asyncio.ensure_future(self._fetch(sub, idle))
                    try:
                        msgs = await ahead
                    except (NatsTimeoutError, asyncio.TimeoutError):
                        ahead = None
                        idle = True
                        continue  # nothing now (nats-py raises either)
                    idle = False
                    ahead = asyncio.ensure_future(self._fetch(sub, idle))
                    await self._process(source, msgs)
                except asyncio.CancelledError:
                    raise
                except WaitForUpgrade as wait:
                    # Nothing after this event may be applied before it, and this code cannot
                    # apply it: stop here, checkpoint just before it, until a newer process starts.
                    ahead = await _discard(ahead)
                    if sub is not None:
                        with contextlib.suppress(Exception):
                            await sub.unsubscribe()
                    self.parked[source] = wait.parked
                    log.warning("projection %s: waiting for an upgrade: this code cannot read %s",
                                self.durable, wait.parked.describe())
                    await self._stop.wait()
                    return
                except NoHeartbeat:
                    log.warning("projection %s/%s: no heartbeat from the server for %.1fs; subscribing anew",
                                self.durable, source, self.idle_wait)
                    ahead = None
                    idle = False
                    if sub is not None:
                        with contextlib.suppress(Exception):
                            await sub.unsubscribe()
                    sub = None
                except (DatabaseUnavailable, RetryFromCheckpoint) as exc:
                    # Whatever was fetched after the event that could not be applied must not be
                    # applied before it: drop the consumer and start again at the checkpoint.
                    ahead = await _discard(ahead)
                    sub = None
                    if isinstance(exc, DatabaseUnavailable):
                        log.warning("projection %s/%s: database unavailable (%s); backing off",
                                    self.durable, source, type(exc.__cause__).__name__)
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._stop.wait(), exc.delay)
                except Exception as exc:  # noqa: BLE001 - reconnect, re-create the subscription, go on
                    log.warning("projection %s/%s: %s: %s", self.durable, source, type(exc).__name__, exc)
                    ahead = await _discard(ahead)
                    if sub is not None:
                        with contextlib.suppress(Exception):
                            await sub.unsubscribe()
                    sub = None
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._stop.wait(), 0.5)
        finally:
            await _discard(ahead)

    async def _fetch(self, sub: JetStreamContext.PullSubscription, idle: bool = False) -> list[Msg]:
        if not idle:
            # Busy: short batched fetches. No heartbeat here: nats-py's batch fetch opens with a
            # no_wait request that may carry no `expires`, and the server refuses a heartbeat there.
            return list(await sub.fetch(self.batch_size, timeout=self.fetch_timeout))
        # Idle: one long pull for the next message (it returns the moment one arrives), during
        # which the server sends a heartbeat every `heartbeat` seconds. Heartbeats and no message
        # mean "nothing now"; no heartbeat at all means the server or our consumer is gone.
        try:
            return list(await sub.fetch(1, timeout=self.idle_wait, heartbeat=self.heartbeat))
        except FetchTimeoutError:
            raise
        except (NatsTimeoutError, asyncio.TimeoutError) as exc:
            raise NoHeartbeat() from exc

    async def _process(self, source: str, msgs: Sequence[Msg]) -> None:
        """Apply a batch in stream order: an event is applied only after every one before it was
        applied or dead-lettered."""
        run: list[tuple[Msg, IncomingEvent]] = []
        proj = self.projection
        for msg in msgs:
            try:
                ev = parse_cloudevent(msg.data)
            except Exception:  # noqa: BLE001 - not an event we can read: dead-letter it in its place
                await self._apply_in_order(source, run)
                run = []
                await self._dead_letter(source, msg, None, "not a CloudEvents message")
                continue
            if wanted(proj, source, ev.key) and not proj.understands(source, ev.key, ev.version):
                await self._apply_in_order(source, run)
                run = []
                if await self._applied_before(source, ev):
                    self.stats.duplicates += 1
                    await msg.ack()
                    continue
                raise WaitForUpgrade(Parked(source=source, type=ev.key, version=ev.version,
                                            position=ev.sequence, since=time.time()))
            run.append((msg, ev))
        await self._apply_in_order(source, run)

    async def _applied_before(self, source: str, ev: IncomingEvent) -> bool:
        """An event applied by newer code before a downgrade is not waited for again."""
        try:
            return bool(await self.pool.fetchval(
                "SELECT 1 FROM projection_processed WHERE projection = $1 AND source = $2 AND position = $3",
                self.durable, source, ev.sequence))
        except Exception as exc:
            if transient(exc):
                raise DatabaseUnavailable(exc) from exc
            raise

    async def _apply_in_order(self, source: str, items: Sequence[tuple[Msg, IncomingEvent]]) -> None:
        if not items:
            return
        try:
            await self._apply(source, items)
        except Exception as exc:  # noqa: BLE001 - sorted below: the database's fault or the event's
            if transient(exc):
                raise DatabaseUnavailable(exc) from exc  # nothing here counts toward dead-lettering
            log.warning("projection %s: batch failed (%s); retrying one by one", self.durable, type(exc).__name__)
            for msg, ev in items:
                try:
                    await self._apply(source, [(msg, ev)])
                except Exception as one:  # noqa: BLE001
                    if transient(one):
                        raise DatabaseUnavailable(one) from one
                    with about_position(ev.sequence):  # its warning or dead letter names the event's position
                        await self._failed(source, msg, ev, one)  # raises unless it was dead-lettered
                else:
                    self._failures.pop((source, ev.sequence), None)
                    await msg.ack()
        else:
            for msg, _ev in items:
                await msg.ack()

    async def _apply(self, source: str, items: Sequence[tuple[Msg, IncomingEvent]]) -> None:
        if not items:
            return
        proj = self.projection
        async with self.pool.acquire() as conn, conn.transaction():
            fresh = {r["position"] for r in await conn.fetch(
                "INSERT INTO projection_processed (projection, source, position)"
                " SELECT $1, $2, unnest($3::bigint[]) ON CONFLICT DO NOTHING RETURNING position",
                self.durable, source, [ev.sequence for _, ev in items])}
            todo: list[tuple[Event, IncomingEvent]] = []
            spans = []
            for msg, ev in items:
                if ev.sequence not in fresh:
                    self.stats.duplicates += 1
                    continue
                fresh.discard(ev.sequence)  # the same event twice in one batch counts once
                if not wanted(proj, source, ev.key):
                    self.stats.skipped += 1
                    continue
                todo.append((ev.decode(proj.registries[source]), ev))
                if msg.headers and "traceparent" in msg.headers:
                    spans.append(msg.headers["traceparent"])
            span_ctx = extract({"traceparent": spans[-1]}) if spans else None
            with _tracer.start_as_current_span(
                f"projection.{self.durable}", context=span_ctx, kind=trace.SpanKind.CONSUMER,
                attributes={"redpark.events": len(todo)},
            ), about_position(items[-1][1].sequence):
                if todo:
                    await apply_events(proj, conn, self.service, todo)
            await self._advance(conn, source, items[-1][0], items[-1][1])
        self.stats.applied += len(todo)
        self.stats.last_applied_at = time.time()

    async def _advance(self, conn: asyncpg.Connection, source: str, msg: Msg, ev: IncomingEvent) -> None:
        """Move the checkpoint to `ev` (the last of a batch in stream order), remembering where it
        sits on the stream so a new consumer starts right after it.

        The last event in stream order, not the highest position ever seen: events are applied in
        stream order, so that is where to resume; and a forged `sequence` such as 10^12 on the
        stream must not leave read-your-writes answering "applied" for every position below it."""
        await conn.execute(
            "INSERT INTO projection_checkpoints"
            " (projection, source, position, stream_sequence, last_event_time, updated_at)"
            " VALUES ($1, $2, $3, $4, $5::text::timestamptz, now())"
            " ON CONFLICT (projection, source) DO UPDATE SET"
            "  position = excluded.position, stream_sequence = excluded.stream_sequence,"
            "  last_event_time = excluded.last_event_time, updated_at = now()",
            self.durable, source, ev.sequence, _stream_sequence(msg), ev.time)

    async def _failed(self, source: str, msg: Msg, ev: IncomingEvent, exc: Exception) -> None:
        # Counted here, not by JetStream's delivery count: naks during a database outage must
        # not push a good event towards the dead-letter subject.
        key = (source, ev.sequence)
        failures = self._failures.get(key, 0) + 1
        if failures >= self.max_deliver:
            self._failures.pop(key, None)
            await self._dead_letter(source, msg, ev, f"{type(exc).__name__}: {exc}", failures, failure_reason(exc))
        else:
            self._failures[key] = failures
            log.warning("projection %s: event %s failed (attempt %d): %s",
                        self.durable, ev.id, failures, type(exc).__name__)
            # Not a nak: JetStream would deliver later events while this one waits.
            raise RetryFromCheckpoint(min(0.2 * 2 ** failures, 5.0))

    async def _dead_letter(self, source: str, msg: Msg, ev: IncomingEvent | None, error: str,
                           attempts: int = 1, reason: str | None = None) -> None:
        # The table first: if it cannot be written the message stays un-acked and comes back.
        # A dead-lettered message counts as passed: the checkpoint moves over it, so a consumer
        # re-created at the checkpoint does not bring it back.
        seq = _stream_sequence(msg)
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO projection_dead_letters"
                " (projection, source, position, event_id, type, error, deliveries, body, stream_sequence, reason)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                self.durable, source, ev.sequence if ev else None, ev.id if ev else None,
                ev.key if ev else None, error[:2000], attempts, msg.data, seq, (reason or error)[:500])
            if ev is not None:
                await conn.execute(
                    "INSERT INTO projection_processed (projection, source, position) VALUES ($1, $2, $3)"
                    " ON CONFLICT DO NOTHING", self.durable, source, ev.sequence)
                await self._advance(conn, source, msg, ev)
            elif seq is not None:
                # Only the place on the stream moves; `_resume_point` recognises the message there.
                await conn.execute(
                    "INSERT INTO projection_checkpoints (projection, source, position, stream_sequence, updated_at)"
                    " VALUES ($1, $2, 0, $3, now()) ON CONFLICT (projection, source) DO UPDATE SET"
                    " stream_sequence = excluded.stream_sequence, updated_at = now()",
                    self.durable, source, seq)
        try:
            nc = await self._connection()
            await nc.jetstream().publish(
                dead_letter_subject(self.service, self.durable), msg.data,
                headers={"Redpark-Error": error[:500], "Redpark-Source": source})
        except Exception as exc:  # noqa: BLE001 - the table row is the record operators read
            log.warning("projection %s: dead-letter subject not reached: %s", self.durable, type(exc).__name__)
        await msg.term()
        self.stats.dead_lettered += 1
        log.error("projection %s: dead-lettered %s after %d attempts", self.durable,
                  ev.id if ev else "an unreadable message", attempts)

    # --- dead letters ------------------------------------------------------------------------

    async def replay(self, letter_id: int, by: str) -> None:
        """Apply a dead-lettered event now, with this process's code (after a fix), and mark it
        replayed; in one transaction, so a failure leaves it as it was. Raises `ReplayRefused`."""
        proj = self.projection
        async with self.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                "SELECT source, body, replayed_at FROM projection_dead_letters WHERE id = $1 AND projection = $2"
                " FOR UPDATE", letter_id, self.durable)
            if row is None:
                raise ReplayRefused("dead_letter.not_found")
            if row["replayed_at"] is not None:
                raise ReplayRefused("dead_letter.already_replayed")
            source = row["source"]
            try:
                ev = parse_cloudevent(bytes(row["body"]))
            except (ValueError, msgspec.MsgspecError):
                raise ReplayRefused("dead_letter.not_an_event") from None
            if wanted(proj, source, ev.key):
                if not proj.understands(source, ev.key, ev.version):
                    raise ReplayRefused("dead_letter.needs_upgrade", f"{ev.key} v{ev.version}")
                try:
                    await apply_events(proj, conn, self.service, [(ev.decode(proj.registries[source]), ev)])
                except Exception as exc:
                    if transient(exc):
                        raise
                    raise ReplayRefused("dead_letter.still_failing", failure_reason(exc)) from exc
            await conn.execute(
                "INSERT INTO projection_processed (projection, source, position) VALUES ($1, $2, $3)"
                " ON CONFLICT DO NOTHING", self.durable, source, ev.sequence)
            await conn.execute(
                "UPDATE projection_dead_letters SET replayed_at = now(), replayed_by = $2 WHERE id = $1",
                letter_id, by)
        log.info("projection %s: dead letter %d replayed", self.durable, letter_id)

    # --- figures ----------------------------------------------------------------------------

    async def lag(self) -> dict[str, Any]:
        """Messages not yet applied, per source, and seconds since the last applied event was recorded."""
        nc = await self._connection()
        js = nc.jetstream()
        pending: dict[str, int] = {}
        for source in self.projection.sources:
            try:
                info = await js.consumer_info(stream_name(source), self.durable)
                pending[source] = int(info.num_pending or 0) + int(info.num_ack_pending or 0)
            except NotFoundError:
                pending[source] = -1
        return {"projection": self.durable, "pending": pending}

    async def position(self, source: str) -> int:
        return await self.pool.fetchval(
            "SELECT position FROM projection_checkpoints WHERE projection = $1 AND source = $2",
            self.durable, source) or 0

    async def wait_for(self, source: str, position: int, timeout: float = 2.0) -> bool:
        """Read-your-writes: wait (bounded) until the read model has applied `position`."""
        deadline = time.monotonic() + timeout
        delay = 0.002
        while True:
            if await self.position(source) >= position:
                return True
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)


async def _discard(ahead: asyncio.Task[list[Msg]] | None, delay: float | None = None) -> None:
    """Drop a prefetched batch: hand its messages back (nak) so they are redelivered at once
    rather than after `ack_wait`."""
    if ahead is None:
        return None
    if not ahead.done():
        ahead.cancel()
    with contextlib.suppress(BaseException):
        for msg in await ahead:
            with contextlib.suppress(Exception):
                await msg.nak(delay=delay)
    return None


def _stream_sequence(msg: Msg) -> int | None:
    try:
        return int(msg.metadata.sequence.stream)
    except Exception:  # noqa: BLE001 - a message not from a JetStream consumer (tests hand some in)
        return None
