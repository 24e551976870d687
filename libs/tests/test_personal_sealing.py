"""Sealing personal values: whatever a person types is sealed, and no stored value can make its
stream unreadable (a stream that cannot be read refuses every later command on it)."""

from __future__ import annotations

import base64
import os
import uuid

import asyncpg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redpark_platform.events import Event, EventRegistry
from redpark_platform.masking import UNREADABLE
from redpark_platform.personal import SEALED_PREFIX, is_sealed, open_with, seal_with
from redpark_platform.store import EventStore

registry = EventRegistry("sealtest")


@registry.register("person", "registered", personal=("name", "phone"), subject="person_id")
class PersonRegistered(Event, frozen=True, kw_only=True):
    person_id: str
    name: str
    phone: str


# Any text a JSON body can carry (hypothesis leaves out lone surrogates, which JSON cannot).
ANY_TEXT = st.text(max_size=200)
LOOKALIKES = st.one_of(
    ANY_TEXT.map(lambda s: SEALED_PREFIX + s),
    st.binary(max_size=64).map(lambda b: SEALED_PREFIX + base64.b64encode(b).decode()),
    st.sampled_from([SEALED_PREFIX, SEALED_PREFIX + "A", SEALED_PREFIX + "====", SEALED_PREFIX + "ü"]),
)


@given(value=st.one_of(ANY_TEXT, LOOKALIKES))
def test_opening_any_stored_string_never_raises(value: str) -> None:
    key = os.urandom(32)
    opened = open_with(key, "p1", value)
    assert isinstance(opened, str)
    if not value.startswith(SEALED_PREFIX):
        return
    # Nothing we did not seal opens to anything but UNREADABLE (AES-GCM authenticates).
    assert opened == UNREADABLE


@given(value=ANY_TEXT)
def test_every_value_seals_and_opens_to_itself_even_one_that_looks_sealed(value: str) -> None:
    key = os.urandom(32)
    for clear in (value, SEALED_PREFIX + value):
        sealed = seal_with(key, "p1", clear)
        assert is_sealed(sealed) and sealed != clear
        assert open_with(key, "p1", sealed) == clear
        assert open_with(os.urandom(32), "p1", sealed) == UNREADABLE  # someone else's key


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.one_of(ANY_TEXT, LOOKALIKES), phone=st.one_of(ANY_TEXT, LOOKALIKES))
async def test_whatever_a_person_types_is_stored_sealed_and_reads_back_as_typed(
    pg_pool: asyncpg.Pool, name: str, phone: str
) -> None:
    store = EventStore(pg_pool, registry)
    stream = f"person-{uuid.uuid4().hex}"
    await store.append(stream, [PersonRegistered(person_id=stream, name=name, phone=phone)])
    raw = await pg_pool.fetchrow(
        "SELECT data->>'name' AS name, data->>'phone' AS phone FROM events WHERE stream_id = $1", stream)
    assert is_sealed(raw["name"]) and is_sealed(raw["phone"])
    loaded = (await store.read_stream(stream)).events[0].event
    assert (loaded.name, loaded.phone) == (name, phone)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# PostgreSQL text cannot hold NUL, so no stored value can.
@given(stored=st.one_of(ANY_TEXT, LOOKALIKES).filter(lambda s: "\x00" not in s))
async def test_no_value_already_in_the_store_makes_its_stream_unreadable(pg_pool: asyncpg.Pool, stored: str) -> None:
    """Rows written before every value was sealed (or by hand) may hold anything: the stream still
    reads, and a later command on it still appends."""
    store = EventStore(pg_pool, registry)
    stream = f"person-{uuid.uuid4().hex}"
    await store.append(stream, [PersonRegistered(person_id=stream, name="张三", phone="13800138000")])
    await pg_pool.execute(
        "UPDATE events SET data = jsonb_set(data, '{name}', to_jsonb($2::text)) WHERE stream_id = $1",
        stream, stored)
    read = await store.read_stream(stream)
    name = read.events[0].event.name
    assert name == (UNREADABLE if stored.startswith(SEALED_PREFIX) else stored)
    await store.append(stream, [PersonRegistered(person_id=stream, name="李四", phone="13900000000")],
                       expected_version=read.version)
    assert [e.event.name for e in (await store.read_stream(stream)).events][1] == "李四"
