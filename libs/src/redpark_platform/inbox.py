"""Signed inbound webhooks (Standard Webhooks): verify, keep, translate, retry, park, replay.

Another system of the park (the property-management system, the recruitment system) tells a
service what happened to it. Each delivery goes through four steps:

1. **Trust.** `webhook-id`, `webhook-timestamp`, `webhook-signature` (`v1,` + base64 HMAC-SHA256 of
   `{id}.{timestamp}.{body}`), checked by `standardwebhooks.Webhook` with the system's secret from
   `Settings.webhook_secrets` (env `REDPARK_WEBHOOK_SECRETS` or `<data dir>/webhook-secrets.json`).
   Unknown system, no secret, bad signature or a timestamp more than five minutes off: 401
   problem+json, logged with the system, webhook id and reason, never the body.
2. **Keep.** The body is decoded into the system's payload type (malformed JSON or a schema failure:
   422 naming the field, nothing stored); the delivery is inserted into `webhook_inbox` and the 202
   is sent only after that commit. `UNIQUE (system, webhook_id)`: a repeated delivery is answered
   exactly like the first (same `delivery_id`) and changes nothing.
3. **Translate.** A worker (one per service process, started by `Inbox.start` in `on_start`) takes
   due rows with `FOR UPDATE SKIP LOCKED`, one per transaction, and hands each to the system's
   `Translator` (the anti-corruption layer: their codes in, our commands out). The row stays locked
   while it is applied, so a crash at any point leaves it pending for the next worker.
   - returns: `applied`;
   - raises `NotYet(reason)` (or fails unexpectedly): tried again with back-off; after
     `max_attempts` (default 8) it is `parked`;
   - raises `Rejected(reason)`: it can never apply; `rejected` at once.
   A translator must be idempotent: a delivery may be applied again after a crash before commit.
4. **Staff.** `GET /webhooks/deliveries?status=parked` (paged, with reason and attempts; also
   `.xlsx`) and `POST /webhooks/deliveries/{delivery_id}/replay` (parked or rejected → pending now).

Use in a service:

    class PropertyTranslator:                      # satisfies Translator
        def __init__(self, runtime: Runtime) -> None: ...
        async def apply(self, delivery: Delivery) -> None:
            match delivery.payload: ...            # raise NotYet("building b7 unknown") to retry

    INBOX = Inbox([InboundSystem(name="property", payload_type=PropertyEvent,
                                 translator=PropertyTranslator, example=...)],
                  list_roles=("park_admin",), replay_roles=("park_admin",))
    ServiceSpec(..., routers=(*ROUTERS, INBOX.router), on_start=(..., INBOX.start), on_stop=(INBOX.stop,))

`payload_type` is any msgspec type (a tagged union of Structs documents each event in OpenAPI).
The worker state lives in `runtime.extras["inbox"]`, so one `Inbox` may serve several apps in tests.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import math
import os
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol

import asyncpg
import msgspec
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from standardwebhooks import Webhook

from .errors import DomainError, NotFound
from .exports import xlsx_openapi, xlsx_response
from .wakeups import until_set
from .web.auth import require_roles
from .web.bodies import (
    MAX_BODY_BYTES,
    BodyReader,
    MsgspecResponse,
    _dates_in_window,
    _without_nul,
    decoder_for,
    response_schema,
)
from .web.paging import Page, Paging, page
from .web.problems import BadRequestBody, FieldError, body_error

if TYPE_CHECKING:
    from .runtime import Runtime

log = logging.getLogger("redpark.inbox")

TOLERANCE = timedelta(minutes=5)
MAX_WEBHOOK_ID = 255
DEFAULT_MAX_ATTEMPTS = 8
EXTRAS_KEY = "inbox"
DeliveryStatus = Literal["pending", "applied", "parked", "rejected"]


# --- what a translator sees and says ---------------------------------------------------------------

class NotYet(Exception):
    """The delivery cannot be applied yet (a tenant not moved in yet, a building unknown): retry later."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Rejected(Exception):
    """The delivery can never be applied as sent: no retry, staff see it (and may replay it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, kw_only=True)
class Delivery:
    delivery_id: int
    system: str
    webhook_id: str
    payload: Any  # decoded into the system's payload_type
    received_at: datetime
    attempt: int  # 1 on the first try


class Translator(Protocol):
    async def apply(self, delivery: Delivery) -> None: ...


@dataclass(frozen=True, kw_only=True)
class InboundSystem:
    name: str
    payload_type: Any
    # Built once per service process from its runtime (so it can run commands).
    translator: Callable[[Runtime], Translator]
    example: Any = None
    # Named examples, one per kind of notice, shown in OpenAPI (besides or instead of `example`).
    examples: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""


# --- HTTP bodies -----------------------------------------------------------------------------------

class DeliveryAccepted(msgspec.Struct, frozen=True, kw_only=True):
    """The delivery is stored; it is applied in the background (a repeat gets this same answer)."""

    delivery_id: int
    system: str
    webhook_id: str
    status: Literal["accepted"] = "accepted"


class InboundDelivery(msgspec.Struct, frozen=True, kw_only=True):
    """One inbound delivery as staff see it (never its body)."""

    delivery_id: int
    system: str
    webhook_id: str
    kind: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    received_at: datetime
    next_attempt_at: datetime | None
    applied_at: datetime | None


class WebhookRefused(DomainError):
    status = 401

    def __init__(self, detail: str, detail_zh: str, field: str) -> None:
        super().__init__("webhook.unverified", detail, detail_zh=detail_zh, field=field)


class ReplayRefused(DomainError):
    status = 409


# --- secrets of a local park ----------------------------------------------------------------------

KNOWN_SYSTEMS = ("property", "recruitment")


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def ensure_secrets_file(path: FilePath, systems: Sequence[str] = KNOWN_SYSTEMS) -> dict[str, str]:
    """The per-system secrets in `path` (`<data dir>/webhook-secrets.json`), made once per data folder
    with a random secret for each system missing from it, readable only by us. The services and the
    simulators read the same file, so they agree without anyone copying a secret around."""
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        current = {}
    if not isinstance(current, dict):
        raise ValueError(f"{path} must hold a JSON object of system name to secret")  # noqa: TRY004 - bad content
    missing = [name for name in systems if name not in current]
    if missing:
        current.update({name: new_secret() for name in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(current, f, indent=2)
        partial.replace(path)
    return dict(current)


# --- verification ----------------------------------------------------------------------------------

def _refuse(system: str, webhook_id: str, reason: str, detail: str, detail_zh: str, field: str) -> WebhookRefused:
    # The body and the signature stay out of the log: either may carry the sender's data.
    log.warning("webhook refused: system=%s webhook_id=%s reason=%s", system[:40], webhook_id[:80], reason)
    return WebhookRefused(detail, detail_zh, field)


def verify(system: str, known_secrets: Any, body: bytes, headers: Any, now: datetime | None = None) -> str:
    """The delivery's webhook id when `body` is signed by `system`'s secret; else `WebhookRefused`."""
    webhook_id = headers.get("webhook-id") or ""
    secret = known_secrets.get(system) if hasattr(known_secrets, "get") else None
    if not secret:
        raise _refuse(system, webhook_id, "unknown_system", f"no webhook secret is configured for system {system!r}",
                      "未知的来源系统", "system")
    timestamp = headers.get("webhook-timestamp") or ""
    signature = headers.get("webhook-signature") or ""
    if not webhook_id or not timestamp or not signature:
        missing = next(h for h, v in (("webhook-id", webhook_id), ("webhook-timestamp", timestamp),
                                      ("webhook-signature", signature)) if not v)
        raise _refuse(system, webhook_id, "missing_header", f"the header {missing} is missing", "缺少签名请求头",
                      missing)
    if len(webhook_id) > MAX_WEBHOOK_ID:
        raise _refuse(system, webhook_id, "webhook_id_too_long", f"webhook-id is over {MAX_WEBHOOK_ID} characters",
                      "webhook-id 过长", "webhook-id")
    try:
        sent = float(timestamp)
    except ValueError:
        sent = math.nan
    current = (now or datetime.now(UTC)).timestamp()
    if not math.isfinite(sent) or abs(current - sent) > TOLERANCE.total_seconds():
        raise _refuse(system, webhook_id, "timestamp_out_of_tolerance",
                      "webhook-timestamp is more than five minutes away from the server's clock",
                      "请求时间戳与服务器时间相差超过五分钟", "webhook-timestamp")
    try:
        Webhook(secret).verify(body, {"webhook-id": webhook_id, "webhook-timestamp": timestamp,
                                      "webhook-signature": signature}, json_parse=False)
    except Exception:  # noqa: BLE001 - every way a signature can be wrong means the same: not trusted
        raise _refuse(system, webhook_id, "bad_signature", "the webhook signature does not match",
                      "签名验证失败", "webhook-signature") from None
    return webhook_id


def decode_payload(payload_type: Any, body: bytes) -> Any:
    """The verified body as `payload_type`; malformed or off-schema is a 422 naming the field."""
    try:
        value = decoder_for(payload_type).decode(body)
    except msgspec.DecodeError as exc:
        err = body_error(exc)
        # Verified but unusable: the sender must fix it, so it is 422 even for malformed JSON.
        raise BadRequestBody(422, err.detail, err.detail_zh, err.errors) from None
    return _dates_in_window(_without_nul(value, body))


def _kind(payload: Any) -> str:
    tag = getattr(getattr(type(payload), "__struct_config__", None), "tag", None)
    return str(tag) if tag is not None else type(payload).__name__


# --- the inbox table -------------------------------------------------------------------------------

_ROW_COLUMNS = ("delivery_id, system, webhook_id, kind, status, attempts, last_error, received_at,"
                " CASE WHEN status = 'pending' THEN next_attempt_at END AS next_attempt_at, applied_at")


def _row(record: asyncpg.Record) -> InboundDelivery:
    return InboundDelivery(**dict(record))


async def receive(pool: asyncpg.Pool, system: str, webhook_id: str, payload: Any,
                  body: bytes) -> tuple[DeliveryAccepted, bool]:
    """Store a verified delivery; (answer, True) when it was new, (the first answer, False) on a repeat."""
    async with pool.acquire() as conn, conn.transaction():
        new_id = await conn.fetchval(
            "INSERT INTO webhook_inbox (system, webhook_id, kind, payload) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (system, webhook_id) DO NOTHING RETURNING delivery_id",
            system, webhook_id, _kind(payload), body)
        if new_id is None:
            new_id = await conn.fetchval(
                "SELECT delivery_id FROM webhook_inbox WHERE system = $1 AND webhook_id = $2", system, webhook_id)
    return DeliveryAccepted(delivery_id=new_id, system=system, webhook_id=webhook_id), new_id is not None


async def find(pool: asyncpg.Pool, system: str, webhook_id: str) -> DeliveryAccepted | None:
    delivery_id = await pool.fetchval(
        "SELECT delivery_id FROM webhook_inbox WHERE system = $1 AND webhook_id = $2", system, webhook_id)
    if delivery_id is None:
        return None
    return DeliveryAccepted(delivery_id=delivery_id, system=system, webhook_id=webhook_id)


async def deliveries(pool: asyncpg.Pool, *, status: str | None, system: str | None, limit: int | None,
                     offset: int = 0) -> tuple[list[InboundDelivery], int]:
    where = "($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR system = $2)"
    rows = await pool.fetch(
        f"SELECT {_ROW_COLUMNS} FROM webhook_inbox WHERE {where} ORDER BY delivery_id LIMIT $3 OFFSET $4",
        status, system, limit, offset)
    total = await pool.fetchval(f"SELECT count(*) FROM webhook_inbox WHERE {where}", status, system)
    return [_row(r) for r in rows], int(total)


async def delivery(pool: asyncpg.Pool, delivery_id: int) -> InboundDelivery | None:
    record = await pool.fetchrow(f"SELECT {_ROW_COLUMNS} FROM webhook_inbox WHERE delivery_id = $1", delivery_id)
    return None if record is None else _row(record)


async def replay(pool: asyncpg.Pool, delivery_id: int) -> InboundDelivery:
    """A parked or rejected delivery goes back to pending, due now, with its attempts counted afresh."""
    record = await pool.fetchrow(
        "UPDATE webhook_inbox SET status = 'pending', attempts = 0, next_attempt_at = now()"
        f" WHERE delivery_id = $1 AND status IN ('parked', 'rejected') RETURNING {_ROW_COLUMNS}", delivery_id)
    if record is not None:
        return _row(record)
    current = await delivery(pool, delivery_id)
    if current is None:
        raise NotFound("webhook.delivery_unknown", f"no delivery {delivery_id}", detail_zh="推送记录不存在",
                       field="delivery_id")
    raise ReplayRefused("webhook.not_replayable", f"delivery {delivery_id} is {current.status}; only parked or"
                        " rejected deliveries are replayed", detail_zh="只有已搁置或被拒绝的推送可以重放",
                        field="delivery_id")


# --- the worker ------------------------------------------------------------------------------------

def backoff(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, ...): doubling, capped."""
    return float(min(cap, base * 2 ** max(0, attempt - 1)))


