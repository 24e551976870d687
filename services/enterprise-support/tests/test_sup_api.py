"""The enterprise-support API against real PostgreSQL and NATS: command → event → relay →
projection → query, refusals as problem+json, roles, personal data, XLSX, rebuild. Enterprises
and branches come in as the organization's published events (contract fixtures, see conftest.py)."""

from __future__ import annotations

import io
from collections.abc import Awaitable
from datetime import date, timedelta
from typing import Any

import httpx
import openpyxl
import pytest

from redpark_enterprise_support.app import create_app as create_support_app
from redpark_platform.calendar import compact_quarter, park_date, quarter_of
from redpark_platform.clock import utcnow
from redpark_platform.testkit import ServiceClient, eventually

ADMIN = ("park_admin",)
AUDITOR = ("auditor",)


def today() -> date:
    """Today in the park (Asia/Shanghai), which is what the service counts days by."""
    return park_date(utcnow())


@pytest.fixture
async def sup(service_client: Any, organization: Any) -> ServiceClient:
    """The support service with three enterprises in the park (e1 tech, e2, e3), moved in by the
    organization's events (`c.org` publishes more of them)."""
    c = await service_client(create_support_app, roles=("support_officer",))
    for eid, tech in (("e1", True), ("e2", False), ("e3", True)):
        await organization.move_in(eid, today() - timedelta(days=60), tech=tech)
    await eventually(lambda: rows(c.get("/enterprises")), lambda e: len(e) == 3)
    c.org = organization  # type: ignore[attr-defined]
    return c  # type: ignore[no-any-return]


async def ok(response: Awaitable[httpx.Response], status: int = 200) -> Any:
    r = await response
    assert r.status_code == status, r.text
    return r.json()


async def rows(response: Awaitable[httpx.Response]) -> list[Any]:
    """The rows of a paged list (its first page: the tests' lists are short)."""
    body = await ok(response)
    assert set(body) == {"items", "total", "limit", "offset", "next_offset"}, body
    items: list[Any] = body["items"]
    return items


async def test_a_need_is_worked_to_resolution_and_its_raisers_phone_is_masked(sup: ServiceClient) -> None:
    c = sup
    raised_on = (today() - timedelta(days=20)).isoformat()
    await ok(c.post("/needs", json={"need_id": "n1", "enterprise_id": "e1", "category": "talent", "urgency": "high",
                                    "description": "急需工程师", "raised_by_name": "张经理",
                                    "raised_by_phone": "13800138000", "effective_on": raised_on}), 201)
    early = await c.post("/needs/n1/resolution", json={"resolution": "已解决"})
    assert early.status_code == 409 and early.json()["code"] == "need.not_accepted"
    assert early.headers["content-type"].startswith("application/problem+json")
    last = await ok(c.post("/needs", json={"need_id": "n2", "enterprise_id": "e2", "category": "funding",
                                           "urgency": "normal", "description": "流动资金"}), 201)
    overdue = await rows(c.get("/needs", params={"view": "overdue", "after": last["position"]}))
    assert [(n["need_id"], n["age_days"], n["overdue"]) for n in overdue] == [("n1", 20, True)]
    assert "13800138000" not in str(await rows(c.get("/needs")))

    await ok(c.post("/needs/n1/acceptance", json={"assignee": "李红"}))
    await ok(c.post("/needs/n1/work", json={"note": "已联系高校"}))
    done = await ok(c.post("/needs/n1/resolution", json={"resolution": "录用2名"}))
    needs = await rows(c.get("/needs", params={"view": "open", "after": done["position"]}))
    assert [n["need_id"] for n in needs] == ["n2"]

    masked = await ok(c.get("/needs/n1/contact"))
    assert masked["raised_by_phone"] == "138****8000"
    r = await c.get("/needs/n1/contact", params={"personal": "full"})
    assert r.status_code == 403
    full = await ok(c.get("/needs/n1/contact", params={"personal": "full"}, headers=c.headers_for(ADMIN)))
    assert full["raised_by_phone"] == "13800138000"


