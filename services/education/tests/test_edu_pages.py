"""The education console over HTTP with a session cookie, against real PostgreSQL and NATS (the
roster comes from the organization's published events): each page for its roles, sign-in and refusal,
attendance taking with its Chinese refusals, and the dashboard's figures for a known data set."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from redpark_education.app import create_app as create_education
from redpark_platform.calendar import quarter_bounds, quarter_of, weeks_between
from redpark_platform.clock import FrozenClock
from redpark_platform.testkit import TEST_JWT_SECRET, ServiceClient
from redpark_platform.web import mint_token
from redpark_platform.web.auth import SESSION_COOKIE

ORIGIN = {"origin": "http://svc"}
# The park's now, frozen: every date of the test is known, and a run across midnight sees one day.
NOW = datetime(2025, 5, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()
MONTH = f"{TODAY.year:04d}-{TODAY.month:02d}"
QUARTER = quarter_of(TODAY)
SINCE = (TODAY - timedelta(days=370)).isoformat()


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def signed_in(edu: ServiceClient, role: str | None, branch_id: str | None = None) -> httpx.AsyncClient:
    c = httpx.AsyncClient(transport=httpx.ASGITransport(app=edu.app), base_url="http://svc")
    if role:
        c.cookies.set(SESSION_COOKIE, mint_token(TEST_JWT_SECRET, f"{role}-1", [role], branch_id, name="王老师"))
    return c


@pytest.fixture
async def edu_app(service_client: Callable[..., Awaitable[ServiceClient]], organization: Any) -> ServiceClient:
    """br1 (m1–m3) and br2 (m4–m6) a year old; lesson L1 held today; the plan asks for 4 lessons;
    this month's topic with m1's self-study filed; br1 held its weekly study every week of the quarter."""
    api = await service_client(create_education, roles=("park_admin",), clock=FrozenClock(NOW))
    last = await organization.two_branches(date.fromisoformat(SINCE))
    assert await api.runtime.runners["edu_roster"].wait_for("organization", last, timeout=20)
    await ok(await api.put(f"/plans/{TODAY.year}", json={
        "lecturer_corps_minimum": 5, "park_lessons_minimum": 4, "weekly_study_minutes": 30}))
    await ok(await api.post("/lecturers", json={"lecturer_id": "l1", "name": "李老", "category": "veteran_member",
                                                "affiliation": "省老干部局", "topics": ["党史"]}), 201)
    await ok(await api.post("/lessons", json={"lesson_id": "L1", "title": "学习党史", "topic": "党史",
                                              "lecturer_id": "l1", "venue": "一号楼三楼多功能厅",
                                              "scheduled_on": TODAY.isoformat()}), 201)
    await ok(await api.post("/lessons/L1/held", json={"held_on": TODAY.isoformat()}))
    await ok(await api.post("/topics", json={"month": MONTH, "title": "学党章", "material": "党章"}), 201)
    await ok(await api.post("/self-studies", json={"member_id": "m1", "month": MONTH,
                                                   "studied_on": TODAY.isoformat(), "content": "学习党章",
                                                   "reflection": "深受教育"}), 201)
    for _, monday in weeks_between(quarter_bounds(QUARTER)[0], TODAY):
        await ok(await api.post("/weekly-studies", json={
            "branch_id": "br1", "held_on": monday.isoformat(), "minutes": 45, "topic": "学习",
            "attendee_member_ids": ["m1"]}), 201)
    return api


async def caught_up(edu: ServiceClient) -> None:
    runtime = edu.runtime
    assert await runtime.wait_for("edu_records", await runtime.store.last_position(), timeout=20, strict=True)


@pytest.mark.parametrize("role", ["park_admin", "education_officer", "auditor"])
async def test_each_page_answers_for_an_allowed_role(edu_app: ServiceClient, role: str) -> None:
    await caught_up(edu_app)
    async with signed_in(edu_app, role) as c:
        for path, marker in (("/ui/", "学习教育概览"), (f"/ui/compliance?period={QUARTER}", "三个保证矩阵"),
                             (f"/ui/compliance?period={TODAY.year}", "三个保证矩阵"),
                             ("/ui/lessons", "学习党史"), ("/ui/lessons/L1", "当日学习名册")):
            page = await c.get(path)
            assert page.status_code == 200, (path, page.text[:400])
            assert marker in page.text and "text/html" in page.headers["content-type"]
        english = await c.get("/ui/", params={"lang": "en"})
        assert "Education overview" in english.text and "Three guarantees met (members)" in english.text


async def test_without_a_session_pages_go_to_sign_in_and_a_wrong_role_is_refused(edu_app: ServiceClient) -> None:
    async with signed_in(edu_app, None) as c:
        for path in ("/ui/", "/ui/compliance", "/ui/lessons", "/ui/lessons/L1"):
            gone = await c.get(path)
            assert gone.status_code == 303 and gone.headers["location"].startswith("/login?next=")
    async with signed_in(edu_app, "support_officer") as c:
        refused = await c.get("/ui/lessons")
        assert refused.status_code == 403 and "没有权限" in refused.text
    async with signed_in(edu_app, "auditor") as c:
        post = await c.post("/ui/lessons/L1/attendance", data={"member_ids": ["m1"]}, headers=ORIGIN)
        assert post.status_code == 403


async def test_the_matrix_marks_self_study_and_keeps_a_secretary_to_its_branch(edu_app: ServiceClient) -> None:
    await caught_up(edu_app)
    async with signed_in(edu_app, "branch_secretary", "br1") as c:
        page = await c.get("/ui/compliance", params={"period": QUARTER, "branch": "br2"})
        assert page.status_code == 200
        assert 'data-member="m1"' in page.text and 'data-member="m4"' not in page.text
        row = page.text.split('data-member="m1"')[1].split("</tr>")[0]
        assert 'title="已提交">✓' in row  # m1 filed this month's self-study
        row2 = page.text.split('data-member="m2"')[1].split("</tr>")[0]
        assert 'title="本月进行中">…' in row2
        home = await c.get("/ui/")
        assert home.status_code == 200 and "0 / 3 名党员" in home.text  # its own branch's figures
    async with signed_in(edu_app, "park_admin") as c:
        bad = await c.get("/ui/compliance", params={"period": "2025-Q9"})
        assert bad.status_code == 422 and "期间格式应为" in bad.text


async def test_attendance_is_taken_on_the_page_and_a_bad_sheet_is_explained(edu_app: ServiceClient) -> None:
    await caught_up(edu_app)  # the page reads the lesson from the read model
    async with signed_in(edu_app, "education_officer") as c:
        empty = await c.post("/ui/lessons/L1/attendance", data={}, headers=ORIGIN)
        assert empty.status_code == 422 and "请至少登记一名出席党员" in empty.text
        stranger = await c.post("/ui/lessons/L1/attendance", data={"member_ids": ["m1", "zz"]}, headers=ORIGIN)
        assert stranger.status_code == 409 and "党员不在该日期的学习名册中" in stranger.text
        assert re.search(r'value="m1"\s+checked', stranger.text)  # the sheet comes back as it was sent
        saved = await c.post("/ui/lessons/L1/attendance", data={"member_ids": ["m1", "m2"]}, headers=ORIGIN)
        assert saved.status_code == 303 and saved.headers["location"].startswith("/ui/lessons/L1?saved=1")
        page = await c.get(saved.headers["location"])
        assert page.status_code == 200 and "出勤已保存" in page.text
        assert "2 / 6" in page.text  # present out of the roster on the day
        assert "登记出勤" in page.text and "education_officer-1" in page.text  # the history: what, and who
        missing = await c.get("/ui/lessons/nope")
        assert missing.status_code == 404 and "大党课不存在" in missing.text


async def test_the_dashboard_figures_for_a_known_data_set(edu_app: ServiceClient) -> None:
    async with signed_in(edu_app, "education_officer") as c:
        saved = await c.post("/ui/lessons/L1/attendance", data={"member_ids": ["m1", "m2", "m3"]}, headers=ORIGIN)
        assert saved.status_code == 303
        await caught_up(edu_app)
        board = await ok(await c.get("/dashboard"))
    tiles = {t["key"]: t for t in board["tiles"]}
    # br1's three attended and br1 studied every week; br2's three missed the lesson
    assert tiles["members_compliant"]["value"] == "50.0%" and tiles["members_compliant"]["tone"] == "bad"
    assert "3 / 6" in tiles["members_compliant"]["note"]
    assert tiles["branches_compliant"]["value"] == "50.0%" and "1 / 2" in tiles["branches_compliant"]["note"]
    assert tiles["lessons_held"]["value"] == "1 / 4" and tiles["lessons_held"]["tone"] == "warn"
    assert tiles["self_study_filed"]["value"] == "16.7%" and "1 / 6" in tiles["self_study_filed"]["note"]
    month_first = date(TODAY.year, TODAY.month, 1)
    weeks = weeks_between(month_first, TODAY)
    br2_expected = sum(monday + timedelta(days=6) < TODAY for _, monday in weeks)
    assert tiles["weekly_study_held"]["value"] == f"{len(weeks)} / {len(weeks) + br2_expected}"
    chart = board["charts"][0]
    assert chart["kind"] == "bar" and chart["labels"] == ["br1党支部", "br2党支部"]
    assert chart["series"][0]["data"] == [100.0, 0.0]
