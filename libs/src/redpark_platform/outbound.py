"""Signed outbound webhooks (Standard Webhooks): subscribe, deliver with retries, show every attempt.

Another system of the park (the property-management system) subscribes to a *topic* of a service:
a named set of that service's event types, optionally narrowed by a predicate (e.g. only needs
about property or environment). It may instead read the same events from JetStream: a topic's
subjects are `<service>.<aggregate>.<event_name>`, listed by `GET /webhooks/outbound/topics`.

1. **Subscribe.** `POST /webhooks/outbound/subscriptions` (system, url, topics; the signing secret
   is generated unless given, and shown once). Only events after the subscription are sent.
2. **Enqueue.** A projection on the service's own stream writes one delivery row per matching
   event and active subscription, in the transaction that records the event as applied, so a
   redelivered event never enqueues twice (`UNIQUE (subscription_id, event_id)`).
3. **Deliver.** A worker claims due rows (a lease, `FOR UPDATE SKIP LOCKED`), POSTs the
   CloudEvents JSON document — the same bytes as on the bus — with `webhook-id` (the delivery id,
   stable across retries so the receiver de-duplicates), `webhook-timestamp` and
   `webhook-signature`. A 2xx is delivered; anything else is retried with doubling back-off and,
   after `max_attempts`, marked `failed`. A crash mid-POST leaves the lease to expire: the
   delivery is sent again (at least once; receivers de-duplicate on `webhook-id`).
4. **Operate.** Every attempt is kept (status code or error, duration); staff list deliveries and
   attempts and re-send any delivery (`POST .../deliveries/{id}/resend`).

Use in a service:

    OUTBOUND = Outbound("organization", registry, [Topic(name="venue_bookings", title="阵地预约",
                        event_types=("venue.booked", "venue.booking_cancelled"))])
    ServiceSpec(..., projections=(*ALL, OUTBOUND.projection), routers=(*ROUTERS, OUTBOUND.router),
                on_start=(..., OUTBOUND.start), on_stop=(OUTBOUND.stop,))
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import secrets
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal
from urllib.parse import urlsplit

import asyncpg
import httpx
import msgspec
from fastapi import APIRouter, Path, Query, Request, Response
from standardwebhooks import Webhook

from .errors import DomainError, InvalidCommand, NotFound
from .events import CloudEvent, Event, EventRegistry, IncomingEvent, format_sequence
from .projections import Projection
from .wakeups import until_set
from .web.auth import require_roles
from .web.bodies import Body, MsgspecResponse, response_schema
from .web.idempotency import Idempotent
from .web.paging import Page, Paging, page

if TYPE_CHECKING:
    from .runtime import Runtime

log = logging.getLogger("redpark.outbound")

EXTRAS_KEY = "outbound"
DEFAULT_MAX_ATTEMPTS = 8
LEASE_SECONDS = 60
DeliveryStatus = Literal["pending", "delivered", "failed"]


@dataclass(frozen=True, kw_only=True)
class Topic:
    name: str
    title: str  # Chinese, for staff
    event_types: tuple[str, ...]  # `<aggregate>.<event_name>` of the service's own events
    # Narrows the topic to some events of those types (e.g. a need's category); None = all.
    predicate: Callable[[Event], bool] | None = None

    def matches(self, key: str, event: Event) -> bool:
        return key in self.event_types and (self.predicate is None or self.predicate(event))


# --- HTTP bodies -----------------------------------------------------------------------------------

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"^[a-z][a-z0-9_-]*$")]


class NewSubscription(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A system asks to be told of one or more topics at `url`."""

    system: Name
    url: Annotated[str, msgspec.Meta(min_length=8, max_length=2000)]
    topics: Annotated[list[Name], msgspec.Meta(min_length=1, max_length=20)]
    # A Standard Webhooks secret (`whsec_` + base64); generated when left out.
    secret: Annotated[str, msgspec.Meta(min_length=20, max_length=200)] | None = None


