"""The sender: takes due notifications, applies the policy, sends, records every attempt.

A claimed row is marked `sending` with a lease, and the attempt is recorded as `sending`, in one
commit before anything leaves. If the process dies before the outcome is recorded, the lease runs out
and the next worker asks the channel's provider whether it took the message (`Channel.find`, by the
notification id sent along): yes → `sent` without sending again; no → sent now. So a killed worker
neither loses a message nor, on the SMS channels, sends one twice. Failures are retried with
doubling back-off until `attempt_limit`, then `failed`; a rejection (an invalid number) fails at once.
Any number of workers (processes) may run: rows are claimed with `FOR UPDATE SKIP LOCKED`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from datetime import timedelta, tzinfo

import asyncpg

from ..calendar import day_start, park_date
from ..clock import Clock
from ..masking import ERASED, UNREADABLE
from ..wakeups import until_set
from . import policy
from .channels import UNKNOWN, Accepted, Channel, NotifySettings, Outgoing, Rejected, Retry
from .outbox import open_row, preference
from .templates import TemplateCatalogue

log = logging.getLogger("redpark.notifications")
LEASE_SECONDS = 60.0  # longer than any channel's timeout


def backoff(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, ...): doubling, capped."""
    return float(min(cap, base * 2 ** max(0, attempt - 1)))


