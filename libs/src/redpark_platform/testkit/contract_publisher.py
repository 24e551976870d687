"""Contract fixtures (kept until education and enterprise-support move to `contracts.contract_feed`):

A service that reads another service's events is tested on its own by feeding it those events
from `redpark_contracts`, instead of starting the other service. What a consumer sees must be
indistinguishable from the real relay's messages, so this goes through the same code the relay
does: a `RecordedEvent` with a store position, `to_cloudevent` (CloudEvents 1.0, structured
mode, the position in the `sequence` extension), the producer's stream and subjects
(`ensure_stream`, `subject_for`) and `Nats-Msg-Id` = the event id, so JetStream de-duplicates a
re-send the way it does the relay's. Personal fields are sealed, as the bus only ever carries
sealed values; the key is thrown away, so they open as the consumer would open them: never.

    async with ContractFeed(nats_url, organization.registry) as org:
        last = await org.publish("member-m1", MemberJoined(...), MemberAssignedToBranch(...))
        assert await runner.wait_for("organization", last, timeout=20)
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from types import TracebackType

import msgspec
import nats
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext

from ..bus import ensure_stream
from ..events import Event, EventRegistry, RecordedEvent, new_event_id, subject_for, to_cloudevent
from ..personal import is_sealed, seal_with


class ContractFeed:
    """Stands in for one producing service's relay on a NATS server the test started."""

    def __init__(self, nats_url: str, registry: EventRegistry, *, first_position: int = 1) -> None:
        self.nats_url = nats_url
        self.registry = registry
        self.position = first_position - 1  # the producer's store position of the last event sent
        self._versions: dict[str, int] = {}
        self._nc: NATS | None = None
        self._js: JetStreamContext | None = None

    async def __aenter__(self) -> ContractFeed:
        self._nc = await nats.connect(self.nats_url, name=f"contract-feed-{self.registry.service}")
        self._js = self._nc.jetstream()
        await ensure_stream(self._js, self.registry.service)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._nc is not None:
            await self._nc.close()
            self._nc = self._js = None

    async def publish(self, stream_id: str, *events: Event, recorded_at: datetime | None = None) -> int:
        """Publish `events` as the next events of `stream_id`, in order, each acknowledged by the
        stream before the next is sent; return the position of the last one (what a consumer's
        `wait_for(<service>, position)` waits for)."""
        for event in events:
            await self.send(self.record(stream_id, event, recorded_at=recorded_at))
        return self.position

    def record(self, stream_id: str, event: Event, *, recorded_at: datetime | None = None) -> RecordedEvent:
        """The event as the producer's store would hold it, at the next position."""
        event_type = self.registry.type_of(event)
        self.position += 1
        self._versions[stream_id] = self._versions.get(stream_id, 0) + 1
        return RecordedEvent(
            id=new_event_id(), stream_id=stream_id, version=self._versions[stream_id],
            position=self.position, type=event_type.key,
            type_version=event_type.version, data=self.registry.encode(sealed(event)),
            recorded_at=recorded_at or datetime.now(UTC))

    async def send(self, rec: RecordedEvent) -> None:
        """Publish one recorded event; sending the same record twice is a re-send (same id)."""
        if self._js is None:
            raise RuntimeError("ContractFeed is used inside `async with`")
        await self._js.publish(subject_for(self.registry, rec), to_cloudevent(self.registry, rec),
                               headers={"Nats-Msg-Id": str(rec.id)})


def sealed(event: Event) -> Event:
    if not event.personal_fields:
        return event
    subject = getattr(event, event.personal_subject)
    key = os.urandom(32)
    return msgspec.structs.replace(event, **{
        f: seal_with(key, subject, v) for f in event.personal_fields
        if isinstance(v := getattr(event, f), str) and not is_sealed(v)})


__all__ = ["ContractFeed", "sealed"]
