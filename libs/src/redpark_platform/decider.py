"""Deciders: business rules as pure functions, and the runner that gives them storage.

A decider is `decide(command, state) -> events` and `evolve(state, event) -> state`, both pure.
Time comes in with the command. The runner loads a stream, folds it with `evolve`, calls
`decide`, and appends with the expected version, re-deciding on a conflict a bounded number of
times.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from .store import AppendResult, EventStore

C = TypeVar("C")
S = TypeVar("S")
E = TypeVar("E")


class DomainError(Exception):
    """A command refused by a rule. Carries what the HTTP edge needs for problem+json.

    `code` is stable and machine-readable (e.g. "dues.already_paid"); `field` names the input
    field at fault when there is one; `detail` is English, `detail_zh` Chinese.
    """

    status = 409

    def __init__(
        self, code: str, detail: str, *, detail_zh: str = "", field: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.detail_zh = detail_zh or detail
        self.field = field
        if status is not None:
            self.status = status


class NotFound(DomainError):
    status = 404


class InvalidCommand(DomainError):
    """The command is well-formed but its values break a rule about the input itself."""

    status = 422


@dataclass(frozen=True)
class Decider(Generic[C, S, E]):
    initial: Callable[[], S] | S
    decide: Callable[[C, S], Sequence[E]]
    evolve: Callable[[S, E], S]

    def initial_state(self) -> S:
        init = self.initial
        return init() if callable(init) else init  # type: ignore[return-value]

    def fold(self, events: Sequence[E], state: S | None = None) -> S:
        st = self.initial_state() if state is None else state
        for ev in events:
            st = self.evolve(st, ev)
        return st


class TooManyConflicts(DomainError):
    status = 503


async def run_decider(
    store: EventStore,
    stream_id: str,
    decider: Decider[C, S, E],
    command: C,
    *,
    max_attempts: int = 5,
    **append_kwargs: object,
) -> AppendResult:
    """Load, decide, append; on a version conflict re-read and re-decide, at most `max_attempts`."""
    from .store import ConcurrencyConflict

    for _attempt in range(max_attempts):
        stored = await store.read_stream(stream_id)
        state = decider.fold([r.event for r in stored.events])  # type: ignore[misc]
        events = list(decider.decide(command, state))
        try:
            return await store.append(stream_id, events, expected_version=stored.version, **append_kwargs)  # type: ignore[arg-type]
        except ConcurrencyConflict:
            continue
    raise TooManyConflicts(
        "concurrency.exhausted",
        f"stream {stream_id} kept changing; the command was not applied, try again",
        detail_zh="数据正在被他人修改，本次操作未生效，请重试",
    )
