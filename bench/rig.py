"""The servers every benchmark shares, fresh databases on them, and the event the benchmarks write.

One durable PostgreSQL (fsync on, the deployed defaults) and one NATS with JetStream fsyncing
every write (`sync_interval: always`, as deployed), on free loopback ports in a temporary folder.
Each benchmark takes its own database and its own stream, so none measures another's leftovers.
"""

from __future__ import annotations

import itertools
import random
import string
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from redpark_platform.db import create_pool, migrate
from redpark_platform.events import Event, EventRegistry
from redpark_platform.servers import NatsServer, PostgresServer


class ActivityRecorded(Event, frozen=True, kw_only=True):
    """A member's recorded party activity: the size and shape of a typical Red Park event."""

    member_id: str
    branch_id: str
    kind: str
    title: str
    note: str
    points: int
    month: str


def registry_for(service: str) -> EventRegistry:
    """A registry per benchmark, so each publishes to its own stream (`<SERVICE>`)."""
    registry = EventRegistry(service)
    registry.register("activity", "recorded")(ActivityRecorded)
    return registry


_rng = random.Random(7201)
_NOTE = "".join(_rng.choice(string.ascii_letters + " ") for _ in range(96))


def activity(n: int) -> ActivityRecorded:
    return ActivityRecorded(
        member_id=f"m-{n % 5000:05d}", branch_id=f"b-{n % 40:03d}", kind="theme_study",
        title=f"Quarterly theme study session {n % 12 + 1}", note=_NOTE, points=n % 7 + 1,
        month="2025-11",
    )


@dataclass
class Rig:
    folder: Path
    pg: PostgresServer = field(init=False)
    nats: NatsServer = field(init=False)
    _names: itertools.count[int] = field(default_factory=itertools.count)

    def start(self) -> Rig:
        self.pg = PostgresServer(self.folder / "pg", durable=True).start()
        try:
            self.nats = NatsServer(self.folder / "nats", sync_always=True).start()
        except BaseException:
            self.pg.stop()
            raise
        return self

    def stop(self) -> None:
        try:
            self.nats.stop()
        finally:
            self.pg.stop()

    @property
    def nats_url(self) -> str:
        return self.nats.url

    async def new_database(self, label: str) -> str:
        name = f"bench_{label}_{next(self._names)}_{uuid.uuid4().hex[:6]}"
        # Owned by a login role of its own, as under `up`: the figures include SCRAM sign-ins.
        return await self.pg.acreate_owned_database(name)

    async def platform_pool(self, dsn: str, size: int = 20) -> asyncpg.Pool:
        """A pool on a database carrying the platform's tables (event store, relay, projections)."""
        pool = await create_pool(dsn, min_size=min(size, 4), max_size=size)
        await migrate(pool)
        return pool
