"""Issue #8 end to end: the property-management system (the simulator) tells the organization service a
tenant moved in; the organization counts it as an uncovered enterprise, and enterprise-support, which
only follows the organization's published events, owes it its policy briefings. When the tenant checks
out, it leaves the coverage figures and its contact point ends (`contact_point.released`)."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from redpark_enterprise_support.app import create_app as create_support
from redpark_organization.app import create_app as create_organization
from redpark_organization.demo import simulate_property as sim
from redpark_organization.integrations.property import INBOX
from redpark_platform.testkit import ServiceClient, eventually

HOOK_SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
HOOKS = {"property": HOOK_SECRET}

Park = tuple[ServiceClient, ServiceClient, FastAPI]


@pytest.fixture
async def park(monkeypatch: pytest.MonkeyPatch, service_client: Callable[..., Awaitable[ServiceClient]]) -> Park:
    monkeypatch.setattr(INBOX, "backoff_base", 0.1)
    monkeypatch.setattr(INBOX, "poll_interval", 0.05)
    org = await service_client(create_organization, roles=("park_admin",), webhook_secrets=HOOKS)
    sup = await service_client(create_support, roles=("support_officer",), webhook_secrets=HOOKS)
    return org, sup, sup.app


async def ok(response: Awaitable[httpx.Response], status: int = 200) -> Any:
    r = await response
    assert r.status_code == status, r.text
    return r.json()


async def test_a_tenant_moving_in_through_the_property_system_is_uncovered_and_owed_its_briefings(
        park: Park) -> None:
    org, sup, sup_app = park
    await ok(org.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(sup.post("/policies", json={"policy_id": "hightech", "title": "高新技术企业认定奖励",
                                         "applies_to": ["tech_enterprise"]}), 201)
    # The property system hands the building over, then the tenant checks in (sent twice, as senders do).
    pms = sim.PropertySystem(org, "", HOOK_SECRET)
    assert (await pms.send("building", sim.building_added("HX-A01", "1号研发楼", phase=1, floors=16))).status == 202
    sent = await sim.run_scenario(org, "", HOOK_SECRET, "move-in", tenant_code="T2025-0318",
                                  tenant_name="洛阳智造科技有限公司", bldg_code="HX-A01", floor=5)
    again = await pms.send("again", sim.checked_in("T2025-0318", "洛阳智造科技有限公司", "HX-A01", 5),
                           webhook_id=sent[-1].webhook_id)
    assert all(s.status == 202 for s in sent) and again.body == sent[-1].body

    coverage = await eventually(lambda: ok(org.get("/coverage")), lambda c: c["overall"]["total"] == 1)
    assert coverage["overall"]["covered"] == 0
    [uncovered] = coverage["uncovered"]["items"]
    enterprise_id = uncovered["enterprise_id"]
    assert enterprise_id != "T2025-0318"

    briefings = await eventually(lambda: ok(sup.get("/briefings")), lambda b: len(b["items"]) == 1)
    assert [(b["enterprise_id"], b["policy_id"], b["delivered"]) for b in briefings["items"]] == [
        (enterprise_id, "hightech", False)]
    await ok(sup.put(f"/enterprises/{enterprise_id}/contact-point", json={
        "contact_kind": "committee_member", "contact_id": "cm-1", "contact_name": "王建国"}))

    # Checking out: out of the coverage figures, and its contact point ends in enterprise-support.
    assert (await pms.send("check out", sim.checked_out("T2025-0318", "HX-A01"))).status == 202
    await eventually(lambda: ok(org.get("/coverage")), lambda c: c["overall"]["total"] == 0)
    pool: asyncpg.Pool = sup_app.state.pool

    async def contact_points() -> list[Any]:
        return list(await pool.fetch("SELECT enterprise_id FROM sup_contact_points"))
    await eventually(contact_points, lambda rows: rows == [])
    stream = await sup_app.state.runtime.store.read_stream(f"contact-point-{enterprise_id}")
    released = stream.events[-1].event
    assert type(released).__name__ == "ContactPointReleased" and released.reason == "enterprise moved out"
    deliveries = await ok(org.get("/webhooks/deliveries"))
    assert [d["status"] for d in deliveries["items"]] == ["applied"] * 4  # the hand-over came twice
