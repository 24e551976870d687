"""What a registrant is told, read from the local SMS gateway's record (sms-outbox.jsonl): the
confirmation with ticket and link, the waiting-list place, and the promotion after a cancellation
within 10 seconds."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from redpark_events_public.app import create_app
from redpark_platform.notifications.standins import LOCAL_KEY_ID, LOCAL_KEY_SECRET
from redpark_platform.testkit import ServiceClient, eventually
from redpark_platform.testkit.notify import StandIns

PROMOTION_WITHIN_S = 10.0


async def events(service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
                 standins: StandIns, provider: str = "aliyun") -> ServiceClient:
    for name, value in {"REDPARK_SMS_PROVIDER": provider, "REDPARK_SMS_ENDPOINT": standins.http_url,
                        "REDPARK_SMS_ACCESS_KEY_ID": LOCAL_KEY_ID, "REDPARK_SMS_ACCESS_KEY_SECRET": LOCAL_KEY_SECRET,
                        "REDPARK_SMS_SDK_APP_ID": "1400000000", "REDPARK_PARK_NAME": "光谷红色园区",
                        "REDPARK_PUBLIC_URL": "https://park.example"}.items():
        monkeypatch.setenv(name, value)
    return await service_client(create_app, roles=("events_officer",), data_dir=standins.data, log_level="WARNING")


async def schedule(c: ServiceClient, capacity: int) -> None:
    now = datetime.now(UTC)
    r = await c.post("/staff/activities", json={"activity_id": "a1", "kind": "youth_science_course",
                                                "title": "机器人科普课", "place": "A3"})
    assert r.status_code == 201, r.text
    r = await c.post("/staff/sessions", json={
        "session_id": "s1", "activity_id": "a1", "starts_at": (now + timedelta(days=2)).isoformat(),
        "ends_at": (now + timedelta(days=2, hours=2)).isoformat(), "place": "A3 报告厅", "capacity": capacity,
        "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
        "registration_closes_at": (now + timedelta(days=1)).isoformat()})
    assert r.status_code == 201, r.text
    await c.runtime.wait_for("events_public_catalogue", r.json()["position"], 10)


def register(name: str, phone: str) -> dict[str, Any]:
    return {"name": name, "phone": phone, "adults": 1, "children_ages": [], "consent": True}


async def test_a_waitlisted_registrant_promoted_by_a_cancellation_gets_an_sms_within_10_seconds(
        service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
        notify_standins: StandIns) -> None:
    c = await events(service_client, monkeypatch, notify_standins)
    await schedule(c, capacity=1)
    first = (await c.post("/sessions/s1/registrations", json=register("张三", "13500000001"))).json()
    second = (await c.post("/sessions/s1/registrations", json=register("李四", "+86 135-0000-0002"))).json()
    assert (first["status"], second["status"]) == ("confirmed", "waitlisted")
    lines = await eventually(notify_standins.sms_lines, lambda got: len(got) == 2)
    by_phone = {line["phone"]: line for line in lines}
    confirmed, waitlisted = by_phone["13500000001"], by_phone["13500000002"]
    assert confirmed["template"] == "ep.registration_confirmed.zh"
    link = f"https://park.example/events-public/ui/public/sessions/s1/tickets/{first['ticket_code']}"
    assert confirmed["text"].startswith("【光谷红色园区】光谷红色园区：张三您好，您已报名「机器人科普课」（")
    assert f"A3 报告厅），票号 {first['ticket_code']}，入场时出示：{link}" in confirmed["text"]
    assert waitlisted["template"] == "ep.registration_waitlisted.zh"
    assert "您在候补名单第 1 位" in waitlisted["text"]

    cancelled_at = time.monotonic()
    r = await c.post("/sessions/s1/cancellations", json={"ticket_code": first["ticket_code"], "phone": "13500000001"})
    assert r.status_code == 200 and r.json()["promoted"] == 1, r.text
    lines = await eventually(notify_standins.sms_lines, lambda got: len(got) == 3, timeout=PROMOTION_WITHIN_S)
    elapsed = time.monotonic() - cancelled_at
    promoted = lines[-1]
    assert promoted["phone"] == "13500000002" and promoted["template"] == "ep.registration_promoted.zh"
    assert "您已由候补转为报名成功，票号 " + second["ticket_code"] in promoted["text"]
    assert elapsed < PROMOTION_WITHIN_S
    # The gateway keeps the line before it answers; the worker marks the row sent once it has the answer.
    async def promoted_log() -> list[tuple[str, str]]:
        items = (await c.get("/notifications", params={"template": "ep.registration_promoted"})).json()["items"]
        return [(n["recipient"], n["status"]) for n in items]

    assert await eventually(promoted_log, lambda log: log != [("135****0002", "sending")]) == [("135****0002", "sent")]


async def test_the_same_messages_go_through_the_tencent_shaped_adapter(
        service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
        notify_standins: StandIns) -> None:
    c = await events(service_client, monkeypatch, notify_standins, provider="tencent")
    await schedule(c, capacity=5)
    r = await c.post("/sessions/s1/registrations", json=register("王五", "13700000003"))
    assert r.status_code == 201, r.text
    [line] = await eventually(notify_standins.sms_lines, lambda got: len(got) == 1)
    assert line["phone"] == "13700000003" and "王五您好" in line["text"] and line["session_context"].startswith("ntf_")