class NotificationWorker:
    def __init__(self, pool: asyncpg.Pool, catalogue: TemplateCatalogue, channels: Mapping[str, Channel],
                 settings: NotifySettings, clock: Clock, zone: tzinfo, *, lease_seconds: float = LEASE_SECONDS,
                 poll_interval: float = 0.5) -> None:
        self.pool = pool
        self.catalogue = catalogue
        self.channels = dict(channels)
        self.settings = settings
        self.clock = clock
        self.zone = zone
        self.lease_seconds = lease_seconds
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # Which templates count towards the daily cap (everything but service messages).
        self._capped = [t.code for t in catalogue if t.kind != "service"]

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="notifications")

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for channel in self.channels.values():
            with contextlib.suppress(Exception):
                await channel.close()

    async def _run(self) -> None:
        while True:
            try:
                while await self.process_one():
                    pass
            except asyncio.CancelledError:
                raise
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("notification worker: database unavailable (%s); retrying", type(exc).__name__)
            self._wake.clear()
            await until_set(self._wake, self.poll_interval)

    async def process_one(self) -> bool:
        """Handle the next due notification, if any (True when one was handled)."""
        now = self.clock.now()
        async with self.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                "WITH due AS (SELECT notification_id, status AS was FROM notifications"
                "  WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1)"
                "  ORDER BY next_attempt_at, created_at FOR UPDATE SKIP LOCKED LIMIT 1)"
                " UPDATE notifications n SET status = 'sending', lease_until = $1 + make_interval(secs => $2)"
                " FROM due WHERE n.notification_id = due.notification_id RETURNING n.*, due.was",
                now, self.lease_seconds)
            if row is None:
                return False
            template = self.catalogue.by_code.get(row["template"])
            if template is None:
                await self._finish(conn, row["notification_id"], "failed", f"unknown template {row['template']}")
                return True
            opted_out, lang = await preference(conn, row["recipient_key"])
            if row["was"] == "pending":
                decision = policy.decide(template, opted_out=opted_out, sent_today=await self._sent_today(
                    conn, row["recipient_key"], now), now=now, zone=self.zone, policy=self.settings.policy)
                if isinstance(decision, policy.Hold):
                    await conn.execute(
                        "UPDATE notifications SET status = 'pending', next_attempt_at = $2, last_error = $3,"
                        " lease_until = NULL WHERE notification_id = $1",
                        row["notification_id"], decision.until, decision.reason)
                    return True
                if isinstance(decision, policy.Skip):
                    await self._finish(conn, row["notification_id"], "skipped", decision.reason)
                    return True
            address, params = await open_row(conn, row)
            if address in (ERASED, UNREADABLE) or any(v in (ERASED, UNREADABLE) for v in params.values()):
                await self._finish(conn, row["notification_id"], "failed", "recipient erased")
                return True
            channel = self.channels.get(row["channel"])
            if channel is None:
                await self._finish(conn, row["notification_id"], "failed", f"no {row['channel']} channel configured")
                return True
            message = Outgoing(notification_id=row["notification_id"], address=address, template=template,
                               lang=lang or row["lang"], params={**params, "park": self.settings.park_name},
                               park=self.settings.park_name, created_at=row["created_at"])
            recovering = row["was"] == "sending"
            attempt = row["attempts"] if recovering else row["attempts"] + 1
            if not recovering:
                await conn.execute("UPDATE notifications SET attempts = $2 WHERE notification_id = $1",
                                   row["notification_id"], attempt)
                await conn.execute(
                    "INSERT INTO notification_attempts (notification_id, attempt, at, outcome) VALUES ($1, $2, $3,"
                    " 'sending')", row["notification_id"], attempt, now)
        # Committed: the row is ours for the lease, and the attempt is on record before anything leaves.
        if recovering:
            found = await channel.find(message)
            if isinstance(found, str):
                await self._record(row, attempt, Accepted(found), 0, outcome="recovered")
                return True
            if found is UNKNOWN:
                log.info("notification %s: outcome of attempt %d unknown; sending again", row["notification_id"],
                         attempt)
        started = time.perf_counter()
        try:
            outcome = await channel.send(message)
        except Exception as exc:  # noqa: BLE001 - a channel's bug must not stop the worker; tried again later
            log.exception("notification %s: channel %s failed", row["notification_id"], row["channel"])
            outcome = Retry(f"unexpected error: {type(exc).__name__}")
        await self._record(row, attempt, outcome, int((time.perf_counter() - started) * 1000))
        return True

    async def _sent_today(self, conn: asyncpg.Connection, who: str, now: object) -> int:
        start = day_start(park_date(now, self.zone), self.zone)  # type: ignore[arg-type]
        count = await conn.fetchval(
            "SELECT count(*) FROM notifications WHERE recipient_key = $1 AND status = 'sent' AND sent_at >= $2"
            " AND sent_at < $3 AND template = ANY($4::text[])", who, start, start + timedelta(days=1), self._capped)
        return int(count)

    async def _finish(self, conn: asyncpg.Connection, notification_id: str, status: str, reason: str) -> None:
        await conn.execute("UPDATE notifications SET status = $2, last_error = $3, lease_until = NULL"
                           " WHERE notification_id = $1", notification_id, status, reason)
        if status == "failed":
            log.info("notification %s failed: %s", notification_id, reason)

    async def _record(self, row: asyncpg.Record, attempt: int, result: Accepted | Retry | Rejected,
                      duration_ms: int, *, outcome: str | None = None) -> None:
        now = self.clock.now()
        notification_id = row["notification_id"]
        async with self.pool.acquire() as conn, conn.transaction():
            if isinstance(result, Accepted):
                name, error, status = outcome or "sent", None, "sent"
            elif isinstance(result, Rejected):
                name, error, status = "rejected", result.reason, "failed"
            else:
                name, error = "retry", result.reason
                status = "failed" if attempt >= row["attempt_limit"] else "pending"
            provider_id = result.provider_id if isinstance(result, Accepted) else None
            await conn.execute(
                "INSERT INTO notification_attempts (notification_id, attempt, at, outcome, error, provider_id,"
                " duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (notification_id, attempt) DO UPDATE"
                " SET outcome = $4, error = $5, provider_id = $6, duration_ms = $7",
                notification_id, attempt, now, name, error, provider_id, duration_ms)
            delay = backoff(attempt, self.settings.backoff_base, self.settings.backoff_cap)
            await conn.execute(
                "UPDATE notifications SET status = $2, last_error = $3, provider_id = $4, lease_until = NULL,"
                " sent_at = CASE WHEN $2 = 'sent' THEN $5::timestamptz END,"
                " next_attempt_at = CASE WHEN $2 = 'pending' THEN $5::timestamptz + make_interval(secs => $6)"
                " ELSE next_attempt_at END WHERE notification_id = $1",
                notification_id, status, error, provider_id, now, delay)
        if status != "sent":
            # The template and the reason only: the address and the text are personal.
            log.info("notification %s (%s) attempt %d: %s %s", notification_id, row["template"], attempt, status,
                     error)
