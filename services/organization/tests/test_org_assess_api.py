"""The quarterly assessment over HTTP against real PostgreSQL and NATS: live cards from the read models,
the park's rules, closing a quarter (the snapshot never changes), departments, award eligibility, the
export and who may read what."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest
from fastapi import FastAPI

from redpark_organization.app import create_app
from redpark_organization.domain.assessment import quarter_bounds, quarter_of
from redpark_organization.queries.assessment import award_eligibility
from redpark_platform.testkit import TEST_JWT_SECRET, TEST_TOKEN_TTL, ServiceClient
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET
ADMIN = {"Authorization": f"Bearer {mint_token(SECRET, 'staff-1', ('park_admin',), None, ttl=TEST_TOKEN_TTL)}"}
AUDITOR = {"Authorization": f"Bearer {mint_token(SECRET, 'aud-1', ('auditor',), None, ttl=TEST_TOKEN_TTL)}"}
SECRETARY_BR2 = {"Authorization": f"Bearer {mint_token(SECRET, 'sec-2', ('branch_secretary',), 'br2')}"}
SECRETARY_BR1 = {"Authorization": f"Bearer {mint_token(SECRET, 'sec-1', ('branch_secretary',), 'br1')}"}


def quarters() -> tuple[str, str]:
    """This quarter in the park and the one before it (ended, so it can be closed)."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    current = quarter_of(today)
    year, q = today.year, (today.month - 1) // 3 + 1
    previous = f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"
    return current, previous


@pytest.fixture
async def app(service_client: Callable[..., Awaitable[ServiceClient]]) -> FastAPI:
    c = await service_client(create_app)
    c.headers.update(ADMIN)
    return c.app


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://org", headers=ADMIN)


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def park(c: httpx.AsyncClient, since: str | None = None) -> int:
    """Building a1 answered for by branch br1 (e1, three full members); e2 in a1 has no members and no
    liaison: half the building is covered. Everything dated `since` (today when None)."""
    on = {"effective_on": since} if since else {}
    await ok(await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 12,
                                              "sequence_in_zone": 1}), 201)
    for eid in ("e1", "e2"):
        await ok(await c.post("/enterprises", json={
            "enterprise_id": eid, "name": f"企业{eid}", "building_id": "a1", "floor": 3, "headcount": 40,
            "is_tech_enterprise": True, "legal_representative": "张三", **on}), 201)
    last = 0
    for m in ("m1", "m2", "m3"):
        last = (await ok(await c.post("/members", json={
            "member_id": m, "name": f"党员{m}", "enterprise_id": "e1", "status": "full",
            "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": "13800000000",
            "id_number": "11010519491231002X", **on}), 201))["position"]
    await c.get("/members", params={"after": last})
    await ok(await c.post("/general-branch", json={"general_branch_id": "gb", "name": "红色园区党总支", **on}), 201)
    await ok(await c.post("/branches", json={"branch_id": "br1", "name": "爱科技党支部", "kind": "enterprise",
                                             "enterprise_ids": ["e1"], **on}), 201)
    for m in ("m1", "m2", "m3"):
        last = (await ok(await c.put(f"/members/{m}/branch", json={"branch_id": "br1", **on})))["position"]
    return int((await ok(await c.put("/buildings/a1/branch", json={"branch_id": "br1", **on})))["position"])


def field(response: httpx.Response) -> str:
    name: str = response.json()["errors"][0]["field"]
    return name


def item(card: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in card["items"] if i["key"] == key)
    return found