class TopicInfo(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    title: str
    event_types: list[str]
    subjects: list[str]  # the same events on JetStream


class Subscription(msgspec.Struct, frozen=True, kw_only=True):
    subscription_id: str
    system: str
    url: str
    topics: list[str]
    active: bool
    created_at: datetime
    secret: str | None = None  # only in the answer that created it


class Attempt(msgspec.Struct, frozen=True, kw_only=True):
    attempt: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class OutboundDelivery(msgspec.Struct, frozen=True, kw_only=True):
    delivery_id: str
    subscription_id: str
    system: str
    topic: str
    event_type: str
    event_id: str
    status: DeliveryStatus
    attempts: int
    last_status: int | None
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    attempt_log: list[Attempt] = []


def _secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidCommand("outbound.url_invalid", "url must be an absolute http(s) address",
                             detail_zh="推送地址必须是完整的 http(s) 地址", field="url")


def _check_secret(secret: str) -> None:
    try:
        Webhook(secret)
    except Exception:  # noqa: BLE001 - the library raises several types for a malformed secret
        raise InvalidCommand("outbound.secret_invalid", "secret must be `whsec_` + base64",
                             detail_zh="签名密钥格式不正确（whsec_ 开头的 base64）", field="secret") from None


# --- storage ---------------------------------------------------------------------------------------

_DELIVERY_COLUMNS = (
    "d.delivery_id, d.subscription_id, s.system, d.topic, d.event_type, d.event_id, d.status, d.attempts,"
    " d.last_status, d.last_error, d.created_at,"
    " CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS next_attempt_at, d.delivered_at")


def _subscription(r: asyncpg.Record, secret: str | None = None) -> Subscription:
    return Subscription(subscription_id=r["subscription_id"], system=r["system"], url=r["url"],
                        topics=list(r["topics"]), active=r["active"], created_at=r["created_at"], secret=secret)


def _delivery(r: asyncpg.Record, attempts: Sequence[asyncpg.Record] = ()) -> OutboundDelivery:
    return OutboundDelivery(**{k: r[k] for k in (
        "delivery_id", "subscription_id", "system", "topic", "event_type", "event_id", "status", "attempts",
        "last_status", "last_error", "created_at", "next_attempt_at", "delivered_at")},
        attempt_log=[Attempt(attempt=a["attempt"], at=a["at"], status_code=a["status_code"], error=a["error"],
                             duration_ms=a["duration_ms"]) for a in attempts])


class OutboundProjection(Projection):
    """Turns the service's own events into delivery rows for the subscriptions that want them."""

    tables: ClassVar[tuple[str, ...]] = ()  # deliveries are a log, not a read model: never truncated

    def __init__(self, service: str, registry: EventRegistry, topics: Sequence[Topic], max_attempts: int) -> None:
        self.name = f"{service}-outbound"  # type: ignore[misc]
        self.sources = (service,)  # type: ignore[misc]
        self.registries = {service: registry}  # type: ignore[misc]
        self.service = service
        self.topics = list(topics)
        self.max_attempts = max_attempts
        self.wanted = frozenset(t for topic in topics for t in topic.event_types)
        self.on_enqueued: Callable[[], None] = lambda: None

    def wants(self, source: str, key: str) -> bool:
        return key in self.wanted and super().wants(source, key)

    async def handle(self, conn: asyncpg.Connection, event: Event, meta: IncomingEvent) -> None:
        topics = [t.name for t in self.topics if t.matches(meta.key, event)]
        if not topics:
            return
        subscriptions = await conn.fetch(
            "SELECT subscription_id, topics FROM outbound_subscriptions WHERE active AND topics && $1::text[]"
            " ORDER BY subscription_id", topics)
        if not subscriptions:
            return
        body = msgspec.json.encode(CloudEvent(
            specversion="1.0", id=meta.id, source=meta.source,
            type=f"redpark.{meta.service}.{meta.key}.v{meta.version}", subject=meta.subject, time=meta.time,
            datacontenttype="application/json", sequence=format_sequence(meta.sequence), data=meta.data,
        )).decode()
        for sub in subscriptions:
            topic = next(t for t in topics if t in sub["topics"])
            await conn.execute(
                "INSERT INTO outbound_deliveries (delivery_id, subscription_id, event_id, topic, event_type, body,"
                " attempt_limit) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                " ON CONFLICT (subscription_id, event_id) DO NOTHING",
                f"msg_{uuid.uuid4().hex}", sub["subscription_id"], meta.id, topic, meta.key, body, self.max_attempts)
        self.on_enqueued()


# --- the delivery worker ---------------------------------------------------------------------------

def backoff(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, ...): doubling, capped."""
    return float(min(cap, base * 2 ** max(0, attempt - 1)))


class DeliveryWorker:
    """Sends due deliveries of one service process; any number of processes may run one."""

    def __init__(self, pool: asyncpg.Pool, *, backoff_base: float, backoff_cap: float, poll_interval: float,
                 timeout: float, concurrency: int = 4) -> None:
        self.pool = pool
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.poll_interval = poll_interval
        self.concurrency = concurrency
        self.client = httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._run(), name=f"outbound-{i}") for i in range(self.concurrency)]

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.client.aclose()

    async def _run(self) -> None:
        while True:
            try:
                sent = await self.send_one()
            except asyncio.CancelledError:
                raise
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("outbound worker: database unavailable (%s); retrying", type(exc).__name__)
                sent = False
            if not sent:
                self._wake.clear()
                await until_set(self._wake, self.poll_interval)

    async def _claim(self) -> asyncpg.Record | None:
        return await self.pool.fetchrow(
            "UPDATE outbound_deliveries d SET next_attempt_at = now() + make_interval(secs => $1),"
            " attempts = d.attempts + 1"
            " FROM outbound_subscriptions s"
            " WHERE s.subscription_id = d.subscription_id AND d.delivery_id = ("
            "   SELECT delivery_id FROM outbound_deliveries WHERE status = 'pending' AND next_attempt_at <= now()"
            "   ORDER BY next_attempt_at, created_at FOR UPDATE SKIP LOCKED LIMIT 1)"
            " RETURNING d.delivery_id, d.body, d.attempts, d.attempt_limit, s.url, s.secret, s.active",
            LEASE_SECONDS)

    async def send_one(self) -> bool:
        """Claim one due delivery and try it; False when nothing was due."""
        row = await self._claim()
        if row is None:
            return False
        attempt = row["attempts"]
        status_code: int | None = None
        error: str | None = None
        started = time.perf_counter()
        if not row["active"]:
            error = "subscription cancelled"
        else:
            try:
                stamp = datetime.now(UTC)
                body = row["body"]
                signature = Webhook(row["secret"]).sign(row["delivery_id"], stamp, body)
                response = await self.client.post(row["url"], content=body.encode(), headers={
                    "content-type": "application/json", "webhook-id": row["delivery_id"],
                    "webhook-timestamp": str(int(stamp.timestamp())), "webhook-signature": signature,
                })
                status_code = response.status_code
                if not 200 <= status_code < 300:
                    error = f"HTTP {status_code}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
        duration_ms = int((time.perf_counter() - started) * 1000)
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO outbound_attempts (delivery_id, attempt, status_code, error, duration_ms)"
                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                row["delivery_id"], attempt, status_code, error, duration_ms)
            if error is None:
                await conn.execute(
                    "UPDATE outbound_deliveries SET status = 'delivered', delivered_at = now(), last_status = $2,"
                    " last_error = NULL WHERE delivery_id = $1", row["delivery_id"], status_code)
            else:
                gave_up = attempt >= row["attempt_limit"] or not row["active"]
                await conn.execute(
                    "UPDATE outbound_deliveries SET status = $2, last_status = $3, last_error = $4,"
                    " next_attempt_at = now() + make_interval(secs => $5) WHERE delivery_id = $1",
                    row["delivery_id"], "failed" if gave_up else "pending", status_code, error,
                    backoff(attempt, self.backoff_base, self.backoff_cap))
        if error is not None:
            log.info("outbound delivery %s attempt %d failed: %s", row["delivery_id"], attempt, error)
        return True


# --- the piece a service mounts --------------------------------------------------------------------

class ResendRefused(DomainError):
    status = 409


class Outbound:
    """The outbound-webhook piece of a service: `projection`, `router`, and `start`/`stop`."""

    def __init__(self, service: str, registry: EventRegistry, topics: Sequence[Topic], *,
                 roles: Sequence[str] = ("park_admin",), read_roles: Sequence[str] = ("park_admin", "auditor"),
                 max_attempts: int = DEFAULT_MAX_ATTEMPTS, backoff_base: float = 5.0, backoff_cap: float = 3600.0,
                 poll_interval: float = 1.0, timeout: float = 10.0) -> None:
        names = [t.name for t in topics]
        if len(set(names)) != len(names):
            raise ValueError("topic names must be unique")
        self.service = service
        self.topics = {t.name: t for t in topics}
        self.max_attempts = max_attempts
        self.options = {"backoff_base": backoff_base, "backoff_cap": backoff_cap,
                        "poll_interval": poll_interval, "timeout": timeout}
        self.projection = OutboundProjection(service, registry, topics, max_attempts)
        self.router = self._router(list(roles), list(read_roles))

    async def start(self, runtime: Runtime) -> None:
        worker = DeliveryWorker(runtime.pool, **self.options)  # type: ignore[arg-type]
        runtime.extras[EXTRAS_KEY] = worker
        self.projection.on_enqueued = worker.wake
        worker.start()

    async def stop(self, runtime: Runtime) -> None:
        worker = runtime.extras.pop(EXTRAS_KEY, None)
        if isinstance(worker, DeliveryWorker):
            await worker.stop()

    def topic_infos(self) -> list[TopicInfo]:
        return [TopicInfo(name=t.name, title=t.title, event_types=list(t.event_types),
                          subjects=[f"{self.service}.{k}" for k in t.event_types]) for t in self.topics.values()]

    def _router(self, roles: list[str], read_roles: list[str]) -> APIRouter:
        router = APIRouter(prefix="/webhooks/outbound", tags=["webhooks"])
        example = NewSubscription(system="property", url="https://property.example/hooks/redpark",
                                  topics=[next(iter(self.topics), "topic")])

        @router.get("/topics", responses=response_schema(list[TopicInfo]), dependencies=[require_roles(*read_roles)],
                    summary="What other systems may subscribe to (and the JetStream subjects of the same events)")
        async def topics() -> Response:
            return MsgspecResponse(self.topic_infos())

        @router.post("/subscriptions", status_code=201, responses=response_schema(Subscription, status=201),
                     dependencies=[require_roles(*roles), Idempotent],
                     summary="Subscribe a system to topics (secret shown once)")
        # A default, not Annotated: the postponed annotation could not see the local `example`.
        async def subscribe(request: Request,
                            body: NewSubscription = Body(NewSubscription, example=example)) -> Response:  # noqa: B008
            unknown = [t for t in body.topics if t not in self.topics]
            if unknown:
                raise InvalidCommand("outbound.topic_unknown", f"unknown topic(s): {', '.join(unknown)}",
                                     detail_zh=f"没有这个推送主题：{'、'.join(unknown)}", field="topics")
            _check_url(body.url)
            secret = body.secret or _secret()
            _check_secret(secret)
            row = await request.app.state.pool.fetchrow(
                "INSERT INTO outbound_subscriptions (subscription_id, system, url, secret, topics)"
                " VALUES ($1, $2, $3, $4, $5) RETURNING *",
                f"sub_{uuid.uuid4().hex[:16]}", body.system, body.url, secret, sorted(set(body.topics)))
            return MsgspecResponse(_subscription(row, secret), status_code=201)

        @router.get("/subscriptions", responses=response_schema(list[Subscription]),
                    dependencies=[require_roles(*read_roles)], summary="Subscriptions (secrets never shown again)")
        async def subscriptions(request: Request) -> Response:
            rows = await request.app.state.pool.fetch(
                "SELECT * FROM outbound_subscriptions ORDER BY created_at, subscription_id")
            return MsgspecResponse([_subscription(r) for r in rows])

        @router.delete("/subscriptions/{subscription_id}", responses=response_schema(Subscription),
                       dependencies=[require_roles(*roles)],
                       summary="Cancel a subscription (its pending deliveries fail)")
        async def cancel(request: Request, subscription_id: Annotated[str, Path(max_length=80)]) -> Response:
            row = await request.app.state.pool.fetchrow(
                "UPDATE outbound_subscriptions SET active = false WHERE subscription_id = $1 RETURNING *",
                subscription_id)
            if row is None:
                raise NotFound("outbound.subscription_unknown", f"no subscription {subscription_id}",
                               detail_zh="订阅不存在", field="subscription_id")
            return MsgspecResponse(_subscription(row))

        @router.get("/deliveries", responses=response_schema(Page[OutboundDelivery]),
                    dependencies=[require_roles(*read_roles)], summary="Outbound deliveries, newest first")
        async def deliveries(
            request: Request, paging: Paging,
            status: Annotated[DeliveryStatus | None, Query(description="e.g. `failed`")] = None,
            subscription_id: Annotated[str | None, Query(max_length=80)] = None,
        ) -> Response:
            where = "($1::text IS NULL OR d.status = $1) AND ($2::text IS NULL OR d.subscription_id = $2)"
            pool = request.app.state.pool
            rows = await pool.fetch(
                f"SELECT {_DELIVERY_COLUMNS} FROM outbound_deliveries d JOIN outbound_subscriptions s USING"
                f" (subscription_id) WHERE {where} ORDER BY d.created_at DESC, d.delivery_id LIMIT $3 OFFSET $4",
                status, subscription_id, paging.limit, paging.offset)
            total = await pool.fetchval(f"SELECT count(*) FROM outbound_deliveries d WHERE {where}",
                                        status, subscription_id)
            return MsgspecResponse(page([_delivery(r) for r in rows], int(total), paging))

        async def one(pool: asyncpg.Pool, delivery_id: str) -> OutboundDelivery:
            row = await pool.fetchrow(
                f"SELECT {_DELIVERY_COLUMNS} FROM outbound_deliveries d JOIN outbound_subscriptions s USING"
                " (subscription_id) WHERE d.delivery_id = $1", delivery_id)
            if row is None:
                raise NotFound("outbound.delivery_unknown", f"no delivery {delivery_id}", detail_zh="推送记录不存在",
                               field="delivery_id")
            attempts = await pool.fetch(
                "SELECT * FROM outbound_attempts WHERE delivery_id = $1 ORDER BY attempt", delivery_id)
            return _delivery(row, attempts)

        @router.get("/deliveries/{delivery_id}", responses=response_schema(OutboundDelivery),
                    dependencies=[require_roles(*read_roles)], summary="One delivery with every attempt")
        async def delivery(request: Request, delivery_id: Annotated[str, Path(max_length=80)]) -> Response:
            return MsgspecResponse(await one(request.app.state.pool, delivery_id))

        @router.post("/deliveries/{delivery_id}/resend", responses=response_schema(OutboundDelivery),
                     dependencies=[require_roles(*roles)], summary="Send a delivery again now (same webhook-id)")
        async def resend(request: Request, delivery_id: Annotated[str, Path(max_length=80)]) -> Response:
            pool = request.app.state.pool
            current = await one(pool, delivery_id)
            if current.status == "pending":
                raise ResendRefused("outbound.already_pending", f"delivery {delivery_id} is already pending",
                                    detail_zh="该推送正在等待发送", field="delivery_id")
            await pool.execute(
                "UPDATE outbound_deliveries SET status = 'pending', next_attempt_at = now(),"
                " attempt_limit = attempts + $2 WHERE delivery_id = $1", delivery_id, self.max_attempts)
            worker = request.app.state.runtime.extras.get(EXTRAS_KEY)
            if isinstance(worker, DeliveryWorker):
                worker.wake()
            return MsgspecResponse(await one(pool, delivery_id))

        return router
