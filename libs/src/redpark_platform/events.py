"""Event types, their registry and the CloudEvents 1.0 envelope they travel in.

An event type is a frozen msgspec Struct registered under (service, aggregate, name, version).
Its subject on the bus is `<service>.<aggregate>.<name>` and its CloudEvents type is
`redpark.<service>.<aggregate>.<name>.v<N>`. Changing a published event means a new version plus
an upcaster from the old one, so every stored event still loads.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

import msgspec

SOURCE_PREFIX = "/redpark/"
SEQUENCE_WIDTH = 20  # zero-padded so the CloudEvents `sequence` sorts as text


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """Base of every event. Subclasses are registered with `EventRegistry.register`."""

    # Set by the registry; ClassVars are not part of the encoded event.
    event_name: ClassVar[str] = ""
    event_version: ClassVar[int] = 1
    personal_fields: ClassVar[tuple[str, ...]] = ()
    personal_subject: ClassVar[str] = ""


E = TypeVar("E", bound=type[Event])


class UnknownEventType(LookupError):
    pass


@dataclass(frozen=True)
class EventType:
    cls: type[Event]
    service: str
    aggregate: str
    name: str
    version: int

    @property
    def key(self) -> str:
        """The name stored in the event table: `<aggregate>.<name>`."""
        return f"{self.aggregate}.{self.name}"

    @property
    def subject(self) -> str:
        return f"{self.service}.{self.aggregate}.{self.name}"

    @property
    def ce_type(self) -> str:
        return f"redpark.{self.service}.{self.aggregate}.{self.name}.v{self.version}"


@dataclass
class EventRegistry:
    """All event types of one service: the service's published contract."""

    service: str
    _by_class: dict[type[Event], EventType] = field(default_factory=dict)
    _current: dict[str, EventType] = field(default_factory=dict)
    # (key, old version) -> function turning the old version's JSON object into the next version's
    _upcasters: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = field(default_factory=dict)
    _decoders: dict[type[Event], msgspec.json.Decoder[Any]] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return SOURCE_PREFIX + self.service

    def register(
        self,
        aggregate: str,
        name: str,
        version: int = 1,
        *,
        personal: Iterable[str] = (),
        subject: str = "",
    ) -> Callable[[E], E]:
        """Class decorator. `personal` names the fields holding personal data; they are sealed
        with the key of the person whose id is in field `subject` (crypto-shredding)."""

        def wrap(cls: E) -> E:
            et = EventType(cls, self.service, aggregate, name, version)
            if et.key in self._current:
                raise ValueError(f"event {et.key} registered twice")
            cls.event_name = et.key
            cls.event_version = version
            cls.personal_fields = tuple(personal)
            cls.personal_subject = subject
            if cls.personal_fields and not subject:
                raise ValueError(f"{cls.__name__}: personal fields need a subject field")
            self._by_class[cls] = et
            self._current[et.key] = et
            self._decoders[cls] = msgspec.json.Decoder(cls)
            return cls

        return wrap

    def upcaster(self, aggregate: str, name: str, from_version: int) -> Callable[
        [Callable[[dict[str, Any]], dict[str, Any]]], Callable[[dict[str, Any]], dict[str, Any]]
    ]:
        def wrap(fn: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
            self._upcasters[(f"{aggregate}.{name}", from_version)] = fn
            return fn

        return wrap

    def type_of(self, event: Event | type[Event]) -> EventType:
        cls = event if isinstance(event, type) else type(event)
        try:
            return self._by_class[cls]
        except KeyError:
            raise UnknownEventType(cls.__name__) from None

    def by_key(self, key: str) -> EventType:
        try:
            return self._current[key]
        except KeyError:
            raise UnknownEventType(key) from None

    def can_read(self, key: str, version: int) -> bool:
        """Whether `decode` can load this type at this version: known, and not newer than this code
        (older versions need every upcaster on the way)."""
        et = self._current.get(key)
        if et is None or version > et.version or version < 1:
            return False
        return all((key, v) in self._upcasters for v in range(version, et.version))

    def types(self) -> list[EventType]:
        return list(self._current.values())

    def encode(self, event: Event) -> bytes:
        return msgspec.json.encode(event)

    def decode(self, key: str, version: int, data: bytes | dict[str, Any]) -> Event:
        """Load a stored event of any version: upcast old versions step by step."""
        et = self.by_key(key)
        if version == et.version:
            if isinstance(data, (bytes, bytearray, memoryview, str)):
                decoded: Event = self._decoders[et.cls].decode(data)
                return decoded
            converted: Event = msgspec.convert(data, et.cls)
            return converted
        if version > et.version:
            raise UnknownEventType(f"{key} v{version} is newer than this code (v{et.version})")
        obj = msgspec.json.decode(data) if isinstance(data, (bytes, str)) else dict(data)
        for v in range(version, et.version):
            try:
                obj = self._upcasters[(key, v)](obj)
            except KeyError:
                raise UnknownEventType(f"no upcaster for {key} v{v}") from None
        return msgspec.convert(obj, et.cls)


class RecordedEvent(msgspec.Struct, frozen=True, kw_only=True):
    """An event as stored: the event plus where and when it was stored."""

    id: uuid.UUID
    stream_id: str
    version: int  # position within its stream, from 1
    position: int  # global position in its service's store
    type: str  # `<aggregate>.<name>`
    type_version: int
    data: bytes  # JSON of the event, personal fields sealed
    recorded_at: datetime
    traceparent: str | None = None
    actor: str | None = None  # who caused it (account subject or `system:<name>`), see actor.py


# --- CloudEvents structured-mode envelope ---------------------------------------------------


class CloudEvent(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    specversion: str
    id: str
    source: str
    type: str
    subject: str
    time: str
    datacontenttype: str
    sequence: str
    data: msgspec.Raw
    traceparent: str | None = None


_envelope_encoder = msgspec.json.Encoder()
_envelope_decoder = msgspec.json.Decoder(CloudEvent)


def format_sequence(position: int) -> str:
    return str(position).zfill(SEQUENCE_WIDTH)


def rfc3339(ts: datetime) -> str:
    return ts.astimezone(UTC).isoformat().replace("+00:00", "Z")


def to_cloudevent(registry: EventRegistry, rec: RecordedEvent) -> bytes:
    """The NATS message body: a CloudEvents 1.0 JSON document (structured mode)."""
    # Not looked up in the registry: a stored event must reach the bus even if this code no
    # longer knows its type, or it would block everything after it.
    ce_type = f"redpark.{registry.service}.{rec.type}.v{rec.type_version}"
    return _envelope_encoder.encode(
        CloudEvent(
            specversion="1.0",
            id=str(rec.id),
            source=registry.source,
            type=ce_type,
            subject=rec.stream_id,
            time=rfc3339(rec.recorded_at),
            datacontenttype="application/json",
            sequence=format_sequence(rec.position),
            data=msgspec.Raw(rec.data),
        )
    )


def subject_for(registry: EventRegistry, rec: RecordedEvent) -> str:
    return f"{registry.service}.{rec.type}"


class IncomingEvent(msgspec.Struct, frozen=True, kw_only=True):
    """An event read off the bus, from any service."""

    id: str
    source: str
    service: str
    key: str  # `<aggregate>.<name>`
    version: int
    subject: str
    time: str
    sequence: int
    data: msgspec.Raw

    def decode(self, registry: EventRegistry) -> Event:
        return registry.decode(self.key, self.version, bytes(self.data))


def parse_cloudevent(body: bytes) -> IncomingEvent:
    ce = _envelope_decoder.decode(body)
    # type = redpark.<service>.<aggregate>.<name>.v<N>
    parts = ce.type.split(".")
    if len(parts) < 5 or parts[0] != "redpark" or not parts[-1].startswith("v"):
        raise ValueError(f"not a Red Park event type: {ce.type!r}")
    return IncomingEvent(
        id=ce.id,
        source=ce.source,
        service=parts[1],
        key=".".join(parts[2:-1]),
        version=int(parts[-1][1:]),
        subject=ce.subject,
        time=ce.time,
        sequence=int(ce.sequence),
        data=ce.data,
    )


def new_event_id() -> uuid.UUID:
    return uuid.uuid4()
