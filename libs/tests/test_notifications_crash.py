"""Kill the notification worker while the provider is answering, start another: every message is
sent exactly once, none lost. The provider is the local gateway, the worker a real process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from notify_support import CATALOGUE  # noqa: E402
from notify_worker_process import worker  # noqa: E402

from redpark_platform.notifications.outbox import Notice, enqueue  # noqa: E402
from redpark_platform.testkit import eventually  # noqa: E402
from redpark_platform.testkit.notify import StandIns  # noqa: E402

PROCESS = Path(__file__).parent / "notify_worker_process.py"


async def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(
        pg_pool: Any, pg_dsn: str, notify_standins: StandIns) -> None:
    (notify_standins.data / "sms-templates").mkdir()
    (notify_standins.data / "sms-templates" / "hall.json").write_text(CATALOGUE.provider_registrations_json())
    codes = [f"K{i}" for i in range(5)]
    async with pg_pool.acquire() as conn, conn.transaction():
        for i, code in enumerate(codes):
            await enqueue(conn, Notice(template="hall.booked", channel="sms", address=f"1380013800{i}",
                                       subject_id=f"v{i}", params={"name": "张三", "code": code}, personal=("name",)),
                          event_id=f"e{i}", catalogue=CATALOGUE, now=datetime.now(UTC), max_attempts=5)
    gateway = notify_standins.gateway
    gateway.hold = asyncio.Event()
    proc = subprocess.Popen([sys.executable, str(PROCESS), pg_dsn, notify_standins.http_url, "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # The provider took the first message and has not answered: the worker is mid-send.
        await eventually(gateway.held.is_set, timeout=30)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    gateway.hold.set()
    gateway.hold = None
    states = await pg_pool.fetch("SELECT status, count(*) AS n FROM notifications GROUP BY status")
    assert {r["status"]: r["n"] for r in states} == {"sending": 1, "pending": 4}

    again = worker(pg_pool, notify_standins.http_url, 1.0)
    again.start()
    try:
        await eventually(lambda: pg_pool.fetchval("SELECT count(*) FROM notifications WHERE status = 'sent'"),
                         lambda n: n == 5, timeout=30)
    finally:
        await again.stop()
    sent = sorted(line["params"]["code"] for line in notify_standins.sms_lines())
    assert sent == codes  # each once
    outcomes = await pg_pool.fetch("SELECT outcome, count(*) AS n FROM notification_attempts GROUP BY outcome")
    assert {r["outcome"]: r["n"] for r in outcomes} == {"recovered": 1, "sent": 4}
