"""Rate limits on public routes: per client address, per an extra key, a 429 problem with Retry-After."""

from __future__ import annotations

import asyncio
import hashlib
import sys
from pathlib import Path
from typing import Annotated

import httpx
import msgspec
import pytest
from fastapi import APIRouter, FastAPI, Request

sys.path.insert(0, str(Path(__file__).parent))
from web_support import make_app

from redpark_platform.settings import SettingsError
from redpark_platform.web import Body, MsgspecResponse, response_schema
from redpark_platform.web.ratelimit import (
    RATE_LIMITED,
    RateLimit,
    limits_from_env,
    parse_limits,
    rate_limited,
    storage,
)


class Signup(msgspec.Struct, frozen=True, kw_only=True):
    phone: str


class Done(msgspec.Struct, frozen=True, kw_only=True):
    phone_seen: int


async def phone_key(request: Request) -> str | None:
    try:
        phone = msgspec.json.decode(await request.body())["phone"]
    except (msgspec.DecodeError, KeyError, TypeError):
        return None
    digits = "".join(c for c in str(phone) if c.isdigit())
    return hashlib.sha256(digits.encode()).hexdigest() if len(digits) == 11 else None


def limited_app(per_address: str, per_key: str) -> FastAPI:
    limit = RateLimit.configure("signup", per_address=per_address, per_key=per_key)
    router = APIRouter()

    @router.post(
        "/signups",
        dependencies=[rate_limited(limit, key=phone_key, key_field="phone", key_name="this phone number",
                                   key_name_zh="该手机号")],
        responses={**response_schema(Done), **RATE_LIMITED},
    )
    async def signup(body: Annotated[Signup, Body(Signup)]) -> MsgspecResponse:
        # The key function read the body first: the route still gets it.
        return MsgspecResponse(Done(phone_seen=len(body.phone)))

    return make_app(router)


def client(app: FastAPI, address: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 5000)),
                             base_url="http://testserver")


async def test_an_address_over_its_limit_gets_a_429_problem_with_retry_after_in_both_languages() -> None:
    app = limited_app(per_address="3/minute", per_key="")
    async with client(app, "10.0.0.1") as one, client(app, "10.0.0.2") as other:
        answers = [await one.post("/signups", json={"phone": f"1380013800{i}"}) for i in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[0].json() == {"phone_seen": 11}
        refused = answers[3]
        assert refused.headers["content-type"] == "application/problem+json"
        retry_after = int(refused.headers["Retry-After"])
        assert 1 <= retry_after <= 60
        problem = refused.json()
        assert problem["status"] == 429 and problem["code"] == "rate_limited.address"
        assert f"{retry_after} seconds" in problem["detail"]
        assert f"{retry_after} 秒后再试" in problem["detail_zh"]
        # Another address has its own count.
        assert (await other.post("/signups", json={"phone": "13800138000"})).status_code == 200


async def test_one_key_over_its_limit_is_refused_from_any_address_naming_the_field() -> None:
    app = limited_app(per_address="100/minute", per_key="2/hour")
    async with client(app, "10.0.0.1") as one, client(app, "10.0.0.2") as other:
        assert (await one.post("/signups", json={"phone": "13800138000"})).status_code == 200
        assert (await other.post("/signups", json={"phone": "138 0013 8000"})).status_code == 200
        third = await one.post("/signups", json={"phone": "138-0013-8000"})
        assert third.status_code == 429
        problem = third.json()
        assert problem["code"] == "rate_limited.phone"
        assert problem["errors"][0]["field"] == "phone"
        assert "this phone number" in problem["detail"] and "该手机号" in problem["detail_zh"]
        assert 3000 < int(third.headers["Retry-After"]) <= 3600
        assert "13800138000" not in third.text  # the key's value is never echoed
        # Another number, and a body without a key, are not limited by it.
        assert (await one.post("/signups", json={"phone": "13900139000"})).status_code == 200
        assert (await one.post("/signups", json={"phone": "12"})).status_code == 200


async def test_the_window_moves_a_limit_frees_up_as_old_requests_age_out() -> None:
    limit = RateLimit.configure("moving", per_address="2/second")
    assert await limit.hit(limit.per_address, "a") is None
    assert await limit.hit(limit.per_address, "a") is None
    wait = await limit.hit(limit.per_address, "a")
    assert wait == 1
    await asyncio.sleep(1.05)
    assert await limit.hit(limit.per_address, "a") is None


async def test_several_limits_apply_together_and_limits_share_a_storage_by_name() -> None:
    counts = storage("memory://")
    a = RateLimit.configure("a", per_address="5/minute;2/second", counts=counts)
    b = RateLimit.configure("b", per_address="1/minute", counts=counts)
    assert [await a.hit(a.per_address, "x") for _ in range(3)][:2] == [None, None]
    assert await b.hit(b.per_address, "x") is None  # its own name: a's counts do not count here
    assert await b.hit(b.per_address, "x") is not None


async def test_the_limit_may_be_looked_up_per_request_for_limits_read_at_startup() -> None:
    router = APIRouter()
    app: FastAPI

    def from_state(request: Request) -> RateLimit:
        configured: RateLimit = request.app.state.signup_limit
        return configured

    @router.get("/ping", dependencies=[rate_limited(from_state)])
    async def ping() -> dict[str, bool]:
        return {"ok": True}

    app = make_app(router)
    app.state.signup_limit = RateLimit.configure("ping", per_address="1/minute")
    async with client(app, "10.0.0.9") as c:
        assert (await c.get("/ping")).status_code == 200
        assert (await c.get("/ping")).status_code == 429


async def test_the_429_is_documented_with_its_retry_after_header() -> None:
    doc = limited_app("1/minute", "").openapi()
    documented = doc["paths"]["/signups"]["post"]["responses"]["429"]
    assert "Retry-After" in documented["headers"]
    assert "application/problem+json" in documented["content"]


def test_limits_are_read_from_the_environment_and_a_bad_one_is_a_settings_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RP_TEST_LIMIT", "10/minute;100/hour")
    assert [(i.amount, i.get_expiry()) for i in limits_from_env("RP_TEST_LIMIT", "1/second")] == [
        (10, 60), (100, 3600)]
    monkeypatch.delenv("RP_TEST_LIMIT")
    assert [(i.amount, i.get_expiry()) for i in limits_from_env("RP_TEST_LIMIT", "1/second")] == [(1, 1)]
    monkeypatch.setenv("RP_TEST_LIMIT", "")
    assert limits_from_env("RP_TEST_LIMIT", "1/second") == ()
    monkeypatch.setenv("RP_TEST_LIMIT", "lots")
    with pytest.raises(SettingsError, match="RP_TEST_LIMIT"):
        limits_from_env("RP_TEST_LIMIT", "1/second")
    assert parse_limits("  ") == ()
