"""End to end: the organization service and the education service run side by side on one NATS
(each with its own database). Organization events build the education roster; a park lesson and
its attendance change the compliance view; a member who leaves stops being expected; rebuilding
the roster from the organization stream gives the same rows. The same story fed the organization's
events without the service runs in `services/education/tests/test_edu_roster_from_organization.py`."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest
from fastapi import FastAPI
from redpark_education.app import create_app as create_education
from redpark_organization.app import create_app as create_organization
from redpark_platform.servers import NatsServer
from redpark_platform.settings import JwtSource, Settings
from redpark_platform.testkit import TEST_TOKEN_TTL
from redpark_platform.web import mint_token

SECRET = "e" * 32
ADMIN = {"Authorization": f"Bearer {mint_token(SECRET, 'staff-1', ['park_admin'], ttl=TEST_TOKEN_TTL)}"}
OFFICER = {"Authorization": f"Bearer {mint_token(SECRET, 'officer-1', ['education_officer'], ttl=TEST_TOKEN_TTL)}"}
AUDITOR = {"Authorization": f"Bearer {mint_token(SECRET, 'auditor-1', ['auditor'], ttl=TEST_TOKEN_TTL)}"}


def settings(service: str, nats_url: str, dsn: str, tmp_path: Path) -> Settings:
    return Settings(service=service, nats_url=nats_url, database_url=dsn, timezone="Asia/Shanghai",
                    data_dir=tmp_path, jwt=JwtSource(secret=SECRET, key_file=tmp_path / "k"), log_level="INFO")


@pytest.fixture
async def apps(anew_database: Callable[[str], Any], nats_factory: Callable[[], NatsServer],
               tmp_path: Path) -> AsyncIterator[tuple[FastAPI, FastAPI]]:
    nats_url = nats_factory().url
    org = create_organization(settings("organization", nats_url, await anew_database("org"), tmp_path))
    edu = create_education(settings("education", nats_url, await anew_database("edu"), tmp_path))
    async with org.router.lifespan_context(org), edu.router.lifespan_context(edu):
        yield org, edu


def client(app: FastAPI, headers: dict[str, str]) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc", headers=headers)


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def roster_caught_up(org: FastAPI, edu: FastAPI) -> None:
    last = await org.state.runtime.store.last_position()
    assert await edu.state.runtime.runners["edu_roster"].wait_for("organization", last, timeout=20)


async def roster_rows(edu: FastAPI) -> list[tuple[Any, ...]]:
    pool = edu.state.runtime.pool
    rows = await pool.fetch("SELECT member_id, branch_id, joined_on, left_on FROM edu_roster_memberships"
                            " ORDER BY member_id, joined_on")
    branches = await pool.fetch("SELECT * FROM edu_roster_branches ORDER BY branch_id")
    return [tuple(r) for r in rows] + [tuple(b) for b in branches]


async def test_organization_events_and_a_lesson_change_the_compliance_view(apps: tuple[FastAPI, FastAPI]) -> None:
    org_app, edu_app = apps
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    month = f"{today.year:04d}-{today.month:02d}"
    async with client(org_app, ADMIN) as org, client(edu_app, OFFICER) as edu:
        await ok(await org.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
        await ok(await org.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼",
                                                    "floors": 12, "sequence_in_zone": 1}), 201)
        await ok(await org.post("/enterprises", json={
            "enterprise_id": "e1", "name": "爱科技", "building_id": "a1", "floor": 3, "headcount": 40,
            "is_tech_enterprise": True, "legal_representative": "张三"}), 201)
        last = 0
        for m in ("m1", "m2", "m3"):
            body = await ok(await org.post("/members", json={
                "member_id": m, "name": f"党员{m}", "enterprise_id": "e1", "status": "full",
                "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": "13800000000",
                "id_number": "11010519491231002X"}), 201)
            last = body["position"]
        await org.get("/members", params={"after": last})
        await ok(await org.post("/branches", json={"branch_id": "br1", "name": "爱科技党支部", "kind": "enterprise",
                                                   "enterprise_ids": ["e1"]}), 201)
        for m in ("m1", "m2", "m3"):
            await ok(await org.put(f"/members/{m}/branch", json={"branch_id": "br1"}))
        await roster_caught_up(org_app, edu_app)

        # the roster is there before any lesson: nobody is missing a lesson that was not held
        view = await ok(await edu.get("/compliance", params={"period": month}))
        assert [(m["member_id"], m["lesson"]) for m in view["members"]["items"]] == [
            ("m1", "none_held"), ("m2", "none_held"), ("m3", "none_held")]
        assert view["branches"][0]["branch_id"] == "br1" and view["branches"][0]["members"] == 3

        await ok(await edu.post("/lecturers", json={"lecturer_id": "l1", "name": "李老", "category": "veteran_member",
                                                    "affiliation": "省老干部局", "topics": ["党史"]}), 201)
        await ok(await edu.post("/lessons", json={"lesson_id": "L1", "title": "学习党史", "topic": "党史",
                                                  "lecturer_id": "l1", "venue": "一号楼三楼多功能厅",
                                                  "scheduled_on": today.isoformat()}), 201)
        no_date = await edu.post("/lessons/L1/held", json={})
        assert no_date.status_code == 422 and no_date.json()["code"] == "lesson.date_required"
        held = await ok(await edu.post("/lessons/L1/held", json={"held_on": today.isoformat()}))
        view = await ok(await edu.get("/compliance", params={"period": month, "after": held["position"]}))
        assert {m["member_id"]: m["lesson"] for m in view["members"]["items"]} == {
            "m1": "missing", "m2": "missing", "m3": "missing"}

        attended = await ok(await edu.post("/lessons/L1/attendance", json={"member_ids": ["m1", "m2"]}))
        stranger = await edu.post("/lessons/L1/attendance", json={"member_ids": ["m9"]})
        assert stranger.status_code == 409 and stranger.json()["code"] == "attendance.not_in_roster"
        view = await ok(await edu.get("/compliance", params={"period": month, "after": attended["position"]}))
        assert {m["member_id"]: m["lesson"] for m in view["members"]["items"]} == {
            "m1": "attended", "m2": "attended", "m3": "missing"}
        assert view["branches"][0]["members_missing_lesson"] == 1

        # m3 transfers out of the park: no longer expected, and attendance for m3 is refused
        await ok(await org.post("/members/m3/transfers-out", json={"organization": "某大学党委"}))
        await roster_caught_up(org_app, edu_app)
        view = await ok(await edu.get("/compliance", params={"period": month}))
        assert {m["member_id"]: m["lesson"] for m in view["members"]["items"]}["m3"] == "not_expected"
        assert view["branches"][0]["members_missing_lesson"] == 0

        lessons = await ok(await edu.get("/lessons", params={"year": today.year}))
        assert lessons["held"] == 1 and lessons["lessons"]["items"][0]["attended"] == 2
        assert lessons["lessons"]["items"][0]["expected_members"] == 3

        book = await edu.get("/exports/compliance.xlsx", params={"period": month}, headers=AUDITOR)
        assert book.status_code == 200
        wb = openpyxl.load_workbook(io.BytesIO(book.content))
        assert wb.sheetnames == ["党员三个保证", "支部汇总", "自学记录迟交与缺失", "未开展周学习"]
        assert wb["党员三个保证"].max_row - 1 == 3
        refused = await edu.post("/topics", json={"month": month, "title": "t", "material": "m"}, headers=AUDITOR)
        assert refused.status_code == 403

        before = await roster_rows(edu_app)
        runner = edu_app.state.runtime.runners["edu_roster"]
        await runner.rebuild()
        await roster_caught_up(org_app, edu_app)
        for _ in range(100):
            if await roster_rows(edu_app) == before:
                break
            await asyncio.sleep(0.05)
        assert await roster_rows(edu_app) == before
