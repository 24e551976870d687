"""Shared by the ordering test and the projection process it kills: a read model that notices
any event applied before one that precedes it on the stream."""

from __future__ import annotations

import asyncio

import asyncpg
from relay_support import ThingHappened, registry

from redpark_platform.events import Event, IncomingEvent
from redpark_platform.projections import Projection

TABLES_SQL = """
CREATE TABLE IF NOT EXISTS thing_latest (thing_id text PRIMARY KEY, n int NOT NULL, applied int NOT NULL);
CREATE TABLE IF NOT EXISTS thing_out_of_order (position bigint NOT NULL, after_position bigint NOT NULL);
CREATE TABLE IF NOT EXISTS thing_last_applied (singleton boolean PRIMARY KEY, position bigint NOT NULL);
"""


class LatestThing(Projection):
    """The last `n` of each thing and how many events it applied: order matters (last writer
    wins), and so does applying each event once. An event that arrives behind a later one on
    the stream is recorded in `thing_out_of_order`."""

    name = "thing_latest"
    sources = ("relaytest",)
    registries = {"relaytest": registry}
    tables = ("thing_latest", "thing_out_of_order", "thing_last_applied")

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        assert isinstance(event, ThingHappened)
        newest = await conn.fetchval("SELECT position FROM thing_last_applied")
        await conn.execute(
            "INSERT INTO thing_last_applied VALUES (true, $1) ON CONFLICT (singleton) DO UPDATE"
            " SET position = greatest(thing_last_applied.position, excluded.position)", meta.sequence)
        if newest is not None and newest > meta.sequence:
            await conn.execute("INSERT INTO thing_out_of_order VALUES ($1, $2)", meta.sequence, newest)
        await conn.execute(
            "INSERT INTO thing_latest (thing_id, n, applied) VALUES ($1, $2, 1)"
            " ON CONFLICT (thing_id) DO UPDATE SET n = excluded.n, applied = thing_latest.applied + 1",
            event.thing_id, event.n)
        await asyncio.sleep(0.001)  # a read model with some work per event: kills land mid-batch
