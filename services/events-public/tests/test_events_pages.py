"""The service's pages on real PostgreSQL and NATS: the public's registration, ticket and
cancellation forms, the staff's sessions, check-in screen and dashboard. No page may 500."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from redpark_events_public.app import create_app
from redpark_platform.testkit import TEST_JWT_SECRET, ServiceClient, solved_challenge
from redpark_platform.web import mint_token
from redpark_platform.web.auth import SESSION_COOKIE

SECRET = TEST_JWT_SECRET
ORIGIN = {"origin": "http://events-public"}  # the test client's own origin
HIGH_RATE_LIMITS = {
    "REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_ADDRESS": "100000/minute",
    "REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_PHONE": "100000/minute",
    "REDPARK_EVENTS_PUBLIC_RATE_CANCEL_PER_ADDRESS": "100000/minute",
    "REDPARK_EVENTS_PUBLIC_RATE_TICKET_PER_ADDRESS": "100000/minute",
}


@pytest.fixture
def rate_limits() -> dict[str, str]:
    return HIGH_RATE_LIMITS


@pytest.fixture
async def client(service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
                 rate_limits: dict[str, str]) -> ServiceClient:
    for variable, value in rate_limits.items():
        monkeypatch.setenv(variable, value)
    return await service_client(create_app, log_level="WARNING")


def bearer(role: str = "events_officer") -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(SECRET, 'officer-1', [role])}"}


def sign_in(client: ServiceClient, role: str = "events_officer") -> None:
    client.cookies.set(SESSION_COOKIE, mint_token(SECRET, "officer-1", [role], None))


async def schedule(client: ServiceClient, session_id: str = "s1", *, capacity: int = 5,
                   starts_in: timedelta = timedelta(minutes=30), activity: str = "a1", **extra: Any) -> int:
    now = datetime.now(UTC)
    r = await client.post("/staff/activities", headers=bearer(), json={
        "activity_id": "carnival", "kind": "science_carnival", "title": "科技嘉年华周", "daily_limit_per_phone": 5})
    assert r.status_code in (201, 409), r.text
    r = await client.post("/staff/activities", headers=bearer(), json={
        "activity_id": activity, "kind": "tech_garden_tour", "title": "科技游园", "place": "园区科技长廊",
        "carnival_id": "carnival"})
    assert r.status_code in (201, 409), r.text
    r = await client.post("/staff/sessions", headers=bearer(), json={
        "session_id": session_id, "activity_id": activity, "starts_at": (now + starts_in).isoformat(),
        "ends_at": (now + starts_in + timedelta(hours=2)).isoformat(), "place": "科技长廊入口",
        "capacity": capacity, "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
        "registration_closes_at": (now + starts_in).isoformat(), **extra})
    assert r.status_code == 201, r.text
    position: int = r.json()["position"]
    await client.get("/catalogue", params={"after": position})  # the pages read the read model
    return position


def form(**over: str) -> dict[str, str]:
    return {"name": "李雷", "phone": "13800138000", "adults": "1", "children_ages": "", "consent": "yes",
            **over}


def error_beside(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="e-{field}" role="alert">([^<]*)</p>', html)
    assert found, f"no message beside {field}"
    return found.group(1)


async def post_form(client: ServiceClient, session_id: str, data: dict[str, Any]) -> Any:
    """Post the registration form as the page's script does: with a solved proof of work (the
    sessions here are a carnival part's, which asks for one)."""
    return await client.post(f"/ui/public/sessions/{session_id}",
                             data={**data, "proof_of_work": await solved_challenge(client)})


async def register(client: ServiceClient, session_id: str = "s1", **over: str) -> tuple[str, str]:
    """Post the form; returns (ticket code, ticket page URL) from the redirect."""
    r = await post_form(client, session_id, form(**over))
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    code = re.search(r"/tickets/([A-Z0-9-]+)\?after=\d+$", location)
    assert code, location
    return code.group(1), location


