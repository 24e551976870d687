"""Bodies far beyond any form are refused before route code reads them (413 problem+json), with
or without Content-Length, and nothing is stored."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from redpark_events_public.app import create_app
from redpark_platform.testkit import ServiceClient


@pytest.fixture
async def client(service_client: Callable[..., Awaitable[ServiceClient]]) -> ServiceClient:
    return await service_client(create_app, log_level="WARNING")


@pytest.mark.parametrize("path", ["/sessions/s1/registrations", "/open-base/visits", "/sessions/s1/cancellations"])
async def test_a_ten_megabyte_body_is_refused_at_once_naming_the_body(client: ServiceClient, path: str) -> None:
    big = b'{"name": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    r = await client.post(path, content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["field"] == "body"


async def test_a_streamed_body_without_length_is_cut_off_at_the_bound(client: ServiceClient) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"name": "'
        for _ in range(1000):  # 16 MB if it were all read
            sent += 1
            yield b"x" * 16384

    r = await client.post("/open-base/visits", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413, r.text
    assert sent <= 17  # 256 KiB in chunks of 16 KiB: nothing beyond the bound was read
    import asyncpg

    conn = await asyncpg.connect(client.settings.database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM events") == 0
    finally:
        await conn.close()


async def test_a_content_length_that_is_not_a_number_is_a_400(client: ServiceClient) -> None:
    r = await client.post("/open-base/visits", content=b"{}",
                          headers={"content-type": "application/json", "content-length": "abc"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "Content-Length"
