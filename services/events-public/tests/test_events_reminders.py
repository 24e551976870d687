"""The rest of what the public is told, read from the local SMS gateway's record
(sms-outbox.jsonl): the reminder the evening before (18:00 park time, the clock moved there) to every
party still confirmed, and an open-base visit's contact told of its confirmation, decline and lapse."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from redpark_events_public.app import create_app
from redpark_events_public.application import EventsPublic
from redpark_platform.calendar import PARK_TZ
from redpark_platform.clock import FrozenClock
from redpark_platform.notifications.standins import LOCAL_KEY_ID, LOCAL_KEY_SECRET
from redpark_platform.testkit import ServiceClient, eventually
from redpark_platform.testkit.notify import StandIns

# 10:00 tomorrow in the park: near real time, a day where registration is open.
TODAY = (datetime.now(PARK_TZ) + timedelta(days=1)).date()
NOW = datetime.combine(TODAY, time(10), PARK_TZ).astimezone(UTC)


def park(day_offset: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(TODAY + timedelta(days=day_offset), time(hour, minute), PARK_TZ).astimezone(UTC)


@pytest.fixture
async def started(service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
                  notify_standins: StandIns) -> tuple[ServiceClient, FrozenClock, StandIns]:
    for name, value in {"REDPARK_SMS_PROVIDER": "aliyun", "REDPARK_SMS_ENDPOINT": notify_standins.http_url,
                        "REDPARK_SMS_ACCESS_KEY_ID": LOCAL_KEY_ID, "REDPARK_SMS_ACCESS_KEY_SECRET": LOCAL_KEY_SECRET,
                        "REDPARK_PARK_NAME": "光谷红色园区",
                        "REDPARK_EVENTS_PUBLIC_RATE_OPEN_BASE_PER_ADDRESS": ""}.items():
        monkeypatch.setenv(name, value)
    clock = FrozenClock(NOW)
    c = await service_client(create_app, roles=("events_officer",), clock=clock, data_dir=notify_standins.data,
                             log_level="WARNING")
    return c, clock, notify_standins


async def schedule(c: ServiceClient, session_id: str, starts_at: datetime, capacity: int) -> None:
    r = await c.post("/staff/sessions", json={
        "session_id": session_id, "activity_id": "a1", "place": "A3 报告厅", "capacity": capacity,
        "starts_at": starts_at.isoformat(), "ends_at": (starts_at + timedelta(hours=2)).isoformat(),
        "registration_opens_at": (NOW - timedelta(hours=1)).isoformat(),
        "registration_closes_at": (starts_at - timedelta(hours=1)).isoformat()})
    assert r.status_code == 201, r.text


async def register(c: ServiceClient, session_id: str, name: str, phone: str) -> dict[str, Any]:
    r = await c.post(f"/sessions/{session_id}/registrations",
                     json={"name": name, "phone": phone, "adults": 1, "consent": True})
    assert r.status_code == 201, r.text
    answer: dict[str, Any] = r.json()
    return answer


def of(lines: list[dict[str, Any]], template: str) -> dict[str, dict[str, Any]]:
    return {line["phone"]: line for line in lines if line["template"] == template}


async def test_the_evening_before_every_confirmed_party_is_reminded_once_at_18(started: Any) -> None:
    c, clock, standins = started
    r = await c.post("/staff/activities", json={"activity_id": "a1", "kind": "youth_science_course",
                                                "title": "机器人科普课", "place": "A3"})
    assert r.status_code == 201, r.text
    await schedule(c, "s1", park(1, 15), capacity=2)
    await schedule(c, "s2", park(2, 15), capacity=5)  # the day after: not yet
    first = await register(c, "s1", "张三", "13500000001")
    second = await register(c, "s1", "李四", "13500000002")
    third = await register(c, "s1", "王五", "13500000003")
    assert third["status"] == "waitlisted"
    await register(c, "s2", "赵六", "13500000004")
    cancelled = await c.post("/sessions/s1/cancellations",
                             json={"ticket_code": second["ticket_code"], "phone": "13500000002"})
    assert cancelled.status_code == 200 and cancelled.json()["promoted"] == 1, cancelled.text
    # Confirmations, waiting place and promotion are out before the evening.
    await eventually(standins.sms_lines, lambda got: len(got) == 5)
    await c.runtime.wait_for("ep_notify_contacts", cancelled.json()["position"], 10)
    await c.runtime.wait_for("events_public_catalogue", cancelled.json()["position"], 10)

    hub = c.runtime.extras["notifications"]
    clock.set(park(0, 17, 59))
    assert await hub.run_schedules() == 0
    clock.set(park(0, 18))
    assert await hub.run_schedules() == 2
    assert await hub.run_schedules() == 0  # once a day, and once a registration
    lines = await eventually(standins.sms_lines, lambda got: len(of(got, "ep.session_reminder.zh")) == 2)
    reminded = of(lines, "ep.session_reminder.zh")
    assert set(reminded) == {"13500000001", "13500000003"}  # the cancelled one is not, the promoted one is
    start = park(1, 15).astimezone(PARK_TZ).strftime("%Y-%m-%d %H:%M")
    assert reminded["13500000001"]["text"] == (
        f"【光谷红色园区】光谷红色园区提醒：张三您好，您报名的「机器人科普课」将于 {start} 在 A3 报告厅 举行，"
        f"票号 {first['ticket_code']}，请准时参加；如不能参加，请提前取消报名，把名额留给候补的朋友。")
    assert f"票号 {third['ticket_code']}" in reminded["13500000003"]["text"]


async def test_an_open_base_contact_is_told_of_the_confirmation_the_decline_and_the_lapse(started: Any) -> None:
    c, clock, standins = started
    day = (TODAY + timedelta(days=10)).isoformat()
    bookings = {}
    for phone, organization in (("13600000001", "某区机关第一党支部"), ("13600000002", "某区机关第二党支部"),
                                ("13600000003", "某区机关第三党支部")):
        r = await c.post("/open-base/visits", json={"day": day, "organization": organization, "contact_name": "王芳",
                                                    "contact_phone": phone, "group_size": 20})
        assert r.status_code == 201, r.text
        bookings[phone] = r.json()["booking_id"]
    r = await c.post(f"/staff/open-base/visits/{bookings['13600000001']}/confirmation", json={"day": day})
    assert r.status_code == 200, r.text
    r = await c.post(f"/staff/open-base/visits/{bookings['13600000002']}/decline",
                     json={"day": day, "reason": "当天基地闭馆维护"})
    assert r.status_code == 200, r.text
    # The lapse is found through the open-base read model: let it show every request first.
    shown = await c.get(f"/staff/open-base/days/{day}", params={"after": r.json()["position"]})
    assert shown.status_code == 200, shown.text
    clock.advance(hours=73)  # past the default 72 h hold of the third
    # The service's housekeeping may get there first: either way the lapse is stored once.
    await c.runtime.layer(EventsPublic).open_base.lapse_overdue()

    lines = await eventually(standins.sms_lines, lambda got: len(got) == 3)
    assert of(lines, "ep.open_base_confirmed.zh")["13600000001"]["text"] == (
        f"【光谷红色园区】光谷红色园区：王芳您好，「某区机关第一党支部」{day} "
        "的开放式党组织生活基地参观（20 人）已确认，欢迎届时到访。")
    assert "未能安排，原因：当天基地闭馆维护。" in of(lines, "ep.open_base_declined.zh")["13600000002"]["text"]
    assert "未在规定时间内得到确认，已自动失效" in of(lines, "ep.open_base_lapsed.zh")["13600000003"]["text"]
    log = (await c.get("/notifications", params={"template": "ep.open_base_lapsed"})).json()["items"]
    assert [(n["recipient"], n["status"]) for n in log] == [("136****0003", "sent")]
