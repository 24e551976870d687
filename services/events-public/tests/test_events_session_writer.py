"""The hot-session writer against a real PostgreSQL: a rush of 2,000 for 300 seats."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from redpark_contracts.events_public import (
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
    registry,
)
from redpark_events_public.application.session_writer import SessionWriter, SessionWriters
from redpark_events_public.domain.registration import Confirmed, Refused, Waitlisted
from redpark_events_public.domain.session import session_decider
from redpark_events_public.domain.session_commands import (
    CancelRegistration,
    CheckIn,
    Register,
    ScheduleSession,
)
from redpark_events_public.domain.session_state import Session
from redpark_platform.errors import DomainError
from redpark_platform.personal import ERASED
from redpark_platform.store import EventStore

OPENS = datetime(2026, 5, 1, tzinfo=UTC)
STARTS = datetime(2026, 5, 10, 1, tzinfo=UTC)
DURING = datetime(2026, 5, 3, tzinfo=UTC)


def schedule(session_id: str, capacity: int) -> ScheduleSession:
    return ScheduleSession(
        session_id=session_id,
        activity_id="a1",
        activity_kind="family_tech_tour",
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=3),
        place="Gate 1",
        capacity=capacity,
        registration_opens_at=OPENS,
        registration_closes_at=STARTS,
        now=OPENS,
    )


def registration(session_id: str, i: int, **over: object) -> Register:
    fields: dict[str, object] = {
        "session_id": session_id,
        "registration_id": f"r{i:05d}",
        "registrant_id": f"00000000-0000-4000-8000-{i:012d}",
        "name": f"访客{i}",
        "phone": f"137{i:08d}",
        "phone_hash": f"h{i}",
        "adults": 1,
        "consent": True,
        "ticket_code": f"K{i:07d}",
        "now": DURING + timedelta(microseconds=i),
    }
    fields.update(over)
    return Register(**fields)  # type: ignore[arg-type]


async def test_2000_concurrent_registrations_for_300_seats_then_100_cancellations(
    pg_pool: asyncpg.Pool,
) -> None:
    store = EventStore(pg_pool, registry)
    writers = SessionWriters(store)
    writer = writers.get("rush")
    try:
        await writer.execute(schedule("rush", 300))
        results = await asyncio.gather(*(writer.register(registration("rush", i)) for i in range(1, 2001)))
        outcomes = [r.outcome for r in results]
        assert all(isinstance(o, Confirmed) for o in outcomes[:300])
        assert [o.position for o in outcomes[300:]] == list(range(1, 1701))  # type: ignore[union-attr]
        assert writer.batches < 100  # decided in batches, not one append per registration

        stored = await store.read_stream("session-rush")
        events = [e.event for e in stored.events]
        assert sum(isinstance(e, RegistrationConfirmed) for e in events) == 300
        waiting = [e for e in events if isinstance(e, RegistrationWaitlisted)]
        assert [e.registration_id for e in waiting] == [f"r{i:05d}" for i in range(301, 2001)]
        assert waiting[0].name == "访客301"  # personal fields were sealed and open again

        leaving = random.Random(7).sample(range(1, 301), 100)
        await asyncio.gather(
            *(
                writer.execute(
                    CancelRegistration(
                        session_id="rush",
                        ticket_code=f"K{i:07d}",
                        phone_hash=f"h{i}",
                        now=DURING + timedelta(days=1),
                    )
                )
                for i in leaving
            )
        )
        stored = await store.read_stream("session-rush")
        promoted = [
            e.event.registration_id for e in stored.events if isinstance(e.event, RegistrationPromoted)
        ]
        assert promoted == [f"r{i:05d}" for i in range(301, 401)]
        state = session_decider.fold([e.event for e in stored.events])
        assert isinstance(state, Session) and state.confirmed_seats == 300 and len(state.waitlist) == 1600
        assert state == await writer.state()
    finally:
        await writers.close()


async def test_two_writers_on_one_session_never_overbook(pg_pool: asyncpg.Pool) -> None:
    """Two processes each with a writer for the same session: conflicts re-read and re-decide."""
    store = EventStore(pg_pool, registry)
    first, second = (
        SessionWriter(store, "twin", max_attempts=50),
        SessionWriter(store, "twin", max_attempts=50),
    )
    try:
        await first.execute(schedule("twin", 50))
        results = await asyncio.gather(
            *((first if i % 2 else second).register(registration("twin", i)) for i in range(1, 201))
        )
        outcomes = [r.outcome for r in results]
        assert sum(isinstance(o, Confirmed) for o in outcomes) == 50
        assert sorted(o.position for o in outcomes if isinstance(o, Waitlisted)) == list(range(1, 151))
        state = session_decider.fold([e.event for e in (await store.read_stream("session-twin")).events])
        assert isinstance(state, Session) and state.confirmed_seats == 50 and len(state.entries) == 200
    finally:
        await first.close()
        await second.close()


async def test_a_refused_registration_in_a_batch_does_not_fail_the_others(pg_pool: asyncpg.Pool) -> None:
    store = EventStore(pg_pool, registry)
    writer = SessionWriter(store, "mixed")
    try:
        await writer.execute(schedule("mixed", 10))
        results = await asyncio.gather(
            writer.register(registration("mixed", 1)),
            writer.register(registration("mixed", 2, phone_hash="h1")),
            writer.register(registration("mixed", 3, consent=False)),
            writer.register(registration("mixed", 4)),
        )
        kinds = [type(r.outcome) for r in results]
        assert kinds == [Confirmed, Refused, Refused, Confirmed]
        assert all(r.position > 0 for r in results)
        assert len((await store.read_stream("session-mixed")).events) == 3  # scheduled + 2 confirmed
        with pytest.raises(DomainError) as refused:
            await writer.execute(CheckIn(session_id="mixed", ticket_code="K0000009", now=STARTS))
        assert refused.value.code == "checkin.wrong_session"
        # The refusal changed nothing, and the writer goes on.
        done = await writer.execute(CheckIn(session_id="mixed", ticket_code="K0000001", now=STARTS))
        assert done.version == 4
    finally:
        await writer.close()


async def test_erasing_a_registrant_erases_only_that_persons_name_and_phone(pg_pool: asyncpg.Pool) -> None:
    store = EventStore(pg_pool, registry)
    writer = SessionWriter(store, "erase")
    try:
        await writer.execute(schedule("erase", 5))
        await writer.register(registration("erase", 1))
        await writer.register(registration("erase", 2))
    finally:
        await writer.close()
    await store.forget_person(registration("erase", 1).registrant_id)
    confirmed = [
        e.event
        for e in (await store.read_stream("session-erase")).events
        if isinstance(e.event, RegistrationConfirmed)
    ]
    assert (confirmed[0].name, confirmed[0].phone) == (ERASED, ERASED)
    assert (
        confirmed[0].phone_hash == "h1" and confirmed[0].ticket_code == "K0000001"
    )  # the booking itself stays
    assert (confirmed[1].name, confirmed[1].phone) == ("访客2", "13700000002")
    raw = await pg_pool.fetchval(
        "SELECT data::text FROM events WHERE stream_id = 'session-erase' AND version = 3"
    )
    assert "访客2" not in raw and "13700000002" not in raw  # sealed at rest


async def test_each_event_records_the_caller_who_asked_not_the_one_who_started_the_writer(
        pg_pool: asyncpg.Pool) -> None:
    from redpark_platform.actor import acting_as

    store = EventStore(pg_pool, registry)
    with acting_as("officer-who-opened-it"):
        writer = SessionWriter(store, "who")
        await writer.execute(schedule("who", 10))
    try:
        await writer.register(registration("who", 1))  # a citizen: nobody signed in
        with acting_as("door-officer"):
            await writer.execute(CheckIn(session_id="who", ticket_code="K0000001", now=STARTS))
        actors = [e.record.actor for e in (await store.read_stream("session-who")).events]
        assert actors == ["officer-who-opened-it", None, "door-officer"]
    finally:
        await writer.close()
