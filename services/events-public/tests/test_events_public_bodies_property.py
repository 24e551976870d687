"""Property: whatever anyone sends to the public bodies of events-public (a registration, a
cancellation, an open-base request, a volunteer sign-up), the real service never answers 5xx, and
every event it stored can be read back: its stream reads, and each personal field opens or shows
the unreadable marker, never a ciphertext and never an exception.

The service runs under uvicorn on a loopback port (real PostgreSQL and NATS of the test kit);
hypothesis draws bodies that mix well-formed values with hostile ones (NUL, lone surrogates, 10 kB
names, right-to-left marks, emoji, SQL-looking text, sealed look-alikes, wrong types, huge numbers).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redpark_contracts.events_public import registry
from redpark_events_public.app import create_app
from redpark_platform.masking import ERASED, UNREADABLE
from redpark_platform.store import EventStore
from redpark_platform.testkit import TEST_TOKEN_TTL, eventually
from redpark_platform.testkit.fuzz import fuzz_settings, running
from redpark_platform.web import mint_token

SECRET = "events-public-property-secret-0123456789abcdef"
STAFF = {"Authorization": f"Bearer {mint_token(SECRET, 'officer-1', ['events_officer'], ttl=TEST_TOKEN_TTL)}"}
EXAMPLES = 40

HOSTILE = st.sampled_from([
    "sealed:v1:A", "sealed:v1:", "sealed:v1:" + "A" * 40, "\u202e王芳", "\u200f\u200e", "😀" * 20,
    "'; DROP TABLE events; --", "x" * 10_240, "a\x00b", "", " ", "\ud800", "a\udfffb",
])
TEXT = st.one_of(HOSTILE, st.text(max_size=40),
                 st.text(alphabet=st.characters(categories=["Cs", "Cc", "Zs"]), min_size=1, max_size=5))
VALID_PHONE = st.from_regex(r"1[3-9]\d{9}", fullmatch=True)
ANY = st.one_of(TEXT, st.integers(), st.floats(allow_nan=False), st.none(), st.booleans(), st.lists(st.integers(),
                                                                                                   max_size=3))


def field(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a good value, often a hostile string, sometimes anything at all."""
    return st.one_of(good, good, TEXT, ANY)