async def test_the_public_finds_an_event_and_its_session_with_the_seats_left(
    client: ServiceClient,
) -> None:
    position = await schedule(client, capacity=7)
    await client.get("/catalogue", params={"after": position})
    home = await client.get("/")
    assert home.status_code == 200 and "<script" not in home.text
    assert "科技游园" in home.text and 'href="/ui/public/activities/a1"' in home.text
    event = await client.get("/ui/public/activities/a1")
    assert event.status_code == 200 and "剩余名额 7" in event.text
    assert 'href="/ui/public/sessions/s1"' in event.text
    page = await client.get("/ui/public/sessions/s1")
    assert page.status_code == 200 and 'name="phone"' in page.text and 'name="consent"' in page.text
    assert "<script" not in event.text  # the public pages need no script but the registration form's:
    # a carnival part's form proves a little work in the browser before it is sent.
    assert page.text.count("<script") == 1 and 'src="/static/console/proof-of-work.js"' in page.text
    assert 'data-proof-of-work="/proof-of-work/challenge"' in page.text and 'name="proof_of_work"' in page.text
    assert (await client.get("/ui/public/sessions/nope")).status_code == 404
    assert (await client.get("/ui/public/activities/nope")).status_code == 404
    english = await client.get("/ui/public/", params={"lang": "en"})  # remembered in a cookie from now on
    assert english.status_code == 200 and "Upcoming events" in english.text and "See the sessions" in english.text


async def test_a_registration_gets_its_qr_ticket_and_the_same_phone_again_is_refused_beside_the_field(
    client: ServiceClient,
) -> None:
    await schedule(client)
    code, location = await register(client, children_ages="7, 10", adults="2")
    ticket = await client.get(location)
    assert ticket.status_code == 200 and "报名成功" in ticket.text and code in ticket.text
    assert "<script" not in ticket.text
    qr = f"/sessions/s1/tickets/{code}/qr.png"
    assert f'src="{qr}' in ticket.text and "保存为图片" in ticket.text
    assert f'download="红色园区-{code}.png"' in ticket.text
    image = await client.get(qr)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert "4 人" in ticket.text  # two adults and two children take four seats

    again = await post_form(client, "s1", form(name="韩梅梅", phone="138 0013 8000"))
    assert again.status_code == 409
    assert error_beside(again.text, "phone") == "该手机号已报名本场次，每个手机号每场限报一次。"
    assert 'value="韩梅梅"' in again.text  # what was typed stays


@pytest.mark.parametrize(("data", "field", "words"), [
    (form(phone="12345"), "phone", "请输入有效的中国大陆手机号码"),
    (form(consent=""), "consent", "请阅读并同意隐私告知"),
    (form(name="  "), "name", "请填写报名人姓名"),
    (form(adults="两个"), "adults", "成人人数请填写"),
    (form(adults="0"), "adults", "至少包含一人"),
    (form(adults="9"), "adults", "最多5人"),
    (form(children_ages="七岁"), "children_ages", "儿童年龄请填写数字"),
    (form(children_ages="20"), "children_ages", "年满18岁请按成人登记"),
])
async def test_form_errors_are_422_with_the_message_beside_the_field(
    client: ServiceClient, data: dict[str, str], field: str, words: str,
) -> None:
    await schedule(client)
    r = await post_form(client, "s1", data)
    assert r.status_code == 422, r.text
    assert words in error_beside(r.text, field)


@pytest.mark.parametrize("data", [
    {}, {"adults": "-1" * 5000}, {"adults": "9" * 5000, "phone": "1" * 5000}, {"children_ages": ",,,,"},
    {"name": "\x00<script>", "phone": "13800138001", "consent": "yes"}, {"children_ages": "1e9"},
    {"consent": ["yes", "no"]},  # type: ignore[dict-item]
])
async def test_garbage_form_input_never_500s(client: ServiceClient, data: dict[str, Any]) -> None:
    await schedule(client)
    r = await post_form(client, "s1", data)
    assert r.status_code in (303, 409, 422), r.text
    assert "<script>" not in r.text
    cancel = await client.post("/ui/public/sessions/s1/cancel", data=data)
    assert cancel.status_code in (404, 409, 422), cancel.text
    odd = await client.get("/ui/public/sessions/s1/tickets/%00%3Cb%3E", params={"after": "x" * 40})
    assert odd.status_code == 404


async def test_a_full_session_shows_the_waiting_list_position(client: ServiceClient) -> None:
    await schedule(client, capacity=1)
    await register(client, phone="13800138001")
    code, location = await register(client, phone="13800138002")
    ticket = await client.get(location)
    assert ticket.status_code == 200 and "已进入候补" in ticket.text
    assert re.search(r'id="waitlist-position">1<', ticket.text)
    assert "qr.png" not in ticket.text  # no ticket to show at the door yet


