"""Pending transfer-in follow-ups through the organization's API, against real PostgreSQL and NATS: listed
while pending, resolved by a member registered in the census, dismissed only with a reason."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import httpx
import openpyxl
import pytest

from redpark_organization.app import create_app
from redpark_organization.application.followups import Followups
from redpark_platform.testkit import TEST_JWT_SECRET, ServiceClient
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET


def bearer(*roles: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(SECRET, 'staff-1', roles)}"}


ADMIN = bearer("park_admin")


@pytest.fixture
async def org(service_client: Callable[..., Awaitable[ServiceClient]]) -> ServiceClient:
    c = await service_client(create_app)
    c.headers.update(ADMIN)
    await ok(c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 9,
                                        "sequence_in_zone": 1}), 201)
    await ok(c.post("/enterprises", json={"enterprise_id": "e1", "name": "洛阳智造科技", "building_id": "a1",
                                          "floor": 2, "headcount": 30, "is_tech_enterprise": True,
                                          "legal_representative": "王立新"}), 201)
    return c


async def ok(response: Awaitable[httpx.Response], status: int = 200) -> Any:
    r = await response
    assert r.status_code == status, r.text
    return r.json()


async def pending(c: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await ok(c.get("/followups/transfers-in", params=params)))["items"]
    return found


async def hire_heard(c: httpx.AsyncClient, followup_id: str, name: str) -> int:
    """What the reaction does on `enterprise-support.hire.party_member_declared` (the system test drives it
    through the bus; here the command is run directly)."""
    runtime = c.app.state.runtime  # type: ignore[attr-defined]
    result = await runtime.layer(Followups).open(followup_id=followup_id, enterprise_id="e1", name=name,
                                              relationship_held_by="洛阳理工学院学生党支部", since=date(2025, 7, 1))
    return result.position


async def test_a_pending_follow_up_is_listed_and_resolved_by_the_member_registered_for_it(
        org: httpx.AsyncClient) -> None:
    c = org
    at = await hire_heard(c, "h1", "李明")
    [row] = await pending(c, after=at)
    assert (row["followup_id"], row["name"], row["enterprise_name"], row["relationship_held_by"], row["since"],
            row["status"]) == ("h1", "李明", "洛阳智造科技", "洛阳理工学院学生党支部", "2025-07-01", "pending")
    # Hearing of the same hire again opens nothing.
    assert (await c.app.state.runtime.layer(Followups).open(  # type: ignore[attr-defined]
        followup_id="h1", enterprise_id="e1", name="李明", relationship_held_by="x", since=date(2025, 7, 1))).events == []

    r = await c.post("/followups/transfers-in/h1/resolution", json={"member_id": "m-unknown"})
    assert r.status_code == 409 and r.json()["code"] == "followup.member_not_registered"
    await ok(c.post("/members", json={
        "member_id": "m1", "name": "李明", "enterprise_id": "e1", "status": "full", "joined_party_on": "2021-06-01",
        "relationship": "elsewhere", "relationship_held_by": "洛阳理工学院学生党支部", "phone": "13800001234",
        "id_number": "11010519491231002X"}), 201)
    done = await ok(c.post("/followups/transfers-in/h1/resolution", json={"member_id": "m1"}))
    assert await pending(c, after=done["position"]) == []
    [closed] = await pending(c, status="resolved")
    assert closed["member_id"] == "m1" and closed["closed_on"] is not None
    r = await c.post("/followups/transfers-in/h1/dismissal", json={"reason": "重复"})
    assert r.status_code == 409 and r.json()["code"] == "followup.closed"


async def test_a_follow_up_is_dismissed_only_with_a_reason(org: httpx.AsyncClient) -> None:
    c = org
    await hire_heard(c, "h2", "陈静")
    r = await c.post("/followups/transfers-in/h2/dismissal", json={"reason": "  "})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["reason"]
    done = await ok(c.post("/followups/transfers-in/h2/dismissal", json={"reason": "本人已离职"}))
    [row] = await pending(c, status="dismissed", after=done["position"])
    assert row["reason"] == "本人已离职"
    r = await c.post("/followups/transfers-in/nope/dismissal", json={"reason": "x"})
    assert r.status_code == 404 and r.json()["code"] == "followup.unknown"


async def test_follow_ups_export_and_roles(org: httpx.AsyncClient) -> None:
    c = org
    at = await hire_heard(c, "h3", "周强")
    await pending(c, after=at)
    book = openpyxl.load_workbook(io.BytesIO((await c.get("/followups/transfers-in.xlsx")).content)).active
    assert [cell.value for cell in book[1]][:3] == ["编号", "姓名", "企业"]
    assert (book.cell(2, 2).value, book.cell(2, 6).value) == ("周强", "待转入")
    assert (await c.get("/followups/transfers-in", headers=bearer("auditor"))).status_code == 200
    assert (await c.get("/followups/transfers-in", headers=bearer("support_officer"))).status_code == 403
    r = await c.post("/followups/transfers-in/h3/dismissal", json={"reason": "x"}, headers=bearer("auditor"))
    assert r.status_code == 403