class InboxWorker:
    """Applies due deliveries of one service process; any number of processes may run one."""

    def __init__(self, pool: asyncpg.Pool, systems: Sequence[InboundSystem], translators: dict[str, Translator], *,
                 max_attempts: int, backoff_base: float, backoff_cap: float, poll_interval: float) -> None:
        self.pool = pool
        self.systems = {s.name: s for s in systems}
        self.translators = translators
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="webhook-inbox")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                while await self.process_one():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the database may be restarting; rows wait, safe
                log.warning("webhook inbox worker: %s; trying again", type(exc).__name__)
            self._wake.clear()
            await until_set(self._wake, self.poll_interval)

    async def process_one(self) -> bool:
        """Apply the next due delivery, if any (True when one was handled)."""
        async with self.pool.acquire() as conn, conn.transaction():
            record = await conn.fetchrow(
                "SELECT delivery_id, system, webhook_id, payload, received_at, attempts FROM webhook_inbox"
                " WHERE status = 'pending' AND next_attempt_at <= now()"
                " ORDER BY next_attempt_at, delivery_id LIMIT 1 FOR UPDATE SKIP LOCKED")
            if record is None:
                return False
            attempt = record["attempts"] + 1
            status, reason = await self._apply(record, attempt)
            if status == "pending" and attempt >= self.max_attempts:
                status = "parked"
            delay = backoff(attempt, self.backoff_base, self.backoff_cap)
            await conn.execute(
                "UPDATE webhook_inbox SET status = $2, attempts = $3, last_error = $4,"
                " next_attempt_at = now() + make_interval(secs => $5),"
                " applied_at = CASE WHEN $2 = 'applied' THEN now() END WHERE delivery_id = $1",
                record["delivery_id"], status, attempt, reason, delay)
            if status != "applied":
                log.info("webhook delivery %s (%s) %s after attempt %s: %s", record["delivery_id"],
                         record["system"], status, attempt, reason)
            return True

    async def _apply(self, record: asyncpg.Record, attempt: int) -> tuple[DeliveryStatus, str | None]:
        system = self.systems.get(record["system"])
        translator = self.translators.get(record["system"])
        if system is None or translator is None:
            return "rejected", f"no translator for system {record['system']}"
        try:
            payload = msgspec.json.decode(bytes(record["payload"]), type=system.payload_type)
        except msgspec.DecodeError as exc:  # stored under an older payload type
            return "rejected", f"payload no longer decodes: {exc}"
        delivery = Delivery(delivery_id=record["delivery_id"], system=record["system"],
                            webhook_id=record["webhook_id"], payload=payload, received_at=record["received_at"],
                            attempt=attempt)
        try:
            await translator.apply(delivery)
        except NotYet as exc:
            return "pending", exc.reason
        except Rejected as exc:
            return "rejected", exc.reason
        except DomainError as exc:
            # A rule of ours refused it; the facts may change (e.g. a building registered), so retry.
            return "pending", f"{exc.code}: {exc.detail}"
        except Exception as exc:
            log.exception("webhook delivery %s failed unexpectedly", record["delivery_id"])
            return "pending", f"unexpected error: {type(exc).__name__}"
        return "applied", None


