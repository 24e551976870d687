"""A personal value that merely looks sealed (`sealed:v1:...`) is sealed like any other.

Before the fix the store left such a value in clear, and opening it later raised (bad base64, too
short for a nonce), so once the session's writer re-read its stream — after a restart or a version
conflict — every registration, cancellation and check-in of the session answered 500, for good; an
open-base day with such a contact name failed at once. These tests send exactly those inputs to
the real service, restart it over the same database, and use the session and the day again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from redpark_events_public.app import create_app
from redpark_platform.settings import Settings
from redpark_platform.testkit import TEST_JWT_SECRET, ServiceClient, run_service
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET
LOOKALIKE = "sealed:v1:A"


@pytest.fixture
async def service(settings_for: Callable[..., Awaitable[Settings]]) -> Callable[[], Any]:
    settings = await settings_for("events-public", log_level="WARNING")

    def running() -> AbstractAsyncContextManager[ServiceClient]:
        """One run of the service process: a fresh app over the same database and NATS."""
        return run_service(create_app, settings)

    running.dsn = settings.database_url  # type: ignore[attr-defined]
    return running


def staff() -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(SECRET, 'officer-1', ['events_officer'])}"}


async def schedule(client: httpx.AsyncClient) -> None:
    now = datetime.now(UTC)
    r = await client.post("/staff/activities", headers=staff(), json={
        "activity_id": "a1", "kind": "youth_science_course", "title": "青少年机器人科普课", "place": "A3"})
    assert r.status_code == 201, r.text
    r = await client.post("/staff/sessions", headers=staff(), json={
        "session_id": "s1", "activity_id": "a1", "place": "A3 报告厅", "capacity": 5,
        "starts_at": (now + timedelta(minutes=30)).isoformat(),
        "ends_at": (now + timedelta(hours=2)).isoformat(),
        "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
        "registration_closes_at": (now + timedelta(minutes=20)).isoformat(),
    })
    assert r.status_code == 201, r.text


def person(phone: str, name: str = "访客") -> dict[str, Any]:
    return {"name": name, "phone": phone, "adults": 1, "children_ages": [], "consent": True}


async def stored_names(dsn: str) -> list[str]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT data::jsonb ->> 'name' AS name FROM events"
            " WHERE type = 'session.registration_confirmed' ORDER BY position")
    finally:
        await conn.close()
    return [r["name"] for r in rows]


async def test_a_registrant_named_like_a_sealed_value_does_not_break_the_session_after_a_restart(service) -> None:  # type: ignore[no-untyped-def]
    async with service() as client:
        await schedule(client)
        first = await client.post("/sessions/s1/registrations", json=person("13500000001", LOOKALIKE))
        assert first.status_code == 201, first.text
        ticket = first.json()["ticket_code"]

    # The name went into the store sealed, as every personal value does.
    [stored] = await stored_names(service.dsn)
    assert stored.startswith("sealed:v1:") and stored != LOOKALIKE

    async with service() as client:  # a restart: the session's writer re-reads its stream
        second = await client.post("/sessions/s1/registrations", json=person("13500000002"))
        assert second.status_code == 201, second.text
        checked_in = await client.post("/staff/sessions/s1/check-ins", json={"ticket_code": ticket}, headers=staff())
        assert checked_in.status_code == 200, checked_in.text
        cancelled = await client.post(
            "/sessions/s1/cancellations", json={"ticket_code": second.json()["ticket_code"], "phone": "13500000002"})
        assert cancelled.status_code == 200, cancelled.text
        # The lookalike reads back as what the person typed.
        roster = await client.get(
            f"/sessions/s1/tickets/{ticket}", params={"after": cancelled.json()["position"]})
        assert roster.status_code == 200, roster.text


async def test_an_open_base_contact_named_like_a_sealed_value_leaves_the_day_usable(service) -> None:  # type: ignore[no-untyped-def]
    day = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    visit = {"day": day, "organization": "某区机关第三党支部", "contact_name": LOOKALIKE,
             "contact_phone": "138 0013 8000", "group_size": 10}
    async with service() as client:
        first = await client.post("/open-base/visits", json=visit)
        assert first.status_code == 201, first.text
        second = await client.post("/open-base/visits", json={**visit, "contact_name": "王芳"})
        assert second.status_code == 201, second.text
    async with service() as client:
        third = await client.post("/open-base/visits", json={**visit, "contact_name": "李雷"})
        assert third.status_code == 201, third.text
        confirmed = await client.post(
            f"/staff/open-base/visits/{first.json()['booking_id']}/confirmation", json={"day": day}, headers=staff())
        assert confirmed.status_code == 200, confirmed.text
