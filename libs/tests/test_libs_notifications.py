"""Notifications end to end on real PostgreSQL and NATS, sent to the local stand-ins for real:
queued with the checkpoint, sealed, sent once, retried, failed, held, skipped, visible, re-sent."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from redpark_platform.clock import FrozenClock
from redpark_platform.notifications.policy import Policy
from redpark_platform.personal import Vault
from redpark_platform.testkit import eventually
from redpark_platform.testkit.notify import StandIns

sys.path.insert(0, str(Path(__file__).parent))

from notify_support import BoilerBroken, ReminderDue, VisitBooked, hall_app  # noqa: E402

PHONE = "13800138000"
# 10:00 in the park (Asia/Shanghai): outside quiet hours.
MORNING = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)


async def hall(service_client: Any, standins: StandIns, clock: FrozenClock | None = None, **notify: Any) -> Any:
    return await service_client(hall_app(standins.settings(**notify)), service="hall",
                                roles=("park_admin",), clock=clock or FrozenClock(MORNING), data_dir=standins.data)


async def rows(c: Any, **params: str) -> list[dict[str, Any]]:
    r = await c.get("/notifications", params=params)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_a_booking_is_texted_once_with_the_rendered_template_and_the_phone_stays_sealed(
        service_client: Any, notify_standins: StandIns) -> None:
    c = await hall(service_client, notify_standins)
    await c.runtime.store.append("visit-1", [VisitBooked(visitor_id="v1", name="张三", phone=PHONE, code="AB12")])
    lines = await eventually(notify_standins.sms_lines, lambda got: len(got) == 1)
    assert lines[0]["phone"] == PHONE
    assert lines[0]["template"] == "hall.booked.zh"
    assert lines[0]["params"] == {"name": "张三", "code": "AB12", "park": "测试园区"}
    assert lines[0]["text"] == "【测试园区】测试园区：张三您好，您的预约码 AB12。"
    [row] = await eventually(lambda: rows(c, status="sent"), lambda got: len(got) == 1)
    assert row["recipient"] == "138****8000" and row["channel"] == "sms" and row["attempts"] == 1
    stored = await c.runtime.pool.fetchrow("SELECT address, params FROM notifications")
    assert PHONE not in stored["address"] and "张三" not in stored["params"]
    # A rebuild replays the event: the outbox is unique per (event, recipient, template).
    await c.runtime.runners["hall-notices"].rebuild()
    position = await c.runtime.store.position_ceiling()
    assert await c.runtime.runners["hall-notices"].wait_for("hall", position, 10)
    assert await c.runtime.pool.fetchval("SELECT count(*) FROM notifications") == 1
    detail = (await c.get(f"/notifications/{row['notification_id']}")).json()
    assert [a["outcome"] for a in detail["attempt_log"]] == ["sent"]


async def test_the_tencent_shaped_adapter_sends_the_parameters_in_the_templates_order(
        service_client: Any, notify_standins: StandIns) -> None:
    c = await hall(service_client, notify_standins, provider="tencent")
    await c.runtime.store.append("visit-1", [VisitBooked(visitor_id="v1", name="李四", phone=PHONE, code="CD34")])
    [line] = await eventually(notify_standins.sms_lines, lambda got: len(got) == 1)
    assert line["text"] == "【测试园区】测试园区：李四您好，您的预约码 CD34。"
    assert line["session_context"].startswith("ntf_")


async def test_an_invalid_number_fails_at_once_with_the_providers_reason(
        service_client: Any, notify_standins: StandIns) -> None:
    c = await hall(service_client, notify_standins)
    await c.runtime.store.append("visit-1", [VisitBooked(visitor_id="v1", name="王五", phone="12345", code="X")])
    [row] = await eventually(lambda: rows(c, status="failed"), lambda got: len(got) == 1)
    assert row["attempts"] == 1 and "MOBILE_NUMBER_ILLEGAL" in row["last_error"]
    assert notify_standins.sms_lines() == []


async def test_a_rate_limited_message_is_retried_with_back_off_then_fails_and_staff_resend_it(
        service_client: Any, notify_standins: StandIns) -> None:
    notify_standins.gateway.per_minute = 1
    clock = FrozenClock(MORNING)
    c = await hall(service_client, notify_standins, clock, max_attempts=3, backoff_base=60.0)
    await c.runtime.store.append("visit-1", [VisitBooked(visitor_id="v1", name="赵六", phone=PHONE, code="A")])
    await c.runtime.store.append("visit-2", [VisitBooked(visitor_id="v2", name="赵六", phone=PHONE, code="B")])
    await eventually(lambda: rows(c, status="sent"), lambda got: len(got) == 1)
    [waiting] = await eventually(lambda: rows(c, status="pending"), lambda got: len(got) == 1 and got[0]["attempts"])
    assert "BUSINESS_LIMIT_CONTROL" in waiting["last_error"]
    # Due again after 60 s, then 120 s: the frozen clock moves, nothing sleeps.
    assert waiting["next_attempt_at"].startswith("2025-03-10T02:01:00")
    clock.advance(seconds=60)
    await eventually(lambda: rows(c, status="pending"), lambda got: len(got) == 1 and got[0]["attempts"] == 2)
    clock.advance(seconds=120)
    [failed] = await eventually(lambda: rows(c, status="failed"), lambda got: len(got) == 1)
    assert failed["attempts"] == 3
    detail = (await c.get(f"/notifications/{failed['notification_id']}")).json()
    assert [a["outcome"] for a in detail["attempt_log"]] == ["retry", "retry", "retry"]
    notify_standins.gateway.per_minute = 100
    r = await c.post(f"/notifications/{failed['notification_id']}/resend")
    assert r.status_code == 200, r.text
    await eventually(lambda: rows(c, status="sent"), lambda got: len(got) == 2)
    assert sorted(line["params"]["code"] for line in notify_standins.sms_lines()) == ["A", "B"]
    again = await c.post(f"/notifications/{failed['notification_id']}/resend")
    assert again.status_code == 409 and again.json()["code"] == "notification.not_resendable"


async def test_a_reminder_in_quiet_hours_waits_for_the_morning(service_client: Any, notify_standins: StandIns) -> None:
    clock = FrozenClock(datetime(2025, 3, 10, 14, 0, tzinfo=UTC))  # 22:00 in the park
    c = await hall(service_client, notify_standins, clock)
    await c.runtime.store.append("visit-1", [ReminderDue(visitor_id="v1", phone=PHONE, at="09:30")])
    [held] = await eventually(lambda: rows(c, status="pending"), lambda got: len(got) == 1 and got[0]["last_error"])
    assert held["last_error"] == "quiet_hours" and held["attempts"] == 0
    assert held["next_attempt_at"].startswith("2025-03-11T00:00:00")  # 08:00 park time
    clock.set(datetime(2025, 3, 11, 0, 0, tzinfo=UTC))
    c.runtime.extras["notifications"].worker.wake()
    [line] = await eventually(notify_standins.sms_lines, lambda got: len(got) == 1)
    assert line["text"].endswith("测试园区提醒您：明天 09:30 参观。")


async def test_an_opted_out_person_gets_no_reminder_but_still_their_ticket_in_english(
        service_client: Any, notify_standins: StandIns) -> None:
    c = await hall(service_client, notify_standins)
    r = await c.put("/notifications/preferences", json={"channel": "sms", "address": PHONE, "opted_out": True,
                                                        "lang": "en"})
    assert r.status_code == 200 and r.json() == {"recipient": "138****8000", "opted_out": True, "lang": "en"}
    await c.runtime.store.append("visit-1", [ReminderDue(visitor_id="v1", phone=PHONE, at="09:30"),
                                             VisitBooked(visitor_id="v1", name="Ann", phone=PHONE, code="EN1")])
    [skipped] = await eventually(lambda: rows(c, status="skipped"), lambda got: len(got) == 1)
    assert skipped["template"] == "hall.reminder" and skipped["last_error"] == "opted_out"
    [line] = await eventually(notify_standins.sms_lines, lambda got: len(got) == 1)
    assert line["template"] == "hall.booked.en" and line["text"].endswith("Dear Ann, your booking code is EN1.")
    bad = await c.put("/notifications/preferences", json={"channel": "fax", "address": PHONE})
    assert bad.status_code == 422 and "channel" in bad.text


async def test_the_daily_cap_skips_reminders_over_it(service_client: Any, notify_standins: StandIns) -> None:
    c = await hall(service_client, notify_standins, policy=Policy(daily_cap=1))
    await c.runtime.store.append("visit-1", [ReminderDue(visitor_id="v1", phone=PHONE, at="09:30")])
    await eventually(lambda: rows(c, status="sent"), lambda got: len(got) == 1)
    await c.runtime.store.append("visit-2", [ReminderDue(visitor_id="v1", phone=PHONE, at="10:30")])
    [skipped] = await eventually(lambda: rows(c, status="skipped"), lambda got: len(got) == 1)
    assert skipped["last_error"] == "daily_cap"


async def test_e_mail_goes_over_smtp_and_a_staff_alert_to_the_wecom_group(
        service_client: Any, notify_standins: StandIns) -> None:
    c = await hall(service_client, notify_standins)
    await c.runtime.store.append("visit-1", [VisitBooked(visitor_id="v1", name="张三", phone=PHONE,
                                                         email="zhang@example.cn", code="M1")])
    await c.runtime.store.append("boiler", [BoilerBroken(what="锅炉停了")])
    [mail] = await eventually(notify_standins.mails, lambda got: len(got) == 1)
    assert mail["To"] == "zhang@example.cn" and mail["Subject"] == "测试园区 预约成功"
    assert "张三您好，您的预约码 M1" in mail.get_content()
    [robot] = await eventually(notify_standins.wecom_lines, lambda got: len(got) == 1)
    assert robot == {"key": "staff-robot", "content": "测试园区值班提醒：锅炉停了"}
    sent = await eventually(lambda: rows(c, status="sent"), lambda got: len(got) == 3)
    masked = {r["channel"]: r["recipient"] for r in sent}
    assert masked == {"sms": "138****8000", "email": "z***@example.cn", "wecom": "staff"}
    today = (await c.get("/notifications/today")).json()
    assert today == {"sent": 3, "failed": 0, "pending": 0}


async def test_an_erased_persons_queued_message_is_not_sent(service_client: Any, notify_standins: StandIns) -> None:
    clock = FrozenClock(datetime(2025, 3, 10, 14, 0, tzinfo=UTC))  # 22:00: the reminder waits
    c = await hall(service_client, notify_standins, clock)
    await c.runtime.store.append("visit-1", [ReminderDue(visitor_id="v1", phone=PHONE, at="09:30")])
    await eventually(lambda: rows(c, status="pending"), lambda got: len(got) == 1 and got[0]["last_error"])
    await Vault().forget(c.runtime.pool, "v1")
    clock.set(datetime(2025, 3, 11, 0, 0, tzinfo=UTC))
    c.runtime.extras["notifications"].worker.wake()
    [failed] = await eventually(lambda: rows(c, status="failed"), lambda got: len(got) == 1)
    assert failed["last_error"] == "recipient erased"
    assert notify_standins.sms_lines() == []


@pytest.mark.parametrize("role", ["education_officer"])
async def test_the_log_is_for_the_roles_given(service_client: Any, notify_standins: StandIns, role: str) -> None:
    c = await hall(service_client, notify_standins)
    r = await c.get("/notifications", headers=c.headers_for((role,)))
    assert r.status_code == 403


async def test_a_failed_notification_alerts_the_staff_group_on_wecom_once(
        service_client: Any, notify_standins: StandIns) -> None:
    c = await hall(service_client, notify_standins)
    await c.runtime.store.append("visit-1", [VisitBooked(visitor_id="v1", name="王五", phone="12345", code="X")])
    [failed] = await eventually(lambda: rows(c, status="failed"), lambda got: len(got) == 1)
    hub = c.runtime.extras["notifications"]
    assert await hub.run_schedules() == 1
    assert await hub.run_schedules() == 0  # the same failure is told once
    [robot] = await eventually(notify_standins.wecom_lines, lambda got: len(got) == 1)
    assert robot["key"] == "staff-robot"
    assert robot["content"].startswith(f"测试园区值班提醒：hall 的通知 {failed['notification_id']}（hall.booked，发往 ")
    assert "MOBILE_NUMBER_ILLEGAL" in robot["content"] and "12345" not in robot["content"].split("发往")[0]


async def test_the_log_page_shows_masked_recipients_and_resends_a_failed_one(
        service_client: Any, notify_standins: StandIns) -> None:
    c = await hall(service_client, notify_standins)
    await c.runtime.store.append("visit-1", [VisitBooked(visitor_id="v1", name="王五", phone="12345", code="X"),
                                             VisitBooked(visitor_id="v2", name="赵六", phone=PHONE, code="Y")])
    [failed] = await eventually(lambda: rows(c, status="failed"), lambda got: len(got) == 1)
    await eventually(lambda: rows(c, status="sent"), lambda got: len(got) == 1)
    page = await c.get("/ui/notifications", params={"status": "failed"})
    assert page.status_code == 200 and "通知记录" in page.text
    assert "*****" in page.text and "12345" not in page.text and "MOBILE_NUMBER_ILLEGAL" in page.text
    assert f"/ui/notifications/{failed['notification_id']}/resend" in page.text
    assert "138****8000" not in page.text  # the filter keeps the sent one out
    again = await c.post(f"/ui/notifications/{failed['notification_id']}/resend")
    assert again.status_code == 200 and "已重新排队发送" in again.text
    await eventually(lambda: rows(c, status="failed"), lambda got: len(got) == 1 and got[0]["attempts"] == 2)
    [sent] = await rows(c, status="sent")
    refused = await c.post(f"/ui/notifications/{sent['notification_id']}/resend")
    assert refused.status_code == 409 and "只有发送失败或被跳过的通知可以重发" in refused.text
    english = await c.get("/ui/notifications", params={"lang": "en"})
    assert "Notifications" in english.text and "Sent today" in english.text and "138****8000" in english.text


async def test_the_preferences_page_records_an_opt_out_and_refuses_a_bad_number_naming_it(
        service_client: Any, notify_standins: StandIns) -> None:
    c = await hall(service_client, notify_standins)
    assert (await c.get("/ui/notifications/preferences")).status_code == 200
    bad = await c.post("/ui/notifications/preferences", data={"channel": "sms", "address": "12"})
    assert bad.status_code == 422 and "请填写有效的手机号码" in bad.text
    api_bad = await c.put("/notifications/preferences", json={"channel": "sms", "address": "abc-not-a-phone"})
    assert api_bad.status_code == 422 and api_bad.json()["errors"][0]["field"] == "address"
    saved = await c.post("/ui/notifications/preferences", data={"channel": "sms", "address": "+86 138-0013-8000",
                                                                "opted_out": "1", "lang": "zh"})
    assert saved.status_code == 200 and "138****8000" in saved.text
    await c.runtime.store.append("visit-1", [ReminderDue(visitor_id="v1", phone=PHONE, at="09:30")])
    [skipped] = await eventually(lambda: rows(c, status="skipped"), lambda got: len(got) == 1)
    assert skipped["last_error"] == "opted_out"


async def test_metrics_count_the_outbox_by_channel_and_status_with_no_address_in_a_label(
        service_client: Any, notify_standins: StandIns) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    c = await hall(service_client, notify_standins)

    async def outbox_figures() -> dict[tuple[str, str], float]:
        text = (await c.get("/metrics")).text
        assert PHONE not in text
        return {(s.labels["channel"], s.labels["status"]): s.value
                for family in text_string_to_metric_families(text) if family.name == "redpark_notifications"
                for s in family.samples}

    before = await outbox_figures()
    # Every configured channel shows every status from the first scrape: an alert has a series.
    assert before == {(channel, status): 0 for channel in ("sms", "email", "wecom")
                      for status in ("pending", "sending", "sent", "failed", "skipped")}
    await c.runtime.store.append("visit-1", [VisitBooked(visitor_id="v1", name="张三", phone=PHONE, code="A1")])
    await c.runtime.store.append("visit-2", [VisitBooked(visitor_id="v2", name="王五", phone="12345", code="B2")])
    after = await eventually(outbox_figures, lambda got: got[("sms", "sent")] == 1 and got[("sms", "failed")] == 1)
    assert after[("sms", "pending")] == 0 and after[("email", "sent")] == 0
