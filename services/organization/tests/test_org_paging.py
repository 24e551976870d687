"""Large lists are paged: every list route takes `limit` (default 50, at most 500) and `offset`,
refuses bad values as problem+json naming the field, answers items with total and next_offset,
and documents both in OpenAPI. Real PostgreSQL and NATS."""

from __future__ import annotations

from typing import Any

import httpx

from redpark_platform.testkit import TEST_JWT_SECRET, TEST_TOKEN_TTL
from redpark_platform.web import mint_token

SECRET = TEST_JWT_SECRET
ADMIN = {"Authorization": f"Bearer {mint_token(SECRET, 'staff-1', ['park_admin'], ttl=TEST_TOKEN_TTL)}"}
YEAR = 2025

# Every list route, with the parameters it needs besides paging.
LISTS = {
    "/enterprises": {}, "/branches": {}, "/members": {}, "/members/m0/transfers": {}, "/contacts": {},
    "/coverage": {}, "/dues/arrears": {"month": "2025-03"}, f"/development/pipeline/{YEAR}": {},
}


async def created(response: httpx.Response) -> int:
    assert response.status_code in (200, 201), response.text
    return int(response.json()["position"])


async def _park(c: httpx.AsyncClient) -> int:
    """7 uncovered enterprises, 5 members owing dues (two transferred in and out), 4 contacts,
    3 applicants: more than one page of 3 in every list."""
    await created(await c.post("/zones", json={"zone_id": "A", "name": "A区", "phase": 1}))
    await created(await c.post("/buildings", json={"building_id": "a1", "zone_id": "A", "name": "1号楼",
                                                   "floors": 20, "sequence_in_zone": 1}))
    for n in range(7):
        await created(await c.post("/enterprises", json={
            "enterprise_id": f"e{n}", "name": f"企业{n}", "building_id": "a1", "floor": n + 1, "headcount": 9,
            "is_tech_enterprise": False, "legal_representative": "张三"}))
    for n in range(5):
        await created(await c.post("/members", json={
            "member_id": f"m{n}", "name": f"党员{n}", "status": "full", "joined_party_on": "2010-07-01",
            "relationship": "in_park", "phone": f"1380013800{n}", "id_number": f"11010519491231002{n}"}))
        await created(await c.put(f"/members/m{n}/dues-rate", json={"monthly_amount_fen": 100,
                                                                     "effective_from": "2025-01"}))
    for k in range(2):
        await created(await c.post("/members/m0/transfers-out", json={"organization": f"某区委{k}"}))
        await created(await c.post("/members/m0/transfers-in", json={"organization": f"某大学党委{k}"}))
    for n in range(4):
        await created(await c.post("/contacts", json={"person_id": f"c{n}", "name": f"联系人{n}",
                                                      "categories": ["foreign_national"], "nationality": "德国"}))
    last = 0
    for n in range(3):
        last = await created(await c.post("/development", json={"person_id": f"p{n}", "name": f"申请人{n}",
                                                                 "effective_on": f"{YEAR}-01-0{n + 1}"}))
    runtime = c._transport.app.state.runtime  # type: ignore[attr-defined]
    last = await runtime.store.last_position()
    # Only the read models of this service's own events: the follow-up opener reads enterprise-support's,
    # which no test here publishes, so waiting on it would prove nothing (and now raises CannotWait).
    for name in [n for n, r in runtime.runners.items() if "organization" in r.projection.sources]:
        assert await runtime.wait_for(name, last, timeout=10, strict=True), name
    return last


def _listed(path: str, body: dict[str, Any]) -> dict[str, Any]:
    """The page in a route's answer: the answer itself, or the list inside a report."""
    inner = {"/coverage": "uncovered", "/dues/arrears": "members", f"/development/pipeline/{YEAR}": "people"}
    return body[inner[path]] if path in inner else body


async def test_every_list_route_pages_by_limit_and_offset_and_chains_to_the_end(client: httpx.AsyncClient) -> None:
    c = client
    await _park(c)
    totals = {"/enterprises": 7, "/branches": 0, "/members": 5, "/members/m0/transfers": 4, "/contacts": 4,
              "/coverage": 7, "/dues/arrears": 5, f"/development/pipeline/{YEAR}": 3}
    for path, params in LISTS.items():
        first = _listed(path, (await c.get(path, params=params)).json())
        assert (first["total"], first["limit"], first["offset"]) == (totals[path], 50, 0), path
        assert len(first["items"]) == totals[path] and first["next_offset"] is None, path
        seen: list[Any] = []
        offset: int | None = 0
        while offset is not None:
            r = await c.get(path, params={**params, "limit": 3, "offset": offset})
            assert r.status_code == 200, r.text
            body = _listed(path, r.json())
            assert len(body["items"]) <= 3 and body["total"] == totals[path], path
            seen += body["items"]
            offset = body["next_offset"]
        assert seen == first["items"], path