async def test_the_live_card_follows_the_facts_and_party_building_vetoes(app: FastAPI) -> None:
    current, _previous = quarters()
    async with client(app) as c:
        last = await park(c)
        card = await ok(await c.get("/assessment/scorecards/br1", params={"after": last}))
        assert card["status"] == "live" and card["quarter"] == current and card["unit_kind"] == "branch"
        coverage = item(card, "coverage")
        assert (coverage["fact"], coverage["target"], coverage["points_earned"], coverage["points_possible"]) == (
            0.5, 1.0, 7.5, 15)
        assert coverage["rule_text"].startswith("负责楼栋内企业")
        # no party lesson this quarter: vetoed by the default rules, shown with its score
        assert card["vetoed"] and any("党课" in r for r in card["veto_reasons"])
        before = card["score"]

        sent = await ok(await c.put("/enterprises/e2/liaison-instructor",
                                    json={"member_id": "m1", "sent_by_branch_id": "br1"}))
        card = await ok(await c.get("/assessment/scorecards/br1", params={"after": sent["position"]}))
        assert item(card, "coverage")["fact"] == 1.0 and card["score"] == before + 7.5

        listing = await ok(await c.get("/assessment/scorecards", params={"quarter": current}))
        assert listing["status"] == "live" and listing["award_threshold"] == 80
        kinds = {(r["unit_kind"], r["unit_id"]) for r in listing["scorecards"]["items"]}
        assert kinds == {("general_branch", "gb"), ("branch", "br1")}
        only = await ok(await c.get("/assessment/scorecards", params={"kind": "branch", "limit": 1}))
        assert [r["unit_id"] for r in only["scorecards"]["items"]] == ["br1"]

        bad = await c.get("/assessment/scorecards", params={"quarter": "2026-Q9"})
        assert bad.status_code == 422 and bad.json()["code"] == "quarter.malformed" and field(bad) == "quarter"
        unknown = await c.get("/assessment/scorecards/nobody")
        assert unknown.status_code == 404 and unknown.json()["code"] == "assessment.unit_unknown"

        # a branch secretary reads its own card only; the auditor reads and exports; neither writes
        assert (await c.get("/assessment/scorecards/br1", headers=SECRETARY_BR2)).status_code == 403
        mine = await ok(await c.get("/assessment/scorecards", headers=SECRETARY_BR1))
        assert [r["unit_id"] for r in mine["scorecards"]["items"]] == ["br1"]
        assert (await c.post(f"/assessment/quarters/{current}/close", headers=AUDITOR)).status_code == 403
        book = await c.get("/exports/assessment.xlsx", params={"quarter": current}, headers=AUDITOR)
        assert book.status_code == 200
        wb = openpyxl.load_workbook(io.BytesIO(book.content))
        assert wb.sheetnames == ["考核汇总", "考核明细"]
        summary = {row[3]: row for row in wb["考核汇总"].iter_rows(min_row=2, values_only=True)}
        assert summary["br1"][5] == card["score"] and summary["br1"][7] == "是"
        assert wb["考核明细"].max_row - 1 == len(card["items"]) + 4  # the general branch's four items


