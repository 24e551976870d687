"""What the staff group hears on WeCom from every service: a read model dead-lettered an event, an
inbound webhook delivery was parked, a notification failed for good, a read model waits for an
upgrade (an event its code cannot read). Checked every round of the scheduled checks, each fact told
once (its row's id, or the read model, source and position it waits at, is the key); only where a
WeCom group named `staff` is configured, so an alert can never itself fail into another alert."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import asyncpg

from .outbox import Notice
from .schedules import Finder, Scheduled
from .templates import Template

STAFF_GROUP = "staff"
# Facts older than this are not announced (a service started on an old database stays quiet).
LOOKBACK = timedelta(days=2)

DEAD_LETTER = Template(
    code="platform.dead_letter", kind="alert",
    zh="${park}值班提醒：${service} 的读模型 ${projection} 无法处理一条 ${type} 事件，已转入死信，"
       "请在 /ops/dead-letters 查看并重放。",
    en="${park} on duty: ${service}'s read model ${projection} could not apply a ${type} event; it is dead-lettered, "
       "see /ops/dead-letters to replay it.")
WEBHOOK_PARKED = Template(
    code="platform.webhook_parked", kind="alert",
    zh="${park}值班提醒：${service} 收到的 ${system} 推送（${kind}，编号 ${delivery}）多次重试仍无法应用，"
       "已搁置：${reason}",
    en="${park} on duty: ${service} parked a ${system} delivery (${kind}, number ${delivery}) after its retries: "
       "${reason}")
NOTIFICATION_FAILED = Template(
    code="platform.notification_failed", kind="alert",
    zh="${park}值班提醒：${service} 的通知 ${notification}（${template}，发往 ${recipient}）发送失败：${reason}",
    en="${park} on duty: ${service}'s notification ${notification} (${template}, to ${recipient}) failed: ${reason}")

READ_MODEL_WAITING = Template(
    code="platform.read_model_waiting", kind="alert",
    zh="${park}值班提醒：${service} 的读模型 ${projection} 读不懂 ${source} 的 ${type} 事件（第 ${version} 版，位置 "
       "${position}），在此等待升级，其后的事件暂不应用；请部署能读它的新版本 ${service}。",
    en="${park} on duty: ${service}'s read model ${projection} cannot read ${source}'s ${type} event (version "
       "${version}, position ${position}) and waits there for an upgrade, applying nothing after it; deploy a "
       "newer ${service} that reads it.")

TEMPLATES = (DEAD_LETTER, WEBHOOK_PARKED, NOTIFICATION_FAILED, READ_MODEL_WAITING)


def _to_staff(template: str, params: dict[str, str]) -> Notice:
    return Notice(template=template, channel="wecom", address=STAFF_GROUP, params=params)


def staff_alerts(service: str, runtime: Any = None) -> Sequence[Scheduled]:
    """`runtime`: the service's, whose projection runners say where a read model waits."""
    async def dead_letters(conn: asyncpg.Connection, day: date, now: datetime) -> Sequence[tuple[str, Notice]]:
        rows = await conn.fetch("SELECT id, projection, type FROM projection_dead_letters WHERE at >= $1 ORDER BY id",
                                now - LOOKBACK)
        return [(str(r["id"]), _to_staff(DEAD_LETTER.code, {"service": service, "projection": r["projection"],
                                                            "type": r["type"] or "?"})) for r in rows]

    async def parked(conn: asyncpg.Connection, day: date, now: datetime) -> Sequence[tuple[str, Notice]]:
        rows = await conn.fetch(
            "SELECT delivery_id, system, kind, last_error FROM webhook_inbox WHERE status = 'parked'"
            " AND received_at >= $1 ORDER BY delivery_id", now - LOOKBACK)
        return [(str(r["delivery_id"]), _to_staff(WEBHOOK_PARKED.code, {
            "service": service, "system": r["system"], "kind": r["kind"], "delivery": str(r["delivery_id"]),
            "reason": (r["last_error"] or "")[:120]})) for r in rows]

    async def failed(conn: asyncpg.Connection, day: date, now: datetime) -> Sequence[tuple[str, Notice]]:
        rows = await conn.fetch(
            "SELECT notification_id, template, recipient_masked, last_error FROM notifications WHERE status = 'failed'"
            " AND created_at >= $1 AND template NOT LIKE 'platform.%' ORDER BY created_at", now - LOOKBACK)
        return [(r["notification_id"], _to_staff(NOTIFICATION_FAILED.code, {
            "service": service, "notification": r["notification_id"], "template": r["template"],
            "recipient": r["recipient_masked"], "reason": (r["last_error"] or "")[:120]})) for r in rows]

    async def waiting(conn: asyncpg.Connection, day: date, now: datetime) -> Sequence[tuple[str, Notice]]:
        # Held by each runner in memory (the checkpoint stays just before the event): a restart of the
        # same code waits at the same position, under the same key, and is not told again.
        out: list[tuple[str, Notice]] = []
        runners: Mapping[str, Any] = getattr(runtime, "runners", {})
        for name, runner in sorted(runners.items()):
            for source, at in sorted(getattr(runner, "parked", {}).items()):
                out.append((f"{name}:{source}:{at.position}", _to_staff(READ_MODEL_WAITING.code, {
                    "service": service, "projection": name, "source": source, "type": at.type,
                    "version": str(at.version), "position": str(at.position)})))
        return out

    checks: list[tuple[str, Finder]] = [("platform.dead_letter", dead_letters),
                                        ("platform.webhook_parked", parked),
                                        ("platform.notification_failed", failed),
                                        ("platform.read_model_waiting", waiting)]
    return [Scheduled(name=name, at=datetime.min.time(), find=find, every_round=True) for name, find in checks]
