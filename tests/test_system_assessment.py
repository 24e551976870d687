"""The whole system feeds the quarterly assessment: organization, education, enterprise-support and
events-public run side by side on one NATS, each with its own database, driven over HTTP. The
organization's branch scorecard changes when a park lesson is held and its attendance recorded, when
an enterprise of the branch is visited, when it takes part in one of the four quarterlies, and when a
member's volunteer hours are recorded: every fact reaches the organization as a published event. Party
building is the veto: the card stays vetoed until the branch records its party lesson."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from redpark_education.app import create_app as create_education
from redpark_enterprise_support.app import create_app as create_support
from redpark_events_public.app import create_app as create_events
from redpark_organization.app import create_app as create_organization
from redpark_platform.clock import FrozenClock
from redpark_platform.testkit import TEST_JWT_SECRET, TEST_TOKEN_TTL, ServiceClient, eventually
from redpark_platform.web import mint_token

ADMIN = {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'admin-1', ['park_admin'], ttl=TEST_TOKEN_TTL)}"}
EDU_OFFICER = {
    "Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'edu-1', ['education_officer'], ttl=TEST_TOKEN_TTL)}"}
TZ = ZoneInfo("Asia/Shanghai")

Apps = dict[str, FastAPI]


@pytest.fixture
async def apps(service_client: Callable[..., Awaitable[ServiceClient]]) -> Apps:
    """The four services, started (and stopped after the test) on the session's NATS."""
    made: Apps = {}
    for key, create_app in (("org", create_organization), ("edu", create_education), ("sup", create_support)):
        made[key] = (await service_client(create_app, log_level="WARNING")).app
    # events-public on a clock of its own, so a volunteer activity can be over without waiting for it.
    events_clock = FrozenClock(datetime.now(UTC))
    made["pub"] = (await service_client(create_events, log_level="WARNING", clock=events_clock)).app
    made["pub"].state.test_clock = events_clock
    return made


def client(app: FastAPI, headers: dict[str, str]) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc", headers=headers,
                             timeout=60)


async def ok(response: Awaitable[httpx.Response], status: int = 200) -> Any:
    r = await response
    assert r.status_code == status, r.text
    return r.json()


def item(card: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in card["items"] if i["key"] == key)
    return found


RULES = {
    "items": [
        {"key": "lesson", "label": "大党课参学", "metric": "lesson_attendance_rate", "target": 1, "points": 20,
         "rule_text": "党员参加本季度园区大党课"},
        {"key": "visits", "label": "走访服务企业", "metric": "support_visits", "target": 1, "points": 20,
         "rule_text": "走访服务所属企业"},
        {"key": "quarterlies", "label": "四个一活动", "metric": "quarterly_participations", "target": 1,
         "points": 20, "rule_text": "所属企业参加“四个一”"},
        # The volunteer activity below lasts two seconds (hours are recorded only after it ends).
        {"key": "volunteer", "label": "志愿服务", "metric": "volunteer_hours", "target": 0.0002, "points": 20,
         "rule_text": "党员志愿服务时长"},
        {"key": "lessons_held", "label": "党课", "metric": "party_lessons", "target": 1, "points": 20,
         "rule_text": "每季度至少上一次党课"},
        {"key": "gb_quarterlies", "label": "四个一", "metric": "quarterlies_held", "target": 4, "points": 100,
         "rule_text": "四个一每季度各一次", "applies_to": "general_branch"},
    ],
    "veto": [{"metric": "party_lessons", "comparison": "at_least", "threshold": 1, "rule_text": "未上党课，一票否决"}],
    "department_items": [],
    "award_threshold": 60,
}


