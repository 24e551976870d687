"""A secretary whose branch held no 支委会 this month is texted on the 20th, read from the local SMS
gateway's record; a branch that held one is not; nobody is told twice. The clock is frozen and moved."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from redpark_organization.app import create_app
from redpark_platform.clock import FrozenClock
from redpark_platform.notifications import hub_of
from redpark_platform.notifications.standins import LOCAL_KEY_ID, LOCAL_KEY_SECRET
from redpark_platform.testkit import ServiceClient, eventually
from redpark_platform.testkit.notify import StandIns


async def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def two_branches(c: ServiceClient) -> int:
    """br1 (secretary m1, 13900000001) and br2 (secretary m2, 13900000002), each of one enterprise with three
    full members (m1, m1b, m1c; m2, m2b, m2c)."""
    await ok(await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 12,
                                              "sequence_in_zone": 1}), 201)
    for n in ("1", "2"):
        await ok(await c.post("/enterprises", json={
            "enterprise_id": f"e{n}", "name": f"企业{n}", "building_id": "a1", "floor": 3, "headcount": 40,
            "is_tech_enterprise": True, "legal_representative": "张三", "effective_on": "2024-01-01"}), 201)
        for suffix, phone in (("", f"1390000000{n}"), ("b", "13700000000"), ("c", "13700000000")):
            body = await ok(await c.post("/members", json={
                "member_id": f"m{n}{suffix}", "name": f"党员{n}{suffix}", "enterprise_id": f"e{n}", "status": "full",
                "joined_party_on": "2010-07-01", "relationship": "in_park", "phone": phone,
                "id_number": "11010519491231002X", "effective_on": "2024-01-01"}), 201)
    assert await c.runtime.wait_for("org_rosters", int(body["position"]), 10)
    await ok(await c.post("/general-branch", json={"general_branch_id": "gb", "name": "党总支",
                                                   "effective_on": "2024-01-01"}), 201)
    last = 0
    for n in ("1", "2"):
        await ok(await c.post("/branches", json={"branch_id": f"br{n}", "name": f"企业{n}党支部", "kind": "enterprise",
                                                 "enterprise_ids": [f"e{n}"], "effective_on": "2024-06-01"}), 201)
        for suffix in ("", "b", "c"):
            body = await ok(await c.put(f"/members/m{n}{suffix}/branch", json={"branch_id": f"br{n}",
                                                                               "effective_on": "2024-07-01"}))
        assert await c.runtime.wait_for("org_rosters", int(body["position"]), 10)
        body = await ok(await c.post(f"/branches/br{n}/elections", json={"secretary_id": f"m{n}",
                                                                          "effective_on": "2024-07-02"}))
        last = int(body["position"])
    body = await ok(await c.post("/branches/br2/meetings", json={
        "kind": "committee_meeting", "held_on": "2025-03-05", "topic": "研究工作", "minutes": "议定。",
        "attendee_ids": ["m2"]}), 201)
    return max(last, int(body["position"]))


async def test_a_branch_without_a_committee_meeting_by_the_20th_texts_its_secretary_once(
        service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
        notify_standins: StandIns) -> None:
    for name, value in {"REDPARK_SMS_PROVIDER": "aliyun", "REDPARK_SMS_ENDPOINT": notify_standins.http_url,
                        "REDPARK_SMS_ACCESS_KEY_ID": LOCAL_KEY_ID, "REDPARK_SMS_ACCESS_KEY_SECRET": LOCAL_KEY_SECRET,
                        "REDPARK_PARK_NAME": "光谷红色园区"}.items():
        monkeypatch.setenv(name, value)
    clock = FrozenClock(datetime(2025, 3, 19, 1, 0, tzinfo=UTC))  # the 19th, 09:00 in the park
    c = await service_client(create_app, roles=("park_admin",), clock=clock, data_dir=notify_standins.data,
                             log_level="WARNING")
    last = await two_branches(c)
    for read_model in ("org_rosters", "org_governance", "org_notify_contacts"):
        assert await c.runtime.wait_for(read_model, last, 10)
    hub = hub_of(c.runtime)
    assert hub is not None
    assert await hub.run_schedules() == 0  # the 19th: not yet

    clock.set(datetime(2025, 3, 20, 0, 59, tzinfo=UTC))  # the 20th, 08:59: not yet either
    assert await hub.run_schedules() == 0
    clock.set(datetime(2025, 3, 20, 1, 0, tzinfo=UTC))  # 09:00
    assert await hub.run_schedules() == 1
    [line] = await eventually(notify_standins.sms_lines, lambda got: len(got) == 1)
    assert line["phone"] == "13900000001" and line["template"] == "org.committee_meeting_missing.zh"
    assert line["text"] == "【光谷红色园区】光谷红色园区提醒：企业1党支部本月（2025-03）尚未召开支委会，请在月底前召开并录入记录本。"

    clock.set(datetime(2025, 3, 21, 1, 0, tzinfo=UTC))  # the next day: the same fact, not told again
    assert await hub.run_schedules() == 0
    log = (await c.get("/notifications")).json()["items"]
    assert [(n["recipient"], n["template"], n["status"]) for n in log] == [
        ("139****0001", "org.committee_meeting_missing", "sent")]


def park_nine(month: int, day: int) -> datetime:
    """09:00 in the park on that day of 2025 (01:00 UTC)."""
    return datetime(2025, month, day, 1, 0, tzinfo=UTC)


async def test_dues_arrears_rectification_deadlines_and_waiting_follow_ups_text_the_right_person_once(
        service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
        notify_standins: StandIns) -> None:
    from redpark_organization.application.followups import Followups

    for name, value in {"REDPARK_SMS_PROVIDER": "aliyun", "REDPARK_SMS_ENDPOINT": notify_standins.http_url,
                        "REDPARK_SMS_ACCESS_KEY_ID": LOCAL_KEY_ID, "REDPARK_SMS_ACCESS_KEY_SECRET": LOCAL_KEY_SECRET,
                        "REDPARK_PARK_NAME": "光谷红色园区"}.items():
        monkeypatch.setenv(name, value)
    # 08:00 on the 19th: the service's own round at start finds nothing due yet.
    clock = FrozenClock(park_nine(3, 19) - timedelta(hours=1))
    c = await service_client(create_app, roles=("park_admin",), clock=clock, data_dir=notify_standins.data,
                             log_level="WARNING")
    last = await two_branches(c)
    # m1b paid December of three months due (two owed up to February); m1c paid nothing (three owed).
    for member in ("m1b", "m1c"):
        await ok(await c.put(f"/members/{member}/dues-rate", json={"monthly_amount_fen": 2000,
                                                                    "effective_from": "2024-12"}))
    await ok(await c.post("/members/m1b/dues-payments", json={"month": "2024-12", "amount_fen": 2000}), 201)
    # br1 failed an inspection on 1 March: its rectification is due on the 31st.
    await ok(await c.post("/inspections", json={"inspection_id": "i1", "branch_id": "br1", "inspected_on": "2025-03-01",
                                                "passed": False, "findings": "会议记录不全"}), 201)
    # A member hired by e1 (br1's enterprise) on 17 February whose membership is still held elsewhere.
    opened = await c.runtime.layer(Followups).open(followup_id="h1", enterprise_id="e1", name="李明",
                                                   relationship_held_by="洛阳理工学院学生党支部", since=date(2025, 2, 17))
    last = max(last, opened.position, await c.runtime.store.position_ceiling())
    for read_model in ("org_rosters", "org_governance", "org_notify_contacts", "org_dues", "org_followups"):
        assert await c.runtime.wait_for(read_model, last, 10)
    hub = hub_of(c.runtime)
    assert hub is not None

    async def day(month: int, date_: int, queued: int) -> list[dict[str, Any]]:
        clock.set(park_nine(month, date_))
        # The service's own round (each minute) may run the day's checks first: count what is queued,
        # not what this call queued. A round in flight holds the day's row until it commits.
        await hub.run_schedules()
        assert await c.runtime.pool.fetchval("SELECT count(*) FROM notifications") == total + queued, date_
        return await eventually(notify_standins.sms_lines, lambda got: len(got) == total + queued)

    total = 0
    lines = await day(3, 19, 1)  # m1c: three months; the follow-up waits 30 days, not over
    total = len(lines)
    [dues] = lines
    assert dues["template"] == "org.dues_in_arrears.zh" and dues["text"] == (
        "【光谷红色园区】光谷红色园区提醒：党员1c同志，您已有 3 个月（2024-12 至 2025-02）的党费未缴纳，共 60.00 元，"
        "请尽快向所在党支部缴纳。")
    lines = await day(3, 20, 2)  # br1's 支委会, and the follow-up now 31 days old; m1c not again this month
    total = len(lines)
    followup = next(x for x in lines if x["template"] == "org.transfer_followup_waiting.zh")
    assert followup["phone"] == "13900000001" and followup["text"] == (
        "【光谷红色园区】光谷红色园区提醒：企业1的党员李明自 2025-02-17 起组织关系尚未转入园区（已 31 天），请跟进办理转接。")
    lines = await day(3, 23, 0)  # eight days before the deadline
    lines = await day(3, 24, 1)
    total = len(lines)
    assert lines[-1]["phone"] == "13900000001" and lines[-1]["text"] == (
        "【光谷红色园区】光谷红色园区提醒：企业1党支部的整改将于 2025-03-31 到期（还有 7 天），请按期完成并录入整改结果。")
    await day(3, 25, 0)
    lines = await day(3, 30, 1)
    total = len(lines)
    assert "（还有 1 天）" in lines[-1]["text"] and lines[-1]["template"] == "org.rectification_due.zh"
    await day(3, 31, 0)
    # A new month: m1c owes four months and m1b now three; each is told once this month.
    lines = await day(4, 1, 2)
    assert sorted(x["text"].split("，")[1] for x in lines[-2:]) == ["您已有 3 个月（2025-01 至 2025-03）的党费未缴纳",
                                                                     "您已有 4 个月（2024-12 至 2025-03）的党费未缴纳"]


async def test_educations_guarantee_reminders_text_the_member_or_the_branchs_secretary(
        service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
        notify_standins: StandIns, contract_feed: Any) -> None:
    from redpark_contracts import education as edu

    for name, value in {"REDPARK_SMS_PROVIDER": "aliyun", "REDPARK_SMS_ENDPOINT": notify_standins.http_url,
                        "REDPARK_SMS_ACCESS_KEY_ID": LOCAL_KEY_ID, "REDPARK_SMS_ACCESS_KEY_SECRET": LOCAL_KEY_SECRET,
                        "REDPARK_PARK_NAME": "光谷红色园区"}.items():
        monkeypatch.setenv(name, value)
    clock = FrozenClock(park_nine(5, 19))  # outside quiet hours: reminders go at once
    c = await service_client(create_app, roles=("park_admin",), clock=clock, data_dir=notify_standins.data,
                             log_level="WARNING")
    last = await two_branches(c)
    for read_model in ("org_rosters", "org_notify_contacts"):
        assert await c.runtime.wait_for(read_model, last, 10)
    education = await contract_feed(edu.registry)
    # As education's housekeeping issues them 14 days before the end of May (see education's README).
    issued = await education.append("reminders-2025-05", [
        edu.ReminderIssued(guarantee="self_study", period="2025-05", branch_id="br1", member_id="m1b",
                           issued_on=date(2025, 5, 19)),
        edu.ReminderIssued(guarantee="weekly_study", period="2025-05", branch_id="br2", member_id=None,
                           issued_on=date(2025, 5, 19)),
        edu.ReminderIssued(guarantee="self_study", period="2025-05", branch_id="br1", member_id="m-no-phone",
                           issued_on=date(2025, 5, 19))])
    lines = await eventually(notify_standins.sms_lines, lambda got: len(got) == 2, timeout=20)
    by_template = {line["template"]: line for line in lines}
    member = by_template["org.guarantee_self_study.zh"]
    assert member["phone"] == "13700000000" and member["text"] == (
        "【光谷红色园区】光谷红色园区提醒：党员1b同志（企业1党支部），您 2025-05 的自学记录尚未提交，"
        "请在月底前完成自学并提交记录。")
    secretary = by_template["org.guarantee_weekly_study.zh"]
    assert secretary["phone"] == "13900000002" and secretary["text"] == (
        "【光谷红色园区】光谷红色园区提醒：企业2党支部 2025-05 有周学习未开展，请组织补上并在月底前录入记录。")
    # A redelivery or a rebuild tells nobody twice; a member unknown here is not told.
    runner = c.runtime.runners["org-guarantee-notices"]
    await runner.rebuild()
    assert await runner.wait_for("education", issued.position, 10)
    assert await c.runtime.pool.fetchval("SELECT count(*) FROM notifications") == 2
