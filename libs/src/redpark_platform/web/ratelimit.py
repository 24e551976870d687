"""Rate limits for public routes: per client address, and per a key taken from the request.

    REGISTRATION = RateLimit.configure("registration", per_address="60/minute", per_key="20/hour")

    @router.post("/registrations", dependencies=[rate_limited(REGISTRATION, key=phone_key,
                 key_field="phone", key_name="this phone number", key_name_zh="该手机号"), Idempotent],
                 responses={**response_schema(...), **RATE_LIMITED})

The counting is the `limits` library's moving window (exact: no burst of twice the limit at a
window's edge, as a fixed window allows), kept in its in-memory storage by default. Memory counts
per process: a deployment of several processes points `storage_uri` at shared storage (e.g.
`async+redis://host:6379`), or each process allows the full limit.

A refused request is a 429 problem+json (`code` `rate_limited.address` or `rate_limited.<field>`)
with `Retry-After` in seconds and the wait in English and Chinese. Put the dependency before
`Idempotent`, so a refused request claims no idempotency key.

The key function sees the request (it may read the body, which Starlette caches for the route)
and returns a key, or None to skip the per-key limit (e.g. a malformed phone, which the route
refuses anyway). Return a keyed hash, never the personal value: keys sit in the storage.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from limits import RateLimitItem, parse_many
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from ..errors import DomainError
from ..metrics import KNOWN_LIMITS, ServiceMetrics
from ..settings import SettingsError
from .bodies import _SCHEMAS_KEY, schema_for
from .problems import PROBLEM_JSON, Problem

DEFAULT_STORAGE = "async+memory://"

KeyFunction = Callable[[Request], Awaitable[str | None]]


class TooManyRequests(DomainError):
    """429 with `Retry-After`: the problem handler sends `headers` along."""

    status = 429

    def __init__(self, code: str, detail: str, *, detail_zh: str, field: str | None, retry_after: int) -> None:
        super().__init__(code, detail, detail_zh=detail_zh, field=field)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


def parse_limits(text: str, *, source: str = "limit") -> tuple[RateLimitItem, ...]:
    """`"60/minute"` or `"10/minute;100/hour"` (the `limits` notation); empty means no limit."""
    text = text.strip()
    if not text:
        return ()
    try:
        return tuple(parse_many(text))
    except ValueError as exc:
        raise SettingsError(f"{source}={text!r} is not a rate limit such as '60/minute' or '5/minute;50/hour'") \
            from exc


def limits_from_env(variable: str, default: str) -> tuple[RateLimitItem, ...]:
    """The limits in `variable`, or `default` when it is unset; set it to "" for no limit."""
    return parse_limits(os.environ.get(variable, default), source=variable)


def storage(uri: str = DEFAULT_STORAGE) -> Storage:
    """A `limits` async storage; a plain `memory://` or `redis://` is taken as its async variant."""
    if not uri.startswith("async+"):
        uri = "async+" + uri
    found = storage_from_string(uri)
    assert isinstance(found, Storage), f"{uri} is not an async storage"
    return found


@dataclass(frozen=True)
class RateLimit:
    """The limits of one group of routes and the moving window that counts them."""

    name: str
    per_address: tuple[RateLimitItem, ...]
    per_key: tuple[RateLimitItem, ...]
    limiter: MovingWindowRateLimiter

    @classmethod
    def configure(
        cls, name: str, *, per_address: str | Sequence[RateLimitItem] = "",
        per_key: str | Sequence[RateLimitItem] = "", counts: Storage | None = None,
    ) -> RateLimit:
        """Limits as text or parsed items; `counts` is shared by the limits of one process."""
        KNOWN_LIMITS.add(name)
        return cls(
            name=name,
            per_address=_items(per_address, f"{name}.per_address"),
            per_key=_items(per_key, f"{name}.per_key"),
            limiter=MovingWindowRateLimiter(counts if counts is not None else storage()),
        )

    async def hit(self, items: Sequence[RateLimitItem], *identity: str) -> int | None:
        """Count one request; None when every limit allows it, else the seconds until one does."""
        for item in items:
            if not await self.limiter.hit(item, self.name, *identity):
                stats = await self.limiter.get_window_stats(item, self.name, *identity)
                return max(1, math.ceil(stats.reset_time - time.time()))
        return None


def _items(value: str | Sequence[RateLimitItem], source: str) -> tuple[RateLimitItem, ...]:
    return parse_limits(value, source=source) if isinstance(value, str) else tuple(value)


def client_address(request: Request) -> str:
    # Behind the gateway uvicorn has already put X-Forwarded-For (from a trusted proxy) here.
    return request.client.host if request.client else "unknown"


def rate_limited(
    limit: RateLimit | Callable[[Request], RateLimit],
    *,
    key: KeyFunction | None = None,
    key_field: str | None = None,
    key_name: str = "this key",
    key_name_zh: str = "该标识",
) -> Any:
    """A dependency counting the request per client address, then per `key(request)`.

    `limit` may be a function of the request, for limits read from the environment at startup
    and kept in the service's state. `key_field` names the input field the key comes from in
    the problem (e.g. "phone"); `key_name`/`key_name_zh` say whose requests were too many.
    """

    async def check(request: Request) -> None:
        policy = limit if isinstance(limit, RateLimit) else limit(request)
        metrics: ServiceMetrics | None = getattr(request.app.state, "metrics", None)
        wait = await policy.hit(policy.per_address, "address", client_address(request))
        if wait is not None:
            if metrics is not None:
                metrics.rate_limited(policy.name)
            raise TooManyRequests(
                "rate_limited.address",
                f"Too many requests from your network address; try again in {wait} seconds.",
                detail_zh=f"您所在网络地址的请求过于频繁，请 {wait} 秒后再试。",
                field=None,
                retry_after=wait,
            )
        if key is None or not policy.per_key:
            return
        value = await key(request)
        if value is None:
            return
        wait = await policy.hit(policy.per_key, "key", value)
        if wait is not None:
            if metrics is not None:
                metrics.rate_limited(policy.name)
            raise TooManyRequests(
                f"rate_limited.{key_field or 'key'}",
                f"Too many requests for {key_name}; try again in {wait} seconds.",
                detail_zh=f"{key_name_zh}的请求过于频繁，请 {wait} 秒后再试。",
                field=key_field,
                retry_after=wait,
            )

    return Depends(check)


def _rate_limited_response() -> dict[int | str, dict[str, Any]]:
    schema, components = schema_for(Problem)
    return {429: {
        "description": "Too many requests from this address or for this key; wait `Retry-After` seconds",
        "headers": {"Retry-After": {"description": "Seconds until a request is allowed again",
                                    "schema": {"type": "integer", "minimum": 1}}},
        "content": {PROBLEM_JSON: {"schema": schema}},
        _SCHEMAS_KEY: components,
    }}


# For a limited route's `responses=`, merged with its success: `{**response_schema(...), **RATE_LIMITED}`.
RATE_LIMITED = _rate_limited_response()
