"""The transfer letters page with a session cookie, against real PostgreSQL and NATS: recording a letter
with Chinese refusals beside the field, the overdue one marked, the return slip from its row, and who may
see and write."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI

from redpark_organization.app import create_app
from redpark_platform.testkit import TEST_JWT_SECRET, TEST_TOKEN_TTL, ServiceClient
from redpark_platform.web import mint_token
from redpark_platform.web.auth import SESSION_COOKIE

ADMIN = {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'staff-1', ('park_admin',), None, ttl=TEST_TOKEN_TTL)}"}
ORIGIN = {"origin": "http://org"}
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
async def app(service_client: Callable[..., Awaitable[ServiceClient]]) -> FastAPI:
    """m1 and m2 whose relationship the park holds; m1's letter out, issued 60 days ago, valid 30 days."""
    c = await service_client(create_app)
    c.headers.update(ADMIN)
    for m in ("m1", "m2"):
        await ok(await c.post("/members", json={
            "member_id": m, "name": f"党员{m}", "enterprise_id": None, "status": "full",
            "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": "13800000000",
            "id_number": "11010519491231002X", "effective_on": "2024-01-01"}), 201)
    last = await ok(await c.post("/transfer-letters", json={
        "member_id": "m1", "direction": "out", "letter_no": "园党转〔2026〕7号", "organization": "某区机关工委",
        "effective_on": (TODAY - timedelta(days=60)).isoformat(),
        "valid_until": (TODAY - timedelta(days=30)).isoformat(), "transfer_id": "t-late"}), 201)
    runtime = c.runtime
    for name in [n for n, r in runtime.runners.items() if "organization" in r.projection.sources]:
        assert await runtime.wait_for(name, last["position"], timeout=10, strict=True), name
    return c.app


def signed_in(app: FastAPI, role: str, branch_id: str | None = None) -> httpx.AsyncClient:
    c = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://org")
    c.cookies.set(SESSION_COOKIE, mint_token(TEST_JWT_SECRET, f"{role}-1", [role], branch_id, name="王"))
    return c


async def test_letters_are_recorded_overdue_ones_marked_and_return_slips_recorded(app: FastAPI) -> None:
    async with signed_in(app, "park_admin") as admin:
        page = await admin.get("/ui/transfers")
        assert page.status_code == 200
        assert re.search(r'data-transfer-id="t-late" data-status="overdue"', page.text) and "（30天）" in page.text

        too_long = await admin.post("/ui/transfers", data={
            "member_id": "m2", "direction": "out", "letter_no": "园党转〔2026〕8号", "organization": "某市委",
            "valid_until": (TODAY + timedelta(days=200)).isoformat()}, headers=ORIGIN)
        assert too_long.status_code == 422 and "介绍信有效期一般不超过三个月" in too_long.text
        bad_day = await admin.post("/ui/transfers", data={
            "member_id": "m2", "direction": "out", "letter_no": "8号", "organization": "某市委",
            "valid_until": "下个月"}, headers=ORIGIN)
        assert bad_day.status_code == 422 and "请填写有效期至" in bad_day.text
        done = await admin.post("/ui/transfers", data={
            "member_id": "m2", "direction": "out", "letter_no": "园党转〔2026〕8号", "organization": "某市委",
            "valid_until": (TODAY + timedelta(days=30)).isoformat()}, headers=ORIGIN)
        assert done.status_code == 303
        listed = await admin.get(done.headers["location"])
        assert "介绍信已登记" in listed.text and "园党转〔2026〕8号" in listed.text

        returned = await admin.post("/ui/transfers/t-late/return-slip", data={"returned_on": ""}, headers=ORIGIN)
        assert returned.status_code == 303
        after = await admin.get(returned.headers["location"])
        assert re.search(r'data-transfer-id="t-late" data-status="returned"', after.text)
        again = await admin.post("/ui/transfers/t-late/return-slip", data={}, headers=ORIGIN)
        assert again.status_code == 409 and "回执已登记" in again.text
        english = await admin.get("/ui/transfers", params={"lang": "en"})
        assert "Transfer letters" in english.text
    async with signed_in(app, "auditor") as auditor:
        read = await auditor.get("/ui/transfers")
        assert read.status_code == 200 and 'id="issue-form"' not in read.text
        assert (await auditor.post("/ui/transfers", data={}, headers=ORIGIN)).status_code == 403
    async with signed_in(app, "branch_secretary", "br1") as secretary:
        assert (await secretary.get("/ui/transfers")).status_code == 403
