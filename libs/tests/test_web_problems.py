"""Errors are problem+json: domain refusals, named invalid fields, malformed JSON, unknown routes, crashes."""

from __future__ import annotations

import sys
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).parent))
from web_support import EXAMPLE, client, make_app  # noqa: E402

from redpark_platform.web.problems import msgspec_field_error  # noqa: E402

PROBLEM = "application/problem+json"
GOOD = msgspec.to_builtins(EXAMPLE)


async def test_a_domain_error_is_a_problem_with_its_code_status_and_both_languages() -> None:
    async with client(make_app()) as c:
        r = await c.post("/bookings", json={**GOOD, "tour_id": "full"})
    assert r.status_code == 409
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["code"] == "tour.full"
    assert body["type"] == "urn:redpark:problem:tour.full"
    assert body["title"] == "Conflict"
    assert body["detail"] == "the tour has no places left"
    assert body["detail_zh"] == "该线路名额已满"
    assert body["instance"] == "/bookings"
    assert body["errors"] == [{"field": "tour_id", "message": "the tour has no places left",
                               "message_zh": "该线路名额已满"}]


async def test_not_found_from_the_domain_is_404() -> None:
    async with client(make_app()) as c:
        r = await c.get("/bookings/nope")
    assert r.status_code == 404 and r.json()["code"] == "booking.not_found"


async def test_a_msgspec_body_of_the_wrong_type_names_the_nested_field() -> None:
    async with client(make_app()) as c:
        r = await c.post("/bookings", json={**GOOD, "party": {"adults": "two"}})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    (error,) = r.json()["errors"]
    assert error["field"] == "party.adults"
    assert "Expected `int`, got `str`" in error["message"]
    assert error["message_zh"].startswith("类型错误")


async def test_a_missing_field_and_a_broken_constraint_are_named() -> None:
    async with client(make_app()) as c:
        missing = await c.post("/bookings", json={"tour_id": "t", "party": {"adults": 1}})
        too_many = await c.post("/bookings", json={**GOOD, "party": {"adults": 11}})
        bad_phone = await c.post("/bookings", json={**GOOD, "phone": "12345"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "phone"
    assert missing.json()["errors"][0]["message_zh"] == "缺少必填字段"
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "party.adults"
    assert bad_phone.status_code == 422 and bad_phone.json()["errors"][0]["field"] == "phone"
    # The rejected value (it may be a phone number) is never echoed back.
    assert "12345" not in bad_phone.text


async def test_a_query_parameter_error_names_the_parameter() -> None:
    async with client(make_app()) as c:
        r = await c.get("/bookings", params={"limit": "lots"})
        r2 = await c.get("/bookings", params={"limit": 0})
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert [e["field"] for e in r.json()["errors"]] == ["query.limit"]
    assert r.json()["errors"][0]["message_zh"] == "应为整数"
    assert r2.status_code == 422 and r2.json()["errors"][0]["field"] == "query.limit"


async def test_malformed_json_is_400_not_500() -> None:
    async with client(make_app()) as c:
        broken = await c.post("/bookings", content=b'{"tour_id": "t", ', headers={"content-type": "application/json"})
        binary = await c.post("/bookings", content=b"\xff\xfe\x00garbage")
        empty = await c.post("/bookings", content=b"")
    assert broken.status_code == 400 and broken.json()["code"] == "request.malformed"
    assert binary.status_code == 400
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "body"


async def test_unknown_route_and_wrong_method_are_problems() -> None:
    async with client(make_app()) as c:
        missing = await c.get("/no/such/thing", params={"phone": "13812345678"})
        wrong = await c.delete("/bookings")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    assert missing.json()["instance"] == "/no/such/thing"
    assert "13812345678" not in missing.text
    assert wrong.status_code == 405 and wrong.headers["content-type"] == PROBLEM
    assert wrong.headers["allow"]


async def test_an_unexpected_exception_is_a_500_problem_that_leaks_nothing() -> None:
    async with client(make_app()) as c:
        r = await c.get("/boom")
    assert r.status_code == 500
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["code"] == "server.error"
    assert "widget" not in r.text and "RuntimeError" not in r.text and "13812345678" not in r.text


def test_msgspec_messages_become_field_paths() -> None:
    assert msgspec_field_error("Expected `int`, got `str` - at `$.party.adults`").field == "party.adults"
    assert msgspec_field_error("Expected `str`, got `int` - at `$.items[2].name`").field == "items[2].name"
    assert msgspec_field_error("Object missing required field `phone` - at `$.party`").field == "party.phone"
    assert msgspec_field_error("Object missing required field `phone`").field == "phone"
    assert msgspec_field_error("Expected `object`, got `array`").field == ""


async def test_an_integral_float_counts_as_an_integer_as_json_schema_says() -> None:
    async with client(make_app()) as c:
        whole = await c.post("/bookings", json={**GOOD, "party": {"adults": 2.0}})
        fraction = await c.post("/bookings", json={**GOOD, "party": {"adults": 2.5}})
        text = await c.post("/bookings", json={**GOOD, "party": {"adults": "2"}})
    assert whole.status_code == 201 and whole.json()["places"] == 2
    assert fraction.status_code == 422 and fraction.json()["errors"][0]["field"] == "party.adults"
    assert text.status_code == 422


async def test_a_nul_character_in_text_is_refused_naming_the_field_not_a_500() -> None:
    """Review finding: PostgreSQL text cannot hold NUL, so it used to fail at the store with a 500."""
    async with client(make_app()) as c:
        r = await c.post("/bookings", json={**GOOD, "tour_id": "tour\u0000-1"})
        escaped = await c.post("/bookings", json={**GOOD, "tour_id": "tour\\u0000"})  # a backslash, not NUL
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert [e["field"] for e in r.json()["errors"]] == ["tour_id"]
    assert escaped.status_code == 201
