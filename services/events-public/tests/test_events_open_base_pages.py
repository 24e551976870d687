"""The open-base pages on real PostgreSQL and NATS: the public's request form and its answer, the
staff's days, confirm and decline, and a lapsed request with its notice. Each form is submitted and
what it stored is read back from the event store and the API."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from redpark_events_public.app import create_app
from redpark_events_public.domain.open_base import LAPSE_NOTICE, LAPSE_NOTICE_EN
from redpark_platform.calendar import park_date
from redpark_platform.clock import FrozenClock
from redpark_platform.testkit import TEST_JWT_SECRET, ServiceClient, eventually
from redpark_platform.web import mint_token
from redpark_platform.web.auth import SESSION_COOKIE

NOW = datetime.now(UTC).replace(microsecond=0)
ZONE = ZoneInfo("Asia/Shanghai")
ORIGIN = {"origin": "http://events-public"}  # the test client's own origin
PER_ADDRESS = "REDPARK_EVENTS_PUBLIC_RATE_OPEN_BASE_PER_ADDRESS"
PER_PHONE = "REDPARK_EVENTS_PUBLIC_RATE_OPEN_BASE_PER_PHONE"
FORM = "/ui/public/open-base"


@pytest.fixture
def rate_limits() -> dict[str, str]:
    return {PER_ADDRESS: ""}  # every test posts from one address; the per-phone limit stays the default


@pytest.fixture
async def started(service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
                  rate_limits: dict[str, str]) -> tuple[ServiceClient, FrozenClock]:
    for variable, value in rate_limits.items():
        monkeypatch.setenv(variable, value)
    clock = FrozenClock(NOW)
    return await service_client(create_app, clock=clock, log_level="WARNING"), clock


@pytest.fixture
def client(started: tuple[ServiceClient, FrozenClock]) -> ServiceClient:
    return started[0]


def ahead(days: int) -> date:
    return park_date(NOW) + timedelta(days=days)


def request_form(**over: str) -> dict[str, str]:
    return {"day": ahead(10).isoformat(), "organization": "某区机关第三党支部", "contact_name": "王芳",
            "contact_phone": "13800138000", "group_size": "30", **over}


def sign_in(client: ServiceClient, role: str = "events_officer") -> None:
    client.cookies.set(SESSION_COOKIE, mint_token(TEST_JWT_SECRET, "officer-1", [role], None))


def bearer(role: str = "events_officer") -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(TEST_JWT_SECRET, 'officer-1', [role])}"}


def error_beside(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="e-{field}" role="alert">([^<]*)</p>', html)
    assert found, f"no message beside {field}"
    return found.group(1)


async def stored(client: ServiceClient, kind: str) -> list[dict[str, Any]]:
    rows = await client.runtime.pool.fetch("SELECT data FROM events WHERE type = $1 ORDER BY position",
                                           f"open_base_visit.{kind}")
    return [json.loads(r["data"]) for r in rows]


async def day_view(client: ServiceClient, day: date) -> dict[str, Any]:
    r = await client.get(f"/staff/open-base/days/{day.isoformat()}", headers=bearer("auditor"))
    assert r.status_code == 200, r.text
    view: dict[str, Any] = r.json()
    return view


async def request_visit(client: ServiceClient, **over: str) -> tuple[str, str]:
    """Post the public form and open the answer it redirects to (which waits for the read model);
    returns (booking id, answer page URL)."""
    r = await client.post(FORM, data=request_form(**over))
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    found = re.fullmatch(r"/ui/public/open-base/visits/([0-9a-f-]{36})\?after=\d+", location)
    assert found, location
    answer = await client.get(location)
    assert answer.status_code == 200 and 'id="open-base-answer"' in answer.text
    return found.group(1), location


async def test_the_public_form_shows_the_limits_and_a_request_is_stored_and_answered(
    client: ServiceClient,
) -> None:
    home = await client.get("/")
    assert 'href="/ui/public/open-base"' in home.text
    page = await client.get(FORM)
    assert page.status_code == 200 and "<script" not in page.text
    limits = re.search(r'id="open-base-limits">(.*?)</dl>', page.text, re.S)
    assert limits, page.text
    assert f"{ahead(1).isoformat()} – {ahead(60).isoformat()}" in limits.group(1)
    assert "60 人" in limits.group(1) and "72 小时" in limits.group(1)
    assert f'min="{ahead(1).isoformat()}" max="{ahead(60).isoformat()}"' in page.text

    booking, location = await request_visit(client, contact_phone="+86 138-0013-8000")
    [requested] = await stored(client, "requested")
    assert requested["booking_id"] == booking and requested["group_size"] == 30
    assert requested["day"] == ahead(10).isoformat()
    assert "13800138000" not in str(requested)  # the contact's phone is sealed, not in clear

    answer = await client.get(location)
    assert answer.status_code == 200 and 'data-status="requested"' in answer.text
    assert "预约已提交" in answer.text and "某区机关第三党支部" in answer.text
    holds = re.search(r'id="holds-until">([^<]+)<', answer.text)
    assert holds and holds.group(1) == (NOW + timedelta(hours=72)).astimezone(ZONE).strftime("%Y-%m-%d %H:%M")
    assert "王芳" not in answer.text and "13800138000" not in answer.text
    [visit] = (await day_view(client, ahead(10)))["visits"]
    assert visit["booking_id"] == booking and visit["status"] == "requested"

    english = await client.get(location, params={"lang": "en"})
    assert "Request received" in english.text and "Visitors" in english.text
    assert (await client.get("/ui/public/open-base/visits/nope")).status_code == 404


@pytest.mark.parametrize(("data", "field", "words", "status"), [
    (request_form(contact_phone="12345"), "contact_phone", "请输入有效的中国大陆手机号码", 422),
    (request_form(organization="  "), "organization", "请填写来访党组织名称", 422),
    (request_form(contact_name=""), "contact_name", "请填写联系人姓名", 422),
    (request_form(group_size="0"), "group_size", "来访人数至少为1人", 422),
    (request_form(group_size="61"), "group_size", "每批来访最多60人", 422),
    (request_form(group_size="9" * 5000), "group_size", "每批来访最多60人", 422),
    (request_form(group_size="三十"), "group_size", "来访人数请填写整数", 422),
    (request_form(group_size="۳۰"), "group_size", "来访人数请填写整数", 422),
    (request_form(day=""), "day", "请选择参观日期", 422),
    (request_form(day="2026-02-30"), "day", "请选择参观日期", 422),
    (request_form(day=ahead(0).isoformat()), "day", "请预约明天及以后的日期", 422),
    (request_form(day=ahead(61).isoformat()), "day", "最多可预约60天内的参观", 422),
    (request_form(organization="党" * 201), "organization", "内容过长，最多 200 个字", 422),
])
async def test_form_errors_are_the_apis_with_the_message_beside_the_field_and_nothing_stored(
    client: ServiceClient, data: dict[str, str], field: str, words: str, status: int,
) -> None:
    r = await client.post(FORM, data=data)
    assert r.status_code == status, r.text
    assert words in error_beside(r.text, field)
    assert await stored(client, "requested") == []
    assert 'value="王芳"' in r.text or field == "contact_name"  # what was typed stays


async def test_a_full_day_is_a_409_beside_the_group_size_in_either_language(client: ServiceClient) -> None:
    await request_visit(client, group_size="60", contact_phone="13800138001")
    await request_visit(client, group_size="30", contact_phone="13800138002")
    full = await client.post(FORM, data=request_form(group_size="20", contact_phone="13800138003"))
    assert full.status_code == 409
    assert error_beside(full.text, "group_size") == f"{ahead(10).isoformat()}基地剩余可接待名额为10人。"
    english = await client.post(FORM, params={"lang": "en"},
                                data=request_form(group_size="20", contact_phone="13800138003"))
    assert english.status_code == 409
    assert error_beside(english.text, "group_size") == f"The base can receive 10 more visitor(s) on {ahead(10)}."
    assert len(await stored(client, "requested")) == 2


@pytest.mark.parametrize("data", [
    {}, {"group_size": "-" * 5000}, {"day": "\x00<script>", "organization": "<b>", "group_size": "1e9"},
    {"group_size": ["1", "2"]}, {"contact_phone": "1" * 5000, "contact_name": "x" * 5000},  # type: ignore[dict-item]
])
async def test_garbage_form_input_never_500s(client: ServiceClient, data: dict[str, Any]) -> None:
    r = await client.post(FORM, data=data)
    assert r.status_code in (409, 422), r.text
    assert "<script>" not in r.text and "<b>" not in r.text
    assert await stored(client, "requested") == []


@pytest.mark.parametrize("field", ["organization", "contact_name"])
async def test_a_nul_in_a_text_field_is_a_422_naming_it_and_nothing_stored(client: ServiceClient, field: str) -> None:
    """PostgreSQL text cannot hold NUL: the platform refuses such a form before any page sees it."""
    r = await client.post(FORM, data=request_form(**{field: "第三\x00党支部"}))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == field
    assert await stored(client, "requested") == []


async def test_a_fourth_request_for_one_phone_is_a_429_beside_the_phone_counted_with_the_api(
    client: ServiceClient,
) -> None:
    await request_visit(client, day=ahead(3).isoformat(), group_size="5")
    api = await client.post("/open-base/visits", json={
        "day": ahead(4).isoformat(), "organization": "某党支部", "contact_name": "王芳",
        "contact_phone": "138 0013 8000", "group_size": 5})
    assert api.status_code == 201, api.text
    await request_visit(client, day=ahead(5).isoformat(), group_size="5")
    fourth = await client.post(FORM, data=request_form(day=ahead(6).isoformat(), group_size="5"))
    assert fourth.status_code == 429 and int(fourth.headers["retry-after"]) >= 1
    assert "该手机号的请求过于频繁" in error_beside(fourth.text, "contact_phone")
    assert len(await stored(client, "requested")) == 3


@pytest.mark.parametrize("rate_limits", [{"REDPARK_EVENTS_PUBLIC_RATE_OPEN_BASE_PER_ADDRESS": "1/hour"}])
async def test_too_many_requests_from_one_address_are_told_plainly_above_the_form(client: ServiceClient) -> None:
    await request_visit(client)
    again = await client.post(FORM, data=request_form(contact_phone="13800138009"))
    assert again.status_code == 429 and int(again.headers["retry-after"]) >= 1
    flash = re.search(r'<p class="flash bad" role="status">([^<]*)</p>', again.text)
    assert flash and "您所在网络地址的请求过于频繁" in flash.group(1)
    assert 'class="error"' not in again.text and 'value="13800138009"' in again.text
    assert len(await stored(client, "requested")) == 1


async def test_staff_see_the_days_ahead_and_confirm_and_decline_on_the_day_page(client: ServiceClient) -> None:
    first, _ = await request_visit(client, organization="甲党支部", contact_phone="13800138001")
    second, _ = await request_visit(client, organization="乙党支部", contact_phone="13800138002", group_size="20")
    await request_visit(client, organization="丙党支部", contact_phone="13800138003", day=ahead(20).isoformat())
    day = ahead(10).isoformat()
    assert (await client.get("/ui/open-base/")).status_code == 303  # a sign-in first

    sign_in(client, "auditor")
    listed = await client.get("/ui/open-base/")
    assert listed.status_code == 200
    assert [d for d in re.findall(r'id="day-([0-9-]+)"', listed.text)] == [day, ahead(20).isoformat()]
    assert "甲党支部" in listed.text and "丙党支部" in listed.text and "待确认 2" in listed.text
    assert "已占用 <strong>50</strong> / 100" in listed.text
    seen = await client.get(f"/ui/open-base/days/{day}")
    assert seen.status_code == 200 and "甲党支部" in seen.text and "/confirmation" not in seen.text
    for personal in ("王芳", "13800138001", "138****8001"):
        assert personal not in listed.text and personal not in seen.text  # the API shows no contact either
    refused = await client.post(f"/ui/open-base/days/{day}/visits/{first}/confirmation", headers=ORIGIN)
    assert refused.status_code == 403
    assert await stored(client, "confirmed") == []

    sign_in(client)
    page = await client.get(f"/ui/open-base/days/{day}")
    assert f"/visits/{first}/confirmation" in page.text and f"/visits/{first}/decline" in page.text
    confirmed = await client.post(f"/ui/open-base/days/{day}/visits/{first}/confirmation", headers=ORIGIN)
    assert confirmed.status_code == 303
    shown = await client.get(confirmed.headers["location"])
    assert "已确认该预约" in shown.text and re.search(rf'id="booking-{first}" data-status="confirmed"', shown.text)
    [event] = await stored(client, "confirmed")
    assert event["booking_id"] == first and event["confirmed_by"] == "officer-1"

    blank = await client.post(f"/ui/open-base/days/{day}/visits/{second}/decline", data={"reason": "  "},
                              headers=ORIGIN)
    assert blank.status_code == 422 and error_beside(blank.text, f"reason-{second}") == "请填写婉拒参观的原因。"
    too_long = await client.post(f"/ui/open-base/days/{day}/visits/{second}/decline", data={"reason": "x" * 501},
                                 headers=ORIGIN)
    assert too_long.status_code == 422 and "最多 500 个字" in error_beside(too_long.text, f"reason-{second}")
    declined = await client.post(f"/ui/open-base/days/{day}/visits/{second}/decline",
                                 data={"reason": "当天基地设备检修"}, headers=ORIGIN)
    assert declined.status_code == 303
    shown = await client.get(declined.headers["location"])
    assert "已婉拒该预约" in shown.text and "当天基地设备检修" in shown.text
    [event] = await stored(client, "declined")
    assert event["booking_id"] == second and event["reason"] == "当天基地设备检修"
    assert {v["booking_id"]: v["status"] for v in (await day_view(client, ahead(10)))["visits"]} == {
        first: "confirmed", second: "declined"}
    assert "确认参观" in shown.text and "婉拒参观" in shown.text  # the day's history says who did what
    english = await client.get(declined.headers["location"] + "&lang=en")
    assert "The visit is declined" in english.text and ">Declined<" in english.text
    await client.get("/ui/open-base/", params={"lang": "zh-CN"})

    twice = await client.post(f"/ui/open-base/days/{day}/visits/{first}/confirmation", headers=ORIGIN)
    assert twice.status_code == 409 and "该预约已处理" in twice.text
    unknown = await client.post(f"/ui/open-base/days/{day}/visits/nope/confirmation", headers=ORIGIN)
    assert unknown.status_code == 404 and "该日期没有此预约" in unknown.text
    foreign = await client.post(f"/ui/open-base/days/{day}/visits/{first}/confirmation",
                                headers={"origin": "http://evil.example"})
    assert foreign.status_code == 403
    assert (await client.get("/ui/open-base/days/2026-13-40")).status_code == 404
    jump = await client.get("/ui/open-base/", params={"day": day})
    assert jump.status_code == 303 and jump.headers["location"] == f"/ui/open-base/days/{day}"
    answer = await client.get(f"/ui/public/open-base/visits/{first}")
    assert 'data-status="confirmed"' in answer.text and "预约已确认" in answer.text
    assert len(await stored(client, "confirmed")) == 1 and len(await stored(client, "declined")) == 1


async def test_a_lapsed_request_shows_its_notice_and_can_no_longer_be_confirmed(
    started: tuple[ServiceClient, FrozenClock],
) -> None:
    client, clock = started
    booking, location = await request_visit(client)
    day = ahead(10).isoformat()
    sign_in(client)
    clock.advance(hours=72)
    # Past its hold it holds nothing and offers no buttons, before housekeeping stores the lapse.
    overdue = await client.get(f"/ui/open-base/days/{day}")
    assert re.search(rf'id="booking-{booking}" data-status="lapsed"', overdue.text)
    assert "/confirmation" not in overdue.text and 'id="held">0<' in overdue.text
    late = await client.post(f"/ui/open-base/days/{day}/visits/{booking}/confirmation", headers=ORIGIN)
    assert late.status_code == 409 and "该预约未在规定时间内确认，已自动失效" in late.text

    await client.runtime.housekeep()
    [lapsed] = await stored(client, "lapsed")
    assert lapsed["booking_id"] == booking
    page = await eventually(lambda: client.get(f"/ui/open-base/days/{day}"), lambda r: LAPSE_NOTICE in r.text)
    assert "已失效" in page.text and "预约失效" in page.text
    english = await client.get(f"/ui/open-base/days/{day}", params={"lang": "en"})
    assert LAPSE_NOTICE_EN in english.text and "Lapsed" in english.text
    answer = await client.get(location, params={"lang": "zh-CN"})  # the English above stays in a cookie
    assert 'data-status="lapsed"' in answer.text and LAPSE_NOTICE in answer.text
    assert 'href="/ui/public/open-base"' in answer.text  # book again
    assert await stored(client, "confirmed") == []


async def test_the_dashboard_counts_the_requests_waiting_for_staff(client: ServiceClient) -> None:
    booking, _ = await request_visit(client)
    await request_visit(client, contact_phone="13800138001", day=ahead(12).isoformat())
    await eventually(lambda: day_view(client, ahead(12)), lambda v: len(v["visits"]) == 1)
    board = await client.get("/dashboard", headers=bearer("auditor"))
    [tile] = [t for t in board.json()["tiles"] if t["key"] == "open_base_requests"]
    assert tile["value"] == "2" and tile["href"] == "/ui/open-base/" and tile["tone"] == "warn"
    sign_in(client)
    await client.post(f"/ui/open-base/days/{ahead(10).isoformat()}/visits/{booking}/confirmation", headers=ORIGIN)
    await eventually(lambda: day_view(client, ahead(10)), lambda v: v["visits"][0]["status"] == "confirmed")
    board = await client.get("/dashboard", headers=bearer("auditor"))
    assert [t["value"] for t in board.json()["tiles"] if t["key"] == "open_base_requests"] == ["1"]
