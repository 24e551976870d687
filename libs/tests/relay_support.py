"""Shared by the relay tests and the relay subprocess they kill: a tiny contract and helpers."""

from __future__ import annotations

import nats
from nats.js.api import ConsumerConfig, DeliverPolicy

from redpark_platform.bus import stream_name, subject
from redpark_platform.events import Event, EventRegistry, parse_cloudevent

registry = EventRegistry("relaytest")


@registry.register("thing", "happened")
class ThingHappened(Event, frozen=True, kw_only=True):
    thing_id: str
    n: int


async def stream_contents(nats_url: str) -> list[tuple[int, str, dict[str, str]]]:
    """(position, event id, headers) of every message on the stream, in stream order."""
    stream = stream_name("relaytest")
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        info = await js.stream_info(stream)
        total = info.state.messages
        out: list[tuple[int, str, dict[str, str]]] = []
        if not total:
            return out
        sub = await js.pull_subscribe(subject("relaytest.>"), stream=stream,
                                      config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL))
        while len(out) < total:
            for msg in await sub.fetch(min(500, total - len(out)), timeout=5):
                ce = parse_cloudevent(msg.data)
                out.append((ce.sequence, ce.id, dict(msg.headers or {})))
                await msg.ack()
        return out
    finally:
        await nc.close()
