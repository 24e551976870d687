"""The study routes over HTTP, with the roster built from the organization's published events: self-study
filing (and the second record of a month refused), weekly study, closing a quarter, reminders, the
`Idempotency-Key` replay, paged lists, and a branch secretary kept to its own branch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from redpark_education.app import create_app as create_education
from redpark_education.application import Education
from redpark_platform.clock import FrozenClock
from redpark_platform.testkit import ServiceClient

# The park's now, frozen: every date of the test is known, and a run across midnight sees one day.
NOW = datetime(2025, 5, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()
MONTH = f"{TODAY.year:04d}-{TODAY.month:02d}"
# Everyone has been on the roster for a year, so the quarter before this one has people expected.
SINCE = (TODAY - timedelta(days=370)).isoformat()


def previous_quarter(day: date) -> str:
    q = (day.month - 1) // 3 + 1
    return f"{day.year}-Q{q - 1}" if q > 1 else f"{day.year - 1}-Q4"


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
async def edu(service_client: Callable[..., Awaitable[ServiceClient]], organization: Any) -> ServiceClient:
    """Two branches a year old (br1 with m1 to m3, br2 with m4 to m6), the roster caught up."""
    client = await service_client(create_education, roles=("education_officer",), clock=FrozenClock(NOW))
    last = await organization.two_branches(date.fromisoformat(SINCE))
    assert await client.runtime.runners["edu_roster"].wait_for("organization", last, timeout=20)
    return client


async def test_self_study_is_filed_once_a_month_and_a_retry_is_replayed(edu: ServiceClient) -> None:
    await ok(await edu.post("/topics", json={"month": MONTH, "title": "学党章", "material": "党章全文"}), 201)
    record = {"member_id": "m1", "month": MONTH, "studied_on": TODAY.isoformat(), "content": "学习党章第一章",
              "reflection": "深受教育"}
    key = {"Idempotency-Key": "self-study-m1-1"}
    first = await ok(await edu.post("/self-studies", json=record, headers=key), 201)
    assert first["id"] == f"m1:{MONTH}"
    retry = await edu.post("/self-studies", json=record, headers=key)
    assert retry.status_code == 201 and retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json() == first

    second = await edu.post("/self-studies", json={**record, "content": "再学一遍"})
    assert second.status_code == 409 and second.json()["code"] == "self_study.already_filed"

    view = await ok(await edu.get("/compliance", params={"period": MONTH, "after": first["position"]}))
    lines = {m["member_id"]: m["self_study"] for m in view["members"]["items"]}
    assert lines["m1"] == "filed" and lines["m2"] != "filed"


async def test_weekly_study_is_recorded_once_a_week_and_listed_in_pages(edu: ServiceClient) -> None:
    await ok(await edu.put(f"/plans/{TODAY.year}", json={
        "lecturer_corps_minimum": 5, "park_lessons_minimum": 4, "weekly_study_minutes": 30}))
    last = 0
    for branch, who in (("br1", ["m1", "m2"]), ("br2", ["m4"])):
        last = (await ok(await edu.post("/weekly-studies", json={
            "branch_id": branch, "held_on": TODAY.isoformat(), "minutes": 45, "topic": "学习新党章",
            "attendee_member_ids": who}), 201))["position"]
    again = await edu.post("/weekly-studies", json={"branch_id": "br1", "held_on": TODAY.isoformat(),
                                                    "minutes": 45, "attendee_member_ids": ["m1"]})
    assert again.status_code == 409 and again.json()["code"] == "weekly_study.week_already_recorded"

    page1 = await ok(await edu.get("/weekly-studies", params={"period": MONTH, "after": last, "limit": 1}))
    assert page1["total"] == 2 and page1["next_offset"] == 1
    assert [(r["branch_id"], r["attendees"], r["meets_minimum"]) for r in page1["items"]] == [("br1", 2, True)]
    page2 = await ok(await edu.get("/weekly-studies", params={"period": MONTH, "limit": 1, "offset": 1}))
    assert [r["branch_id"] for r in page2["items"]] == ["br2"] and page2["next_offset"] is None
    members = await ok(await edu.get("/compliance", params={"period": MONTH, "limit": 2}))
    assert members["members"]["total"] == 6 and len(members["members"]["items"]) == 2
    assert len(members["branches"]) == 2


async def test_an_ended_quarter_is_closed_once(edu: ServiceClient) -> None:
    quarter = previous_quarter(TODAY)
    current = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"
    not_ended = await edu.post(f"/compliance/quarters/{current}/close")
    assert not_ended.status_code == 409 and not_ended.json()["code"] == "compliance.quarter_not_ended"
    closed = await ok(await edu.post(f"/compliance/quarters/{quarter}/close",
                                     headers={"Idempotency-Key": "close-1"}), 201)
    assert closed["id"] == quarter
    replay = await edu.post(f"/compliance/quarters/{quarter}/close", headers={"Idempotency-Key": "close-1"})
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    twice = await edu.post(f"/compliance/quarters/{quarter}/close")
    assert twice.status_code == 409 and twice.json()["code"] == "compliance.quarter_already_closed"
    events = await edu.runtime.store.read_stream(f"compliance-{quarter}")
    assert sorted(e.event.branch_id for e in events.events) == ["br1", "br2"]


async def test_reminders_go_once_per_person_guarantee_and_period(edu: ServiceClient) -> None:
    last_month = TODAY.replace(day=1) - timedelta(days=1)
    month = f"{last_month.year:04d}-{last_month.month:02d}"
    topic = await ok(await edu.post("/topics", json={"month": month, "title": "学党史", "material": "党史读本"}),
                     201)
    # reminders are drawn from the read model: let it apply the topic first
    await ok(await edu.get("/topics", params={"year": last_month.year, "after": topic["position"]}))
    first = await ok(await edu.post("/reminders", params={"period": month},
                                    headers={"Idempotency-Key": "remind-1"}), 201)
    listed = await ok_list(await edu.get("/reminders", params={"period": month, "after": first["position"]}))
    # nobody filed last month's self-study, no branch held a weekly study: all are reminded
    assert {(r["guarantee"], r["member_id"]) for r in listed if r["member_id"]} == {
        ("self_study", m) for m in ("m1", "m2", "m3", "m4", "m5", "m6")}
    assert {(r["guarantee"], r["branch_id"]) for r in listed if r["member_id"] is None} == {
        ("weekly_study", "br1"), ("weekly_study", "br2")}
    replay = await edu.post("/reminders", params={"period": month}, headers={"Idempotency-Key": "remind-1"})
    assert replay.headers["Idempotent-Replayed"] == "true" and replay.json() == first

    # m1 files late; a second run sends nothing twice and nothing to m1
    filed = await ok(await edu.post("/self-studies", json={
        "member_id": "m1", "month": month, "studied_on": last_month.isoformat(), "content": "补学",
        "reflection": "体会"}), 201)
    await ok(await edu.post("/reminders", params={"period": month}), 201)
    again = await ok_list(await edu.get("/reminders", params={"period": month, "after": filed["position"]}))
    assert sorted(map(str, again)) == sorted(map(str, listed))


async def test_two_weeks_before_month_end_who_is_behind_is_reminded_once_by_the_services_clock(
        edu: ServiceClient) -> None:
    topic = await ok(await edu.post("/topics", json={"month": MONTH, "title": "学党章", "material": "党章全文"}), 201)
    filed = await ok(await edu.post("/self-studies", json={
        "member_id": "m1", "month": MONTH, "studied_on": TODAY.isoformat(), "content": "学习党章",
        "reflection": "体会"}), 201)
    await ok(await edu.get("/topics", params={"year": TODAY.year, "after": max(topic["position"], filed["position"])}))
    layer = edu.runtime.layer(Education)
    edu.runtime.clock.set(NOW.replace(day=16))  # 31 May less 15 days: not yet
    assert await layer.remind_before_month_end() is None
    edu.runtime.clock.set(NOW)  # the 21st: within the last two weeks
    first = await layer.remind_before_month_end()
    assert first is not None
    listed = await ok_list(await edu.get("/reminders", params={"period": MONTH, "after": first.position}))
    # Everyone but m1 owes May's self-study; neither branch held a weekly study in the weeks of 5 and 12 May.
    assert {(r["guarantee"], r["member_id"] or r["branch_id"]) for r in listed} == {
        *(("self_study", m) for m in ("m2", "m3", "m4", "m5", "m6")),
        ("weekly_study", "br1"), ("weekly_study", "br2")}
    # The service's next round (each ten minutes) reminds nobody twice.
    again = await layer.remind_before_month_end()
    assert again is not None and again.events == []


async def ok_list(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


async def test_a_branch_secretary_acts_for_its_own_branch_only(edu: ServiceClient) -> None:
    await ok(await edu.post("/topics", json={"month": MONTH, "title": "学党章", "material": "党章全文"}), 201)
    async with ServiceClient(edu.app, edu.settings,
                             edu.headers_for(("branch_secretary",), "br1")) as sec:
        own = await ok(await sec.post("/weekly-studies", json={
            "branch_id": "br1", "held_on": TODAY.isoformat(), "minutes": 40, "attendee_member_ids": ["m1"]}), 201)
        other = await sec.post("/weekly-studies", json={
            "branch_id": "br2", "held_on": TODAY.isoformat(), "minutes": 40, "attendee_member_ids": ["m4"]})
        assert other.status_code == 403
        study = {"month": MONTH, "studied_on": TODAY.isoformat(), "content": "学习", "reflection": "体会"}
        await ok(await sec.post("/self-studies", json={**study, "member_id": "m2"}), 201)
        assert (await sec.post("/self-studies", json={**study, "member_id": "m4"})).status_code == 403
        assert (await sec.get("/compliance", params={"period": MONTH, "branch_id": "br2"})).status_code == 403
        assert (await sec.get("/weekly-studies", params={"period": MONTH, "branch_id": "br2"})).status_code == 403
        mine = await ok(await sec.get("/compliance", params={"period": MONTH, "after": own["position"]}))
        assert {m["member_id"] for m in mine["members"]["items"]} == {"m1", "m2", "m3"}
        assert [b["branch_id"] for b in mine["branches"]] == ["br1"]
        assert (await sec.post("/compliance/quarters/2020-Q1/close")).status_code == 403


async def test_the_staff_hear_of_educations_dead_letters_and_waiting_read_models_on_wecom(
        service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDPARK_WECOM_WEBHOOKS", '{"staff": "http://127.0.0.1:9/cgi-bin/webhook/send?key=k"}')
    client = await service_client(create_education, roles=("park_admin",), clock=FrozenClock(NOW))
    hub = client.runtime.extras["notifications"]
    assert {s.name for s in hub.schedules} >= {"platform.dead_letter", "platform.read_model_waiting",
                                               "platform.notification_failed"}
    assert await hub.run_schedules() == 0  # nothing dead-lettered, nothing waiting
    log = await ok(await client.get("/notifications"))
    assert log["items"] == []
    page = await client.get("/ui/notifications")
    assert page.status_code == 200 and "通知" in page.text
