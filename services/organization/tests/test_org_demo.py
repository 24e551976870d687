"""The demo park, loaded through the service's own HTTP API against real PostgreSQL and NATS,
then read back through the queries and the XLSX exports."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable

import httpx
import openpyxl
import pytest
from fastapi import FastAPI

from redpark_organization.app import create_app
from redpark_organization.demo import park as demo
from redpark_platform.testkit import TEST_JWT_SECRET, TEST_TOKEN_TTL, ServiceClient
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET
TOKEN = mint_token(SECRET, "staff-1", ["park_admin"], ttl=TEST_TOKEN_TTL)


@pytest.fixture
async def app(service_client: Callable[..., Awaitable[ServiceClient]]) -> FastAPI:
    c = await service_client(create_app)
    return c.app


def test_the_plan_is_deterministic_and_realistic() -> None:
    one, two = demo.plan(), demo.plan()
    assert [(e.name, len(e.members)) for e in one.enterprises] == [(e.name, len(e.members)) for e in two.enterprises]
    people = [m for e in one.enterprises for m in e.members]
    assert len(one.enterprises) >= 60 and len(people) >= 200 and len(one.buildings) >= 10
    assert 0.5 <= sum(e.tech for e in one.enterprises) / len(one.enterprises) <= 0.7
    assert any(m.relationship == "elsewhere" for m in people) and any(m.status == "probationary" for m in people)
    assert len({m.member_id for m in people}) == len(people)


async def test_the_demo_park_is_loaded_once_and_every_ledger_exports(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    assert await demo.load("http://org", TOKEN, transport=transport) is True
    async with httpx.AsyncClient(transport=transport, base_url="http://org",
                                 headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        runtime = app.state.runtime
        last = await runtime.store.last_position()
        # Only the read models of this service's own events: the follow-up opener reads enterprise-support's,
        # which no test here publishes, so waiting on it would prove nothing (and now raises CannotWait).
        for name in [n for n, r in runtime.runners.items() if "organization" in r.projection.sources]:
            assert await runtime.wait_for(name, last, timeout=20, strict=True), name
        zones = await runtime.pool.fetchval("SELECT count(*) FROM org_zones")
        buildings = await runtime.pool.fetchval("SELECT count(*) FROM org_buildings")
        everything = {"limit": 500}
        enterprises = (await c.get("/enterprises", params=everything)).json()["items"]
        members = (await c.get("/members", params=everything)).json()["items"]
        cov = (await c.get("/coverage")).json()
        branches = (await c.get("/branches", params=everything)).json()["items"]
        pipeline = (await c.get(f"/development/pipeline/{demo._park_today().year}",
                                params=everything)).json()
        month = demo._months_back(demo._park_today(), 1)[0]
        arrears = (await c.get("/dues/arrears", params={"month": month})).json()["branches"]
        assert zones == 2 and buildings >= 10
        assert len(enterprises) >= 60 and len(members) >= 200
        assert 0 < cov["overall"]["rate"] < 1
        assert {b["kind"] for b in branches} == {"enterprise", "joint"}
        assert all(b["buildings"] for b in branches if b["kind"] == "joint")
        assert any(e["liaison_instructor_id"] for e in enterprises)
        assert any(e["liaison_sent_by"] == demo.GENERAL_BRANCH_ID for e in enterprises)
        general = (await c.get("/general-branch")).json()
        assert general["general_branch_id"] == demo.GENERAL_BRANCH_ID and len(general["committee_member_ids"]) == 5
        assert general["member_count"] == sum(m["relationship"] == "in_park" for m in members) > 0 and general["readiness"]["threshold"] == 100
        assert {p["stage"] for p in pipeline["people"]["items"]} == {"applicant", "activist", "candidate", "probationary",
                                                            "full"}
        assert sum(b["members_in_arrears"] for b in arrears) > 0
        # dues by the standard: a member four months in arrears (flagged), the branch-set amount with its reason
        behind = (await c.get("/dues/arrears", params={"month": month, "flag": "three_months",
                                                       "limit": 500})).json()["members"]["items"]
        assert any(len(line["months"]) == 4 and line["flag"] == "three_months" for line in behind), behind[:3]
        categories = dict(await runtime.pool.fetch("SELECT category, count(*) FROM org_dues_standards GROUP BY 1"))
        assert set(categories) == {"salaried", "student", "unemployed", "retiree", "branch_set"}, categories
        assert await runtime.pool.fetchval("SELECT reason FROM org_dues_standards WHERE category = 'branch_set'")
        paid = await runtime.pool.fetchval("SELECT count(*) FROM org_dues_paid")
        assert paid > 0
        assert all("****" in m["phone"] for m in members)
        census = (await c.get("/census")).json()
        assert census["members"]["total"] == len(members)
        assert census["enterprises"]["total"] == len(enterprises) and census["enterprises"]["no_members"] > 0
        assert all(n > 0 for n in census["people"].values()), census["people"]

        # branch life: the general branch's ten rules on the wall, one failed inspection rectifying, meetings
        rules = (await c.get("/rulebook", params={"holder_id": "general"})).json()["items"]
        assert len(rules) == 10 and all(r["posted"] for r in rules), rules[:2]
        rect = (await c.get("/rectifications")).json()
        assert rect["total"] == 1, rect
        cards = (await c.get("/assessment/scorecards")).json()["scorecards"]["items"]
        assert len(cards) >= len(branches) and any(card["score"] > 0 for card in cards), cards[:3]
        # letters of transfer: one overdue without its return slip, one returned, one in still open
        letters = {r["transfer_id"]: r["status"] for r in (await c.get("/transfer-letters")).json()["items"]}
        assert letters == {"demo-tr-late": "overdue", "demo-tr-back": "returned", "demo-tr-in": "open"}
        # the general branch records its own committee meetings: monthly over the last three months
        general_meetings = (await c.get("/branches/general/meetings")).json()
        assert general_meetings["total"] == 3
        gb_card = (await c.get(f"/assessment/scorecards/{demo.GENERAL_BRANCH_ID}")).json()
        committee = next(i for i in gb_card["items"] if i["key"] == "gb_committee")
        assert committee["fact"] >= 1 and committee["points_earned"] > 0, committee
        board = (await c.get("/dashboard")).json()
        scored = {card["name"]: card["score"] for card in cards if card["unit_kind"] == "branch"}
        chart = next(ch for ch in board["charts"] if ch["key"] == "branch_scores")
        assert dict(zip(chart["labels"], chart["series"][0]["data"], strict=True)) == scored
        tile = next(t for t in board["tiles"] if t["key"] == "assessment")
        assert tile["value"] == f"{sum(scored.values()) / len(scored):.1f}"

        # loaded once: the marker stops a second run before it writes anything
        assert await demo.load("http://org", TOKEN, transport=transport) is False
        assert await runtime.store.last_position() == last

        census = await c.get("/exports/census.xlsx")
        assert census.status_code == 200
        assert census.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert 'filename="census.xlsx"' in census.headers["content-disposition"]
        wb = openpyxl.load_workbook(io.BytesIO(census.content))
        assert wb.sheetnames == ["党员", "企业", "统战对象与人才"]
        rows = list(wb["党员"].iter_rows(values_only=True))
        assert rows[0][:2] == ("党员编号", "姓名") and rows[0][-2:] == ("手机号码", "身份证号码")
        assert len(rows) - 1 == len(members)
        assert wb["企业"].max_row - 1 == len(enterprises)

        cov_book = openpyxl.load_workbook(io.BytesIO((await c.get("/exports/coverage.xlsx")).content))
        by_zone = list(cov_book["按分区"].iter_rows(values_only=True))
        assert by_zone[0] == ("分区编号", "分区名称", "企业总数", "已覆盖企业", "覆盖率(%)")
        assert {r[1] for r in by_zone[1:]} == {"A区 一期", "B区 二期", "全园区"}
        assert cov_book["按楼栋"].max_row - 1 == buildings
        assert cov_book["未覆盖企业"].max_row - 1 == cov["uncovered"]["total"]

        rosters = openpyxl.load_workbook(io.BytesIO((await c.get("/exports/branch-rosters.xlsx")).content))
        assert rosters["支部一览"].max_row - 1 == len(branches)
        assert rosters["支部党员名册"].max_row - 1 == sum(b["members"] for b in branches)

        dues = openpyxl.load_workbook(io.BytesIO((await c.get("/exports/dues-arrears.xlsx",
                                                              params={"month": month})).content)).active
        assert next(dues.iter_rows(values_only=True))[:3] == ("所在支部", "党员编号", "姓名")
        assert dues.max_row - 1 == sum(b["members_in_arrears"] for b in arrears)

        dev = openpyxl.load_workbook(io.BytesIO((await c.get("/exports/development-pipeline.xlsx")).content)).active
        assert next(dev.iter_rows(values_only=True))[3] == "当前阶段"
        assert dev.max_row - 1 == pipeline["people"]["total"]

        doc = (await c.get("/openapi.json")).json()
        for path in ("/exports/census.xlsx", "/exports/coverage.xlsx", "/exports/branch-rosters.xlsx",
                     "/exports/dues-arrears.xlsx", "/exports/development-pipeline.xlsx"):
            assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in \
                doc["paths"][path]["get"]["responses"]["200"]["content"], path