async def test_a_branch_known_from_the_organization_becomes_a_contact_point_and_unknown_or_dissolved_ones_are_refused(
        sup: ServiceClient) -> None:
    c, org = sup, sup.org  # type: ignore[attr-defined]
    for branch_id, enterprise_id in (("b1", "e1"), ("b3", "e3")):
        await org.establish(branch_id, f"企业{enterprise_id}党支部", [enterprise_id], today())
    known = await eventually(lambda: rows(c.get("/branches")), lambda b: len(b) == 2)
    assert known == [{"branch_id": "b1", "name": "企业e1党支部", "active": True},
                     {"branch_id": "b3", "name": "企业e3党支部", "active": True}]

    unknown = await c.put("/enterprises/e2/contact-point", json={"contact_kind": "branch", "contact_id": "b9",
                                                                 "contact_name": "不存在的支部"})
    assert unknown.status_code == 409 and unknown.json()["code"] == "contact_point.branch_not_active"
    assert unknown.json()["errors"][0]["field"] == "contact_id"
    assigned = await ok(c.put("/enterprises/e2/contact-point", json={"contact_kind": "branch", "contact_id": "b1",
                                                                     "contact_name": "企业e1党支部"}))
    listed = {e["enterprise_id"]: (e["contact_kind"], e["contact_id"], e["contact_name"])
              for e in await rows(c.get("/enterprises", params={"after": assigned["position"]}))}
    assert listed["e2"] == ("branch", "b1", "企业e1党支部")
    assert [e["enterprise_id"] for e in await rows(c.get("/enterprises/without-contact-point"))] == ["e1", "e3"]

    # b3 dissolves once its only enterprise has left
    await org.move_out("e3", today())
    await org.dissolve("b3", today(), "企业迁出")
    active = await eventually(lambda: rows(c.get("/branches", params={"active": True})), lambda b: len(b) == 1)
    assert [b["branch_id"] for b in active] == ["b1"]
    assert [b["active"] for b in await rows(c.get("/branches"))] == [True, False]
    dissolved = await c.put("/enterprises/e1/contact-point", json={"contact_kind": "branch", "contact_id": "b3",
                                                                   "contact_name": "企业e3党支部"})
    assert dissolved.status_code == 409 and dissolved.json()["code"] == "contact_point.branch_not_active"


async def test_large_lists_come_in_pages(sup: ServiceClient) -> None:
    c = sup
    first = await ok(c.get("/enterprises", params={"limit": 2}))
    assert ([e["enterprise_id"] for e in first["items"]], first["total"], first["next_offset"]) == (["e1", "e2"], 3, 2)
    last = await ok(c.get("/enterprises", params={"limit": 2, "offset": first["next_offset"]}))
    assert ([e["enterprise_id"] for e in last["items"]], last["total"], last["next_offset"]) == (["e3"], 3, None)
    beyond = await ok(c.get("/visits/not-visited", params={"offset": 10}))
    assert (beyond["items"], beyond["total"], beyond["next_offset"]) == ([], 3, None)
    for path in ("/needs", "/services", "/service-requests", "/applications", "/activities", "/policies",
                 "/briefings", "/help-plans", "/visits", "/internship-bases", "/branches"):
        refused = await c.get(path, params={"limit": 0})
        assert refused.status_code == 422 and "limit" in refused.text, path
        assert (await ok(c.get(path, params={"limit": 1})))["limit"] == 1, path


async def test_visits_help_plans_and_the_enterprises_not_visited_this_year(sup: ServiceClient) -> None:
    c = sup
    r = await c.put("/enterprises/e1/help-plan", json={"category": "startup", "measures": ["对接种子资金"]})
    assert r.status_code == 409 and r.json()["code"] == "help_plan.not_visited"
    visit = await ok(c.post("/visits", json={"enterprise_id": "e1", "visitors": ["王建国"], "findings": "缺资金"}), 201)
    await rows(c.get("/visits", params={"after": visit["position"]}))
    await ok(c.put("/enterprises/e1/help-plan", json={"category": "startup", "measures": ["对接种子资金"]}))
    last = await ok(c.put("/enterprises/e1/help-plan", json={"category": "startup", "measures": ["对接种子资金", "导师"]}))
    plans = await rows(c.get("/help-plans", params={"after": last["position"]}))
    assert [(p["enterprise_id"], p["measures"]) for p in plans] == [("e1", ["对接种子资金", "导师"])]
    assert plans[0]["revised_on"] == today().isoformat()
    missing = await rows(c.get("/visits/not-visited"))
    assert [e["enterprise_id"] for e in missing] == ["e2", "e3"]
    r = await c.post("/visits", json={"enterprise_id": "e9", "visitors": ["王建国"], "findings": "x"})
    assert r.status_code == 409 and r.json()["code"] == "visit.enterprise_not_in_park"
    r = await c.post("/visits", json={"enterprise_id": "e1"})
    assert r.status_code == 422


