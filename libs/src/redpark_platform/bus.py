"""NATS JetStream: connections and the one stream per service."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import nats
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

log = logging.getLogger("redpark.bus")

DEAD_LETTER_STREAM = "DEADLETTER"
DUPLICATE_WINDOW_S = 120.0


# The bus prefix puts every stream and subject of this process under its own name on a shared
# server, so that tests (one prefix each) share one NATS instead of starting one each. Empty in
# production: names are then exactly the service's. Set by the runtime from `Settings.bus_prefix`
# and by the test kit's `bus_prefix` fixture; every name below goes through `subject` and
# `stream_name`, the one place the prefix is applied.
_prefix = ""
_PREFIX_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def use_prefix(prefix: str) -> None:
    """Put this process's streams and subjects under `prefix` ("" for none)."""
    global _prefix
    if prefix and not set(prefix) <= _PREFIX_ALPHABET:
        raise ValueError(f"bus prefix {prefix!r}: only a-z, 0-9 and '_' "
                         "(it is a subject token and part of stream names)")
    _prefix = prefix


def current_prefix() -> str:
    return _prefix


def subject(name: str) -> str:
    """A subject as it is on the bus: `organization.member.registered` or, with prefix `t1`,
    `t1.organization.member.registered`."""
    return f"{_prefix}.{name}" if _prefix else name


def stream_name(service: str) -> str:
    """Stream names cannot hold '.', '-' is replaced too for readability: events-public -> EVENTS_PUBLIC
    (`T1_EVENTS_PUBLIC` under prefix `t1`)."""
    name = service.upper().replace("-", "_").replace(".", "_")
    return f"{_prefix.upper()}_{name}" if _prefix else name


def service_subjects(service: str) -> str:
    """The subject filter of everything `service` publishes."""
    return subject(f"{service}.>")


def dead_letter_stream_name() -> str:
    return stream_name(DEAD_LETTER_STREAM)


def dead_letter_subject(service: str, projection: str) -> str:
    return subject(f"deadletter.{service}.{projection}")


def inbox_prefix(user: str | None) -> str:
    """Where replies to `user` arrive. Each user has its own, and may subscribe to nothing else
    (see `credentials`), so no other process can read the replies meant for it."""
    return f"_INBOX.{user}" if user else "_INBOX"


def nats_servers(url: str) -> list[str]:
    """`REDPARK_NATS_URL` may name every seed of a cluster, comma-separated, each with the same
    credentials: the client then reaches the cluster while any one of them answers."""
    return [part.strip() for part in url.split(",") if part.strip()]


async def connect(
    url: str, name: str, *, connect_timeout: float = 2.0,
    on_reconnect: Callable[[], Awaitable[None]] | None = None, reconnect_attempts: int = -1,
) -> NATS:
    """Connect once; reconnect for ever afterwards (commands never depend on NATS being up).

    `on_reconnect` runs after every reconnect: the server may have restarted and lost its
    unsynced tail or our consumers, so callers re-check what they rely on. A tool that a person
    waits for gives a bound (`reconnect_attempts`), so wrong credentials end it with an error.
    """
    extra = {"reconnected_cb": on_reconnect} if on_reconnect is not None else {}
    servers = nats_servers(url)
    return await nats.connect(
        servers,
        name=name,
        inbox_prefix=inbox_prefix(urlsplit(servers[0]).username if servers else None),
        connect_timeout=connect_timeout,
        allow_reconnect=True,
        max_reconnect_attempts=reconnect_attempts,
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


async def ensure_stream(js: JetStreamContext, service: str, replicas: int = 1) -> str:
    name = stream_name(service)
    config = StreamConfig(
        name=name,
        subjects=[service_subjects(service)],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        duplicate_window=DUPLICATE_WINDOW_S,
        max_age=0,
        num_replicas=replicas,
    )
    await _add_or_update(js, config)
    return name


async def ensure_dead_letter_stream(js: JetStreamContext, replicas: int = 1) -> str:
    name = dead_letter_stream_name()
    config = StreamConfig(
        name=name, subjects=[subject("deadletter.>")], retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE, max_age=0, num_replicas=replicas,
    )
    await _add_or_update(js, config)
    return name


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