async def test_events_from_three_services_change_the_branch_scorecard(apps: Apps) -> None:
    today = datetime.now(TZ).date()
    quarter_sup = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    async with client(apps["org"], ADMIN) as org, client(apps["edu"], EDU_OFFICER) as edu, \
            client(apps["sup"], ADMIN) as sup, client(apps["pub"], ADMIN) as pub:
        # organization: a building, enterprise e1 with three members in branch br1, the general branch
        await ok(org.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
        await ok(org.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 12,
                                              "sequence_in_zone": 1}), 201)
        await ok(org.post("/enterprises", json={
            "enterprise_id": "e1", "name": "爱科技", "building_id": "a1", "floor": 3, "headcount": 40,
            "is_tech_enterprise": True, "legal_representative": "张三"}), 201)
        last = 0
        for m in ("m1", "m2", "m3"):
            last = (await ok(org.post("/members", json={
                "member_id": m, "name": f"党员{m}", "enterprise_id": "e1", "status": "full",
                "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": "13800000000",
                "id_number": "11010519491231002X"}), 201))["position"]
        await org.get("/members", params={"after": last})
        await ok(org.post("/general-branch", json={"general_branch_id": "gb", "name": "红色园区党总支"}), 201)
        await ok(org.post("/branches", json={"branch_id": "br1", "name": "爱科技党支部", "kind": "enterprise",
                                             "enterprise_ids": ["e1"]}), 201)
        for m in ("m1", "m2", "m3"):
            last = (await ok(org.put(f"/members/{m}/branch", json={"branch_id": "br1"})))["position"]
        last = (await ok(org.put(f"/assessment/rules/{today.year}", json=RULES)))["position"]

        async def card(unit: str = "br1") -> dict[str, Any]:
            body: dict[str, Any] = await ok(org.get(f"/assessment/scorecards/{unit}"))
            return body

        first = await ok(org.get("/assessment/scorecards/br1", params={"after": last}))
        assert first["status"] == "live" and first["vetoed"] and first["veto_reasons"] == ["未上党课，一票否决"]
        assert item(first, "lesson")["fact"] == 1.0  # no park lesson held yet: nobody missed one
        assert [item(first, k)["points_earned"] for k in ("visits", "quarterlies", "volunteer")] == [0, 0, 0]
        assert first["score"] == 20

        # education: a park lesson is held, then two of the three members' attendance is recorded
        edu_roster = apps["edu"].state.runtime.runners["edu_roster"]
        assert await edu_roster.wait_for("organization", await apps["org"].state.runtime.store.last_position(),
                                         timeout=30)
        await ok(edu.post("/lecturers", json={"lecturer_id": "l1", "name": "李老", "category": "veteran_member",
                                              "affiliation": "省老干部局", "topics": ["党史"]}), 201)
        await ok(edu.post("/lessons", json={"lesson_id": "L1", "title": "学习党史", "topic": "党史",
                                            "lecturer_id": "l1", "venue": "一号楼三楼多功能厅",
                                            "scheduled_on": today.isoformat()}), 201)
        await ok(edu.post("/lessons/L1/held", json={"held_on": today.isoformat()}))
        held = await eventually(card, lambda c: item(c, "lesson")["fact"] == 0.0)
        assert held["score"] == 0
        await ok(edu.post("/lessons/L1/attendance", json={"member_ids": ["m1", "m2"]}))
        attended = await eventually(card, lambda c: item(c, "lesson")["fact"] > 0)
        assert item(attended, "lesson")["fact"] == pytest.approx(2 / 3, abs=1e-3)
        assert item(attended, "lesson")["points_earned"] == pytest.approx(13.33, abs=0.01)

        # enterprise-support: a visit to e1 (once it knows e1 from the organization's events), then a
        # quarterly e1 takes part in
        async def visit() -> httpx.Response:
            return await sup.post("/visits", json={"visit_id": "v1", "enterprise_id": "e1", "visitors": ["王建国"],
                                                   "findings": "研发用房紧张"})
        await eventually(visit, lambda r: r.status_code == 201)
        visited = await eventually(card, lambda c: item(c, "visits")["fact"] == 1)
        assert item(visited, "visits")["points_earned"] == 20
        await ok(sup.put(f"/quarterlies/{quarter_sup}/enterprise_symposium/held", json={
            "participant_enterprise_ids": ["e1"], "title": "企业座谈会", "outcomes": "收集诉求3条"}))
        joined = await eventually(card, lambda c: item(c, "quarterlies")["fact"] == 1)
        assert item(joined, "quarterlies")["points_earned"] == 20
        gb = await eventually(lambda: card("gb"), lambda c: item(c, "gb_quarterlies")["fact"] == 1)
        assert gb["unit_kind"] == "general_branch" and gb["score"] == 25

        # events-public: br1 organizes a short volunteer activity; m3's hours are recorded after it
        clock: FrozenClock = apps["pub"].state.test_clock
        now = clock.now()
        # events-public knows br1 and m3 from the organization's events (its `reads`), once it has read them
        async def schedule() -> httpx.Response:
            return await pub.post("/staff/volunteer-activities", json={
                "activity_id": "va1", "kind": "volunteer_service", "title": "园区义务植树",
                "organizer_branch_id": "br1", "place": "园区东门", "starts_at": (now + timedelta(seconds=1)).isoformat(),
                "ends_at": (now + timedelta(seconds=2)).isoformat()})
        await eventually(schedule, lambda r: r.status_code == 201)
        await ok(pub.post("/staff/volunteer-activities/va1/sign-ups", json={"member_id": "m3"}), 201)
        clock.advance(seconds=2.1)  # the activity is over: its hours may be recorded
        await ok(pub.post("/staff/volunteer-activities/va1/hours", json={"member_id": "m3", "hours": 0.0002}))
        volunteered = await eventually(card, lambda c: item(c, "volunteer")["points_earned"] == 20)
        assert item(volunteered, "volunteer")["fact"] == pytest.approx(0.0002)

        # every source moved the card; party building still vetoes it (no party lesson of the branch)
        assert volunteered["score"] == pytest.approx(73.33, abs=0.01)
        assert volunteered["vetoed"]
        listing = await ok(org.get("/assessment/scorecards", params={"kind": "branch"}))
        assert [(r["unit_id"], r["score"], r["vetoed"]) for r in listing["scorecards"]["items"]] == [
            ("br1", volunteered["score"], True)]

        # the branch records its party lesson (三会一课): the veto lifts and the item earns its points
        lesson = await ok(org.post("/branches/br1/meetings", json={
            "kind": "party_lesson", "held_on": today.isoformat(), "topic": "学习党章",
            "attendee_ids": ["m1", "m2", "m3"], "minutes": "书记讲党课。"}), 201)
        cleared = await ok(org.get("/assessment/scorecards/br1", params={"after": lesson["position"]}))
        assert not cleared["vetoed"] and cleared["veto_reasons"] == []
        assert cleared["score"] == pytest.approx(volunteered["score"] + 20, abs=0.01)
