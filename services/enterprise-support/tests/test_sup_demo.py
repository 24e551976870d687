"""The demo year, loaded through the service's own HTTP API on enterprises moved in by the
organization's published events, then read back through the lists and the XLSX ledger."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import httpx
import openpyxl
import pytest

from redpark_enterprise_support import demo
from redpark_enterprise_support.app import create_app as create_support_app
from redpark_platform.testkit import ServiceClient


@pytest.fixture
async def apps(service_client: Any, organization: Any) -> tuple[Any, ServiceClient]:
    return organization, await service_client(create_support_app, roles=("park_admin",), log_level="WARNING")


async def test_the_demo_waits_for_the_park_then_loads_a_year_once(apps: tuple[Any, ServiceClient]) -> None:
    org, sup = apps
    sup_app = sup.app
    token = sup.token(("park_admin",))
    transport = httpx.ASGITransport(app=sup_app)
    with pytest.raises(RuntimeError, match="organization"):
        await demo.load("http://sup", token, transport=transport)

    today = sup.runtime.today()
    for n in range(24):
        last = await org.move_in(f"e{n:02d}", today - timedelta(days=500), name=f"企业{n:02d}", floor=1 + n % 20,
                                 headcount=10 + 13 * n, tech=n % 3 != 0)
    assert await sup_app.state.runtime.runners["sup_park"].wait_for("organization", last, timeout=15)
    async with httpx.AsyncClient(transport=transport, base_url="http://sup",
                                 headers=sup.headers_for(("park_admin",))) as c:
        assert len((await c.get("/enterprises", params={"limit": 500})).json()["items"]) == 24
        assert await demo.load("http://sup", token, transport=transport) is True
        assert await demo.load("http://sup", token, transport=transport) is False

        runtime = sup_app.state.runtime
        last = await runtime.store.last_position()
        for name in ("sup_support", "sup_briefings"):
            assert await runtime.wait_for(name, last, timeout=20, strict=True), name
        this_year = (await c.get("/visits", params={"year": today.year, "limit": 500})).json()["items"]
        visits = this_year + (await c.get("/visits", params={"year": today.year - 1, "limit": 500})).json()["items"]
        days = sorted(v["visited_on"] for v in visits)
        assert (datetime.fromisoformat(days[-1]) - datetime.fromisoformat(days[0])).days >= 200
        needs = (await c.get("/needs", params={"limit": 500})).json()["items"]
        assert {"resolved", "accepted"} <= {n["status"] for n in needs} and len(needs) >= 12
        assert len((await c.get("/enterprises/without-contact-point", params={"limit": 500})).json()["items"]) >= 2
        briefings = (await c.get("/briefings", params={"limit": 500})).json()["items"]
        assert any(b["delivered"] for b in briefings) and any(not b["delivered"] for b in briefings)
        current = (await c.get("/quarterlies/current")).json()
        assert current["missing"][-2:] == ["team_building", "tech_exchange_forum"]
        apps_ = (await c.get("/applications", params={"limit": 500})).json()["items"]
        assert all(a["amount_granted_fen"] is None or a["amount_granted_fen"] <= a["amount_requested_fen"]
                   for a in apps_) and any(a["status"] == "approved" for a in apps_)
        book = openpyxl.load_workbook(io.BytesIO((await c.get("/exports/support-ledger.xlsx")).content))
        assert book["走访记录"].max_row == len(this_year) + 1 and book["四个一"].max_row >= 3
