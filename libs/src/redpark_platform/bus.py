"""NATS JetStream: connections and the one stream per service."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import nats
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

log = logging.getLogger("redpark.bus")

DEAD_LETTER_STREAM = "DEADLETTER"
DUPLICATE_WINDOW_S = 120.0


def stream_name(service: str) -> str:
    """Stream names cannot hold '.', '-' is replaced too for readability: events-public -> EVENTS_PUBLIC."""
    return service.upper().replace("-", "_").replace(".", "_")


def dead_letter_subject(service: str, projection: str) -> str:
    return f"deadletter.{service}.{projection}"


async def connect(
    url: str, name: str, *, connect_timeout: float = 2.0,
    on_reconnect: Callable[[], Awaitable[None]] | None = None,
) -> NATS:
    """Connect once; reconnect for ever afterwards (commands never depend on NATS being up).

    `on_reconnect` runs after every reconnect: the server may have restarted and lost its
    unsynced tail or our consumers, so callers re-check what they rely on.
    """
    extra = {"reconnected_cb": on_reconnect} if on_reconnect is not None else {}
    return await nats.connect(
        url,
        name=name,
        connect_timeout=connect_timeout,
        allow_reconnect=True,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        # While disconnected, publishes fail fast instead of piling up in a client buffer that
        # could later be flushed out of order after a publish that already failed.
        pending_size=0,
        **extra,
    )


async def connect_with_retry(
    url: str, name: str, stop: asyncio.Event | None = None,
    on_reconnect: Callable[[], Awaitable[None]] | None = None,
) -> NATS:
    delay = 0.2
    while True:
        try:
            return await connect(url, name, on_reconnect=on_reconnect)
        except Exception as exc:  # noqa: BLE001 - any failure to connect means "try again later"
            log.warning("NATS not reachable (%s); retrying in %.1fs", type(exc).__name__, delay)
            if stop is not None and stop.is_set():
                raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


async def ensure_stream(js: JetStreamContext, service: str) -> str:
    name = stream_name(service)
    config = StreamConfig(
        name=name,
        subjects=[f"{service}.>"],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        duplicate_window=DUPLICATE_WINDOW_S,
        max_age=0,
    )
    await _add_or_update(js, config)
    return name


async def ensure_dead_letter_stream(js: JetStreamContext) -> str:
    config = StreamConfig(
        name=DEAD_LETTER_STREAM, subjects=["deadletter.>"], retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE, max_age=0,
    )
    await _add_or_update(js, config)
    return DEAD_LETTER_STREAM


async def _add_or_update(js: JetStreamContext, config: StreamConfig) -> None:
    try:
        await js.add_stream(config)
    except BadRequestError:
        # Exists with another config: bring it to ours (subjects/limits may evolve).
        await js.update_stream(config)


async def stream_exists(js: JetStreamContext, name: str) -> bool:
    try:
        await js.stream_info(name)
        return True
    except NotFoundError:
        return False