async def test_the_census_baselines_count_the_whole_ledger_not_a_page(client: httpx.AsyncClient) -> None:
    c = client
    await _park(c)
    census = (await c.get("/census", params={"limit": 1})).json()
    assert census["members"] == {"total": 5, "full": 5, "probationary": 0, "relationship_in_park": 5,
                                 "relationship_elsewhere": 0}
    assert census["enterprises"] == {"total": 7, "can_form_own_branch": 0, "joins_joint_branch": 0,
                                     "no_members": 7}
    assert census["people"]["foreign_nationals"] == 4 and census["people"]["tech_talent"] == 0


async def test_a_page_of_the_roster_is_masked_and_in_member_order(client: httpx.AsyncClient) -> None:
    c = client
    await _park(c)
    body = (await c.get("/members", params={"limit": 2, "offset": 2})).json()
    assert [m["member_id"] for m in body["items"]] == ["m2", "m3"] and body["next_offset"] == 4
    assert [m["phone"] for m in body["items"]] == ["138****8002", "138****8003"]
    uncovered = (await c.get("/coverage", params={"limit": 2, "offset": 6})).json()
    assert uncovered["overall"] == {"covered": 0, "total": 7, "rate": 0.0}
    assert [e["enterprise_id"] for e in uncovered["uncovered"]["items"]] == ["e6"]
    arrears = (await c.get("/dues/arrears", params={"month": "2025-03", "limit": 1})).json()
    assert arrears["branches"] == [{"branch_id": None, "members_in_arrears": 5, "amount_fen": 1500}]
    assert [m["member_id"] for m in arrears["members"]["items"]] == ["m0"]


async def test_the_pipeline_lists_one_stage_while_the_figures_count_every_stage(client: httpx.AsyncClient) -> None:
    c = client
    await _park(c)
    await created(await c.post("/development/p1/stages", json={"to_stage": "activist",
                                                              "effective_on": f"{YEAR}-02-01"}))
    runtime = c._transport.app.state.runtime  # type: ignore[attr-defined]
    after = await runtime.store.last_position()
    body = (await c.get(f"/development/pipeline/{YEAR}", params={"stage": "activist", "after": after})).json()
    assert [p["person_id"] for p in body["people"]["items"]] == ["p1"] and body["people"]["total"] == 1
    assert body["figures"]["by_stage"]["applicant"] == 2 and body["figures"]["by_stage"]["activist"] == 1
    bad = await c.get(f"/development/pipeline/{YEAR}", params={"stage": "leader"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.stage"


async def test_limit_and_offset_out_of_range_are_problems_naming_the_field(client: httpx.AsyncClient) -> None:
    c = client
    for path, params in LISTS.items():
        for wrong, field in (({"limit": 501}, "query.limit"), ({"limit": 0}, "query.limit"),
                             ({"limit": "all"}, "query.limit"), ({"offset": -1}, "query.offset")):
            r = await c.get(path, params={**params, **wrong})
            assert r.status_code == 422, (path, wrong, r.text)
            assert r.headers["content-type"] == "application/problem+json"
            assert [e["field"] for e in r.json()["errors"]] == [field], (path, wrong)
    assert (await c.get("/members", params={"limit": 500})).status_code == 200


async def test_openapi_documents_paging_on_every_list_route(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/openapi.json")).json()
    schemas = doc["components"]["schemas"]
    templated = {"/members/m0/transfers": "/members/{member_id}/transfers",
                 f"/development/pipeline/{YEAR}": "/development/pipeline/{year}"}
    for path in LISTS:
        op = doc["paths"][templated.get(path, path)]["get"]
        params = {p["name"]: p["schema"] for p in op["parameters"]}
        assert params["limit"]["maximum"] == 500 and params["limit"]["default"] == 50, path
        assert params["offset"]["minimum"] == 0, path
        ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        schema = schemas[ref]
        if path in ("/coverage", "/dues/arrears", f"/development/pipeline/{YEAR}"):
            inner = {"/coverage": "uncovered", "/dues/arrears": "members"}.get(path, "people")
            schema = schemas[schema["properties"][inner]["$ref"].rsplit("/", 1)[1]]
        assert {"items", "total", "limit", "offset", "next_offset"} <= set(schema["required"]), path
