"""End to end: an enterprise moves in through the organization service (its own app, database
and store, on the same dedicated NATS), and this service sees it through the organization's
published events only: the briefings it is owed and its missing contact point appear here.
The same story fed the organization's events without the service runs in
`services/enterprise-support/tests/test_sup_organization_events.py`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from redpark_enterprise_support.app import create_app as create_support_app
from redpark_organization.app import create_app as create_org_app
from redpark_platform.servers import NatsServer
from redpark_platform.settings import JwtSource, Settings
from redpark_platform.testkit import TEST_TOKEN_TTL
from redpark_platform.web import mint_token

SECRET = "s" * 32
ADMIN = {"Authorization": f"Bearer {mint_token(SECRET, 'admin-1', ['park_admin'], ttl=TEST_TOKEN_TTL)}"}
OFFICER = {"Authorization": f"Bearer {mint_token(SECRET, 'officer-1', ['support_officer'], ttl=TEST_TOKEN_TTL)}"}


def _settings(service: str, nats: str, dsn: str, folder: Path) -> Settings:
    folder.mkdir(parents=True, exist_ok=True)
    return Settings(service=service, nats_url=nats, database_url=dsn, timezone="Asia/Shanghai", data_dir=folder,
                    jwt=JwtSource(secret=SECRET, key_file=folder / "k"), log_level="INFO")


@pytest.fixture
async def park(anew_database: Callable[[str], Any], nats_factory: Callable[[], NatsServer],
               tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    nats = nats_factory().url
    org_app = create_org_app(_settings("organization", nats, await anew_database("orge2e"), tmp_path / "org"))
    sup_app = create_support_app(_settings("enterprise-support", nats, await anew_database("supe2e"),
                                           tmp_path / "sup"))
    async with org_app.router.lifespan_context(org_app), sup_app.router.lifespan_context(sup_app), \
            httpx.AsyncClient(transport=httpx.ASGITransport(app=org_app), base_url="http://org",
                                     headers=ADMIN) as org, \
                httpx.AsyncClient(transport=httpx.ASGITransport(app=sup_app), base_url="http://sup",
                                  headers=OFFICER) as sup:
            yield org, sup


async def ok(response: Awaitable[httpx.Response] | httpx.Response, status: int = 200) -> Any:
    r = await response if not isinstance(response, httpx.Response) else response
    assert r.status_code == status, r.text
    return r.json()


async def rows(response: Awaitable[httpx.Response]) -> list[Any]:
    """The rows of a paged list (its first page: the lists here are short)."""
    items: list[Any] = (await ok(response))["items"]
    return items


async def eventually(read: Callable[[], Awaitable[Any]], check: Callable[[Any], bool], timeout: float = 15) -> Any:
    """The organization's events reach this service asynchronously: poll, bounded."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await read()
        if check(value):
            return value
        assert asyncio.get_running_loop().time() < deadline, f"never became true; last: {value!r}"
        await asyncio.sleep(0.05)


async def move_in(org: httpx.AsyncClient, enterprise_id: str, *, tech: bool, headcount: int = 20) -> None:
    await ok(org.post("/enterprises", json={
        "enterprise_id": enterprise_id, "name": f"企业{enterprise_id}", "building_id": "a1", "floor": 2,
        "headcount": headcount, "is_tech_enterprise": tech, "legal_representative": "张三"}), 201)


async def test_an_enterprise_moved_in_through_the_organization_gets_its_briefings_and_shows_no_contact_point(
        park: tuple[httpx.AsyncClient, httpx.AsyncClient]) -> None:
    org, sup = park
    await ok(org.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}), 201)
    await ok(org.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼", "floors": 10,
                                          "sequence_in_zone": 1}), 201)
    tech = await ok(sup.post("/policies", json={"policy_id": "hightech", "title": "高新技术企业认定奖励",
                                                "applies_to": ["tech_enterprise"]}), 201)
    await ok(sup.post("/policies", json={"policy_id": "all", "title": "园区入驻优惠", "applies_to": ["any_enterprise"]}),
             201)
    await rows(sup.get("/policies", params={"after": tech["position"]}))

    await move_in(org, "e1", tech=True)
    await move_in(org, "e2", tech=False, headcount=200)

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

    # moving out through the organization: gone from the lists, and a visit to it is refused
    await ok(org.post("/enterprises/e2/move-out", json={}))
    await eventually(lambda: rows(sup.get("/enterprises/without-contact-point")), lambda m: m == [])
    await eventually(lambda: rows(sup.get("/briefings")), lambda b: {x["enterprise_id"] for x in b} == {"e1"})
    r = await sup.post("/visits", json={"enterprise_id": "e2", "visitors": ["王建国"], "findings": "回访"})
    assert r.status_code == 409 and r.json()["code"] == "visit.enterprise_not_in_park"
