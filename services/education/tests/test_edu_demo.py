"""The demo year is loaded through the API once, with the gaps it promises."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

from redpark_education import demo
from redpark_education.app import create_app
from redpark_platform.testkit import ServiceClient


async def test_the_demo_year_loads_once_with_realistic_gaps(
        service_client: Callable[..., Awaitable[ServiceClient]]) -> None:
    edu = await service_client(create_app, roles=("education_officer",))
    token = edu.token(("education_officer",))
    transport = httpx.ASGITransport(app=edu.app)
    assert await demo.load("http://edu", token, transport=transport) is True
    runtime = edu.runtime
    last = await runtime.store.last_position()
    assert await runtime.wait_for("edu_records", last, timeout=20, strict=True)
    topics = await runtime.pool.fetchval("SELECT count(*) FROM edu_topics")
    lessons = await runtime.pool.fetchval("SELECT count(*) FROM edu_lessons WHERE held_on IS NOT NULL")
    assert topics == 11 and lessons == 3
    corps = (await edu.get("/lecturers")).json()
    assert corps["active"] == 10 and corps["minimum"] == 12
    themes = (await edu.get(f"/themes/{runtime.today().year}")).json()
    assert len(themes) == 5
    assert await demo.load("http://edu", token, transport=transport) is False
    assert await runtime.store.last_position() == last
