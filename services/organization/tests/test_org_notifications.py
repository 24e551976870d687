"""A secretary whose branch held no 支委会 this month is texted on the 20th, read from the local SMS
gateway's record; a branch that held one is not; nobody is told twice. The clock is frozen and moved."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
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
