"""The relay: the event table is the outbox; this tails it and publishes to JetStream.

- Woken by LISTEN/NOTIFY, with a slow poll as a safety net (a NOTIFY can be lost in a crash).
- Publishes in position order, pipelined (a window of un-awaited acks), `Nats-Msg-Id` = event id.
- After a failed publish it resumes from the first unacknowledged position.
- On every (re)start it asks the stream for its last message and re-publishes what the store holds
  beyond it, so a stream that lost its tail is refilled from the store.
- NATS being down never fails a command: events wait in the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

import asyncpg
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from opentelemetry import trace
from opentelemetry.propagate import extract, inject

from .bus import connect_with_retry, ensure_stream, stream_name, subject
from .events import RecordedEvent, parse_cloudevent, subject_for, to_cloudevent
from .store import NOTIFY_CHANNEL, EventStore

log = logging.getLogger("redpark.relay")
_tracer = trace.get_tracer("redpark.relay")


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
    ) -> None:
        self.store = store
        self.registry = store.registry
        self.service = store.registry.service
        self.nats_url = nats_url
        self.dsn = dsn
        self.batch_size = batch_size
        self.ack_timeout = ack_timeout
        self.poll_interval = poll_interval
        self.position = 0  # everything up to here is acknowledged by the stream
        self.published = 0
        self._wake = asyncio.Event()
        self._resync = False
        self._saved_at = 0.0
        self._stop = asyncio.Event()
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
        await ensure_stream(js, self.service)
        self.position = await self.stream_tail_position(js)
        await self._listen()
        self._resync = False
        self._saved_at = 0.0
        while not self._stop.is_set():
            if self._resync:
                # The server came back: it may have lost an unsynced tail. Start over from
                # what the stream really holds.
                self._resync = False
                self.position = await self.stream_tail_position(js)
            self._wake.clear()
            batch = await self.store.read_all(self.position, self.batch_size)
            if not batch:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_interval)
                continue
            acked = await self.publish(js, batch)
            if acked:
                self.position = acked[-1].position
                self.published += len(acked)
                await self._save_position(force=len(acked) < self.batch_size)
            if len(acked) < len(batch):
                # Resume from the first unacknowledged event after NATS comes back.
                await self._sleep(0.5)
                if self._nc is None or not self._nc.is_connected:
                    raise ConnectionError("NATS disconnected")

    async def _reconnected(self) -> None:
        self._resync = True
        self._wake.set()

    async def stream_tail_position(self, js: JetStreamContext) -> int:
        """The position of the last event the stream holds (0 for an empty stream)."""
        try:
            info = await js.stream_info(stream_name(self.service))
        except NotFoundError:
            return 0
        last_seq = info.state.last_seq
        if not last_seq or info.state.messages == 0:
            return 0
        msg = await js.get_msg(stream_name(self.service), last_seq)
        assert msg.data is not None
        return parse_cloudevent(msg.data).sequence

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

