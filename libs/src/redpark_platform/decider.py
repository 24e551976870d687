"""Deciders: business rules as pure functions, and the runner that gives them storage.

A decider is `decide(command, state) -> events` and `evolve(state, event) -> state`, both pure.
Time comes in with the command. The runner loads a stream, folds it with `evolve`, calls
`decide`, and appends with the expected version, re-deciding on a conflict a bounded number of
times.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

# Kept here for the services' migration: the errors live in redpark_platform.errors.
from .errors import ConcurrencyConflict, DomainError, InvalidCommand, NotFound, TooManyConflicts

__all__ = ["Decider", "DomainError", "InvalidCommand", "NotFound", "TooManyConflicts", "run_decider"]

C = TypeVar("C")
S = TypeVar("S")
E = TypeVar("E")
R = TypeVar("R", covariant=True)


class _Recorded(Protocol):
    @property
    def event(self) -> Any: ...


class _Stream(Protocol):
    @property
    def version(self) -> int: ...

    @property
    def events(self) -> Sequence[_Recorded]: ...


class StreamStore(Protocol[R]):
    """What the runner needs of a store (an `EventStore`), so this module does not import it."""

    async def read_stream(self, stream_id: str, *, conn: Any = None) -> _Stream: ...

    async def append(self, stream_id: str, events: Sequence[Any], *, expected_version: int | None = ...) -> R: ...


@dataclass(frozen=True)
class Decider(Generic[C, S, E]):
    initial: Callable[[], S] | S
    decide: Callable[[C, S], Sequence[E]]
    evolve: Callable[[S, E], S]

    def initial_state(self) -> S:
        init = self.initial
        return init() if callable(init) else init

    def fold(self, events: Sequence[E], state: S | None = None) -> S:
        st = self.initial_state() if state is None else state
        for ev in events:
            st = self.evolve(st, ev)
        return st


async def run_decider(
    store: StreamStore[R],
    stream_id: str,
    decider: Decider[C, S, E],
    command: C,
    *,
    max_attempts: int = 5,
    **append_kwargs: Any,
) -> R:
    """Load, decide, append; on a version conflict re-read and re-decide, at most `max_attempts`."""
    conn = append_kwargs.get("conn")
    for _attempt in range(max_attempts):
        stored = await store.read_stream(stream_id, conn=conn)
        state = decider.fold([r.event for r in stored.events])
        events = list(decider.decide(command, state))
        try:
            if conn is None:
                return await store.append(stream_id, events, expected_version=stored.version, **append_kwargs)
            # Inside the caller's transaction a conflict must not abort it: a savepoint per attempt.
            async with conn.transaction():
                return await store.append(stream_id, events, expected_version=stored.version, **append_kwargs)
        except ConcurrencyConflict:
            continue
    raise TooManyConflicts(
        "concurrency.exhausted",
        f"stream {stream_id} kept changing; the command was not applied, try again",
        detail_zh="数据正在被他人修改，本次操作未生效，请重试",
    )
