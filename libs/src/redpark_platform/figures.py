"""The operational figures of a running service, read from its database and the bus.

`sample(runtime)` is what `/metrics` refreshes before it answers (see `redpark_platform.metrics`):
the relay's backlog and the age of its oldest unpublished event, each read model's position and
lag per source, dead letters and parked messages per read model, inbound and outbound webhook
deliveries by status, notifications by channel and status. Every figure is a count or an age: no
row of the service's data leaves here.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from nats.js.errors import NotFoundError

from .bus import stream_name
from .events import parse_cloudevent
from .metrics import Figures
from .outbound import OutboundProjection

if TYPE_CHECKING:
    from .projections import ProjectionRunner
    from .runtime import Runtime

INBOX_STATUSES = ("pending", "applied", "parked", "rejected")
OUTBOUND_STATUSES = ("pending", "delivered", "failed")
NOTIFICATION_STATUSES = ("pending", "sending", "sent", "failed", "skipped")


async def sample(runtime: Runtime) -> Figures:
    figures = Figures()
    now = datetime.now(UTC)
    await _relay(runtime, figures, now)
    await _projections(runtime, figures, now)
    await _webhooks(runtime, figures)
    await _notifications(runtime, figures)
    return figures


async def _relay(runtime: Runtime, figures: Figures, now: datetime) -> None:
    figures.relay_backlog = await runtime.relay.backlog()
    if figures.relay_backlog:
        last = await runtime.store.last_position() - figures.relay_backlog
        oldest = await runtime.pool.fetchval(
            "SELECT recorded_at FROM events WHERE position > $1 ORDER BY position LIMIT 1", last)
        if oldest is not None:
            figures.relay_lag_s = max(0.0, (now - oldest).total_seconds())


async def parked_messages(runner: ProjectionRunner) -> int:
    """Messages a read model stopped at because its code cannot read them yet (one per source it
    reads: nothing behind it is applied until the upgrade)."""
    return len(runner.parked)


async def _projections(runtime: Runtime, figures: Figures, now: datetime) -> None:
    rows = await runtime.pool.fetch("SELECT projection, source, position FROM projection_checkpoints")
    checkpoints = {(r["projection"], r["source"]): int(r["position"]) for r in rows}
    dead = {r["projection"]: int(r["n"]) for r in await runtime.pool.fetch(
        "SELECT projection, count(*) AS n FROM projection_dead_letters GROUP BY projection")}
    nc = runtime.relay._nc
    js = nc.jetstream() if nc is not None and nc.is_connected else None
    asked: list[tuple[str, str]] = []
    for name, runner in runtime.runners.items():
        figures.dead_letters[name] = dead.get(name, 0)
        figures.parked[name] = await parked_messages(runner)
        for source in runner.projection.sources:
            figures.projection_position[(name, source)] = checkpoints.get((name, source), 0)
            asked.append((name, source))
    if js is None:
        return
    # One round trip to NATS per consumer, all at once: a service with many read models still
    # answers a scrape in about one round trip's time.
    lags = await asyncio.gather(*(_consumer_lag(js, source, runtime.runners[name].durable, now)
                                  for name, source in asked))
    for key, lag in zip(asked, lags, strict=True):
        if lag is not None:
            figures.projection_lag_s[key] = lag


async def _consumer_lag(js: Any, source: str, durable: str, now: datetime) -> float | None:
    """Seconds since the oldest event the consumer has not acknowledged was recorded; 0 when it is
    caught up; None when there is no consumer to ask (not started yet)."""
    try:
        info = await js.consumer_info(stream_name(source), durable)
    except NotFoundError:
        return None
    if not (info.num_pending or info.num_ack_pending):
        return 0.0
    first = int(info.ack_floor.stream_seq or 0) + 1 if info.ack_floor else 1
    with contextlib.suppress(NotFoundError, ValueError):
        msg = await js.get_msg(stream_name(source), first)
        recorded = datetime.fromisoformat(parse_cloudevent(msg.data or b"").time)
        return max(0.0, (now - recorded).total_seconds())
    return None


async def _webhooks(runtime: Runtime, figures: Figures) -> None:
    inbox = runtime.extras.get("inbox")
    for system in getattr(inbox, "systems", {}):
        for status in INBOX_STATUSES:
            figures.inbox[(system, status)] = 0
    for r in await runtime.pool.fetch("SELECT system, status, count(*) AS n FROM webhook_inbox GROUP BY 1, 2"):
        figures.inbox[(r["system"], r["status"])] = int(r["n"])
    # Every topic the service offers (its outbound projection's), each status at 0 until it has one.
    for projection in runtime.spec.projections:
        if isinstance(projection, OutboundProjection):
            for topic in projection.topics:
                for status in OUTBOUND_STATUSES:
                    figures.outbound[(topic.name, status)] = 0
    for r in await runtime.pool.fetch(
            "SELECT topic, status, count(*) AS n FROM outbound_deliveries GROUP BY 1, 2"):
        figures.outbound[(r["topic"], r["status"])] = int(r["n"])


async def _notifications(runtime: Runtime, figures: Figures) -> None:
    hub = runtime.extras.get("notifications")
    if hub is None:
        return  # a service that sends nothing shows no made-up series
    # Every channel the service can send on, each status at 0 until it has one: an alert on
    # `failed` has a series to read from the first scrape.
    for channel in getattr(hub.worker, "channels", {}):
        for status in NOTIFICATION_STATUSES:
            figures.notifications[(channel, status)] = 0
    for r in await runtime.pool.fetch("SELECT channel, status, count(*) AS n FROM notifications GROUP BY 1, 2"):
        figures.notifications[(r["channel"], r["status"])] = int(r["n"])