def body(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A well-formed body, or one whose fields are each perhaps hostile, perhaps missing."""
    return st.one_of(st.fixed_dictionaries(fields),
                     st.fixed_dictionaries({}, optional={name: field(s) for name, s in fields.items()}))


REGISTRATION = body(name=st.one_of(st.sampled_from(["王芳", "李雷", "sealed:v1:A", "\u202e王芳", "😀"]),
                                   st.text(min_size=1, max_size=20)),
                    phone=VALID_PHONE, adults=st.integers(1, 3),
                    children_ages=st.lists(st.integers(0, 17), max_size=3), consent=st.just(True))
# The cancellation of the ticket `schedule` registered, or of tickets that do not exist.
CANCELLATION = body(ticket_code=st.sampled_from(["{ticket}", "ACDE-FGHJ", "ACDEFGHJ"]),
                    phone=st.sampled_from(["13900000000", "13800138000"]))
VISIT = body(day=st.integers(5, 50).map(lambda d: (datetime.now(UTC) + timedelta(days=d)).date().isoformat()),
             organization=st.sampled_from(["某区机关第三党支部", "sealed:v1:A"]),
             contact_name=st.one_of(st.sampled_from(["王芳", "sealed:v1:A", "\u200f李雷"]),
                                    st.text(min_size=1, max_size=20)),
             contact_phone=VALID_PHONE, group_size=st.integers(1, 30))
SIGN_UP = body(member_id=st.sampled_from(["m-1024", "m-2048"]))

ROUTES = [("/sessions/s1/registrations", REGISTRATION), ("/sessions/s1/cancellations", CANCELLATION),
          ("/open-base/visits", VISIT), ("/staff/volunteer-activities/v1/sign-ups", SIGN_UP)]


@pytest.fixture
async def organization_told(organization: Any) -> None:
    """The organization's events naming the volunteer activity's branch and the members signing up."""
    await organization.branches("b-1")
    await organization.members("m-1024", "m-2048")
    # The service below runs in a thread while this loop (the feed's relay's) waits: publish first.
    await eventually(lambda: organization.feed.relay.published, lambda n: n >= 3, timeout=20)


@pytest.fixture
def service(pg_dsn: str, nats_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
            organization_told: None) -> Iterator[tuple[str, str]]:
    # The per-address and per-phone limits would turn most draws into 429s: the property is about
    # what the service stores, so it runs without them.
    for variable in ("REGISTER", "CANCEL"):
        for per in ("ADDRESS", "PHONE"):
            monkeypatch.setenv(f"REDPARK_EVENTS_PUBLIC_RATE_{variable}_PER_{per}", "")
    app = create_app(fuzz_settings("events-public", pg_dsn, nats_url, tmp_path, SECRET))
    app.state.jwt_secret = SECRET
    with running(app, "events-public") as url:
        yield url, schedule(url)


def schedule(url: str) -> str:
    """The activities the bodies refer to, and one registration; its ticket code."""
    now = datetime.now(UTC)
    with httpx.Client(base_url=url, headers=STAFF) as c:
        for path, payload in [
            ("/staff/activities", {"activity_id": "a1", "kind": "youth_science_course", "title": "机器人科普课",
                                   "place": "A3"}),
            ("/staff/sessions", {"session_id": "s1", "activity_id": "a1", "place": "A3 报告厅", "capacity": 30,
                                 "starts_at": (now + timedelta(days=2)).isoformat(),
                                 "ends_at": (now + timedelta(days=2, hours=2)).isoformat(),
                                 "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
                                 "registration_closes_at": (now + timedelta(days=1)).isoformat()}),
            ("/staff/volunteer-activities", {"activity_id": "v1", "kind": "volunteer_service", "title": "社区科普",
                                             "organizer_branch_id": "b-1", "place": "社区中心",
                                             "starts_at": (now + timedelta(days=3)).isoformat(),
                                             "ends_at": (now + timedelta(days=3, hours=3)).isoformat()}),
        ]:
            r = c.post(path, json=payload)
            # the branch is known once the service has read the organization's events: poll, bounded
            deadline = time.monotonic() + 20
            while r.status_code == 404 and path.startswith("/staff/volunteer") and time.monotonic() < deadline:
                time.sleep(0.1)
                r = c.post(path, json=payload)
            assert r.status_code == 201, r.text
        r = c.post("/sessions/s1/registrations", json={"name": "张三", "phone": "13900000000", "consent": True})
        assert r.status_code == 201, r.text
        return str(r.json()["ticket_code"])


async def read_back(dsn: str) -> tuple[int, list[str]]:
    """Every stream read through the store; the personal values as they open."""
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
    try:
        store = EventStore(pool, registry)
        streams = [r["stream_id"] for r in await pool.fetch("SELECT DISTINCT stream_id FROM events")]
        personal: list[str] = []
        count = 0
        for stream in streams:
            for loaded in (await store.read_stream(stream)).events:
                count += 1
                personal += [getattr(loaded.event, f) for f in loaded.event.personal_fields]
        return count, personal
    finally:
        await pool.close()


def test_no_public_body_gets_a_5xx_or_leaves_an_event_that_cannot_be_read_back(
        service: tuple[str, str], pg_dsn: str) -> None:
    url, ticket = service
    answered: dict[str, list[int]] = {path: [] for path, _ in ROUTES}
    sent_values = {"张三"}
    with httpx.Client(base_url=url, headers=STAFF, timeout=60) as c:
        for path, strategy in ROUTES:

            @given(payload=strategy)
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def never_a_5xx(payload: dict[str, Any]) -> None:
                # ensure_ascii keeps lone surrogates as \\udXXX escapes, exactly as a hostile client sends them.
                sent = json.dumps(payload, ensure_ascii=True).replace("{ticket}", ticket)
                r = c.post(path, content=sent,  # noqa: B023
                           headers={"content-type": "application/json"})
                assert r.status_code < 500, (path, payload, r.text)  # noqa: B023
                answered[path].append(r.status_code)  # noqa: B023
                sent_values.update(v for v in payload.values() if isinstance(v, str))

            never_a_5xx()

    # Each body was accepted at least once, or the property would hold for a service that refuses all.
    assert all(201 in codes or 200 in codes for codes in answered.values()), answered
    count, personal = asyncio.run(read_back(pg_dsn))
    assert count > 3
    # Each personal value opens to what was typed (a phone to its eleven ASCII digits), or to a
    # marker: never to a ciphertext, never with an exception.
    assert personal
    for value in personal:
        assert value in sent_values or value in (UNREADABLE, ERASED) or re.fullmatch(r"1[3-9][0-9]{9}", value), value