async def test_cancel_by_ticket_code_and_phone(client: ServiceClient) -> None:
    await schedule(client)
    code, location = await register(client)
    ticket = await client.get(location)
    assert f'/ui/public/sessions/s1/cancel?code={code}' in ticket.text
    page = await client.get("/ui/public/sessions/s1/cancel", params={"code": code})
    assert page.status_code == 200 and f'value="{code}"' in page.text

    wrong = await client.post("/ui/public/sessions/s1/cancel",
                              data={"ticket_code": code, "phone": "13900139000"})
    assert wrong.status_code == 404
    assert error_beside(wrong.text, "ticket_code") == "未找到与该票号和手机号匹配的报名。"
    bad = await client.post("/ui/public/sessions/s1/cancel", data={"ticket_code": code, "phone": "x"})
    assert bad.status_code == 422 and "手机号码" in error_beside(bad.text, "phone")

    done = await client.post("/ui/public/sessions/s1/cancel",
                             data={"ticket_code": code.lower(), "phone": "13800138000"})
    assert done.status_code == 303
    after = await client.get(done.headers["location"])
    assert after.status_code == 200 and "报名已取消" in after.text


@pytest.mark.parametrize(
    "rate_limits", [{**HIGH_RATE_LIMITS, "REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_PHONE": "2/minute"}]
)
async def test_the_public_apis_rate_limit_counts_the_page_posts_too(client: ServiceClient) -> None:
    await schedule(client)
    await schedule(client, "s2")
    await register(client)  # 1
    api = await client.post("/sessions/s2/registrations", json={
        "name": "李雷", "phone": "13800138000", "adults": 1, "consent": True,
        "proof_of_work": await solved_challenge(client)})  # 2, through the API
    assert api.status_code == 201
    third = await post_form(client, "s1", form())
    assert third.status_code == 429 and int(third.headers["retry-after"]) >= 1
    assert "该手机号的请求过于频繁" in error_beside(third.text, "phone")


async def test_staff_pages_need_a_sign_in_and_show_live_counts_and_history(client: ServiceClient) -> None:
    await schedule(client, capacity=3)
    code, location = await register(client)
    await client.get(location)  # waits for the read model
    away = await client.get("/ui/")
    assert away.status_code == 303 and away.headers["location"].startswith("/login?next=")
    sign_in(client, "auditor")
    listed = await client.get("/ui/")
    assert listed.status_code == 200
    assert 'href="/ui/sessions/s1"' in listed.text and "/ui/counts" in listed.text
    counts = (await client.get("/ui/counts", params={"session": "s1"})).json()
    assert counts == [{"session_id": "s1", "capacity": 3, "confirmed": 1, "waitlisted": 0, "checked_in": 0}]
    page = await client.get("/ui/sessions/s1")
    assert page.status_code == 200 and code in page.text
    assert "安排场次" in page.text and "报名成功" in page.text and "13800138000" not in page.text
    assert "李雷" not in page.text  # the staff list carries no names or phones
    refused = await client.post("/ui/sessions/s1/check-in", data={"ticket_code": code}, headers=ORIGIN)
    assert refused.status_code == 403  # an auditor reads, never checks anyone in
    assert (await client.get("/ui/sessions/nope")).status_code == 404


