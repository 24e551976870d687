"""Another service on the bus, as far as a service under test can tell: `contract_feed`.

A service's tests should not need another service's code to see its events. A `ContractFeed`
stands in for the other service with nothing but its published contract (`redpark_contracts`):
its own event store (a database of its own) and a real relay, under the test's bus prefix, so the
events arrive exactly as the other service's would (CloudEvents, positions, sealed personal fields).

    feed = await contract_feed(organization.registry)
    moved = await feed.append("enterprise-e1", [organization.EnterpriseMovedIn(...)])
    assert await sup.runtime.runners["sup_enterprises"].wait_for("organization", moved.position)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg

from ..db import create_pool, migrate
from ..events import Event, EventRegistry
from ..relay import Relay
from ..store import AppendResult, EventStore


@dataclass
class ContractFeed:
    registry: EventRegistry
    pool: asyncpg.Pool
    store: EventStore
    relay: Relay
    _task: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def service(self) -> str:
        return self.registry.service

    async def append(self, stream_id: str, events: Sequence[Event], **kwargs: object) -> AppendResult:
        """Record `events` on the other service's stream `stream_id`; the relay publishes them. The
        result's `position` is what a consumer of that service waits for."""
        result = await self.store.append(stream_id, list(events), **kwargs)  # type: ignore[arg-type]
        return result

    async def start(self) -> None:
        self._task = asyncio.create_task(self.relay.run(), name=f"contract-feed-{self.service}")

    async def close(self) -> None:
        self.relay.stop()
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._task, 10)
        await self.store.close()
        await self.pool.close()


async def open_feed(registry: EventRegistry, database_url: str, nats_url: str) -> ContractFeed:
    pool = await create_pool(database_url, min_size=1, max_size=5)
    await migrate(pool)
    store = EventStore(pool, registry)
    feed = ContractFeed(registry=registry, pool=pool, store=store,
                        relay=Relay(store, nats_url, dsn=database_url, poll_interval=0.2))
    await feed.start()
    return feed
