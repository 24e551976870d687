"""The shared edge types refuse what a read model cannot hold, in a body (msgspec) and in a path or
query parameter (FastAPI), each time as a 422 problem naming the field."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import msgspec
import pytest
from fastapi import APIRouter, Query

sys.path.insert(0, str(Path(__file__).parent))
from web_support import client, make_app  # noqa: E402

from redpark_platform.web import Body, MsgspecResponse  # noqa: E402
from redpark_platform.web.bounded import (  # noqa: E402
    INT4_MAX,
    Day,
    Fen,
    Floors,
    Id,
    Phone,
    Quota,
    Score,
)


class Building(msgspec.Struct, frozen=True, kw_only=True):
    building_id: Id
    floors: Floors
    quota: Quota = 0
    budget_fen: Fen = 0
    score: Score = 0.0
    phone: Phone | None = None
    opened_on: date | None = None
    seen_at: datetime | None = None
    member_ids: list[Id] = []


def decode(body: dict[str, object]) -> Building:
    return msgspec.convert(body, Building)


@pytest.mark.parametrize("bad", ["", " ", "   ", "a/b", "a b", "a\nb", "a\x00b", "a?b", "a#b", "a%2Fb", "x" * 65,
                                 "x" * 10_240, "ab\n"])
def test_an_id_is_non_empty_short_and_free_of_separators_and_control_characters(bad: str) -> None:
    with pytest.raises(msgspec.ValidationError, match=r"building_id"):
        decode({"building_id": bad, "floors": 3})


@pytest.mark.parametrize("good", ["b-42", "e1", "A", "demo-e001", "0123456789abcdef", "楼-1", "x" * 64, "a.b:c_d"])
def test_ids_the_park_uses_pass(good: str) -> None:
    assert decode({"building_id": good, "floors": 3}).building_id == good


@pytest.mark.parametrize(("field", "value"), [("floors", 9_245_090_786), ("floors", 0), ("floors", 201),
                                              ("quota", 3_000_000_000), ("quota", -1), ("budget_fen", INT4_MAX + 1),
                                              ("score", float("inf")), ("score", -0.5)])
def test_numbers_stay_within_what_their_column_holds(field: str, value: object) -> None:
    with pytest.raises(msgspec.ValidationError, match=field):
        decode({"building_id": "b1", "floors": 3, field: value})
    assert decode({"building_id": "b1", "floors": 200, "quota": 100_000, "budget_fen": INT4_MAX}).floors == 200


@pytest.mark.parametrize("bad", ["sealed:v1:A", "12345", "1380013800", "138001380001", "23800138000", "+1 555 0100",
                                 "1" * 31, "1380013800\u0660", "13800\u0e51\u0e51\u0e51\u0e51\u0e51\u0e51"])
def test_a_phone_is_a_mainland_mobile_number(bad: str) -> None:
    with pytest.raises(msgspec.ValidationError, match="phone"):
        decode({"building_id": "b1", "floors": 3, "phone": bad})


@pytest.mark.parametrize("good", ["13800138000", "138-0013-8000", "+86 138 0013 8000", "0086 13800138000",
                                  "8613800138000", "(138) 0013 8000"])
def test_the_ways_people_write_a_mobile_number_pass(good: str) -> None:
    assert decode({"building_id": "b1", "floors": 3, "phone": good}).phone == good


router = APIRouter()


@router.put("/buildings/{building_id}")
async def put_building(building_id: Id, body: Annotated[Building, Body(Building)]) -> MsgspecResponse:
    return MsgspecResponse({"building_id": building_id, "floors": body.floors})


@router.get("/buildings/{building_id}/visits")
async def visits(building_id: Id, on: Annotated[Day | None, Query()] = None,
                 floors: Annotated[Floors | None, Query()] = None) -> MsgspecResponse:
    return MsgspecResponse({"building_id": building_id, "on": on, "floors": floors})


async def problem(method: str, url: str, **kwargs: object) -> dict[str, object]:
    async with client(make_app(router)) as c:
        response = await c.request(method, url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = response.json()
    return body


def fields(body: dict[str, object]) -> list[str]:
    errors = body["errors"]
    assert isinstance(errors, list)
    return [e["field"] for e in errors]


async def test_a_body_out_of_bounds_is_a_422_naming_the_field() -> None:
    body = await problem("PUT", "/buildings/b1", json={"building_id": "", "floors": 3})
    assert fields(body) == ["building_id"]
    body = await problem("PUT", "/buildings/b1", json={"building_id": "b1", "floors": 9_245_090_786})
    assert fields(body) == ["floors"]


@pytest.mark.parametrize(("field", "value"), [("opened_on", "0001-01-01"), ("opened_on", "9999-12-31"),
                                              ("seen_at", "0001-01-01T00:00:00Z"), ("seen_at", "9999-12-31T23:59:59Z")])
async def test_a_date_in_a_body_outside_the_window_is_a_422_naming_it(field: str, value: str) -> None:
    body = await problem("PUT", "/buildings/b1", json={"building_id": "b1", "floors": 3, field: value})
    assert fields(body) == [field]


async def test_an_id_in_a_list_inside_a_body_is_named_by_its_path() -> None:
    body = await problem("PUT", "/buildings/b1", json={"building_id": "b1", "floors": 3,
                                                       "member_ids": ["m1", "a/b"]})
    assert fields(body) == ["member_ids[1]"]


@pytest.mark.parametrize("bad", ["0", "20240101", "1700000000", "2024-1-1", "0001-01-01", "2101-01-01"])
async def test_a_date_query_parameter_is_iso_and_within_the_window(bad: str) -> None:
    body = await problem("GET", "/buildings/b1/visits", params={"on": bad})
    assert fields(body) == ["query.on"]


async def test_path_and_query_parameters_use_the_same_bounds() -> None:
    assert fields(await problem("GET", "/buildings/%20/visits")) == ["path.building_id"]
    assert fields(await problem("GET", "/buildings/" + "x" * 10_240 + "/visits")) == ["path.building_id"]
    assert fields(await problem("GET", "/buildings/b1/visits", params={"floors": "9245090786"})) == ["query.floors"]
    async with client(make_app(router)) as c:
        ok = await c.get("/buildings/b1/visits", params={"on": "2024-05-01", "floors": "12"})
    assert ok.json() == {"building_id": "b1", "on": "2024-05-01", "floors": 12}


async def test_the_openapi_document_states_the_bounds() -> None:
    async with client(make_app(router)) as c:
        doc = (await c.get("/openapi.json")).json()
    building = doc["components"]["schemas"]["Building"]["properties"]
    assert building["floors"]["minimum"] == 1 and building["floors"]["maximum"] == 200
    assert building["building_id"]["maxLength"] == 64 and building["building_id"]["minLength"] == 1
    params = {p["name"]: p for p in doc["paths"]["/buildings/{building_id}/visits"]["get"]["parameters"]}
    assert params["building_id"]["schema"]["maxLength"] == 64
    assert "pattern" in params["building_id"]["schema"]