# --- the service's piece ---------------------------------------------------------------------------

def _wake(request: Request) -> None:
    runtime = getattr(request.app.state, "runtime", None)
    worker = runtime.extras.get(EXTRAS_KEY) if runtime is not None else None
    if isinstance(worker, InboxWorker):
        worker.wake()


class _SignedBody(BodyReader[Any]):
    """Documents the system's payload in OpenAPI but hands over the raw bytes: the signature covers
    exactly those bytes, so nothing is decoded before it is verified."""

    def __init__(self, type_: Any, example: Any = None, examples: Mapping[str, Any] | None = None) -> None:
        super().__init__(type_, example)
        self.examples = dict(examples or {})

    def request_body(self) -> tuple[dict[str, Any], dict[str, Any]]:
        body, components = super().request_body()
        if self.examples:
            # OpenAPI allows `example` or `examples` on one media type, not both.
            body["content"]["application/json"].pop("example", None)
            body["content"]["application/json"]["examples"] = {
                name: {"value": msgspec.to_builtins(value)} for name, value in self.examples.items()}
        return body, components

    async def __call__(self, request: Request) -> bytes:
        raw = await request.body()
        if len(raw) > MAX_BODY_BYTES:
            raise BadRequestBody(413, f"the request body is over {MAX_BODY_BYTES} bytes", "请求内容过长",
                                 [FieldError(field="body", message="too large", message_zh="内容过长")])
        return raw


