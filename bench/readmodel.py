"""The read model the projection and rebuild benchmarks feed: one row per recorded activity.

A realistic handler, not a no-op: every event becomes a row written with `executemany` in the
runner's transaction. The raw pipelines write the same rows into a twin table.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg
import msgspec
from redpark_platform.events import Event, EventRegistry, IncomingEvent
from redpark_platform.projections import Projection

from .rig import ActivityRecorded

TABLE_SQL = """
CREATE TABLE IF NOT EXISTS {table} (
    event_id     uuid PRIMARY KEY,
    member_id    text NOT NULL,
    branch_id    text NOT NULL,
    kind         text NOT NULL,
    title        text NOT NULL,
    points       int NOT NULL,
    month        text NOT NULL,
    position     bigint NOT NULL,
    recorded_at  timestamptz NOT NULL
)"""
INSERT_SQL = ("INSERT INTO {table} (event_id, member_id, branch_id, kind, title, points, month, position,"
              " recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::timestamptz)")

Row = tuple[uuid.UUID, str, str, str, str, int, str, int, str]


def row(event: ActivityRecorded, event_id: str, position: int, time: str) -> Row:
    return (uuid.UUID(event_id), event.member_id, event.branch_id, event.kind, event.title, event.points,
            event.month, position, time)


async def create_table(pool: asyncpg.Pool, table: str) -> None:
    await pool.execute(TABLE_SQL.format(table=table))


class ActivityLog(Projection):
    """Rows per activity. With `notify_channel`, the batch's last position is announced on commit,
    which is how the lag watcher learns the moment a row became visible without polling."""

    def __init__(self, name: str, registry: EventRegistry, notify_channel: str | None = None,
                 table: str = "activity_log") -> None:
        self.name = name  # type: ignore[misc]  # instance values: one class, several benchmarks
        self.sources = (registry.service,)  # type: ignore[misc]
        self.registries = {registry.service: registry}  # type: ignore[misc]
        self.tables = (table,)  # type: ignore[misc]
        self.notify_channel = notify_channel
        self._insert = INSERT_SQL.format(table=table)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        await self.handle_batch(conn, [(event, meta)])

    async def handle_batch(self, conn: asyncpg.Connection, items: Sequence[tuple[Event, IncomingEvent]]) -> None:
        rows = []
        for event, meta in items:
            assert isinstance(event, ActivityRecorded)
            rows.append(row(event, meta.id, meta.sequence, meta.time))
        await conn.executemany(self._insert, rows)
        if self.notify_channel:
            # Delivered only when the transaction commits: the moment the rows became visible.
            await conn.execute("SELECT pg_notify($1, $2)", self.notify_channel, str(rows[-1][7]))


class RawEnvelope(msgspec.Struct, frozen=True):
    """What the raw pipelines decode from a message: no registry, no upcasting, no dedup."""

    id: str
    sequence: str
    time: str
    data: ActivityRecorded


raw_decoder = msgspec.json.Decoder(RawEnvelope)
