"""The phone proof wired to the SMS channel, against the real service and the local SMS gateway: the
code is read from the gateway's record (sms-outbox.jsonl) and typed back, through the API and the
public registration page; a wrong code, five wrong tries and an expired code (the clock advanced)
are refused naming `phone_code`."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from redpark_events_public.app import create_app
from redpark_events_public.application import EventsPublic
from redpark_platform.clock import FrozenClock
from redpark_platform.notifications.standins import LOCAL_KEY_ID, LOCAL_KEY_SECRET
from redpark_platform.testkit import ServiceClient, eventually
from redpark_platform.testkit.notify import StandIns

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
async def started(service_client: Callable[..., Awaitable[ServiceClient]], monkeypatch: pytest.MonkeyPatch,
                  notify_standins: StandIns) -> tuple[ServiceClient, FrozenClock, StandIns]:
    for name, value in {"REDPARK_SMS_PROVIDER": "aliyun", "REDPARK_SMS_ENDPOINT": notify_standins.http_url,
                        "REDPARK_SMS_ACCESS_KEY_ID": LOCAL_KEY_ID, "REDPARK_SMS_ACCESS_KEY_SECRET": LOCAL_KEY_SECRET,
                        "REDPARK_PARK_NAME": "光谷红色园区",
                        # Every request comes from the test's one address: not what is tested here.
                        "REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_ADDRESS": "100000/minute",
                        "REDPARK_EVENTS_PUBLIC_RATE_REGISTER_PER_PHONE": "100000/minute"}.items():
        monkeypatch.setenv(name, value)
    clock = FrozenClock(NOW)
    c = await service_client(create_app, roles=("events_officer",), clock=clock, data_dir=notify_standins.data,
                             log_level="WARNING")
    r = await c.post("/staff/activities", json={"activity_id": "a1", "kind": "youth_science_course",
                                                "title": "机器人科普课", "phone_verification": True})
    assert r.status_code == 201, r.text
    for session_id in ("s1", "s2"):
        r = await c.post("/staff/sessions", json={
            "session_id": session_id, "activity_id": "a1", "place": "A3", "capacity": 20,
            "starts_at": (NOW + timedelta(days=3)).isoformat(),
            "ends_at": (NOW + timedelta(days=3, hours=2)).isoformat(),
            "registration_opens_at": (NOW - timedelta(hours=1)).isoformat(),
            "registration_closes_at": (NOW + timedelta(days=2)).isoformat()})
        assert r.status_code == 201, r.text
    await c.runtime.wait_for("events_public_catalogue", r.json()["position"], 10)
    return c, clock, notify_standins


def person(phone: str, **over: Any) -> dict[str, Any]:
    return {"name": "韩梅梅", "phone": phone, "adults": 1, "consent": True, **over}


def problem_of(answer: Any) -> tuple[int, str, str]:
    body = answer.json()
    return answer.status_code, body["code"], body["errors"][0]["field"]


async def code_for(standins: StandIns, phone: str, count: int = 1) -> str:
    """The code in the `count`-th SMS the gateway accepted for `phone`."""
    lines = await eventually(lambda: [x for x in standins.sms_lines() if x["phone"] == phone],
                             lambda got: len(got) >= count)
    line = lines[count - 1]
    assert line["template"] == "platform.verification_code.zh"
    assert line["text"].startswith("【光谷红色园区】光谷红色园区：您的验证码是 ")
    code = str(line["params"]["code"])
    assert re.fullmatch(r"\d{6}", code) and code in line["text"]
    return code


def other_than(code: str) -> str:
    return "000000" if code != "000000" else "111111"


async def ask(c: ServiceClient, phone: str, session_id: str = "s1") -> str:
    sent = await c.post(f"/sessions/{session_id}/phone-codes", json={"phone": phone})
    assert sent.status_code == 202, sent.text
    challenge: str = sent.json()["challenge_id"]
    return challenge


async def test_the_code_in_the_sms_record_registers_and_a_wrong_one_is_a_422(started: Any) -> None:
    c, _, standins = started
    assert c.runtime.layer(EventsPublic).sessions.phone_codes is not None
    sent = await c.post("/sessions/s1/phone-codes", json={"phone": "+86 137-0000-0001"})
    assert sent.status_code == 202, sent.text
    answer = sent.json()
    assert datetime.fromisoformat(answer["expires_at"]) == NOW + timedelta(minutes=5)
    code = await code_for(standins, "13700000001")

    no_code = await c.post("/sessions/s1/registrations", json=person("13700000001"))
    assert problem_of(no_code) == (422, "phone_verification.code_required", "phone_code")
    no_challenge = await c.post("/sessions/s1/registrations", json=person("13700000001", phone_code=code))
    assert problem_of(no_challenge) == (422, "phone_verification.challenge_required", "phone_challenge")
    wrong = await c.post("/sessions/s1/registrations", json=person(
        "13700000001", phone_code=other_than(code), phone_challenge=answer["challenge_id"]))
    assert problem_of(wrong) == (422, "verification.wrong_code", "phone_code")
    assert "还可尝试 4 次" in wrong.json()["detail_zh"]
    # The code of one phone does not register another.
    borrowed = await c.post("/sessions/s1/registrations", json=person(
        "13700000009", phone_code=code, phone_challenge=answer["challenge_id"]))
    assert problem_of(borrowed) == (422, "phone_verification.code_wrong", "phone_code")

    challenge = await ask(c, "13700000002")
    code = await code_for(standins, "13700000002")
    right = await c.post("/sessions/s1/registrations", json=person(
        "13700000002", phone_code=f" {code} ", phone_challenge=challenge))
    assert right.status_code == 201 and right.json()["status"] == "confirmed", right.text
    # A proof lets one registration through.
    again = await c.post("/sessions/s1/registrations", json=person(
        "13700000002", phone_code=code, phone_challenge=challenge))
    assert problem_of(again) == (409, "verification.already_confirmed", "phone_code")


async def test_a_code_asked_for_one_session_does_not_register_for_another(started: Any) -> None:
    c, _, standins = started
    challenge = await ask(c, "13700000003", "s1")
    code = await code_for(standins, "13700000003")
    elsewhere = await c.post("/sessions/s2/registrations", json=person(
        "13700000003", phone_code=code, phone_challenge=challenge))
    assert problem_of(elsewhere) == (422, "phone_verification.code_wrong", "phone_code")


async def test_five_wrong_tries_end_the_code(started: Any) -> None:
    c, _, standins = started
    challenge = await ask(c, "13700000004")
    code = await code_for(standins, "13700000004")
    answers = [await c.post("/sessions/s1/registrations", json=person(
        "13700000004", phone_code=other_than(code), phone_challenge=challenge)) for _ in range(5)]
    assert [problem_of(a) for a in answers] == [(422, "verification.wrong_code", "phone_code")] * 4 + [
        (422, "verification.too_many_tries", "phone_code")]
    late_right = await c.post("/sessions/s1/registrations", json=person(
        "13700000004", phone_code=code, phone_challenge=challenge))
    assert problem_of(late_right) == (422, "verification.too_many_tries", "phone_code")


async def test_a_code_expires_after_5_minutes_and_a_number_waits_a_minute_for_another(started: Any) -> None:
    c, clock, standins = started
    challenge = await ask(c, "13700000005")
    code = await code_for(standins, "13700000005")
    too_soon = await c.post("/sessions/s1/phone-codes", json={"phone": "13700000005"})
    assert problem_of(too_soon) == (429, "verification.too_often", "phone")
    assert too_soon.headers["Retry-After"] == "61"
    clock.advance(minutes=5)
    late = await c.post("/sessions/s1/registrations", json=person(
        "13700000005", phone_code=code, phone_challenge=challenge))
    assert problem_of(late) == (422, "verification.expired", "phone_code")
    fresh = await ask(c, "13700000005")
    code = await code_for(standins, "13700000005", count=2)
    right = await c.post("/sessions/s1/registrations", json=person(
        "13700000005", phone_code=code, phone_challenge=fresh))
    assert right.status_code == 201, right.text


async def test_the_public_page_asks_for_the_code_and_registers_with_it(started: Any) -> None:
    c, _, standins = started
    page = await c.get("/ui/public/sessions/s1")
    assert 'name="phone_code"' in page.text and "获取验证码" in page.text
    form = {"name": "李雷", "phone": "13700000006", "adults": "1", "consent": "yes"}
    sent = await c.post("/ui/public/sessions/s1/phone-codes", data=form)
    assert sent.status_code == 200, sent.text
    assert "验证码已发送至 137****0006，5 分钟内有效。" in sent.text
    challenge = re.search(r'name="phone_challenge" value="(vc_[0-9a-f]+)"', sent.text)
    assert challenge is not None and 'value="李雷"' in sent.text
    code = await code_for(standins, "13700000006")
    wrong = await c.post("/ui/public/sessions/s1", data={**form, "phone_challenge": challenge[1],
                                                         "phone_code": other_than(code)})
    assert wrong.status_code == 422 and "验证码不正确，还可尝试 4 次" in wrong.text
    done = await c.post("/ui/public/sessions/s1", data={**form, "phone_challenge": challenge[1],
                                                        "phone_code": code})
    assert done.status_code == 303, done.text
    assert "/ui/public/sessions/s1/tickets/" in done.headers["location"]


async def test_the_documented_answers_of_the_code_and_of_the_proof_of_work_do_not_share_a_name(
        started: Any) -> None:
    c, _, _ = started
    document = (await c.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    assert "algorithm" in schemas["Challenge"]["properties"]  # the proof of work's
    sent = document["paths"]["/sessions/{session_id}/phone-codes"]["post"]["responses"]["202"]
    assert sent["content"]["application/json"]["schema"]["$ref"].endswith("/PhoneCodeSent")
    assert set(schemas["PhoneCodeSent"]["required"]) == {"challenge_id", "expires_at", "resend_after"}