def _headers_doc() -> list[dict[str, Any]]:
    return [
        {"name": "webhook-id", "in": "header", "required": True, "schema": {"type": "string", "maxLength": 255},
         "description": "The sender's unique id of this message; a repeat is answered like the first."},
        {"name": "webhook-timestamp", "in": "header", "required": True, "schema": {"type": "string"},
         "description": "Unix seconds when it was sent; more than five minutes off is refused."},
        {"name": "webhook-signature", "in": "header", "required": True, "schema": {"type": "string"},
         "description": "`v1,` + base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` "
                        "(space-separated list)."},
    ]


class Inbox:
    """The inbound-webhook piece of a service: `router` for its routes, `start`/`stop` for its worker."""

    def __init__(self, systems: Sequence[InboundSystem], *, list_roles: Sequence[str] = ("park_admin",),
                 replay_roles: Sequence[str] = ("park_admin",), max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                 backoff_base: float = 5.0, backoff_cap: float = 3600.0, poll_interval: float = 1.0) -> None:
        names = [s.name for s in systems]
        if len(set(names)) != len(names) or "deliveries" in names:
            raise ValueError("system names must be unique and not 'deliveries'")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.systems = list(systems)
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.poll_interval = poll_interval
        self.router = self._router(list(list_roles), list(replay_roles))

    async def start(self, runtime: Runtime) -> None:
        worker = InboxWorker(runtime.pool, self.systems, {s.name: s.translator(runtime) for s in self.systems},
                             max_attempts=self.max_attempts, backoff_base=self.backoff_base,
                             backoff_cap=self.backoff_cap, poll_interval=self.poll_interval)
        runtime.extras[EXTRAS_KEY] = worker
        worker.start()

    async def stop(self, runtime: Runtime) -> None:
        worker = runtime.extras.pop(EXTRAS_KEY, None)
        if isinstance(worker, InboxWorker):
            await worker.stop()

    def _router(self, list_roles: list[str], replay_roles: list[str]) -> APIRouter:
        router = APIRouter(tags=["webhooks"])

        async def accept(request: Request, system: str, body: bytes, payload_type: Any) -> Response:
            settings = getattr(request.app.state, "settings", None)
            webhook_id = verify(system, getattr(settings, "webhook_secrets", {}), body, request.headers)
            pool: asyncpg.Pool = request.app.state.pool
            first = await find(pool, system, webhook_id)
            if first is not None:
                return MsgspecResponse(first, status_code=202, headers={"Webhook-Duplicate": "true"})
            payload = decode_payload(payload_type, body)
            answer, new = await receive(pool, system, webhook_id, payload, body)
            # Committed: now the sender may forget it. The worker picks it up at once.
            _wake(request)
            headers = {} if new else {"Webhook-Duplicate": "true"}
            return MsgspecResponse(answer, status_code=202, headers=headers)

        for system in self.systems:
            self._add_system_route(router, system, accept)

        @router.post("/webhooks/{system}", status_code=202, responses=response_schema(DeliveryAccepted, status=202),
                     summary="Inbound webhook of a system not configured here (always 401)", include_in_schema=False)
        async def unknown_system(request: Request, system: str) -> Response:
            verify(system, {}, b"", request.headers)  # no secret: always refuses
            raise AssertionError("unreachable")

        @router.get("/webhooks/deliveries", responses=response_schema(Page[InboundDelivery]),
                    dependencies=[require_roles(*list_roles)], summary="Inbound webhook deliveries")
        async def list_deliveries(
            request: Request, paging: Paging,
            status: Annotated[DeliveryStatus | None, Query(description="e.g. `parked`")] = None,
            system: Annotated[str | None, Query(max_length=100)] = None,
        ) -> Response:
            rows, total = await deliveries(request.app.state.pool, status=status, system=system,
                                           limit=paging.limit, offset=paging.offset)
            return MsgspecResponse(page(rows, total, paging))

        @router.get("/webhooks/deliveries.xlsx", responses=xlsx_openapi("外部系统推送记录"),
                    dependencies=[require_roles(*list_roles)], summary="Inbound webhook deliveries as XLSX")
        async def export_deliveries(
            request: Request,
            status: Annotated[DeliveryStatus | None, Query(description="e.g. `parked`")] = None,
            system: Annotated[str | None, Query(max_length=100)] = None,
        ) -> Response:
            rows, _ = await deliveries(request.app.state.pool, status=status, system=system, limit=None)
            zone = request.app.state.settings.zone

            def local(at: datetime | None) -> datetime | None:
                # Excel has no time zones: staff read the park's wall-clock time.
                return None if at is None else at.astimezone(zone).replace(tzinfo=None)

            return xlsx_response(
                "外部系统推送记录",
                ["编号", "来源系统", "推送ID", "类型", "状态", "尝试次数", "原因", "接收时间", "应用时间"],
                ([r.delivery_id, r.system, r.webhook_id, r.kind, r.status, r.attempts, r.last_error,
                  local(r.received_at), local(r.applied_at)] for r in rows), "webhook-deliveries.xlsx")

        @router.post("/webhooks/deliveries/{delivery_id}/replay", responses=response_schema(InboundDelivery),
                     dependencies=[require_roles(*replay_roles)], summary="Replay a parked or rejected delivery")
        async def replay_delivery(
            request: Request, delivery_id: Annotated[int, Path(ge=1, le=2**62)],
        ) -> Response:
            row = await replay(request.app.state.pool, delivery_id)
            _wake(request)
            return MsgspecResponse(row)

        return router

    @staticmethod
    def _add_system_route(router: APIRouter, system: InboundSystem, accept: Any) -> None:
        reader = _SignedBody(system.payload_type, system.example, system.examples)
        name = system.name

        # A default, not Annotated: the postponed annotation could not see the local `reader`.
        async def receive_webhook(request: Request, body: bytes = Depends(reader)) -> Response:
            return await accept(request, name, body, system.payload_type)  # type: ignore[no-any-return]

        receive_webhook.__name__ = f"receive_{name}_webhook"
        router.add_api_route(
            f"/webhooks/{name}", receive_webhook, methods=["POST"], status_code=202,
            responses=response_schema(DeliveryAccepted, status=202),
            summary=f"Inbound webhook of the {name} system (Standard Webhooks)",
            description=system.description, openapi_extra={"parameters": _headers_doc()})

