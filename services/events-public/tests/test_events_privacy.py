"""Erasing a public registrant by phone (real PostgreSQL and NATS): a waiting family erased
mid-process is still promoted when a seat frees, every count stays right, nothing readable of
theirs is left in any table, and every read model equals its rebuild."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from redpark_events_public.app import create_app
from redpark_platform.masking import ERASED
from redpark_platform.testkit import TEST_JWT_SECRET, ServiceClient, eventually
from redpark_platform.verify import verify_read_models
from redpark_platform.web import mint_token
from redpark_platform.web.auth import SESSION_COOKIE

ADMIN = {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'admin-1', ('park_admin',))}"}
ORIGIN = {"origin": "http://svc"}
OFFICER = {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'officer-1', ('events_officer',))}"}


@pytest.fixture
async def client(service_client: Callable[..., Awaitable[ServiceClient]]) -> ServiceClient:
    return await service_client(create_app, log_level="WARNING")


async def publish_and_schedule(client: ServiceClient, capacity: int) -> None:
    now = datetime.now(UTC)
    r = await client.post("/staff/activities", headers=OFFICER, json={
        "activity_id": "a1", "kind": "youth_science_course", "title": "青少年机器人科普课", "place": "A3"})
    assert r.status_code == 201, r.text
    r = await client.post("/staff/sessions", headers=OFFICER, json={
        "session_id": "s1", "activity_id": "a1", "starts_at": (now + timedelta(days=2)).isoformat(),
        "ends_at": (now + timedelta(days=2, hours=2)).isoformat(), "place": "A3 报告厅", "capacity": capacity,
        "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
        "registration_closes_at": (now + timedelta(days=1)).isoformat()})
    assert r.status_code == 201, r.text


def person(i: int, **over: Any) -> dict[str, Any]:
    return {"name": f"访客{i}", "phone": f"135{i:08d}", "adults": 1, "children_ages": [], "consent": True, **over}


async def every_table_text(runtime: Any) -> str:
    async with runtime.pool.acquire() as conn:
        tables = await conn.fetch("SELECT quote_ident(table_name) AS t FROM information_schema.tables"
                                  " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
        out = []
        for row in tables:
            out += [r["x"] for r in await conn.fetch(f"SELECT t::text AS x FROM {row['t']} t")]
    return "\n".join(out)


async def test_a_waiting_registrant_erased_by_phone_is_still_promoted_and_nothing_of_theirs_is_left(
    client: ServiceClient,
) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    await publish_and_schedule(client, capacity=2)
    first = (await client.post("/sessions/s1/registrations", json=person(1))).json()
    family = (await client.post("/sessions/s1/registrations", json=person(2, name="慕容雪晴", adults=1,
                                                                           children_ages=[9]))).json()
    assert (first["status"], family["status"], family["waitlist_position"]) == ("confirmed", "waitlisted", 1)

    refused = await client.post("/privacy/erasures", json={"phone": "13500000002", "why": "person_request"},
                                headers=OFFICER)
    assert refused.status_code == 403
    nobody = await client.post("/privacy/erasures", json={"phone": "13999999999", "why": "person_request"},
                               headers=ADMIN)
    assert nobody.status_code == 404 and nobody.json()["code"] == "privacy.unknown_person"
    bad = await client.post("/privacy/erasures", json={"phone": "12345", "why": "person_request"}, headers=ADMIN)
    assert bad.status_code == 422

    report = await client.post("/privacy/erasures", json={"phone": "+86 135-0000-0002", "why": "person_request"},
                               headers=ADMIN)
    assert report.status_code == 200, report.text
    [erased] = report.json()["people"]
    copy = (await client.get(f"/privacy/subjects/{erased['subject_id']}", headers=ADMIN)).json()
    assert copy["erased"] is True and "慕容雪晴" not in str(copy) and "13500000002" not in str(copy)
    assert [e["type"] for e in copy["events"]] == ["session.registration_waitlisted", "person.erased"]

    ticket = await client.get(f"/sessions/s1/tickets/{family['ticket_code']}",
                              params={"after": report.json()["position"]})
    assert ticket.json()["status"] == "waitlisted" and ticket.json()["waitlist_position"] == 1

    # A seat frees: the erased family is promoted by the same rule as anyone, and no one's data returns.
    cancel = await client.post("/sessions/s1/cancellations",
                               json={"ticket_code": first["ticket_code"], "phone": "13500000001"})
    assert cancel.status_code == 200, cancel.text
    assert cancel.json()["promoted"] == 1
    ticket = await client.get(f"/sessions/s1/tickets/{family['ticket_code']}",
                              params={"after": cancel.json()["position"]})
    assert ticket.json()["status"] == "confirmed"
    catalogue = (await client.get("/catalogue", params={"after": cancel.json()["position"]})).json()
    [session] = catalogue["activities"][0]["sessions"]
    assert session["free_seats"] == 0

    # The SMS rule saw the promotion of someone erased: it tells no one, and fails nothing.
    assert await runtime.runners["ep-notices"].wait_for("events-public", cancel.json()["position"], timeout=20)
    async with runtime.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM projection_dead_letters") == 0

    # Whether the waitlisted notice was queued before the erasure or not (the rule runs beside the
    # request), nothing is ever sent to them: a row queued before fails as "recipient erased".
    async def still_to_send() -> int:
        return int(await runtime.pool.fetchval(
            "SELECT count(*) FROM notifications WHERE subject_id = $1 AND status IN ('pending', 'sending', 'sent')",
            erased["subject_id"]))

    assert await eventually(still_to_send, lambda n: n == 0, timeout=20) == 0

    everything = await every_table_text(runtime)
    assert "慕容雪晴" not in everything and "13500000002" not in everything

    settings = runtime.settings

    async def verified() -> bool:
        report = await verify_read_models(runtime.spec.projections, settings.database_url, settings.nats_url,
                                          service="events-public")
        return report.equal and not report.problems

    await eventually(verified, timeout=20)


def signed_in(client: ServiceClient, role: str) -> httpx.AsyncClient:
    c = httpx.AsyncClient(transport=httpx.ASGITransport(app=client.app), base_url="http://svc")
    c.cookies.set(SESSION_COOKIE, mint_token(TEST_JWT_SECRET, f"{role}-1", [role], name="管理员"))
    return c


async def test_the_privacy_page_looks_a_person_up_and_erases_them_by_phone(client: ServiceClient) -> None:
    await publish_and_schedule(client, capacity=5)
    registered = (await client.post("/sessions/s1/registrations", json=person(7, name="上官云舒"))).json()
    async with signed_in(client, "events_officer") as c:
        assert (await c.get("/ui/privacy")).status_code == 403
    async with signed_in(client, "park_admin") as c:
        page = await c.get("/ui/privacy")
        assert page.status_code == 200 and "删除个人信息" in page.text and 'name="phone"' in page.text
        bad = await c.post("/ui/privacy/erasures", data={"phone": "12", "why": "person_request"}, headers=ORIGIN)
        assert bad.status_code == 422 and "上官云舒" not in bad.text
        nobody = await c.post("/ui/privacy/erasures", data={"phone": "13999999999", "why": "person_request"},
                              headers=ORIGIN)
        assert nobody.status_code == 404 and "本服务没有关于" in nobody.text
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        assert await runtime.runners["ep-notices"].wait_for("events-public", registered["position"], timeout=20)
        queued = "SELECT recipient_masked FROM notifications WHERE template = 'ep.registration_confirmed'"
        assert await runtime.pool.fetchval(queued) == "135****0007"
        done = await c.post("/ui/privacy/erasures", data={"phone": "13500000007", "why": "consent_withdrawn"},
                            headers=ORIGIN)
        assert done.status_code == 200, done.text
        assert "已销毁" in done.text and "notifications" in done.text and "上官云舒" not in done.text
        assert await runtime.pool.fetchval(queued) == ERASED  # what staff saw of the phone, masked, is gone too
        [row] = await runtime.pool.fetch("SELECT data->>'subject_id' AS s FROM events WHERE type = 'person.erased'")
        looked = await c.get("/ui/privacy", params={"subject_id": row["s"]})
        assert looked.status_code == 200 and "已删除" in looked.text and "上官云舒" not in looked.text
        assert "Erase a person" in (await c.get("/ui/privacy", params={"lang": "en"})).text
    ticket = await client.get(f"/sessions/s1/tickets/{registered['ticket_code']}")
    assert ticket.json()["status"] == "confirmed"
