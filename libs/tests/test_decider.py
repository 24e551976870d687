"""Decider runner and the Given/When/Then kit, on a small seat-booking rule."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import asyncpg
import msgspec
import pytest

from redpark_platform.decider import Decider, DomainError, TooManyConflicts, run_decider
from redpark_platform.events import Event, EventRegistry
from redpark_platform.store import EventStore
from redpark_platform.testkit import DeciderSpec

registry = EventRegistry("decidertest")


@registry.register("room", "booked")
class Booked(Event, frozen=True, kw_only=True):
    room_id: str
    by: str
    at: datetime


class Book(msgspec.Struct, frozen=True, kw_only=True):
    room_id: str
    by: str
    now: datetime


class Room(msgspec.Struct, frozen=True):
    seats: int = 3
    booked_by: tuple[str, ...] = ()


def decide(cmd: Book, state: Room) -> list[Event]:
    if cmd.by in state.booked_by:
        raise DomainError("room.already_booked", f"{cmd.by} already booked", detail_zh="已预订", field="by")
    if len(state.booked_by) >= state.seats:
        raise DomainError("room.full", "the room is full", detail_zh="已满")
    return [Booked(room_id=cmd.room_id, by=cmd.by, at=cmd.now)]


def evolve(state: Room, event: Event) -> Room:
    assert isinstance(event, Booked)
    return msgspec.structs.replace(state, booked_by=state.booked_by + (event.by,))


room = Decider(initial=Room, decide=decide, evolve=evolve)
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
spec = DeciderSpec(room)


def test_given_no_bookings_when_booking_then_booked() -> None:
    spec.given([]).when(Book(room_id="r", by="a", now=NOW)).then([Booked(room_id="r", by="a", at=NOW)])


def test_given_a_booking_by_the_same_person_when_booking_again_then_refused_naming_the_field() -> None:
    spec.given([Booked(room_id="r", by="a", at=NOW)]).when(Book(room_id="r", by="a", now=NOW)).then_raises(
        DomainError, code="room.already_booked", field="by")


def test_the_kit_fails_when_the_rule_produces_something_else() -> None:
    with pytest.raises(AssertionError):
        spec.given([]).when(Book(room_id="r", by="a", now=NOW)).then([])
    with pytest.raises(AssertionError):
        spec.given([]).when(Book(room_id="r", by="a", now=NOW)).then_raises(DomainError)


async def test_concurrent_commands_are_re_decided_on_conflict_and_the_rule_still_holds(pg_pool: asyncpg.Pool) -> None:
    store = EventStore(pg_pool, registry)
    results = await asyncio.gather(
        *(run_decider(store, "room-1", room, Book(room_id="1", by=f"p{i}", now=NOW), max_attempts=20)
          for i in range(8)),
        return_exceptions=True,
    )
    ok = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, DomainError) and r.code == "room.full"]
    assert len(ok) == 3 and len(refused) == 5  # never more than the seats, whatever the interleaving
    stored = await store.read_stream("room-1")
    assert len(stored.events) == 3 and len({e.event.by for e in stored.events}) == 3


async def test_the_runner_gives_up_after_its_bounded_attempts(pg_pool: asyncpg.Pool) -> None:
    store = EventStore(pg_pool, registry)

    class Interfering(EventStore):
        async def read_stream(self, stream_id, *, conn=None):  # type: ignore[no-untyped-def]
            read = await super().read_stream(stream_id, conn=conn)
            # Someone else appends between our read and our append, every time.
            await store.append(stream_id, [Booked(room_id="2", by="other", at=NOW)])
            return read

    big = Decider(initial=lambda: Room(seats=100), decide=decide, evolve=evolve)
    with pytest.raises(TooManyConflicts):
        await run_decider(Interfering(pg_pool, registry), "room-2", big, Book(room_id="2", by="me", now=NOW),
                          max_attempts=3)
    assert "me" not in {e.event.by for e in (await store.read_stream("room-2")).events}
