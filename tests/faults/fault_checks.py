"""What must hold after every fault, read from the stores and read models behind the services.

- lost: a request answered 2xx whose event is not in its service's store (by the id the answer gave),
  or, once the read models had their 30 s, is still missing from a read model or from what the
  property system's receiver got;
- duplicated: an accepted request stored twice, applied twice by a read model (rows beyond the
  store), or delivered outbound under two webhook-ids (one webhook-id seen twice is a redelivery the
  receiver drops: delivered once in effect);
- overbooked: more seats confirmed for the session than it has, in the store or its read model;
- verify: every read model equal to its rebuild (`redpark_platform.verify`, what `redpark.py verify` runs).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from fault_load import SESSION_CAPACITY, SESSION_ID, Accepted, Ledger
from fault_platform import ROOT, Platform
from redpark_platform.testkit.webhooks import Receiver
from redpark_platform.verify import verify_platform

VERIFY_TIMEOUT_S = 60.0


@dataclass
class Findings:
    lost: dict[str, list[str]] = field(default_factory=dict)
    duplicated: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # overbooking, verify, inbox not applied

    @property
    def lost_count(self) -> int:
        return sum(len(v) for v in self.lost.values())

    @property
    def duplicated_count(self) -> int:
        return sum(len(v) for v in self.duplicated.values())

    @property
    def clean(self) -> bool:
        return not self.lost_count and not self.duplicated_count and not self.problems

    def summary(self) -> str:
        parts = [f"lost {k}: {v[:5]}" for k, v in self.lost.items() if v]
        parts += [f"duplicated {k}: {v[:5]}" for k, v in self.duplicated.items() if v]
        return "; ".join(parts + self.problems[:10])


def _missing(wanted: list[str], found: Counter[str]) -> list[str]:
    return [i for i in wanted if found[i] == 0]


def _twice(found: Counter[str]) -> list[str]:
    return [i for i, n in found.items() if n > 1]


async def _fetch(platform: Platform, service: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(platform.database_dsn(service))
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def _registrations(platform: Platform, accepted: list[Accepted], f: Findings) -> None:
    events = await _fetch(
        platform, "events-public",
        "SELECT type, data->>'registration_id' AS id, (data->>'seats')::int AS seats FROM events"
        " WHERE stream_id = $1 AND type IN ('session.registration_confirmed', 'session.registration_waitlisted')",
        f"session-{SESSION_ID}")
    stored = Counter(r["id"] for r in events)
    ids = [a.id for a in accepted]
    f.lost["registrations (store)"] = _missing(ids, stored)
    f.duplicated["registrations (store)"] = _twice(stored)
    confirmed = sum(r["seats"] for r in events if r["type"] == "session.registration_confirmed")
    waitlisted = sum(1 for r in events if r["type"] == "session.registration_waitlisted")
    if confirmed > SESSION_CAPACITY:
        f.problems.append(f"store: {confirmed} seats confirmed of {SESSION_CAPACITY}")
    rows = await _fetch(platform, "events-public", "SELECT registration_id FROM ep_registrations WHERE session_id = $1",
                        SESSION_ID)
    listed = Counter(r["registration_id"] for r in rows)
    f.lost["registrations (read model)"] = _missing(ids, listed)
    f.duplicated["registrations (read model)"] = [i for i in listed if stored[i] == 0]
    [session] = await _fetch(platform, "events-public",
                             "SELECT confirmed_seats, waitlisted_parties FROM ep_sessions WHERE session_id = $1",
                             SESSION_ID)
    if session["confirmed_seats"] > SESSION_CAPACITY:
        f.problems.append(f"read model: {session['confirmed_seats']} seats confirmed of {SESSION_CAPACITY}")
    if (session["confirmed_seats"], session["waitlisted_parties"]) != (confirmed, waitlisted):
        f.problems.append(f"ep_sessions counts {tuple(session)} but the store has ({confirmed}, {waitlisted})")


async def _bookings(platform: Platform, accepted: list[Accepted], receiver: Receiver, f: Findings) -> None:
    events = await _fetch(platform, "organization",
                          "SELECT id::text AS event_id, data->>'booking_id' AS id FROM events WHERE type = 'venue.booked'")
    stored = Counter(r["id"] for r in events)
    ids = [a.id for a in accepted]
    f.lost["bookings (store)"] = _missing(ids, stored)
    f.duplicated["bookings (store)"] = _twice(stored)
    listed = Counter(r["booking_id"] for r in await _fetch(platform, "organization",
                                                             "SELECT booking_id FROM org_fac_bookings"))
    f.lost["bookings (read model)"] = _missing(ids, listed)
    f.duplicated["bookings (read model)"] = [i for i in listed if stored[i] == 0]
    # Outbound: each booking's event reaches the property system, under one webhook-id.
    webhook_ids: dict[str, set[str]] = {}
    for headers, body in list(receiver.seen):
        webhook_ids.setdefault(json.loads(body)["id"], set()).add(headers["webhook-id"])
    event_of = {r["id"]: r["event_id"] for r in events}
    f.lost["bookings (webhook out)"] = [i for i in ids if i in event_of and event_of[i] not in webhook_ids]
    f.duplicated["bookings (webhook out)"] = [e for e, w in webhook_ids.items() if len(w) > 1]


async def _check_ins(platform: Platform, accepted: list[Accepted], f: Findings) -> None:
    inbox = {r["delivery_id"]: r["status"] for r in await _fetch(
        platform, "organization", "SELECT delivery_id::text, status FROM webhook_inbox WHERE system = 'property'")}
    f.lost["check-ins (inbox)"] = [a.id for a in accepted if a.extra not in inbox]
    pending = [a.id for a in accepted if inbox.get(a.extra, "applied") != "applied"]
    if pending:
        f.problems.append(f"check-ins not applied: {pending[:5]} ({len(pending)})")
    names = {f"演练企业{a.id.rsplit('-', 1)[1]}": a.id for a in accepted}
    stored = Counter(r["name"] for r in await _fetch(
        platform, "organization", "SELECT data->>'name' AS name FROM events WHERE type = 'enterprise.moved_in'"))
    applied = [a for a in accepted if inbox.get(a.extra) == "applied"]
    f.lost["check-ins (store)"] = [a.id for a in applied if stored[f"演练企业{a.id.rsplit('-', 1)[1]}"] == 0]
    f.duplicated["check-ins (store)"] = [names.get(n, n) for n in _twice(stored)]
    # enterprise-support learns each enterprise from the organization's stream, once.
    known = Counter(r["name"] for r in await _fetch(platform, "enterprise-support", "SELECT name FROM sup_enterprises"))
    f.lost["check-ins (enterprise-support)"] = [names[n] for n in names if stored[n] and not known[n]]
    f.duplicated["check-ins (enterprise-support)"] = [n for n in known if n in names and not stored[n]]


async def verify_all(platform: Platform) -> list[str]:
    """`redpark.py verify`'s function over the running platform: the lines that are not equal."""
    saved = dict(os.environ)
    try:
        report = await asyncio.wait_for(verify_platform(platform.run_file, ROOT / "services"), VERIFY_TIMEOUT_S)
    finally:  # it fills in the platform's variables for the service apps it builds; not for later tests
        os.environ.clear()
        os.environ.update(saved)
    return [line for line in report.lines() if "DIFFERS" in line or line.startswith("PROBLEM")]


async def findings(platform: Platform, ledger: Ledger, receiver: Receiver, until: float) -> Findings:
    """Over what was accepted before `until` (later answers are checked in the next round, the last
    round after the load stopped): the read side is asynchronous, the store is not."""
    f = Findings()
    accepted = [a for a in ledger.accepted if a.at < until]
    await _registrations(platform, [a for a in accepted if a.kind == "registration"], f)
    await _bookings(platform, [a for a in accepted if a.kind == "booking"], receiver, f)
    await _check_ins(platform, [a for a in accepted if a.kind == "check_in"], f)
    return f