async def test_platform_services_requests_and_funding_applications(sup: ServiceClient) -> None:
    c = sup
    await ok(c.post("/services", json={"service_id": "s1", "platform": "technical", "name": "运动控制平台",
                                       "provider_name": "深圳固高科技", "provider_kind": "partner_company"}), 201)
    sent = await ok(c.post("/service-requests", json={"request_id": "r1", "service_id": "s1", "enterprise_id": "e1"}),
                    201)
    listed = await rows(c.get("/service-requests", params={"after": sent["position"]}))
    assert [r["status"] for r in listed] == ["submitted"]
    twice = await c.post("/service-requests", json={"request_id": "r2", "service_id": "s1", "enterprise_id": "e1"})
    assert twice.status_code == 409 and twice.json()["code"] == "request.duplicate"
    await ok(c.post("/service-requests/r1/acceptance", json={}))
    done = await ok(c.post("/service-requests/r1/completion", json={"outcome": "效率提升30%"}))
    assert [r["status"] for r in await rows(c.get("/service-requests", params={"after": done["position"]}))] == [
        "completed"]

    applied = await ok(c.post("/applications", json={"kind": "seed_fund", "enterprise_id": "e1", "round": "2025",
                                                     "amount_requested_fen": 500_000}), 201)
    app_id = applied["id"]
    dup = await c.post("/applications", json={"kind": "seed_fund", "enterprise_id": "e1", "round": "2025",
                                              "amount_requested_fen": 100})
    assert dup.status_code == 409 and dup.json()["code"] == "application.duplicate"
    await ok(c.post(f"/applications/{app_id}/review", json={"reviewer": "评审会", "opinion": "支持",
                                                            "recommended": True}))
    above = await c.post(f"/applications/{app_id}/decision", json={"approved": True, "amount_granted_fen": 600_000})
    assert above.status_code == 409 and above.json()["code"] == "application.grant_above_request"
    assert above.json()["errors"][0]["field"] == "amount_granted_fen"
    decided = await ok(c.post(f"/applications/{app_id}/decision", json={"approved": True,
                                                                       "amount_granted_fen": 300_000}))
    listed = await rows(c.get("/applications", params={"after": decided["position"]}))
    assert [(a["status"], a["amount_granted_fen"]) for a in listed] == [("approved", 300_000)]


async def test_the_quarterlies_missing_this_quarter_and_activities_with_participants(sup: ServiceClient) -> None:
    c = sup
    quarter = compact_quarter(quarter_of(today()))  # the API's spelling, `2025Q3`
    report = await ok(c.get("/quarterlies/current"))
    assert report["quarter"] == quarter and len(report["missing"]) == 4
    held = await ok(c.put(f"/quarterlies/{quarter}/team_building/held", json={
        "title": "园区趣味运动会", "participant_enterprise_ids": ["e1", "e2"], "outcomes": "增进交流"}))
    report = await ok(c.get(f"/quarterlies/{quarter}", params={"after": held["position"]}))
    assert report["missing"] == ["enterprise_symposium", "project_negotiation", "tech_exchange_forum"]
    again = await c.put(f"/quarterlies/{quarter}/team_building/held", json={"participant_enterprise_ids": ["e1"]})
    assert again.status_code == 409 and again.json()["code"] == "quarterly.already_held"
    assert (await c.get("/quarterlies/2025Q7")).status_code == 422

    await ok(c.post("/activities", json={"activity_id": "a1", "kind": "angel_meeting", "title": "天使面对面",
                                         "planned_on": today().isoformat()}), 201)
    stranger = await c.post("/activities/a1/held", json={"participant_enterprise_ids": ["e1", "e9"]})
    assert stranger.status_code == 409 and stranger.json()["code"] == "participants.not_in_park"
    done = await ok(c.post("/activities/a1/held", json={"participant_enterprise_ids": ["e1", "e3"],
                                                        "outside_participants": 5, "outcomes": "投资意向1项"}))
    acts = await rows(c.get("/activities", params={"after": done["position"]}))
    assert [(a["status"], a["participant_enterprise_ids"]) for a in acts] == [("held", ["e1", "e3"])]


