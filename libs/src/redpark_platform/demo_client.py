"""The demos' way in: the services' own HTTP API, as staff would use it.

A demo loads its year of data through the API rather than the store, so what it leaves behind is
exactly what a person's commands would have left. Each call is bounded in concurrency, a refusal
stops the demo with the answer, and the highest position seen is kept so the demo can read its
own writes at the end.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any

import httpx

DEFAULT_CONCURRENCY = 16


class DemoApi:
    """`staff`: headers for staff calls (a demo that also acts as the public passes `public=True`);
    without it the client's own headers go with every call."""

    def __init__(self, client: httpx.AsyncClient, concurrency: int = DEFAULT_CONCURRENCY, *,
                 staff: Mapping[str, str] | None = None) -> None:
        self.c = client
        self.sem = asyncio.Semaphore(concurrency)
        self.staff = dict(staff) if staff else None
        self.position = 0

    async def call(self, method: str, path: str, body: Any = None, *, ok: Sequence[int] = (200, 201),
                   params: dict[str, Any] | None = None, public: bool = False) -> Any:
        headers = None if public else self.staff
        async with self.sem:
            r = await self.c.request(method, path, json=body, params=params, headers=headers)
        if r.status_code not in ok:
            raise RuntimeError(f"demo: {method} {path} answered {r.status_code}: {r.text}")
        data = r.json()
        if isinstance(data, dict) and "position" in data:
            self.position = max(self.position, int(data["position"]))
        return data

    async def all(self, calls: Sequence[Awaitable[Any]]) -> list[Any]:
        return list(await asyncio.gather(*calls))

    async def listed(self, path: str, params: dict[str, Any] | None = None) -> list[Any]:
        """Every row of a paged list, page by page (at most 500 rows a page)."""
        items: list[Any] = []
        offset: int | None = 0
        while offset is not None:
            body = await self.call("GET", path, params={**(params or {}), "limit": 500, "offset": offset})
            items.extend(body["items"])
            offset = body["next_offset"]
        return items
