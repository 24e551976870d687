"""Who a phone names, for `POST /privacy/erasures` given a phone: the public are known here by
phone only, and each registration mints its own registrant id.

Registrations carry the phone's keyed hash, so they are found without opening anything; an
open-base visit request keeps its contact's phone sealed only, so those are opened to compare.
"""

from __future__ import annotations

from redpark_contracts.events_public import OpenBaseVisitRequested, registry
from redpark_platform.events import RecordedEvent
from redpark_platform.runtime import Runtime

from ..domain.phone import normalise_phone
from .layer import EventsPublic

_VISIT_REQUESTED = registry.type_of(OpenBaseVisitRequested).key


async def people_with_phone(runtime: Runtime, raw_phone: str) -> list[str]:
    phone = normalise_phone(raw_phone)
    hashed = runtime.layer(EventsPublic).sessions.hash_phone(phone)
    rows = await runtime.pool.fetch(
        "SELECT DISTINCT data->>'registrant_id' AS id FROM events"
        " WHERE data->>'phone_hash' = $1 AND data ? 'registrant_id'", hashed)
    people = {r["id"] for r in rows}
    visits = await runtime.pool.fetch(
        "SELECT position, id, stream_id, version, type, type_version, data::text AS data, recorded_at, traceparent"
        " FROM events WHERE type = $1", _VISIT_REQUESTED)
    records = [RecordedEvent(id=r["id"], stream_id=r["stream_id"], version=r["version"], position=r["position"],
                             type=r["type"], type_version=r["type_version"], data=r["data"].encode(),
                             recorded_at=r["recorded_at"], traceparent=r["traceparent"]) for r in visits]
    for event in await runtime.store.decode_all(records):
        if isinstance(event, OpenBaseVisitRequested) and event.contact_phone == phone:
            people.add(event.contact_id)
    return sorted(people)
