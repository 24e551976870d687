"""The enterprise-support console over HTTP with a session cookie, against real PostgreSQL and
NATS (enterprises move in by the organization's published events): each page for its roles,
sign-in and refusal, moving a need on the board with its Chinese refusals, and the dashboard's
figures for a known data set."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from redpark_enterprise_support.app import create_app as create_support_app
from redpark_enterprise_support.projections.support import NAME as SUPPORT
from redpark_platform.calendar import compact_quarter, park_date, quarter_of
from redpark_platform.clock import utcnow
from redpark_platform.testkit import TEST_JWT_SECRET, eventually
from redpark_platform.web import mint_token
from redpark_platform.web.auth import SESSION_COOKIE

ORIGIN = {"origin": "http://sup"}


def today() -> date:
    return park_date(utcnow())


def this_quarter() -> str:
    """As the API and the pages spell it (the contract's `2025Q3`)."""
    return compact_quarter(quarter_of(today()))


async def ok(response: Awaitable[httpx.Response], status: int = 200) -> Any:
    r = await response
    assert r.status_code == status, r.text
    return r.json()


def signed_in(app: FastAPI, role: str | None) -> httpx.AsyncClient:
    c = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sup")
    if role:
        c.cookies.set(SESSION_COOKIE, mint_token(TEST_JWT_SECRET, f"{role}-1", [role], None, name="赵干事"))
    return c


async def caught_up(app: FastAPI) -> None:
    runtime = app.state.runtime
    assert await runtime.wait_for(SUPPORT, await runtime.store.last_position(), timeout=10, strict=True)


@pytest.fixture
async def sup_app(service_client: Any, organization: Any) -> FastAPI:
    """e1–e3 in the park; e1 has a contact point and a visit today. Needs: n1 raised 20 days ago
    (high: overdue), n2 raised today, n3 accepted and worked, n4 resolved. Applications: e1's seed
    fund decided, e2's government fund pending. This quarter: the symposium held, the negotiation planned."""
    c = await service_client(create_support_app, roles=("park_admin",))
    for eid, tech in (("e1", True), ("e2", False), ("e3", True)):
        await organization.move_in(eid, today() - timedelta(days=60), tech=tech)
    await eventually(lambda: ok(c.get("/enterprises")), lambda page: page["total"] == 3)
    await ok(c.put("/enterprises/e1/contact-point", json={"contact_kind": "committee_member",
                                                          "contact_id": "cm-1", "contact_name": "王建国"}))
    await ok(c.post("/visits", json={"enterprise_id": "e1", "visitors": ["王建国"], "findings": "缺人才"}), 201)
    for nid, eid, urgency, days in (("n1", "e1", "high", 20), ("n2", "e2", "normal", 0),
                                    ("n3", "e3", "normal", 5), ("n4", "e1", "urgent", 5)):
        await ok(c.post("/needs", json={"need_id": nid, "enterprise_id": eid, "category": "talent",
                                        "urgency": urgency, "description": f"问题{nid}",
                                        "effective_on": (today() - timedelta(days=days)).isoformat()}), 201)
    for nid in ("n3", "n4"):
        await ok(c.post(f"/needs/{nid}/acceptance", json={"assignee": "王建国"}))
    await ok(c.post("/needs/n3/work", json={"note": "已对接高校"}))
    await ok(c.post("/needs/n4/resolution", json={"resolution": "已招到"}))
    seed = await ok(c.post("/applications", json={"kind": "seed_fund", "enterprise_id": "e1", "round": "R1",
                                                  "amount_requested_fen": 5_000_000}), 201)
    await ok(c.post("/applications", json={"kind": "government_fund", "enterprise_id": "e2", "round": "R1",
                                           "amount_requested_fen": 9_000_000}), 201)
    await ok(c.post(f"/applications/{seed['id']}/review", json={"reviewer": "评审会", "opinion": "支持",
                                                                 "recommended": True}))
    await ok(c.post(f"/applications/{seed['id']}/decision", json={"approved": True,
                                                                   "amount_granted_fen": 3_000_000}))
    quarter = this_quarter()
    await ok(c.put(f"/quarterlies/{quarter}/enterprise_symposium/held", json={
        "participant_enterprise_ids": ["e1"], "title": "企业座谈会", "outcomes": "诉求3条"}))
    await ok(c.put(f"/quarterlies/{quarter}/project_negotiation/plan", json={"title": "项目洽谈会"}))
    await caught_up(c.app)
    app: FastAPI = c.app
    return app


@pytest.mark.parametrize("role", ["park_admin", "support_officer", "auditor"])
async def test_each_page_answers_for_an_allowed_role(sup_app: FastAPI, role: str) -> None:
    async with signed_in(sup_app, role) as c:
        for path, marker in (("/ui/", "服务企业概览"), ("/ui/needs", 'data-need="n1"'), ("/ui/needs/n3", "已对接高校"),
                             ("/ui/visits", 'data-not-visited="e2"'), ("/ui/applications", "科技创业种子资金"),
                             ("/ui/quarterlies", f'data-quarterly="{this_quarter()}-enterprise_symposium"'
                                                 ' data-state="held"')):
            page = await c.get(path)
            assert page.status_code == 200, (path, page.text[:400])
            assert marker in page.text, path
        english = await c.get("/ui/needs", params={"lang": "en"})
        assert "Needs board" in english.text and "In work" in english.text
        missing = await c.get("/ui/needs/nope")
        assert missing.status_code == 404 and "该问题不存在" in missing.text


async def test_without_a_session_pages_go_to_sign_in_and_a_wrong_role_is_refused(sup_app: FastAPI) -> None:
    async with signed_in(sup_app, None) as c:
        for path in ("/ui/", "/ui/needs", "/ui/needs/n1", "/ui/visits", "/ui/applications", "/ui/quarterlies"):
            gone = await c.get(path)
            assert gone.status_code == 303 and gone.headers["location"].startswith("/login?next=")
    async with signed_in(sup_app, "education_officer") as c:
        refused = await c.get("/ui/needs")
        assert refused.status_code == 403 and "没有权限" in refused.text
    async with signed_in(sup_app, "auditor") as c:
        post = await c.post("/ui/needs/n2/move", data={"action": "accept", "text": "x"}, headers=ORIGIN)
        assert post.status_code == 403


def column_of(page: str, need_id: str) -> str:
    """The board column a need's card sits in."""
    before = page.split(f'data-need="{need_id}"')[0]
    return before.rsplit('data-column="', 1)[1].split('"')[0]


async def test_a_need_is_moved_on_the_board_and_a_refusal_is_explained(sup_app: FastAPI) -> None:
    async with signed_in(sup_app, "support_officer") as c:
        board = await c.get("/ui/needs")
        assert [column_of(board.text, n) for n in ("n1", "n2", "n3", "n4")] == [
            "raised", "raised", "in_work", "resolved"]
        card = board.text.split('data-need="n1"')[0].rsplit("<article", 1)[1]
        assert "overdue" in card  # n1 is past its due day: its card is red
        early = await c.post("/ui/needs/n1/move", data={"action": "resolve", "text": "已解决"}, headers=ORIGIN)
        assert early.status_code == 409 and "问题未受理，不能办结" in early.text
        blank = await c.post("/ui/needs/n2/move", data={"action": "accept", "text": " "}, headers=ORIGIN)
        assert blank.status_code == 422 and "请填写" in blank.text
        moved = await c.post("/ui/needs/n2/move", data={"action": "accept", "text": "李四"}, headers=ORIGIN)
        assert moved.status_code == 303 and moved.headers["location"].startswith("/ui/needs?moved=1")
        after = await c.get(moved.headers["location"])
        assert column_of(after.text, "n2") == "accepted" and "已保存" in after.text
        done = await c.post("/ui/needs/n3/move", data={"action": "resolve", "text": "已招到2人", "back": "need"},
                            headers=ORIGIN)
        assert done.status_code == 303 and done.headers["location"].startswith("/ui/needs/n3?moved=1")
        page = await c.get(done.headers["location"])
        assert "已招到2人" in page.text and "support_officer-1" in page.text  # the history says who
        assert page.text.index("办结") < page.text.index("登记问题")  # newest first


async def test_the_dashboard_figures_for_a_known_data_set(sup_app: FastAPI) -> None:
    async with signed_in(sup_app, "auditor") as c:
        board = await ok(c.get("/dashboard"))
    tiles = {t["key"]: t for t in board["tiles"]}
    assert tiles["quarterlies"]["value"] == "1 / 4" and tiles["quarterlies"]["tone"] == "warn"
    assert "项目洽谈会" in tiles["quarterlies"]["note"] and "企业座谈会" not in tiles["quarterlies"]["note"]
    assert tiles["needs_open"]["value"] == "3" and "逾期 1 件" in tiles["needs_open"]["note"]
    assert tiles["needs_open"]["tone"] == "bad"
    assert tiles["without_contact_point"]["value"] == "2" and "3 家" in tiles["without_contact_point"]["note"]
    assert tiles["visits"]["value"] == "1 / 3" and "走访 1 次" in tiles["visits"]["note"]
    assert tiles["applications_pending"]["value"] == "1"
    chart = board["charts"][0]
    assert chart["kind"] == "doughnut"
    assert dict(zip(chart["labels"], chart["series"][0]["data"], strict=True)) == {
        "待受理": 2.0, "已受理": 0.0, "办理中": 1.0, "已办结": 1.0, "已关闭": 0.0}
