"""The notification outbox: what a rule queues, sealed like any personal data, once per
(event, recipient, template); and what staff read of it.

A rule runs in the transaction that records its events as handled (see `rules.py`), so a queued
notification commits with the checkpoint or not at all; the unique key makes a redelivered or replayed
event queue nothing new. Addresses and personal parameters are sealed with the person's key
(`redpark_platform.personal`): erasing the person makes the queued message unsendable and its address
unreadable, and no clear phone or e-mail address is stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Literal

import asyncpg
import msgspec

from ..calendar import day_start, park_date
from ..masking import ERASED, UNREADABLE, mask_phone
from ..personal import Vault, is_sealed, open_with, seal_with
from .templates import TemplateCatalogue

ChannelName = Literal["sms", "email", "wecom"]
Status = Literal["pending", "sending", "sent", "failed", "skipped"]
_VAULT = Vault()


@dataclass(frozen=True, kw_only=True)
class Notice:
    """What a rule asks to send. `address` and the values of `params` may be sealed values taken from
    an event (sealed with `subject_id`'s key); values named in `personal` are sealed here when clear."""

    template: str
    channel: ChannelName
    address: str
    params: Mapping[str, str] = field(default_factory=dict)
    subject_id: str | None = None
    personal: tuple[str, ...] = ()
    lang: str = "zh"


def mask_address(channel: str, address: str) -> str:
    if channel == "sms":
        return mask_phone(address)
    if channel == "email":
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}" if domain else "***"
    return address  # a staff group's name


async def _pepper(conn: asyncpg.Connection) -> bytes:
    await conn.execute("INSERT INTO notification_pepper (id, pepper) VALUES (1, $1) ON CONFLICT DO NOTHING",
                       os.urandom(32))
    return bytes(await conn.fetchval("SELECT pepper FROM notification_pepper WHERE id = 1"))


async def recipient_key(conn: asyncpg.Connection, channel: str, address: str) -> str:
    """Who, without saying who: the same person on the same channel always gets the same key (for
    opt-out and the daily cap), and the key does not give the address back."""
    normal = address.strip().lower() if channel == "email" else address.strip()
    return hmac.new(await _pepper(conn), f"{channel}:{normal}".encode(), hashlib.sha256).hexdigest()[:32]


async def enqueue(conn: asyncpg.Connection, notice: Notice, *, event_id: str, catalogue: TemplateCatalogue,
                  now: datetime, max_attempts: int) -> str | None:
    """Queue `notice` for the event `event_id` in `conn`'s transaction; its id, or None when it was
    queued before (a redelivery) or there is nobody to send it to (an erased person)."""
    if notice.template not in catalogue:
        raise KeyError(f"unknown notification template {notice.template!r}")
    subject = notice.subject_id
    key: bytes | None = None
    if subject:
        keys = await _VAULT.keys_for_opening(conn, [subject])
        key = keys.get(subject)
        if key is None:
            if is_sealed(notice.address):
                return None  # erased: nobody to tell
            key = (await _VAULT.keys_for_sealing(conn, [subject])).get(subject)
            if key is None:
                return None  # erased before this event: nobody to tell, nothing of theirs kept again
    clear = open_with(key, subject or "", notice.address) if is_sealed(notice.address) else notice.address
    if clear in (ERASED, UNREADABLE) or not clear.strip():
        return None

    def stored(value: str, personal: bool) -> str:
        if key is None or is_sealed(value) or not personal:
            return value
        return seal_with(key, subject or "", value)

    address = stored(notice.address, True)
    params = {k: stored(str(v), k in notice.personal) for k, v in notice.params.items()}
    who = await recipient_key(conn, notice.channel, clear)
    notification_id = f"ntf_{uuid.uuid4().hex[:20]}"
    inserted = await conn.fetchval(
        "INSERT INTO notifications (notification_id, event_id, template, recipient_key, channel, subject_id, address,"
        " recipient_masked, params, lang, attempt_limit, next_attempt_at, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)"
        " ON CONFLICT (event_id, recipient_key, template) DO NOTHING RETURNING notification_id",
        notification_id, event_id, notice.template, who, notice.channel, subject, address,
        mask_address(notice.channel, clear), json.dumps(params, ensure_ascii=False), notice.lang, max_attempts, now)
    return str(inserted) if inserted else None


