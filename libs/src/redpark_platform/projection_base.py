"""What a projection is: a read model's handler of events (`Projection`), a handler that answers with
commands (`Reaction`), how one batch is applied and a person forgotten, and where a read model waits
for an upgrade. The runner that feeds them from JetStream is in `projections`."""

from __future__ import annotations

import abc
import contextvars
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import asyncpg

from redpark_contracts.privacy import ERASURE_KEY, PersonErased

from .events import Event, EventRegistry, IncomingEvent
from .masking import ERASED
from .personal import open_personal

log = logging.getLogger("redpark.projections")


class Projection(abc.ABC):
    """Base of a read model. Subclasses set the class attributes and implement `handle`
    (and may override `handle_batch` when writing many rows at once is worth it)."""

    name: ClassVar[str]
    sources: ClassVar[tuple[str, ...]]
    registries: ClassVar[Mapping[str, EventRegistry]]
    tables: ClassVar[tuple[str, ...]] = ()
    # The personal fields (see `EventRegistry.register(personal=...)`) this read model keeps in
    # clear, opened with the person's key for events of its own service (the keys are in its own
    # database). Every other personal field, and every one from another service, stays sealed.
    opens: ClassVar[frozenset[str]] = frozenset()

    def wants(self, source: str, key: str) -> bool:
        """Whether this read model reads events of `key` at all (narrowed by subclasses); the
        others are acknowledged and skipped. A wanted event this code cannot read waits for an
        upgrade (see `understands`)."""
        return True

    def understands(self, source: str, key: str, version: int) -> bool:
        """Whether this code can decode the event (type known, version not newer than ours)."""
        registry = self.registries.get(source)
        return registry is not None and registry.can_read(key, version)

    @abc.abstractmethod
    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        """Apply one event; runs inside the transaction that records it as applied."""

    async def handle_batch(self, conn: asyncpg.Connection, items: Sequence[tuple[Event, IncomingEvent]]) -> None:
        for event, meta in items:
            await self.handle(conn, event, meta)

    async def forget(self, conn: asyncpg.Connection, source: str, subject_id: str) -> int:
        """Delete or blank what this read model holds about one person, named by `source`'s own id of
        them, when `source` publishes `person.erased`; the rows touched. Runs in the transaction that
        applies the erasure (live and in a rebuild, so both end the same); must be idempotent. The
        default holds no one."""
        return 0

    async def reset(self, conn: asyncpg.Connection) -> None:
        """Empty the read model before a rebuild."""
        for table in self.tables:
            await conn.execute(f"TRUNCATE {table}")


async def blank_person(conn: asyncpg.Connection, table: str, columns: Sequence[str], key: str, subject_id: str,
                       *, also: str = "") -> int:
    """A `forget` that keeps the person's rows (counts, stages and waiting lists stay right) and
    blanks the columns that say who they are to `已删除`; the rows changed (none the second time).
    `also` adds SQL assignments for columns that are not text (e.g. `categories = '{}'`)."""
    sets = ", ".join([*(f"{c} = $2" for c in columns), *([also] if also else [])])
    changed = " OR ".join(f"{c} IS DISTINCT FROM $2" for c in columns)
    status = await conn.execute(
        f"UPDATE {table} SET {sets} WHERE {key} = $1 AND ({changed})", subject_id, ERASED)  # noqa: S608
    return int(status.split()[-1])


def wanted(projection: Projection, source: str, key: str) -> bool:
    """Whether the read model takes the event: its own choice, and every erasure of a person."""
    return key == ERASURE_KEY or projection.wants(source, key)


async def apply_events(projection: Projection, conn: asyncpg.Connection, service: str,
                       items: Sequence[tuple[Event, IncomingEvent]]) -> None:
    """`handle_batch`, with the fields the read model `opens` opened for its own service's events and
    each erasure handed, in its place in the stream, to `forget`. The runner, a dead letter's replay
    and `verify`'s rebuild all apply events through here, so they cannot drift apart."""
    run: list[tuple[Event, IncomingEvent]] = []
    for event, meta in items:
        if isinstance(event, PersonErased):
            if run:
                await projection.handle_batch(conn, await _opened(projection, conn, service, run))
                run = []
            await projection.forget(conn, meta.service, event.subject_id)
        else:
            run.append((event, meta))
    if run:
        await projection.handle_batch(conn, await _opened(projection, conn, service, run))


async def _opened(projection: Projection, conn: asyncpg.Connection, service: str,
                  items: list[tuple[Event, IncomingEvent]]) -> list[tuple[Event, IncomingEvent]]:
    if not projection.opens or not any(m.service == service and e.personal_fields for e, m in items):
        return items
    own = [e for e, m in items if m.service == service]
    opened = iter(await open_personal(conn, own, only=projection.opens))
    return [(next(opened), m) if m.service == service else (e, m) for e, m in items]


# The transaction a reaction is handling its events in (see `Reaction`); `Runtime.execute` appends
# in it when set, so the commands a reaction issues commit with its checkpoint or not at all.
reaction_transaction: contextvars.ContextVar[asyncpg.Connection | None] = contextvars.ContextVar(
    "reaction_transaction", default=None)


class Reaction(Projection):
    """A projection that answers events (usually another service's) with commands of its own
    service, on its own streams, instead of writing a read model. The runtime attaches itself
    before any consumer starts, so `handle` always has it.

    The commands it issues through the runtime (directly or through an application layer) append
    in the transaction that records the events as handled and moves the checkpoint: a crash leaves
    both or neither, never a command without its checkpoint. A reaction still decides nothing new
    on a redelivery or a rebuild (its deciders see the commands' streams)."""

    runtime: Any = None  # the service's Runtime, set by Runtime.start

    def attach(self, runtime: Any) -> None:
        self.runtime = runtime

    async def handle_batch(self, conn: asyncpg.Connection, items: Sequence[tuple[Event, IncomingEvent]]) -> None:
        token = reaction_transaction.set(conn)
        try:
            await super().handle_batch(conn, items)
        finally:
            reaction_transaction.reset(token)


@dataclass(frozen=True)
class Parked:
    """Where a read model waits for an upgrade: the first event of `source` it cannot read."""

    source: str
    type: str
    version: int
    position: int
    since: float

    def describe(self) -> str:
        return f"{self.source} {self.type} v{self.version} at position {self.position}"


class WaitForUpgrade(Exception):
    def __init__(self, parked: Parked) -> None:
        super().__init__(parked.describe())
        self.parked = parked


class ReplayRefused(Exception):
    """A dead letter that cannot be replayed now; `code` names why (see web.ops)."""

    def __init__(self, code: str, reason: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.reason = reason
