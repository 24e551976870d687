"""Issue #8 end to end: the recruitment system (the simulator) tells enterprise-support that an enterprise
of the park hired a party member (中共党员, relationship still held by their university); enterprise-support
publishes `hire.party_member_declared`, and the organization, which only follows that published event,
shows a pending transfer-in follow-up. A hire by an employer that has not moved in yet waits, and lands
once the organization moves it in and staff map its code. Staff then close the follow-up with the member
they registered."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from redpark_enterprise_support.app import create_app as create_support
from redpark_enterprise_support.demo import simulate_recruitment as sim
from redpark_enterprise_support.integrations.recruitment import INBOX, derived_id
from redpark_organization.app import create_app as create_organization
from redpark_platform.testkit import ServiceClient, eventually

HOOK_SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
HOOKS = {"recruitment": HOOK_SECRET}
USCC = "91410300MA44X7Y12K"

Park = tuple[ServiceClient, ServiceClient]


@pytest.fixture
async def park(monkeypatch: pytest.MonkeyPatch, service_client: Callable[..., Awaitable[ServiceClient]]) -> Park:
    monkeypatch.setattr(INBOX, "backoff_base", 0.1)
    monkeypatch.setattr(INBOX, "backoff_cap", 0.3)
    monkeypatch.setattr(INBOX, "poll_interval", 0.05)
    monkeypatch.setattr(INBOX, "max_attempts", 1000)  # the late employer below must not be parked meanwhile
    org = await service_client(create_organization, roles=("park_admin",), webhook_secrets=HOOKS)
    sup = await service_client(create_support, roles=("support_officer",), webhook_secrets=HOOKS)
    return org, sup


async def ok(response: Awaitable[httpx.Response], status: int = 200) -> Any:
    r = await response
    assert r.status_code == status, r.text
    return r.json()


async def items(c: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await ok(c.get(path, params={"limit": 500, **params})))["items"]
    return found


async def move_in(org: httpx.AsyncClient, enterprise_id: str, name: str) -> None:
    await ok(org.post("/enterprises", json={
        "enterprise_id": enterprise_id, "name": name, "building_id": "a1", "floor": 3, "headcount": 40,
        "is_tech_enterprise": True, "legal_representative": "王立新"}), 201)


async def test_a_party_member_hired_through_the_recruitment_system_becomes_a_pending_transfer_in(
        park: Park) -> None:
    org, sup = park
    await ok(org.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(org.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 12,
                                          "sequence_in_zone": 1}), 201)
    await move_in(org, "e1", "洛阳智造科技有限公司")
    await eventually(lambda: items(sup, "/enterprises"), lambda e: [x["enterprise_id"] for x in e] == ["e1"])
    await ok(sup.put(f"/integrations/recruitment/employers/{USCC}", json={"enterprise_id": "e1"}))

    # The recruitment system's traffic, duplicates and refusals included; the hire by employer
    # "LATECO" arrives before that enterprise moved in.
    sent = await sim.run_scenario(sup, "", HOOK_SECRET, "demo", employer_code=USCC, prefix="S1",
                                  unmapped_code="LATECO")
    assert [s.status for s in sent] == [s.expected for s in sent], [(s.label, s.status, s.body) for s in sent]

    # 中共党员 李明 and 预备党员 陈静 (who named no party organization) are pending; 群众 王芳 is nobody's business.
    rows = await eventually(lambda: items(org, "/followups/transfers-in"), lambda r: len(r) == 2)
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"李明", "陈静"}
    li = by_name["李明"]
    assert li["followup_id"] == derived_id("hire", "REQ-S1-01", "C-S1-01")
    assert (li["enterprise_id"], li["enterprise_name"], li["relationship_held_by"], li["status"]) == (
        "e1", "洛阳智造科技有限公司", "洛阳理工学院计算机学院学生党支部", "pending")
    assert by_name["陈静"]["relationship_held_by"].startswith("未填写")
    assert "13800001234" not in str(rows)

    # The late employer moves in through the organization and staff map its code: its hire lands, and
    # its party member joins the pending list.
    await move_in(org, "e2", "迟到科技有限公司")
    await eventually(lambda: items(sup, "/enterprises"), lambda e: len(e) == 2)
    await ok(sup.put("/integrations/recruitment/employers/LATECO", json={"enterprise_id": "e2"}))
    rows = await eventually(lambda: items(org, "/followups/transfers-in"), lambda r: len(r) == 3)
    zhou = next(r for r in rows if r["name"] == "周强")
    assert (zhou["enterprise_id"], zhou["relationship_held_by"]) == ("e2", "某县委组织部")
    deliveries = await eventually(lambda: items(sup, "/webhooks/deliveries"),
                                  lambda d: all(x["status"] == "applied" for x in d))
    assert len(deliveries) == 5  # three hires, the late one and the fair (no intern: no base here)
    assert len(await items(sup, "/hires")) == 4

    # Staff register 李明 in the census and close the follow-up with that member.
    await ok(org.post("/members", json={
        "member_id": "m-li", "name": "李明", "enterprise_id": "e1", "status": "full", "joined_party_on": "2022-06-01",
        "relationship": "elsewhere", "relationship_held_by": li["relationship_held_by"], "phone": "13800001234",
        "id_number": "11010519491231002X"}), 201)
    done = await ok(org.post(f"/followups/transfers-in/{li['followup_id']}/resolution", json={"member_id": "m-li"}))
    left = await items(org, "/followups/transfers-in", after=done["position"])
    assert sorted(r["name"] for r in left) == ["周强", "陈静"]

    # Rebuilt from scratch, every read model is what it was, and the reaction hearing every hire again
    # opens no follow-up twice.
    everything = await items(org, "/followups/transfers-in", status="all")
    hires = await items(sup, "/hires")
    org_runtime, sup_runtime = org.runtime, sup.runtime
    for name in ("org_followups", "org_followup_opener"):
        await org_runtime.runners[name].rebuild()
    await sup_runtime.runners["sup_recruitment"].rebuild()
    await eventually(lambda: items(org, "/followups/transfers-in", status="all"), lambda r: r == everything)
    await eventually(lambda: items(sup, "/hires"), lambda r: r == hires)
    # The reaction has heard every hire again once its checkpoint passes enterprise-support's last
    # event: it appends before it records the checkpoint.
    last_sup = await sup_runtime.pool.fetchval("SELECT max(position) FROM events")
    assert await org_runtime.runners["org_followup_opener"].wait_for("enterprise-support", last_sup, timeout=30)
    opened = await org_runtime.pool.fetchval("SELECT count(*) FROM events WHERE type = 'transfer_followup.opened'")
    assert opened == 3
