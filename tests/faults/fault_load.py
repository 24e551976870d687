"""A steady mixed load through the gateway, and the ledger of what the platform accepted.

Three closed loops, one request at a time each, a few requests a second in all:
- the public registering for a session of events-public (no sign-in; each a new phone);
- park_admin booking a venue of the organization (each booking goes out as a signed webhook to the
  property system's receiver, subscribed at the start), then reading its own write (`?after=`);
- the property system posting signed `tenant.checked_in` notices (the organization turns each into
  an enterprise moving in, which enterprise-support then learns from the organization's stream).

A request that got a 2xx goes into the ledger with the id its answer gave; anything else (refused,
timed out, connection lost while a fault lasts) is kept with its status and asks nothing of the store.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from redpark_organization.demo import simulate_property as sim
from redpark_platform.testkit.webhooks import Receiver

SESSION_ID = "fault-session"
SESSION_CAPACITY = 150
VENUE_ID = "fault-hall"
BUILDING_CODE = "HX-FAULT"
PAUSE_S = {"registration": 0.25, "booking": 0.6, "check_in": 0.9}
REQUEST_TIMEOUT_S = 20.0
PARK_ZONE = ZoneInfo("Asia/Shanghai")  # `up`'s default REDPARK_TIMEZONE: a booking's `day` is the park's


@dataclass(frozen=True)
class Accepted:
    kind: str  # registration | booking | check_in
    id: str  # registration_id | booking_id | tenant code
    at: float  # monotonic time of the answer
    position: int = 0
    extra: str = ""  # a check-in's delivery id in the inbox


@dataclass
class Ledger:
    accepted: list[Accepted] = field(default_factory=list)
    # (kind, status) of every request not accepted, at what time; status 0: no answer (connection
    # refused or cut, timed out)
    failed: list[tuple[str, int, float]] = field(default_factory=list)
    stale_reads: int = 0  # read-your-writes answers that did not yet show the write (a fault lasting)

    def since(self, t: float) -> list[Accepted]:
        return [a for a in self.accepted if a.at >= t]

    def failed_since(self, t: float) -> Counter[int]:
        return Counter(status for _, status, at in self.failed if at >= t)

    def of(self, kind: str) -> list[Accepted]:
        return [a for a in self.accepted if a.kind == kind]

    def last_at(self, kind: str) -> float:
        return max((a.at for a in self.accepted if a.kind == kind), default=0.0)


class Load:
    def __init__(self, gateway: str, token: str, webhook_secret: str, receiver: Receiver) -> None:
        self.gateway = gateway
        self.staff = {"Authorization": f"Bearer {token}"}
        self.webhook_secret = webhook_secret
        self.receiver = receiver
        self.ledger = Ledger()
        self.client = httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S)
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()
        self._numbers = itertools.count(1)
        self._first_slot = (datetime.now(UTC) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)

    async def _ok(self, method: str, path: str, status: int = 201, **kwargs: Any) -> Any:
        response = await self.client.request(method, self.gateway + path, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    async def set_up(self) -> None:
        """The session, the venue, the zone and building the tenants move into, the subscription."""
        now = datetime.now(UTC)
        await self._ok("POST", "/events-public/staff/activities", headers=self.staff, json={
            "activity_id": "fault-course", "kind": "youth_science_course", "title": "故障演练科普课", "place": "A3"})
        await self._ok("POST", "/events-public/staff/sessions", headers=self.staff, json={
            "session_id": SESSION_ID, "activity_id": "fault-course",
            "starts_at": (now + timedelta(days=3)).isoformat(), "ends_at": (now + timedelta(days=3, hours=2)).isoformat(),
            "place": "A3 报告厅", "capacity": SESSION_CAPACITY,
            "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
            "registration_closes_at": (now + timedelta(days=2)).isoformat()})
        await self._ok("POST", "/organization/venues", headers=self.staff, json={
            "venue_id": VENUE_ID, "name": "故障演练厅", "kind": "lecture_hall", "group": "institute",
            "location": "一号楼", "bookable": True})
        await self._ok("POST", "/organization/zones", headers=self.staff,
                       json={"zone_id": "fault-zone", "name": "演练区", "phase": 1})
        subscription = await self._ok("POST", "/organization/webhooks/outbound/subscriptions", headers=self.staff,
                                      json={"system": "property", "url": self.receiver.url,
                                            "topics": ["venue_bookings"]})
        self.receiver.secret = subscription["secret"]
        pms = sim.PropertySystem(self.client, self.gateway + "/organization", self.webhook_secret)
        sent = await pms.send("building", sim.building_added(BUILDING_CODE, "演练楼", phase=1, floors=30))
        assert sent.status == 202, sent.body

    def start(self) -> None:
        self._tasks = [asyncio.create_task(loop()) for loop in (self._registrations, self._bookings, self._check_ins)]

    async def stop(self) -> None:
        self._stopping.set()
        await asyncio.gather(*self._tasks)
        await self.client.aclose()

    async def _loop(self, kind: str, one: Any) -> None:
        while not self._stopping.is_set():
            try:
                answer = await one(next(self._numbers))
            except httpx.HTTPError:
                answer = 0
            if isinstance(answer, Accepted):
                self.ledger.accepted.append(answer)
            else:
                self.ledger.failed.append((kind, answer, time.monotonic()))
            try:
                await asyncio.wait_for(self._stopping.wait(), PAUSE_S[kind])
            except TimeoutError:
                pass

    async def _registrations(self) -> None:
        async def one(n: int) -> Accepted | int:
            r = await self.client.post(f"{self.gateway}/events-public/sessions/{SESSION_ID}/registrations", json={
                "name": f"演练{n}", "phone": f"139{n:08d}", "adults": 1 + n % 2, "consent": True})
            if not r.is_success:
                return r.status_code
            body = r.json()
            return Accepted("registration", body["registration_id"], time.monotonic(), body["position"],
                            str(body["seats"]))

        await self._loop("registration", one)

    async def _bookings(self) -> None:
        async def one(n: int) -> Accepted | int:
            starts = self._first_slot + timedelta(hours=n)
            booking_id = f"fb-{n}"
            r = await self.client.post(f"{self.gateway}/organization/venues/{VENUE_ID}/bookings", headers=self.staff,
                                       json={"booking_id": booking_id, "starts_at": starts.isoformat(),
                                             "ends_at": (starts + timedelta(minutes=30)).isoformat(),
                                             "purpose": f"演练预约{n}"})
            if not r.is_success:
                return r.status_code
            accepted = Accepted("booking", booking_id, time.monotonic(), r.json()["position"])
            # Read your own write: the venue's bookings of that day, once the read model applied it.
            day = starts.astimezone(PARK_ZONE).date().isoformat()
            try:
                read = await self.client.get(f"{self.gateway}/organization/venues/{VENUE_ID}/bookings",
                                             headers=self.staff, params={"after": accepted.position, "day": day})
                shown = read.status_code == 200 and booking_id in {b["booking_id"] for b in read.json()["items"]}
            except httpx.HTTPError:
                shown = False
            self.ledger.stale_reads += not shown
            return accepted

        await self._loop("booking", one)

    async def _check_ins(self) -> None:
        pms = sim.PropertySystem(self.client, self.gateway + "/organization", self.webhook_secret)

        async def one(n: int) -> Accepted | int:
            tenant = f"T-FAULT-{n}"
            sent = await pms.send("check-in", sim.checked_in(tenant, f"演练企业{n}", BUILDING_CODE, 1 + n % 30,
                                                              minutes_ago=1), webhook_id=f"msg_{uuid.uuid4().hex}")
            if not 200 <= sent.status < 300:
                return sent.status
            return Accepted("check_in", tenant, time.monotonic(), extra=str(sent.body["delivery_id"]))

        await self._loop("check_in", one)
