"""The demo year is loaded through the API once, with the gaps it promises."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from redpark_education import demo
from redpark_education.app import create_app
from redpark_platform.servers import NatsServer
from redpark_platform.settings import JwtSource, Settings
from redpark_platform.web import mint_token

SECRET = "d" * 32
TOKEN = mint_token(SECRET, "officer", ["education_officer"])


@pytest.fixture
async def app(anew_database: Callable[[str], Any], nats_factory: Callable[[], NatsServer],
              tmp_path: Path) -> AsyncIterator[FastAPI]:
    settings = Settings(service="education", nats_url=nats_factory().url, database_url=await anew_database("edudemo"),
                        timezone="Asia/Shanghai", data_dir=tmp_path,
                        jwt=JwtSource(secret=SECRET, key_file=tmp_path / "k"), log_level="INFO")
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


async def test_the_demo_year_loads_once_with_realistic_gaps(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    assert await demo.load("http://edu", TOKEN, transport=transport) is True
    runtime = app.state.runtime
    last = await runtime.store.last_position()
    assert await runtime.wait_for("edu_records", last, timeout=20)
    topics = await runtime.pool.fetchval("SELECT count(*) FROM edu_topics")
    lessons = await runtime.pool.fetchval("SELECT count(*) FROM edu_lessons WHERE held_on IS NOT NULL")
    assert topics == 11 and lessons == 3
    async with httpx.AsyncClient(transport=transport, base_url="http://edu",
                                 headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        corps = (await c.get("/lecturers")).json()
        assert corps["active"] == 10 and corps["minimum"] == 12
        themes = (await c.get(f"/themes/{date.today().year}")).json()
        assert len(themes) == 5
    assert await demo.load("http://edu", TOKEN, transport=transport) is False
    assert await runtime.store.last_position() == last