async def test_check_in_outcomes_in_big_chinese_words(client: ServiceClient) -> None:
    await schedule(client)
    await schedule(client, "s2")
    code, _ = await register(client)
    other, _ = await register(client, "s2", phone="13800138009")
    sign_in(client)
    screen = await client.get("/ui/sessions/s1/check-in")
    assert screen.status_code == 200 and "vendor/jsQR.js" in screen.text and "BarcodeDetector" in screen.text

    ok = await client.post("/ui/sessions/s1/check-in", data={"ticket_code": code.lower()}, headers=ORIGIN)
    assert ok.status_code == 303
    shown = await client.get(ok.headers["location"])
    assert "<strong>签到成功</strong>" in shown.text and code in shown.text
    assert re.search(r'id="checked-in-count"[^>]*>1<', shown.text)

    twice = await client.post("/ui/sessions/s1/check-in", data={"ticket_code": code}, headers=ORIGIN)
    assert twice.status_code == 409 and "<strong>已签到过</strong>" in twice.text
    elsewhere = await client.post("/ui/sessions/s1/check-in", data={"ticket_code": other}, headers=ORIGIN)
    assert elsewhere.status_code == 409 and "<strong>不是本场次</strong>" in elsewhere.text
    scanned = await client.post("/ui/sessions/s1/check-in", headers=ORIGIN,
                                data={"ticket_code": other, "scanned_session": "s2"})
    assert scanned.status_code == 409 and "<strong>不是本场次</strong>" in scanned.text
    unknown = await client.post("/ui/sessions/s1/check-in", data={"ticket_code": "ACDE-FGHJ"}, headers=ORIGIN)
    assert unknown.status_code == 404 and "<strong>无此票</strong>" in unknown.text
    garbage = await client.post("/ui/sessions/s1/check-in", data={"ticket_code": "<x>" * 30}, headers=ORIGIN)
    assert garbage.status_code == 404 and "<strong>无此票</strong>" in garbage.text
    foreign = await client.post("/ui/sessions/s1/check-in", data={"ticket_code": code},
                                headers={"origin": "http://evil.example"})
    assert foreign.status_code == 403


async def test_check_in_before_the_door_opens_says_why(client: ServiceClient) -> None:
    await schedule(client, starts_in=timedelta(hours=3))
    code, _ = await register(client)
    sign_in(client)
    early = await client.post("/ui/sessions/s1/check-in", data={"ticket_code": code}, headers=ORIGIN)
    assert early.status_code == 409
    assert "<strong>不能签到</strong>" in early.text and "签到于场次开始前一小时开放" in early.text


async def test_the_dashboard_counts_upcoming_sessions_and_charts_their_registrations(
    client: ServiceClient,
) -> None:
    await schedule(client, capacity=1)
    await register(client, phone="13800138001")
    code, location = await register(client, phone="13800138002")
    await client.get(location)  # waits for the read model
    assert (await client.get("/dashboard")).status_code == 401
    board = await client.get("/dashboard", headers=bearer("auditor"))
    assert board.status_code == 200
    body = board.json()
    tiles = {t["key"]: t["value"] for t in body["tiles"]}
    # No SMS channel is configured here: nothing is sent (the registrations' notices fail, visibly).
    assert tiles == {"upcoming_sessions": "1", "confirmed_seats": "1", "waitlisted": "1", "checked_in": "0",
                     "open_base_requests": "0", "notifications_today": "0",
                     "dead_letters": "0", "awaiting_upgrade": "0"}
    [chart] = body["charts"]
    assert chart["kind"] == "bar" and chart["series"][0]["data"] == [2.0] and "科技游园" in chart["labels"][0]


async def test_staff_switch_an_activitys_registration_checks_on_its_page(client: ServiceClient) -> None:
    await schedule(client)
    sign_in(client, "auditor")
    seen = await client.get("/ui/activities/a1/registration-checks")
    assert seen.status_code == 200 and 'id="f-proof_of_work" name="proof_of_work" value="yes" checked' in seen.text
    assert 'id="sms-missing"' in seen.text and 'type="submit">保存' not in seen.text  # auditors read
    refused = await client.post("/ui/activities/a1/registration-checks", data={}, headers=ORIGIN)
    assert refused.status_code == 403 and "没有" in refused.text
    assert (await client.get("/ui/sessions/s1")).text.count("/ui/activities/a1/registration-checks") == 1

    sign_in(client, "events_officer")
    saved = await client.post("/ui/activities/a1/registration-checks", data={"phone_verification": "yes"},
                              headers=ORIGIN)
    assert saved.status_code == 200 and "已保存" in saved.text
    assert 'name="proof_of_work" value="yes" checked' not in saved.text
    assert 'name="phone_verification" value="yes" checked' in saved.text
    # Now the form asks for the SMS code and no proof of work; without an SMS channel it says so.
    page = await client.get("/ui/public/sessions/s1")
    assert 'name="phone_code"' in page.text and "proof-of-work.js" not in page.text
    unavailable = await client.post("/ui/public/sessions/s1", data=form(phone_code="123456"))
    assert unavailable.status_code == 503 and "短信服务尚未开通" in error_beside(unavailable.text, "phone_code")
    missing = await client.get("/ui/activities/nope/registration-checks")
    assert missing.status_code == 404
