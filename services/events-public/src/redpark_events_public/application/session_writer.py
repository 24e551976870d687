"""One writer per hot session: registrations queue up and are decided a batch per append.

Every registration of a session contends on the session's one stream. Optimistic retries alone
collapse under a rush (each retry re-reads a growing stream and loses again), so in this process
a session has exactly one writer task: callers queue their command and await its outcome; the
task takes every registration queued at that moment (up to `max_batch`), decides them with
`decide_registrations` against the state it keeps in memory, and appends the result in ONE
append with the expected version. Arrival order is queue order. Other commands of the session
(cancel, check-in, counting no-shows) go through the same queue, one at a time, so nothing else
in this process writes the stream behind the writer's back.

Another process writing the same session shows up as a version conflict: the writer re-reads the
stream and decides the same batch again (bounded). An append that failed in an unknown way marks
the state stale, so the next batch starts from a fresh read.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections import deque
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace

from redpark_contracts.events_public import SessionEvent
from redpark_platform.actor import acting_as, current_actor
from redpark_platform.errors import DomainError
from redpark_platform.store import AppendResult, ConcurrencyConflict, EventStore

from ..domain.errors import ERRORS
from ..domain.registration import Outcome, decide_registrations
from ..domain.session import decide, session_decider
from ..domain.session_commands import Register, RegisterBatch, SessionCommand
from ..domain.session_state import SessionState, session_stream

log = logging.getLogger("redpark.events_public.writer")
_tracer = trace.get_tracer("redpark.events_public.writer")


@dataclass(frozen=True)
class RegistrationResult:
    outcome: Outcome
    position: int  # global position the caller can wait for (0 when nothing was stored)


def _traced(items: list[_Item]) -> AbstractContextManager[trace.Span]:
    """A span for the batch in its first caller's trace, linked to every other caller's request."""
    links = [trace.Link(trace.get_current_span(i.trace).get_span_context()) for i in items[1:] if i.trace]
    return _tracer.start_as_current_span("session.write", context=items[0].trace, links=links,
                                         attributes={"redpark.batch": len(items)})


def _writer_closed() -> DomainError:
    return ERRORS.error("service.stopping")


@dataclass
class _Item:
    command: SessionCommand
    future: asyncio.Future[Any]
    actor: str | None = None  # who asked (the store records it with the events this item appends)
    # The caller's trace: the writer task has a context of its own, so without it the append (and
    # the relay's publish and every projection after it) would start a trace of their own.
    trace: otel_context.Context | None = None


class SessionWriter:
    def __init__(
        self, store: EventStore, session_id: str, *, max_batch: int = 200, max_attempts: int = 5
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.stream_id = session_stream(session_id)
        self.max_batch = max_batch
        self.max_attempts = max_attempts
        self.batches = 0  # appends made, for tests and metrics
        self._queue: deque[_Item] = deque()
        self._wake = asyncio.Event()
        self._state: SessionState | None = None  # None = read the stream before deciding
        self._version = 0
        self._closed = False
        # A context of its own: the task outlives the request that created it, whose actor it must
        # not inherit; each item carries its caller's actor instead.
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name=f"session-writer-{session_id}", context=contextvars.Context())

    # --- what callers use --------------------------------------------------------------------

    async def register(self, registration: Register) -> RegistrationResult:
        result: RegistrationResult = await self._submit(registration)
        return result

    async def execute(self, command: SessionCommand) -> AppendResult:
        """Any other session command; raises its refusal."""
        result: AppendResult = await self._submit(command)
        return result

    async def state(self) -> SessionState:
        """The session as this writer knows it (read from the store when it does not yet)."""
        if self._state is None:
            await self._load()
        assert self._state is not None
        return self._state

    async def close(self) -> None:
        self._closed = True
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        while self._queue:
            item = self._queue.popleft()
            if not item.future.done():
                item.future.set_exception(_writer_closed())

    # --- the task ----------------------------------------------------------------------------

    async def _submit(self, command: SessionCommand) -> Any:
        if self._closed:
            raise _writer_closed()
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append(_Item(command, future, current_actor(), otel_context.get_current()))
        self._wake.set()
        return await future

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                items = self._take()
                try:
                    # A batch is appended once: it is recorded as its first caller's (public
                    # registrations have no actor; a staff member's command is alone in its batch).
                    with acting_as(items[0].actor), _traced(items):
                        if isinstance(items[0].command, Register):
                            await self._decide_registrations(items)
                        else:
                            await self._decide_one(items[0])
                except asyncio.CancelledError:
                    for item in items:
                        if not item.future.done():
                            item.future.set_exception(_writer_closed())
                    raise
                except Exception as exc:  # noqa: BLE001 - the callers get it; the writer goes on
                    self._state = None  # the append may or may not have happened: re-read
                    log.warning(
                        "session %s: batch of %d failed: %s", self.session_id, len(items), type(exc).__name__
                    )
                    for item in items:
                        if not item.future.done():
                            item.future.set_exception(exc)

    def _take(self) -> list[_Item]:
        first = self._queue.popleft()
        items = [first]
        if isinstance(first.command, Register):
            while (
                self._queue and len(items) < self.max_batch and isinstance(self._queue[0].command, Register)
                and self._queue[0].actor == first.actor
            ):
                items.append(self._queue.popleft())
        return items

    async def _load(self) -> None:
        stored = await self.store.read_stream(self.stream_id)
        self._state = session_decider.fold([e.event for e in stored.events])
        self._version = stored.version

    async def _append(self, events: list[SessionEvent]) -> AppendResult | None:
        """Append at the known version; None on a conflict (the caller re-decides)."""
        try:
            return await self.store.append(self.stream_id, events, expected_version=self._version)
        except ConcurrencyConflict:
            self._state = None
            return None

    async def _decide_registrations(self, items: list[_Item]) -> None:
        batch = RegisterBatch(registrations=[i.command for i in items])  # type: ignore[misc]
        for _attempt in range(self.max_attempts):
            if self._state is None:
                await self._load()
            assert self._state is not None
            decision = decide_registrations(batch, self._state)
            position = 0
            if decision.events:
                result = await self._append(decision.events)
                if result is None:
                    continue
                self._version, position = result.version, result.position
                self.batches += 1
            self._state = decision.state
            for item, outcome in zip(items, decision.outcomes, strict=True):
                if not item.future.done():  # a caller that gave up still has its registration stored
                    item.future.set_result(RegistrationResult(outcome, position))
            return
        raise _exhausted(self.stream_id)

    async def _decide_one(self, item: _Item) -> None:
        for _attempt in range(self.max_attempts):
            if self._state is None:
                await self._load()
            assert self._state is not None
            try:
                events = decide(item.command, self._state)
            except DomainError as refusal:
                if not item.future.done():
                    item.future.set_exception(refusal)
                return
            result = (
                await self._append(events)
                if events
                else AppendResult(stream_id=self.stream_id, version=self._version, position=0, event_ids=[])
            )
            if result is None:
                continue
            self._version = result.version
            self._state = session_decider.fold(events, self._state)
            self.batches += 1 if events else 0
            if not item.future.done():
                item.future.set_result(result)
            return
        raise _exhausted(self.stream_id)


def _exhausted(stream_id: str) -> DomainError:
    # The same refusal as the platform's run_decider gives after its retries.
    return ERRORS.error("concurrency.exhausted", stream_id=stream_id)


class SessionWriters:
    """The writers of one process, one per session, made on first use."""

    def __init__(self, store: EventStore, *, max_batch: int = 200) -> None:
        self.store = store
        self.max_batch = max_batch
        self._writers: dict[str, SessionWriter] = {}

    def get(self, session_id: str) -> SessionWriter:
        writer = self._writers.get(session_id)
        if writer is None:
            writer = self._writers[session_id] = SessionWriter(
                self.store, session_id, max_batch=self.max_batch
            )
        return writer

    async def discard(self, session_id: str) -> None:
        writer = self._writers.pop(session_id, None)
        if writer is not None:
            await writer.close()

    async def close(self) -> None:
        writers, self._writers = list(self._writers.values()), {}
        await asyncio.gather(*(w.close() for w in writers), return_exceptions=True)