async def test_rules_closing_departments_and_award_eligibility(app: FastAPI) -> None:
    current, previous = quarters()
    year = int(previous[:4])
    async with client(app) as c:
        last = await park(c, since=quarter_bounds(previous)[0].isoformat())
        defaults = await ok(await c.get(f"/assessment/rules/{year}", params={"after": last}))
        assert defaults["is_default"] and sum(i["points"] for i in defaults["items"]
                                              if i["applies_to"] == "branch") == 100

        refused = await c.put(f"/assessment/rules/{year}", json={
            "items": [{"key": "cov", "label": "组织覆盖", "metric": "coverage_rate", "target": 2, "points": 50,
                       "rule_text": "全覆盖"}], "award_threshold": 40})
        assert refused.status_code == 422 and field(refused) == "items[0].target"
        malformed = await c.put(f"/assessment/rules/{year}", json={"items": [], "award_threshold": "many"})
        assert malformed.status_code == 422 and field(malformed) == "award_threshold"
        unknown_metric = await c.put(f"/assessment/rules/{year}", json={"items": [
            {"key": "x", "label": "x", "metric": "happiness", "target": 1, "points": 1, "rule_text": "x"}],
            "award_threshold": 0})
        assert unknown_metric.status_code == 422 and field(unknown_metric) == "items[0].metric"
        rules = {"items": [
            {"key": "cov", "label": "组织覆盖", "metric": "coverage_rate", "target": 1, "points": 60,
             "rule_text": "全覆盖"},
            {"key": "visits", "label": "走访", "metric": "support_visits", "target": 2, "points": 40,
             "rule_text": "走访两次"}],
            "veto": [], "department_items": [{"key": "duty", "label": "责任落实", "points": 100}],
            "award_threshold": 30}
        set_ = await ok(await c.put(f"/assessment/rules/{year}", json=rules))
        view = await ok(await c.get(f"/assessment/rules/{year}", params={"after": set_["position"]}))
        assert not view["is_default"] and [i["key"] for i in view["items"]] == ["cov", "visits"]

        dept = await ok(await c.post("/departments", json={"department_id": "d1", "name": "招商服务部",
                                                           "head": "王五"}), 201)
        again = await c.post("/departments", json={"department_id": "d1", "name": "招商服务部", "head": "王五"})
        assert again.status_code == 409 and again.json()["code"] == "department.already_registered"
        listed = await ok(await c.get("/departments", params={"after": dept["position"]}))
        assert [d["name"] for d in listed["items"]] == ["招商服务部"] and listed["total"] == 1
        too_much = await c.put(f"/departments/d1/scores/{previous}", json={"items": [{"key": "duty", "points": 120}]})
        assert too_much.status_code == 422 and field(too_much) == "items[0].points"
        scored = await ok(await c.put(f"/departments/d1/scores/{previous}", json={
            "items": [{"key": "duty", "points": 90}], "vetoed": True, "veto_reason": "党建责任落实不到位"}))
        dcard = await ok(await c.get("/assessment/scorecards/d1", params={"quarter": previous,
                                                                         "after": scored["position"]}))
        assert dcard["score"] == 90 and dcard["vetoed"] and dcard["veto_reasons"] == ["党建责任落实不到位"]

        early = await c.post(f"/assessment/quarters/{current}/close")
        assert early.status_code == 409 and early.json()["code"] == "assessment.quarter_not_ended"
        closed = await ok(await c.post(f"/assessment/quarters/{previous}/close"), 201)
        card = await ok(await c.get("/assessment/scorecards/br1", params={"quarter": previous,
                                                                         "after": closed["position"]}))
        assert card["status"] == "closed" and card["closed_on"] is not None
        assert card["score"] == 30 and not card["vetoed"]  # half covered (30 of 60), no visit
        twice = await c.post(f"/assessment/quarters/{previous}/close")
        assert twice.status_code == 409 and twice.json()["code"] == "assessment.quarter_already_closed"
        late = await c.put(f"/departments/d1/scores/{previous}", json={"items": [{"key": "duty", "points": 10}]})
        assert late.status_code == 409 and late.json()["code"] == "assessment.quarter_already_closed"

        # the facts move on; the closed card does not
        sent = await ok(await c.put("/enterprises/e2/liaison-instructor",
                                    json={"member_id": "m1", "sent_by_branch_id": "br1"}))
        live = await ok(await c.get("/assessment/scorecards/br1", params={"after": sent["position"]}))
        assert item(live, "cov" if current[:4] == previous[:4] else "coverage")["fact"] == 1.0
        still = await ok(await c.get("/assessment/scorecards/br1", params={"quarter": previous}))
        assert still["score"] == 30 and item(still, "cov")["fact"] == 0.5

        pool = app.state.runtime.pool
        assert await award_eligibility(pool, "br1", year) == (True, "季度考核平均分 30，达到评优门槛 30，无一票否决")
        ok_d, reason_d = await award_eligibility(pool, "d1", year)
        assert not ok_d and "一票否决" in reason_d and "综合先进" in reason_d
        assert (await award_eligibility(pool, "br1", year - 1))[0] is False
        shown = await ok(await c.get("/assessment/eligibility/br1", params={"year": year}))
        assert shown["eligible"] is True and shown["reason"].startswith("季度考核平均分")

        stricter = await ok(await c.put(f"/assessment/rules/{year}", json={**rules, "award_threshold": 50}))
        await c.get(f"/assessment/rules/{year}", params={"after": stricter["position"]})
        eligible, reason = await award_eligibility(pool, "br1", year)
        assert not eligible and "低于评优门槛 50" in reason
