"""`Idempotency-Key` on creating POSTs: a retry gets the first response instead of a second effect.

    @router.post("/registrations", status_code=201, dependencies=[Idempotent])

The dependency claims (key, caller, method + path) in PostgreSQL (`app.state.pool`, table
`idempotency_keys`) before the route runs. The middleware installed by `create_app` stores the
route's response under the claim before sending it, so a retry that arrives once the client has
its answer always finds it. Then:

- same key, same body, finished: the stored status and body, with `Idempotent-Replayed: true`;
- same key, different body: 422 problem; same key while the first is still running: 409 problem;
- a response of 500 or more, or a crash, releases the claim so the client may retry.

The caller is the verified token's subject, or the client address on public routes; keys of
different callers never meet.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta
from typing import Annotated

import asyncpg
from fastapi import Depends, FastAPI, Header, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import DomainError
from .auth import Principal, optional_principal

REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
# A claim whose request never finished (its process died) may be taken over after this long.
LEASE = timedelta(minutes=2)
# Keys are kept for a day, as clients retry within minutes or hours, not weeks.
RETENTION = timedelta(hours=24)
_KEPT_HEADERS = ("content-type", "location")
_STATE_KEY = "redpark_idempotency_claim"

log = logging.getLogger("redpark.web.idempotency")


class IdempotencyConflict(DomainError):
    status = 409


class IdempotencyKeyReused(DomainError):
    status = 422


class IdempotentReplay(Exception):
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        super().__init__("replay")
        self.status = status
        self.headers = headers
        self.body = body


_CLAIM = """
INSERT INTO idempotency_keys (key, scope, endpoint, fingerprint) VALUES ($1, $2, $3, $4)
ON CONFLICT (key, scope, endpoint) DO UPDATE
   SET fingerprint = EXCLUDED.fingerprint, status = NULL, headers = NULL, body = NULL,
       claimed_at = now(), completed_at = NULL
 WHERE (idempotency_keys.status IS NULL AND idempotency_keys.claimed_at < now() - $5::interval)
    OR idempotency_keys.claimed_at < now() - $6::interval
RETURNING true
"""
_EXISTING = """
SELECT fingerprint, status, headers, body FROM idempotency_keys
 WHERE key = $1 AND scope = $2 AND endpoint = $3
"""
_COMPLETE = """
UPDATE idempotency_keys SET status = $4, headers = $5::jsonb, body = $6, completed_at = now()
 WHERE key = $1 AND scope = $2 AND endpoint = $3
"""
_RELEASE = "DELETE FROM idempotency_keys WHERE key = $1 AND scope = $2 AND endpoint = $3 AND status IS NULL"


async def purge_expired(db: asyncpg.Pool | asyncpg.Connection, now: datetime) -> int:
    """Forget keys older than RETENTION (the runtime's housekeeping calls this with its clock), so
    the table holds a day of keys rather than every key ever sent. Returns how many went."""
    done = await db.execute("DELETE FROM idempotency_keys WHERE claimed_at < $1", now - RETENTION)
    return int(done.split()[-1])


def _caller(request: Request, principal: Principal | None) -> str:
    if principal is not None:
        return f"sub:{principal.subject}"
    client = request.client
    return f"client:{client.host if client else 'unknown'}"


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isprintable() and key.isascii()


async def idempotent(
    request: Request,
    principal: Annotated[Principal | None, Depends(optional_principal)],
    key: Annotated[str | None, Header(
        alias="Idempotency-Key", description="Any unique string (a UUID, say): a retry with the same key "
        "and body returns the first response instead of acting twice.")] = None,
) -> None:
    if key is None:
        return
    if not _valid_key(key):
        raise DomainError(
            "idempotency.invalid_key", f"the Idempotency-Key header must be 1 to {MAX_KEY_LENGTH} "
            "printable ASCII characters", detail_zh="Idempotency-Key 请求头格式不正确",
            field="header.Idempotency-Key", status=400)
    pool: asyncpg.Pool = request.app.state.pool
    fingerprint = hashlib.sha256(await request.body()).digest()
    claim = (key, _caller(request, principal), f"{request.method} {request.url.path}")
    async with pool.acquire() as conn:
        if await conn.fetchval(_CLAIM, *claim, fingerprint, LEASE, RETENTION):
            setattr(request.state, _STATE_KEY, claim)
            return
        row = await conn.fetchrow(_EXISTING, *claim)
    if row is None:  # expired and removed between the two statements: the retry runs afresh
        raise IdempotencyConflict("idempotency.in_flight", "a request with this Idempotency-Key is "
                                  "being handled; retry shortly", detail_zh="相同请求正在处理中，请稍后重试")
    if bytes(row["fingerprint"]) != fingerprint:
        raise IdempotencyKeyReused(
            "idempotency.key_reused", "this Idempotency-Key was already used with a different request body",
            detail_zh="该幂等键已用于内容不同的请求", field="header.Idempotency-Key")
    if row["status"] is None:
        raise IdempotencyConflict("idempotency.in_flight", "a request with this Idempotency-Key is "
                                  "being handled; retry shortly", detail_zh="相同请求正在处理中，请稍后重试")
    raise IdempotentReplay(row["status"], json.loads(row["headers"] or "{}"), bytes(row["body"] or b""))


Idempotent = Depends(idempotent)


async def _replay(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IdempotentReplay)
    return Response(exc.body, status_code=exc.status, headers={**exc.headers, REPLAYED_HEADER: "true"})


class IdempotencyMiddleware:
    """Stores the response of a claimed request before it is sent; releases the claim on failure."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        def claim() -> tuple[str, str, str] | None:
            return scope.get("state", {}).get(_STATE_KEY)  # type: ignore[no-any-return]

        async def capture(message: Message) -> None:
            nonlocal start
            if claim() is None:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                assert start is not None
                await self._finish(scope, claim(), start, b"".join(chunks))  # type: ignore[arg-type]
                await send(start)
                await send({"type": "http.response.body", "body": b"".join(chunks)})
                return
            await send(message)

        try:
            await self.app(scope, receive, capture)
        except BaseException:
            if (held := claim()) is not None and start is None:
                await self._release(scope, held)
            raise

    async def _finish(self, scope: Scope, claim: tuple[str, str, str], start: Message, body: bytes) -> None:
        status = int(start["status"])
        if status >= 500:
            await self._release(scope, claim)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start.get("headers", [])}
        kept = {k: headers[k] for k in _KEPT_HEADERS if k in headers}
        pool: asyncpg.Pool = scope["app"].state.pool
        await pool.execute(_COMPLETE, *claim, status, json.dumps(kept), body)

    async def _release(self, scope: Scope, claim: tuple[str, str, str]) -> None:
        try:
            await scope["app"].state.pool.execute(_RELEASE, *claim)
        except Exception:
            # The claim then lapses after its lease; the original failure is what matters here.
            log.exception("could not release an idempotency claim")


def install_idempotency(app: FastAPI) -> None:
    app.add_exception_handler(IdempotentReplay, _replay)
    app.add_middleware(IdempotencyMiddleware)