async def open_row(conn: asyncpg.Connection | asyncpg.Pool, row: Mapping[str, object]) -> tuple[str, dict[str, str]]:
    """The address and parameters of a stored row, opened with its person's key (ERASED once erased)."""
    subject = row["subject_id"]
    params: dict[str, str] = json.loads(str(row["params"]))
    if not subject:
        return str(row["address"]), params
    key = (await _VAULT.keys_for_opening(conn, [str(subject)])).get(str(subject))

    def opened(value: str) -> str:
        return open_with(key, str(subject), value) if is_sealed(value) else value

    return opened(str(row["address"])), {k: opened(v) for k, v in params.items()}


# --- what staff read ----------------------------------------------------------------------------------

class AttemptView(msgspec.Struct, frozen=True, kw_only=True):
    attempt: int
    at: datetime
    outcome: str
    error: str | None
    provider_id: str | None
    duration_ms: int | None


class NotificationView(msgspec.Struct, frozen=True, kw_only=True):
    """One notification as staff see it: the recipient masked, never the text's personal values."""

    notification_id: str
    template: str
    channel: str
    recipient: str
    status: Status
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None
    event_id: str
    attempt_log: list[AttemptView] = []


_COLUMNS = ("notification_id, template, channel, recipient_masked AS recipient, status, attempts, last_error,"
            " created_at, CASE WHEN status = 'pending' THEN next_attempt_at END AS next_attempt_at, sent_at,"
            " event_id")


def _view(r: asyncpg.Record, attempts: Sequence[asyncpg.Record] = ()) -> NotificationView:
    return NotificationView(**dict(r), attempt_log=[AttemptView(**dict(a)) for a in attempts])


async def listing(pool: asyncpg.Pool, *, status: str | None, channel: str | None, template: str | None,
                  limit: int | None, offset: int = 0) -> tuple[list[NotificationView], int]:
    where = ("($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR channel = $2)"
             " AND ($3::text IS NULL OR template = $3)")
    rows = await pool.fetch(f"SELECT {_COLUMNS} FROM notifications WHERE {where}"
                            " ORDER BY created_at DESC, notification_id LIMIT $4 OFFSET $5",
                            status, channel, template, limit, offset)
    total = await pool.fetchval(f"SELECT count(*) FROM notifications WHERE {where}", status, channel, template)
    return [_view(r) for r in rows], int(total)


async def one(pool: asyncpg.Pool, notification_id: str) -> NotificationView | None:
    row = await pool.fetchrow(f"SELECT {_COLUMNS} FROM notifications WHERE notification_id = $1", notification_id)
    if row is None:
        return None
    attempts = await pool.fetch("SELECT attempt, at, outcome, error, provider_id, duration_ms FROM"
                                " notification_attempts WHERE notification_id = $1 ORDER BY attempt", notification_id)
    return _view(row, attempts)


async def resend(pool: asyncpg.Pool, notification_id: str, now: datetime, more_attempts: int) -> bool:
    """A failed or skipped notification goes back to pending, due now, with `more_attempts` tries."""
    done = await pool.fetchval(
        "UPDATE notifications SET status = 'pending', next_attempt_at = $2, attempt_limit = attempts + $3"
        " WHERE notification_id = $1 AND status IN ('failed', 'skipped') RETURNING notification_id",
        notification_id, now, more_attempts)
    return done is not None


class DayFigures(msgspec.Struct, frozen=True, kw_only=True):
    sent: int
    failed: int
    pending: int


async def today_figures(pool: asyncpg.Pool, now: datetime, zone: tzinfo) -> DayFigures:
    start = day_start(park_date(now, zone), zone)
    end = start + timedelta(days=1)
    row = await pool.fetchrow(
        "SELECT count(*) FILTER (WHERE status = 'sent' AND sent_at >= $1 AND sent_at < $2) AS sent,"
        " count(*) FILTER (WHERE status = 'failed' AND created_at >= $1 AND created_at < $2) AS failed,"
        " count(*) FILTER (WHERE status IN ('pending', 'sending')) AS pending FROM notifications", start, end)
    return DayFigures(sent=row["sent"], failed=row["failed"], pending=row["pending"])


async def set_preference(conn: asyncpg.Connection, channel: str, address: str, *, opted_out: bool, lang: str,
                         now: datetime) -> str:
    who = await recipient_key(conn, channel, address)
    await conn.execute(
        "INSERT INTO notification_preferences (recipient_key, opted_out, lang, updated_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (recipient_key) DO UPDATE SET opted_out = $2, lang = $3, updated_at = $4",
        who, opted_out, lang, now)
    return who


async def preference(conn: asyncpg.Connection | asyncpg.Pool, who: str) -> tuple[bool, str | None]:
    row = await conn.fetchrow("SELECT opted_out, lang FROM notification_preferences WHERE recipient_key = $1", who)
    return (False, None) if row is None else (bool(row["opted_out"]), str(row["lang"]))
