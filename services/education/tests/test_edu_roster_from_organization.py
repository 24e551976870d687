"""Education fed the organization's published events (as the organization's relay sends them):
they build the education roster; a park lesson and its attendance change the compliance view; a
member who transfers out stops being expected; rebuilding the roster from the organization stream
gives the same rows. The same story with a running organization service is
`tests/test_system_education.py`."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest

from redpark_education.app import create_app as create_education
from redpark_platform.clock import FrozenClock
from redpark_platform.testkit import ServiceClient, eventually

# The park's now, frozen: a run across midnight sees one day.
NOW = datetime(2025, 5, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
async def edu(service_client: Callable[..., Awaitable[ServiceClient]]) -> ServiceClient:
    return await service_client(create_education, roles=("education_officer",), clock=FrozenClock(NOW))


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def roster_caught_up(last: int, edu: ServiceClient) -> None:
    assert await edu.runtime.runners["edu_roster"].wait_for("organization", last, timeout=20)


async def roster_rows(edu: ServiceClient) -> list[tuple[Any, ...]]:
    pool = edu.runtime.pool
    rows = await pool.fetch("SELECT member_id, branch_id, joined_on, left_on FROM edu_roster_memberships"
                            " ORDER BY member_id, joined_on")
    branches = await pool.fetch("SELECT * FROM edu_roster_branches ORDER BY branch_id")
    return [tuple(r) for r in rows] + [tuple(b) for b in branches]


async def test_organization_events_and_a_lesson_change_the_compliance_view(edu: ServiceClient,
                                                                           organization: Any) -> None:
    today = NOW.date()
    month = f"{today.year:04d}-{today.month:02d}"
    await organization.move_in("e1", "爱科技", today)
    for m in ("m1", "m2", "m3"):
        await organization.register(m, "e1", today)
    await roster_caught_up(await organization.establish("br1", "e1", ["m1", "m2", "m3"], today), edu)

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
    await roster_caught_up(await organization.transfer_out("m3", "br1", "某大学党委", today), edu)
    view = await ok(await edu.get("/compliance", params={"period": month}))
    assert {m["member_id"]: m["lesson"] for m in view["members"]["items"]}["m3"] == "not_expected"
    assert view["branches"][0]["members_missing_lesson"] == 0

    auditor = edu.headers_for(("auditor",))
    lessons = await ok(await edu.get("/lessons", params={"year": today.year}))
    assert lessons["held"] == 1 and lessons["lessons"]["items"][0]["attended"] == 2
    assert lessons["lessons"]["items"][0]["expected_members"] == 3

    book = await edu.get("/exports/compliance.xlsx", params={"period": month}, headers=auditor)
    assert book.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(book.content))
    assert wb.sheetnames == ["党员三个保证", "支部汇总", "自学记录迟交与缺失", "未开展周学习"]
    assert wb["党员三个保证"].max_row - 1 == 3
    refused = await edu.post("/topics", json={"month": month, "title": "t", "material": "m"}, headers=auditor)
    assert refused.status_code == 403

    before = await roster_rows(edu)
    runner = edu.runtime.runners["edu_roster"]
    await runner.rebuild()
    await roster_caught_up(organization.position, edu)
    await eventually(lambda: roster_rows(edu), lambda rows: rows == before)
