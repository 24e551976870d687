"""Paged lists: limit and offset validated as problem+json naming the field, pages that chain by
`next_offset`, and the page documented in OpenAPI."""

from __future__ import annotations

import sys
from pathlib import Path

import msgspec
from fastapi import APIRouter

sys.path.insert(0, str(Path(__file__).parent))
from web_support import client, make_app  # noqa: E402

from redpark_platform.web import MsgspecResponse, response_schema  # noqa: E402
from redpark_platform.web.paging import MAX_LIMIT, Page, PageRequest, Paging, page, page_of  # noqa: E402

PROBLEM = "application/problem+json"


class Tenant(msgspec.Struct, frozen=True, kw_only=True):
    tenant_id: str


TENANTS = [Tenant(tenant_id=f"t{i:03d}") for i in range(120)]

router = APIRouter(tags=["tenants"])


@router.get("/tenants", responses=response_schema(Page[Tenant]), summary="Tenants, paged")
async def tenants(paging: Paging) -> MsgspecResponse:
    return MsgspecResponse(page_of(TENANTS, paging))


async def test_a_list_defaults_to_fifty_rows_and_says_where_the_next_page_starts() -> None:
    async with client(make_app(router)) as c:
        body = (await c.get("/tenants")).json()
    assert [t["tenant_id"] for t in body["items"]] == [f"t{i:03d}" for i in range(50)]
    assert (body["total"], body["limit"], body["offset"], body["next_offset"]) == (120, 50, 0, 50)


async def test_pages_chain_by_next_offset_until_the_last_one_which_has_none() -> None:
    seen: list[str] = []
    offset: int | None = 0
    async with client(make_app(router)) as c:
        while offset is not None:
            body = (await c.get("/tenants", params={"limit": 45, "offset": offset})).json()
            seen += [t["tenant_id"] for t in body["items"]]
            offset = body["next_offset"]
    assert seen == [t.tenant_id for t in TENANTS]
    assert len(body["items"]) == 120 - 90


async def test_an_offset_past_the_end_is_an_empty_last_page() -> None:
    async with client(make_app(router)) as c:
        body = (await c.get("/tenants", params={"offset": 500})).json()
    assert body["items"] == [] and body["total"] == 120 and body["next_offset"] is None


async def test_a_limit_out_of_range_or_not_a_number_is_a_problem_naming_the_field() -> None:
    async with client(make_app(router)) as c:
        too_big = await c.get("/tenants", params={"limit": MAX_LIMIT + 1})
        zero = await c.get("/tenants", params={"limit": 0})
        text = await c.get("/tenants", params={"limit": "many"})
        negative = await c.get("/tenants", params={"offset": -1})
        largest = await c.get("/tenants", params={"limit": MAX_LIMIT})
    for r, field in ((too_big, "query.limit"), (zero, "query.limit"), (text, "query.limit"),
                     (negative, "query.offset")):
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == PROBLEM
        assert [e["field"] for e in r.json()["errors"]] == [field]
        assert r.json()["code"] == "request.invalid"
    assert largest.status_code == 200 and len(largest.json()["items"]) == 120


async def test_the_page_and_its_parameters_are_in_openapi() -> None:
    async with client(make_app(router)) as c:
        doc = (await c.get("/openapi.json")).json()
    op = doc["paths"]["/tenants"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert params["limit"]["schema"]["maximum"] == MAX_LIMIT and params["limit"]["schema"]["default"] == 50
    assert params["offset"]["schema"]["minimum"] == 0
    ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(schema["required"]) == {"items", "total", "limit", "offset", "next_offset"}
    assert schema["properties"]["items"]["items"]["$ref"].endswith("/Tenant")


def test_a_page_cut_by_the_database_knows_it_is_the_last_from_the_total() -> None:
    request = PageRequest(limit=10, offset=20)
    assert page(["a", "b"], 22, request).next_offset is None
    assert page(["a"] * 10, 31, request).next_offset == 30
    assert request.window(list(range(25))) == [20, 21, 22, 23, 24]
