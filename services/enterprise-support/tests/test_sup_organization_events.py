"""An enterprise moves in by the organization's published events (fed as its relay sends them),
and this service sees it: the briefings it is owed and its missing contact point appear here;
moving out takes it off. The same story with a running organization service is
`tests/test_system_enterprise_support.py`."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import httpx
import pytest

from redpark_enterprise_support.app import create_app as create_support_app
from redpark_platform.testkit import ServiceClient, eventually


@pytest.fixture
async def park(service_client: Any, organization: Any) -> tuple[Any, ServiceClient]:
    return organization, await service_client(create_support_app, roles=("support_officer",))


async def ok(response: Awaitable[httpx.Response] | httpx.Response, status: int = 200) -> Any:
    r = await response if not isinstance(response, httpx.Response) else response
    assert r.status_code == status, r.text
    return r.json()


async def rows(response: Awaitable[httpx.Response]) -> list[Any]:
    """The rows of a paged list (its first page: the lists here are short)."""
    items: list[Any] = (await ok(response))["items"]
    return items


async def test_an_enterprise_moved_in_by_the_organizations_events_gets_its_briefings_and_shows_no_contact_point(
        park: tuple[Any, ServiceClient]) -> None:
    org, sup = park
    today = sup.runtime.today()
    tech = await ok(sup.post("/policies", json={"policy_id": "hightech", "title": "高新技术企业认定奖励",
                                                "applies_to": ["tech_enterprise"]}), 201)
    await ok(sup.post("/policies", json={"policy_id": "all", "title": "园区入驻优惠", "applies_to": ["any_enterprise"]}),
             201)
    await rows(sup.get("/policies", params={"after": tech["position"]}))

    await org.move_in("e1", today, tech=True, headcount=20, floor=2)
    await org.move_in("e2", today, tech=False, headcount=200, floor=2)

    briefings = await eventually(lambda: rows(sup.get("/briefings")), lambda b: len(b) == 3)
    assert sorted((b["enterprise_id"], b["policy_id"], b["delivered"]) for b in briefings) == [
        ("e1", "all", False), ("e1", "hightech", False), ("e2", "all", False)]
    missing = await rows(sup.get("/enterprises/without-contact-point"))
    assert [e["enterprise_id"] for e in missing] == ["e1", "e2"]
    assert missing[0]["categories"] == ["any_enterprise", "tech_enterprise", "small_enterprise"]

    # a new policy reaches the enterprises in the park it applies to
    big = await ok(sup.post("/policies", json={"policy_id": "nontech", "title": "服务业扶持",
                                               "applies_to": ["non_tech_enterprise"]}), 201)
    owed = await rows(sup.get("/briefings", params={"policy_id": "nontech", "after": big["position"]}))
    assert [b["enterprise_id"] for b in owed] == ["e2"]

    # a contact point for e1 takes it off the list; delivering a briefing is tracked
    assigned = await ok(sup.put("/enterprises/e1/contact-point", json={
        "contact_kind": "committee_member", "contact_id": "cm-1", "contact_name": "王建国"}))
    missing = await rows(sup.get("/enterprises/without-contact-point", params={"after": assigned["position"]}))
    assert [e["enterprise_id"] for e in missing] == ["e2"]
    delivered = await ok(sup.post("/policies/hightech/briefings/e1", json={"channel": "visit"}))
    pending = await rows(sup.get("/briefings", params={"enterprise_id": "e1", "pending": True,
                                                     "after": delivered["position"]}))
    assert [b["policy_id"] for b in pending] == ["all"]
    refused = await sup.post("/policies/hightech/briefings/e2", json={"channel": "visit"})
    assert refused.status_code == 409 and refused.json()["code"] == "briefing.not_applicable"

    # moving out, as the organization says: gone from the lists, and a visit to it is refused
    await org.move_out("e2", today)
    await eventually(lambda: rows(sup.get("/enterprises/without-contact-point")), lambda m: m == [])
    await eventually(lambda: rows(sup.get("/briefings")), lambda b: {x["enterprise_id"] for x in b} == {"e1"})
    r = await sup.post("/visits", json={"enterprise_id": "e2", "visitors": ["王建国"], "findings": "回访"})
    assert r.status_code == 409 and r.json()["code"] == "visit.enterprise_not_in_park"