async def test_an_auditor_reads_but_never_writes_and_the_ledger_exports(sup: ServiceClient) -> None:
    c = sup
    r = await c.post("/visits", json={"enterprise_id": "e1", "visitors": ["x"], "findings": "y"},
                     headers=c.headers_for(AUDITOR))
    assert r.status_code == 403
    await ok(c.post("/needs", json={"need_id": "n1", "enterprise_id": "e1", "category": "premises",
                                    "urgency": "urgent", "description": "扩租", "raised_by_phone": "13900001111"}),
             201)
    await ok(c.post("/internship-bases", json={"base_id": "ib1", "university": "河南科技大学", "places": 20,
                                               "host_enterprise_id": "e3"}), 201)
    last = await ok(c.put("/enterprises/e2/contact-point", json={"contact_kind": "committee_member",
                                                                  "contact_id": "cm-2", "contact_name": "李红"}))
    r = await c.get("/exports/support-ledger.xlsx", params={"after": last["position"]}, headers=c.headers_for(AUDITOR))
    assert r.status_code == 200, r.text
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "困难问题" in book.sheetnames and "四个一" in book.sheetnames
    assert list(book["实习基地"].iter_rows(min_row=2, max_col=4, values_only=True)) == [
        ("ib1", "河南科技大学", "企业e3", 20)]
    contacts = {row[0]: row[5] for row in book["企业与联系点"].iter_rows(min_row=2, values_only=True)}
    assert contacts == {"e1": "无", "e2": "李红", "e3": "无"}
    needs = list(book["困难问题"].iter_rows(min_row=2, values_only=True))
    assert needs[0][0] == "n1" and needs[0][3] == "紧急"
    assert "13900001111" not in str([list(ws.values) for ws in book.worksheets])


TABLES = ("sup_enterprises", "sup_contact_points", "sup_visits", "sup_needs", "sup_services", "sup_requests",
          "sup_applications", "sup_quarterlies", "sup_policies", "sup_briefings", "sup_briefing_enterprises")


async def test_every_read_model_equals_its_rebuild_from_scratch(sup: ServiceClient) -> None:
    c = sup
    published = await ok(c.post("/policies", json={"policy_id": "p1", "title": "科技政策",
                                                    "applies_to": ["tech_enterprise"]}), 201)
    assert len(await rows(c.get("/briefings", params={"after": published["position"]}))) == 2
    await ok(c.put("/enterprises/e1/contact-point", json={"contact_kind": "committee_member", "contact_id": "cm",
                                                          "contact_name": "王"}))
    await ok(c.post("/visits", json={"enterprise_id": "e1", "visitors": ["王"], "findings": "好"}), 201)
    await ok(c.post("/needs", json={"need_id": "n1", "enterprise_id": "e2", "category": "other", "urgency": "normal",
                                    "description": "停车"}), 201)
    await ok(c.post("/services", json={"service_id": "s1", "platform": "talent", "name": "实训",
                                       "provider_name": "某大学", "provider_kind": "university"}), 201)
    await ok(c.post("/applications", json={"kind": "guaranteed_loan", "enterprise_id": "e3", "round": "2025",
                                           "amount_requested_fen": 10_000_000}), 201)
    last = await ok(c.post("/policies/p1/briefings/e3", json={"channel": "wechat"}))
    runtime = c.runtime
    own = [name for name, runner in runtime.runners.items() if "enterprise-support" in runner.projection.sources]
    # sup_park follows only the organization's stream: it waits for the last organization event fed
    fed = [runner for runner in runtime.runners.values() if "organization" in runner.projection.sources]

    async def caught_up() -> None:
        for name in own:
            assert await runtime.wait_for(name, last["position"], timeout=10), name
        for runner in fed:
            assert await runner.wait_for("organization", c.org.position, timeout=10), runner.projection.name
    await caught_up()

    async def dump() -> dict[str, list[str]]:
        return {t: [r["row"] for r in await runtime.pool.fetch(f"SELECT t::text AS row FROM {t} t ORDER BY 1")]
                for t in TABLES}

    live = await dump()
    assert len(live["sup_briefings"]) == 2 and live["sup_contact_points"] and live["sup_enterprises"]
    for runner in runtime.runners.values():
        await runner.rebuild()
    await caught_up()
    await eventually(dump, lambda now: now == live)
