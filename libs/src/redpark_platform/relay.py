"""The relay: the event table is the outbox; this tails it and publishes to JetStream.

- Woken by LISTEN/NOTIFY, with a slow poll as a safety net (a NOTIFY can be lost in a crash).
- Publishes in position order, pipelined (a window of un-awaited acks), `Nats-Msg-Id` = event id.
- After a failed publish it resumes from the first unacknowledged position.
- On every (re)start, reconnect or failed publish it reconciles with the stream: it ensures the stream
  exists and checks the stream's last message against the store row at that message's `sequence`
  (same event id). Only a message that matches is believed; anything else on the tail (not a
  CloudEvent, a forged or foreign `sequence`) is logged loudly and passed over, back to the last
  message that is ours, and the store re-publishes from there. A stream that lost its tail, was
  deleted, or came back empty after NATS lost its JetStream store is thus refilled from the store.
- While idle it looks at the stream once per poll: a stream deleted (or re-created) behind its back
  is noticed without waiting for the next event.
- NATS being down never fails a command: events wait in the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

import asyncpg
import msgspec
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from opentelemetry import trace
from opentelemetry.propagate import extract, inject

from .bus import connect_with_retry, ensure_stream, stream_name, subject
from .events import RecordedEvent, parse_cloudevent, subject_for, to_cloudevent
from .store import NOTIFY_CHANNEL, EventStore
from .wakeups import until_set

log = logging.getLogger("redpark.relay")
_tracer = trace.get_tracer("redpark.relay")

# How many messages back from the stream's tail reconciliation looks for one of ours before it
# gives up and refills from the store's start (consumers skip what they already applied).
RECONCILE_WALK = 1000
_MAX_POSITION = 2**63 - 1  # a bigint; a forged `sequence` beyond it cannot be a store row


class Relay:
    def __init__(
        self,
        store: EventStore,
        nats_url: str,
        *,
        dsn: str,
        batch_size: int = 1000,
        ack_timeout: float = 5.0,
        poll_interval: float = 1.0,
        stream_replicas: int = 1,
    ) -> None:
        self.store = store
        self.registry = store.registry
        self.service = store.registry.service
        self.nats_url = nats_url
        self.dsn = dsn
        self.batch_size = batch_size
        self.ack_timeout = ack_timeout
        self.poll_interval = poll_interval
        # On a NATS cluster the stream is kept by this many servers (`Settings.stream_replicas`).
        self.stream_replicas = stream_replicas
        self.position = 0  # everything up to here is acknowledged by the stream
        self.published = 0
        self._wake = asyncio.Event()
        self._resync = False
        self._saved_at = 0.0
        self._stop = asyncio.Event()
        # The stream sequence of our last acknowledged message: a stream whose last sequence is
        # below it (or that is gone) lost messages behind our back.
        self._stream_seq = 0
        self._nc: NATS | None = None
        self._listener: asyncpg.Connection | None = None

    # --- lifecycle --------------------------------------------------------------------------

    async def run(self) -> None:
        """Run until `stop()`; survives NATS and PostgreSQL outages."""
        try:
            while not self._stop.is_set():
                try:
                    await self._run_once()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - an outage: back off and start over
                    log.warning("relay %s interrupted: %s: %s", self.service, type(exc).__name__, exc)
                    await self._sleep(1.0)
        finally:
            await self._close()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    async def _close(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
            self._listener = None
        if self._nc is not None:
            with contextlib.suppress(Exception):
                await self._nc.close()
            self._nc = None

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)

    # --- the loop ---------------------------------------------------------------------------

    async def _run_once(self) -> None:
        if self._nc is None or self._nc.is_closed:
            self._nc = await connect_with_retry(
                self.nats_url, f"relay-{self.service}", self._stop, on_reconnect=self._reconnected)
        js = self._nc.jetstream(publish_async_max_pending=4096)
        await self._listen()
        self._resync = True
        self._saved_at = 0.0
        while not self._stop.is_set():
            if self._resync:
                # Started, reconnected, or a publish failed: the server may have lost an unsynced
                # tail, its whole store, or the stream. Start over from what it really holds.
                self._resync = False
                await ensure_stream(js, self.service, self.stream_replicas)
                self.position = await self.reconcile(js)
            self._wake.clear()
            batch = await self.store.read_all(self.position, self.batch_size)
            if not batch:
                await until_set(self._wake, self.poll_interval)
                if not self._wake.is_set() and not await self._stream_intact(js):
                    self._resync = True
                continue
            acked = await self.publish(js, batch)
            if acked:
                self.position = acked[-1].position
                self.published += len(acked)
                await self._save_position(force=len(acked) < self.batch_size)
            if len(acked) < len(batch):
                # Resume from the first unacknowledged event after NATS comes back; a stream that
                # is gone (no responders) is ensured and reconciled instead of retried for ever.
                await self._sleep(0.5)
                if self._nc is None or not self._nc.is_connected:
                    raise ConnectionError("NATS disconnected")
                self._resync = True

    async def _stream_intact(self, js: JetStreamContext) -> bool:
        """False when the stream is gone or holds fewer messages than we had published to it."""
        try:
            info = await js.stream_info(stream_name(self.service))
        except NotFoundError:
            log.error("relay %s: stream %s is gone; re-creating it and refilling it from the store",
                      self.service, stream_name(self.service))
            return False
        if info.state.last_seq < self._stream_seq:
            log.error("relay %s: stream %s was re-created (last sequence %d, ours %d); refilling it from the store",
                      self.service, stream_name(self.service), info.state.last_seq, self._stream_seq)
            return False
        return True

    async def _reconnected(self) -> None:
        self._resync = True
        self._wake.set()

    async def stream_tail_position(self, js: JetStreamContext) -> int:
        """The position of the last event of ours the stream holds (0 for an empty stream)."""
        return await self.reconcile(js)

    async def reconcile(self, js: JetStreamContext) -> int:
        """The store position up to which the stream holds our events, checked against the store.

        The stream's last message is believed only if the store holds an event with the same id at
        its `sequence`. Anything else (not a CloudEvent, another source, a forged sequence such as
        10^12) would make the relay skip real events or crash; it is logged and passed over, back to
        the last message that is ours."""
        name = stream_name(self.service)
        try:
            info = await js.stream_info(name)
        except NotFoundError:
            return 0
        self._stream_seq = int(info.state.last_seq or 0)
        if not info.state.messages:
            return 0
        seq, first = int(info.state.last_seq), int(info.state.first_seq)
        untrusted = 0
        while seq >= first and untrusted < RECONCILE_WALK:
            try:
                msg = await js.get_msg(name, seq)
            except NotFoundError:  # deleted from inside the stream
                seq -= 1
                continue
            position = await self._ours(msg.data or b"")
            if position is not None:
                if untrusted:
                    log.error("relay %s: %d message(s) at the tail of %s are not this store's events (not "
                              "CloudEvents, or no stored event with that id at that sequence); ignoring them "
                              "and re-publishing from position %d", self.service, untrusted, name, position)
                return position
            untrusted += 1
            seq -= 1
        log.error("relay %s: no message of this store's among the last %d of %s; re-publishing every event "
                  "from the start (consumers skip what they applied)", self.service, untrusted, name)
        return 0

    async def _ours(self, body: bytes) -> int | None:
        """The position of `body` if it is the event the store holds there, else None."""
        try:
            ce = parse_cloudevent(body)
        except (ValueError, msgspec.MsgspecError):
            return None
        if ce.source != self.registry.source or not 0 < ce.sequence <= _MAX_POSITION:
            return None
        stored = await self.store.pool.fetchval("SELECT id FROM events WHERE position = $1", ce.sequence)
        return ce.sequence if stored is not None and str(stored) == ce.id else None

    async def publish(self, js: JetStreamContext, batch: Sequence[RecordedEvent]) -> list[RecordedEvent]:
        """Publish with a window of un-awaited acks; return the acknowledged prefix, in order."""
        futures: list[asyncio.Future[Any]] = []
        try:
            for rec in batch:
                headers = {"Nats-Msg-Id": str(rec.id)}
                parent = extract({"traceparent": rec.traceparent}) if rec.traceparent else None
                with _tracer.start_as_current_span(
                    "relay.publish", context=parent, kind=trace.SpanKind.PRODUCER,
                    attributes={"messaging.system": "nats", "redpark.position": rec.position},
                ):
                    inject(headers)
                futures.append(await js.publish_async(
                    subject(subject_for(self.registry, rec)), to_cloudevent(self.registry, rec), headers=headers))
        except Exception as exc:  # noqa: BLE001 - the rest of the batch waits for the next round
            log.warning("relay %s: publish stopped at %d of %d: %s", self.service,
                        len(futures), len(batch), type(exc).__name__)
        if not futures:
            return []
        done, pending = await asyncio.wait(futures, timeout=self.ack_timeout)
        for fut in pending:
            fut.cancel()
        acked: list[RecordedEvent] = []
        # Not strict: `futures` is a prefix of `batch` when publishing stopped part-way.
        for rec, fut in zip(batch, futures, strict=False):
            if fut in done and not fut.cancelled() and fut.exception() is None:
                acked.append(rec)
                self._stream_seq = max(self._stream_seq, int(getattr(fut.result(), "seq", 0) or 0))
            else:
                break
        return acked

    async def _save_position(self, force: bool = False) -> None:
        # Only for the backlog figure (restarts trust the stream), so under load it is written at
        # most a few times a second instead of costing a commit per batch.
        now = asyncio.get_running_loop().time()
        if not force and now - self._saved_at < 0.5:
            return
        self._saved_at = now
        await self.store.pool.execute(
            "INSERT INTO relay_position (singleton, position, updated_at) VALUES (true, $1, now())"
            " ON CONFLICT (singleton) DO UPDATE SET position = excluded.position, updated_at = now()",
            self.position)

    async def backlog(self) -> int:
        """Events in the store not yet acknowledged by the stream."""
        last = await self.store.last_position()
        saved = await self.store.pool.fetchval("SELECT position FROM relay_position") or 0
        return max(0, last - max(saved, self.position))

    async def _listen(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            return
        # A dedicated connection: LISTEN on a pooled connection would be lost when it is returned.
        self._listener = await asyncpg.connect(self.dsn)
        await self._listener.add_listener(NOTIFY_CHANNEL, lambda *_: self._wake.set())

