"""The dues console pages with a session cookie, against real PostgreSQL and NATS: a member's yearly
statement, 核定党费 and 交纳党费 (one month or several in advance) as forms with Chinese refusals beside the
field and no 500, a branch secretary for its own members only, and the arrears list with its flags."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime
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


def month(offset: int) -> str:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    index = today.year * 12 + today.month - 1 + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
async def app(service_client: Callable[..., Awaitable[ServiceClient]]) -> FastAPI:
    """m1 (br1) assessed at 8,000 yuan a month from four months ago, nothing paid; m2 outside any branch."""
    c = await service_client(create_app)
    c.headers.update(ADMIN)
    await ok(await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 9,
                                              "sequence_in_zone": 1}), 201)
    await ok(await c.post("/enterprises", json={
        "enterprise_id": "e1", "name": "爱科技", "building_id": "a1", "floor": 2, "headcount": 30,
        "is_tech_enterprise": True, "legal_representative": "张三", "effective_on": "2024-01-01"}), 201)
    for mid in ("m1", "m2", "m3", "m4"):
        registered = await ok(await c.post("/members", json={
            "member_id": mid, "name": f"党员{mid}", "enterprise_id": "e1", "status": "full",
            "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": "13812345678",
            "id_number": "11010519491231002X", "effective_on": "2024-01-01"}), 201)
    # A branch is founded on the full members the rosters show: let them show all four first.
    await ok(await c.get("/members", params={"after": registered["position"]}))
    await ok(await c.post("/branches", json={"branch_id": "br1", "name": "爱科技党支部", "kind": "enterprise",
                                             "enterprise_ids": ["e1"], "effective_on": "2024-02-01"}), 201)
    for mid in ("m1", "m3", "m4"):
        await ok(await c.put(f"/members/{mid}/branch", json={"branch_id": "br1", "effective_on": "2024-02-01"}))
    last = await ok(await c.put("/members/m1/dues-standard", json={
        "category": "salaried", "effective_from": month(-4), "monthly_income_fen": 800_000}))
    runtime = c.runtime
    for name in [n for n, r in runtime.runners.items() if "organization" in r.projection.sources]:
        assert await runtime.wait_for(name, last["position"], timeout=10, strict=True), name
    return c.app


def signed_in(app: FastAPI, role: str, branch_id: str | None = None) -> httpx.AsyncClient:
    c = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://org")
    c.cookies.set(SESSION_COOKIE, mint_token(TEST_JWT_SECRET, f"{role}-1", [role], branch_id, name="李书记"))
    return c


def error_of(page: str, field: str) -> str:
    found = re.search(rf'id="e-{field}" role="alert">([^<]+)<', page) or re.search(
        rf'id="f-{field}".*?<p class="error" role="alert">([^<]+)<', page, re.S)
    return found.group(1) if found else ""


async def test_a_member_is_assessed_and_pays_months_in_advance_from_the_console(app: FastAPI) -> None:
    async with signed_in(app, "branch_secretary", "br1") as secretary:
        page = await secretary.get("/ui/members/m1/dues")
        assert page.status_code == 200 and "年度交纳明细" in page.text and "《党费规定》第三条" in page.text
        assert 'id="arrears-flag"' in page.text and "连续3个月未交" in page.text  # four months unpaid

        # refusals beside their field, in Chinese, never a 500
        bad = await secretary.post("/ui/members/m1/dues/standard", data={
            "category": "salaried", "effective_from": month(1), "income": "八千"}, headers=ORIGIN)
        assert bad.status_code == 422 and error_of(bad.text, "income") == "月收入请填写金额（元，最多两位小数）"
        missing = await secretary.post("/ui/members/m1/dues/standard", data={
            "category": "branch_set", "effective_from": month(1), "amount": "1"}, headers=ORIGIN)
        assert missing.status_code == 422 and "理由" in error_of(missing.text, "reason")

        # 2,000 yuan from next month on: 0.5%, 10 yuan
        done = await secretary.post("/ui/members/m1/dues/standard", data={
            "category": "salaried", "effective_from": month(1), "income": "2000"}, headers=ORIGIN)
        assert done.status_code == 303 and re.fullmatch(r"/ui/members/m1/dues\?done=standard&after=\d+",
                                                        done.headers["location"])
        after = await secretary.get(done.headers["location"])
        assert "党费标准已核定" in after.text and "0.5%" in after.text

        wrong = await secretary.post("/ui/members/m1/dues/payments", data={
            "from_month": month(-4), "count": "5", "paid": "100"}, headers=ORIGIN)
        assert wrong.status_code == 422 and "金额" in error_of(wrong.text, "paid")
        # the four months owed and this one: 5 × 120 yuan
        paid = await secretary.post("/ui/members/m1/dues/payments", data={
            "from_month": month(-4), "count": "5", "paid": "600"}, headers=ORIGIN)
        assert paid.status_code == 303
        # next month in advance at the new standard
        ahead = await secretary.post("/ui/members/m1/dues/payments", data={
            "from_month": month(1), "count": "1", "paid": "10.00"}, headers=ORIGIN)
        assert ahead.status_code == 303
        now_paid = await secretary.get(ahead.headers["location"])
        assert "党费已登记" in now_paid.text and 'id="arrears-flag"' not in now_paid.text
        assert re.search(r'id="owed">0\.00<', now_paid.text)

        # another branch's secretary, and a member outside the branch, are refused
        outside = await secretary.get("/ui/members/m2/dues")
        assert outside.status_code == 403
    async with signed_in(app, "auditor") as auditor:
        read = await auditor.get("/ui/members/m1/dues")
        assert read.status_code == 200 and 'id="assess-form"' not in read.text
        write = await auditor.post("/ui/members/m1/dues/payments", data={
            "from_month": month(2), "count": "1", "paid": "10"}, headers=ORIGIN)
        assert write.status_code == 403


async def test_the_arrears_page_lists_flagged_members(app: FastAPI) -> None:
    async with signed_in(app, "park_admin") as admin:
        # m3 assessed seven months back as a student, nothing paid: six months and this one unpaid
        await admin.post("/ui/members/m3/dues/standard", data={
            "category": "student", "effective_from": month(-6)}, headers=ORIGIN)
        done = await admin.post("/ui/members/m4/dues/standard", data={
            "category": "unemployed", "effective_from": month(0)}, headers=ORIGIN)
        assert done.status_code == 303
        await admin.get(done.headers["location"])
        page = await admin.get("/ui/dues/arrears")
        assert page.status_code == 200
        rows = dict(re.findall(r'data-member-id="(m\d)" data-flag="([a-z_]*)"', page.text))
        assert rows == {"m1": "three_months", "m3": "six_months", "m4": ""}
        six = await admin.get("/ui/dues/arrears", params={"flag": "six_months"})
        assert re.findall(r'data-member-id="(m\d)"', six.text) == ["m3"]
        english = await admin.get("/ui/dues/arrears", params={"lang": "en"})
        assert "Consecutive months unpaid" in english.text
