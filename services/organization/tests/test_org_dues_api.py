"""Dues by income over HTTP against real PostgreSQL and NATS: assessing the standard (by income, by
category, branch-set with a reason), paying several months in advance, the arrears list flagged at 3 and
6 months, the yearly statement; every bad body refused naming its field."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from redpark_platform.testkit import TEST_JWT_SECRET
from redpark_platform.web import mint_token


def bearer(role: str, branch: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, f'{role}-{branch}', (role,), branch)}"}


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def refused(response: httpx.Response, status: int, code: str, field: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and [e["field"] for e in body["errors"]] == [field], body


def month(offset: int) -> str:
    """This month in the park moved by `offset` months."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    index = today.year * 12 + today.month - 1 + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


async def members(c: httpx.AsyncClient, *ids: str) -> int:
    await ok(await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 12,
                                              "sequence_in_zone": 1}), 201)
    await ok(await c.post("/enterprises", json={
        "enterprise_id": "e1", "name": "爱科技", "building_id": "a1", "floor": 3, "headcount": 40,
        "is_tech_enterprise": True, "legal_representative": "张三", "effective_on": "2024-01-01"}), 201)
    last = 0
    for m in ids:
        last = int((await ok(await c.post("/members", json={
            "member_id": m, "name": f"党员{m}", "enterprise_id": "e1", "status": "full",
            "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": "13800000000",
            "id_number": "11010519491231002X", "effective_on": "2024-01-01"}), 201))["position"])
    return last


async def test_dues_are_assessed_by_income_paid_in_advance_and_flagged_in_arrears(client: httpx.AsyncClient) -> None:
    c = client
    await members(c, "m1", "m2", "m3")
    since = month(-6)  # six months ago: this month is the seventh
    # m1 earns 8,000 yuan a month after tax: 1.5%, 120 yuan
    await ok(await c.put("/members/m1/dues-standard", json={
        "category": "salaried", "effective_from": since, "monthly_income_fen": 800_000}))
    # m2 is a student (0.2 yuan); m3's branch set 1 yuan for a hardship, with the reason
    await ok(await c.put("/members/m2/dues-standard", json={"category": "student", "effective_from": since}))
    await ok(await c.put("/members/m3/dues-standard", json={
        "category": "branch_set", "effective_from": since, "monthly_amount_fen": 100, "reason": "长期患病，经支部研究"}))

    # m1 pays the first three months at once, then this month and two ahead in advance
    await ok(await c.post("/members/m1/dues-payments/months", json={
        "months": [month(-6), month(-5), month(-4)], "amount_fen": 36_000}), 201)
    paid = await ok(await c.post("/members/m1/dues-payments/months", json={
        "months": [month(0), month(1), month(2)], "amount_fen": 36_000}), 201)
    # m2 paid only the last two months: five unpaid before them
    await ok(await c.post("/members/m2/dues-payments/months", json={
        "months": [month(-1), month(0)], "amount_fen": 40}), 201)
    last = (await ok(await c.post("/members/m3/dues-payments/months", json={
        "months": [month(-6)], "amount_fen": 100}), 201))["position"]

    arrears = await ok(await c.get("/dues/arrears", params={"month": month(0), "after": last}))
    lines = {line["member_id"]: line for line in arrears["members"]["items"]}
    assert (lines["m1"]["months"], lines["m1"]["consecutive_months"], lines["m1"]["flag"]) == (
        [month(-3), month(-2), month(-1)], 3, "three_months")
    assert (lines["m2"]["consecutive_months"], lines["m2"]["flag"]) == (5, "three_months")
    assert (lines["m3"]["consecutive_months"], lines["m3"]["flag"]) == (6, "six_months")
    flagged = await ok(await c.get("/dues/arrears", params={"month": month(0), "flag": "six_months"}))
    assert [line["member_id"] for line in flagged["members"]["items"]] == ["m3"]

    year = int(month(0)[:4])
    statement = await ok(await c.get("/members/m1/dues", params={"year": year, "after": paid["position"]}))
    assert [(s["category"], s["basis_points"], s["monthly_amount_fen"], s["rule"]) for s in statement["standards"]] \
        == [("salaried", 150, 12_000, "《党费规定》第三条")]
    by_month = {m["month"]: m for m in statement["statement"]["months"]}
    assert by_month[month(0)]["paid_fen"] == 12_000 and by_month[month(0)]["due_fen"] == 12_000
    if month(1).startswith(str(year)):  # paid in advance shows in its month of the same year
        assert by_month[month(1)]["paid_fen"] == 12_000
    assert statement["flag"] == "three_months" and statement["arrears_months"] == [month(-3), month(-2), month(-1)]
    reason = await ok(await c.get("/members/m3/dues"))
    assert reason["standards"][0]["reason"] == "长期患病，经支部研究"

    # a secretary of another branch may not assess or read a member outside its branch
    refused(await c.put("/members/m1/dues-standard", json={"category": "student", "effective_from": month(1)},
                        headers=bearer("branch_secretary", "br9")), 404, "member.unknown", "member_id")


async def test_bad_dues_bodies_are_refused_naming_the_field(client: httpx.AsyncClient) -> None:
    c = client
    await members(c, "m1")
    put = "/members/m1/dues-standard"
    refused(await c.put(put, json={"category": "farmer", "effective_from": month(0)}), 422,
            "dues.category_unknown", "category")
    refused(await c.put(put, json={"category": "salaried", "effective_from": month(0)}), 422,
            "dues.income_missing", "monthly_income_fen")
    refused(await c.put(put, json={"category": "salaried", "effective_from": month(0), "monthly_income_fen": -5}),
            422, "request.invalid", "monthly_income_fen")
    refused(await c.put(put, json={"category": "branch_set", "effective_from": month(0), "monthly_amount_fen": 50,
                                   "reason": " "}), 422, "dues.reason_missing", "reason")
    refused(await c.put(put, json={"category": "student", "effective_from": "2026-13"}), 422,
            "month.malformed", "effective_from")
    refused(await c.put("/members/nobody/dues-standard", json={"category": "student", "effective_from": month(0)}),
            404, "member.unknown", "member_id")
    await ok(await c.put(put, json={"category": "student", "effective_from": month(0)}))
    pay = "/members/m1/dues-payments/months"
    refused(await c.post(pay, json={"months": [], "amount_fen": 0}), 422, "dues.months_missing", "months")
    refused(await c.post(pay, json={"months": [month(0), month(2)], "amount_fen": 40}), 422,
            "dues.months_not_consecutive", "months")
    refused(await c.post(pay, json={"months": [month(0)], "amount_fen": 21}), 422, "dues.amount_mismatch",
            "amount_fen")
    refused(await c.post(pay, json={"months": [month(0)] * 25, "amount_fen": 20}), 422, "request.invalid", "months")
    refused(await c.post(pay, json={"months": ["a\x00b"], "amount_fen": 20}), 422, "request.invalid", "months[0]")
    refused(await c.post(pay, json={"months": ["2026-1"], "amount_fen": 20}), 422, "month.malformed", "months")
